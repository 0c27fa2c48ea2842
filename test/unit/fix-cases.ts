// The shared shape of the quick-fix tests (fixes*.test.ts): each case fixes a text with
// every safe (or unsafe) fix until nothing changes and must give exactly `after`; the
// result must parse (tree-sitter, and CPython when python3 exists), and fixing it again
// must change nothing. `noFix` cases must report the code without a fix and say why.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { runFixLoop, type FixLevel } from '../../src/core/fixes/apply';
import type { Linter } from '../../src/core/linter';
import { getLinter } from './helpers';

const hasPython = spawnSync('python3', ['--version']).status === 0;

export const lines = (...l: string[]) => l.join('\n') + '\n';

export interface FixCase {
  name: string;
  before: string;
  after: string;
  level?: FixLevel;
}

/** [code, name, text, what the no-fix reason must say] */
export type NoFixCase = [string, string, string, RegExp];

function snapshot(linter: Linter, text: string) {
  const r = linter.lintText(text, 't.py');
  return { findings: r.findings, parses: r.syntaxErrors.length === 0 };
}

export function fixAll(linter: Linter, text: string, level: FixLevel = 'safe'): string {
  return runFixLoop(text, snapshot(linter, text), (t) => snapshot(linter, t), level).text;
}

export function assertPythonParses(text: string): void {
  if (!hasPython) return;
  const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text });
  assert.equal(r.status, 0, `CPython rejects the fixed text:\n${text}\n${r.stderr}`);
}

/** Declares one mocha test per case (call inside a `describe`). */
export function fixCases(cases: readonly FixCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const linter = await getLinter();
      const fixed = fixAll(linter, c.before, c.level);
      assert.equal(fixed, c.after);
      assert.equal(linter.lintText(fixed, 't.py').syntaxErrors.length, 0, 'fixed text has syntax errors');
      assertPythonParses(fixed);
      assert.equal(fixAll(linter, fixed, c.level), fixed, 'fixing again changed the text');
    });
  }
}

/** Declares one mocha test per case that must have no fix and a reason (call inside a `describe`). */
export function noFixCases(cases: readonly NoFixCase[]): void {
  for (const [code, name, text, reason] of cases) {
    it(`${code} offers no fix, and says why: ${name}`, async () => {
      const linter = await getLinter();
      const { findings } = linter.lintText(text, 't.py');
      const f = findings.find((x) => x.code === code);
      assert.ok(f, `expected a ${code} finding, got ${findings.map((x) => x.code).join(', ') || 'none'}`);
      assert.equal(f.fix, undefined);
      assert.match(f.noFixReason ?? '', reason);
    });
  }
}
