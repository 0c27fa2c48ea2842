// Inputs the fuzzer failed on, kept as they were found (test/fuzz/regressions/*.py, with a
// .json beside each: how the fuzzer made it, what failed, and the editor session if there was
// one). Each goes through the fuzz properties again: the engine, the CLI's byte path (with
// --fix), every fix's safety checks and fix loops, and the editor's incremental path.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintBytes } from '../../src/cli/lint-file';
import { decodeSource } from '../../src/cli/source';
import type { TextChange } from '../../src/core/parse/document';
import { checkEditSession, checkText, newStats, type CheckContext, type Failure } from '../fuzz/properties';
import { Rng } from '../fuzz/rng';
import { getLinter } from './helpers';

const DIR = join(process.cwd(), 'test', 'fuzz', 'regressions');

interface Saved {
  failure: string;
  settings?: Record<string, unknown>;
  session?: { start: string; batches: TextChange[][]; final: string };
}

describe('fuzz inputs that failed once', function () {
  this.timeout(120_000);
  const names = readdirSync(DIR).filter((n) => n.endsWith('.py')).sort();

  it('are there', () => assert.ok(names.length >= 8, `only ${names.length} saved inputs`));

  for (const name of names) {
    const meta = JSON.parse(readFileSync(join(DIR, name.replace(/\.py$/, '.json')), 'utf8')) as Saved;
    it(`${name}: ${meta.failure}`, async () => {
      const linter = await getLinter();
      const bytes = readFileSync(join(DIR, name));
      const decoded = decodeSource(bytes);
      const text = decoded.ok ? decoded.source.text : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      const failures: Failure[] = [];
      const ctx: CheckContext = { linter, settings: meta.settings ?? {}, stats: newStats(), failures, maxFixesPerText: 40, rng: Rng.forCase(1, 0) };
      checkText(ctx, text, name);
      for (const fix of [undefined, 'safe', 'unsafe'] as const) {
        const out = lintBytes(linter, bytes, name, { settings: meta.settings ?? {}, fix });
        if (out.internalError) failures.push({ kind: 'crash', message: `lintBytes (fix ${fix}): ${out.internalError.message}` });
        if (out.fixRolledBack) failures.push({ kind: 'fix-syntax', message: `lintBytes --fix ${fix}: a pass broke the syntax and was rolled back` });
      }
      if (meta.session) checkEditSession(ctx, meta.session.start, meta.session.batches, meta.session.final, name);
      assert.deepEqual(failures, []);
    });
  }
});
