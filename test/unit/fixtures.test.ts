// Runs every annotated fixture: a line ending in `# expect: CL101[, CL102]` must produce
// exactly those codes; every other line must produce nothing. Files under
// `projects/<name>/` form one project: all of them are indexed into one workspace first,
// with module names relative to the project folder, so cross-file rules see each other.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { LintOptions } from '../../src/core/linter';
import { moduleIdentity } from '../../src/core/semantics/modules';
import { Workspace } from '../../src/core/semantics/workspace';
import { LineIndex } from '../../src/core/text';
import { FIXTURES, getLinter, listFiles } from './helpers';

const EXPECT = /#\s*expect:\s*(CL\d{3}(?:\s*,\s*CL\d{3})*)/;

function expectations(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split(/\r?\n/).forEach((line, row) => {
    const m = EXPECT.exec(line);
    if (m) out.set(row, m[1].split(/[\s,]+/).filter(Boolean).sort());
  });
  return out;
}

const projects = new Map<string, Promise<Workspace>>();

/** Lint options for a fixture: standalone, or part of its project's workspace. */
async function optionsFor(file: string): Promise<LintOptions> {
  const rel = relative(FIXTURES, file).split(sep);
  if (rel[0] !== 'projects' || rel.length < 3) return {};
  const root = join(FIXTURES, 'projects', rel[1]);
  let ws = projects.get(root);
  if (!ws) {
    ws = (async () => {
      const linter = await getLinter();
      const workspace = new Workspace();
      for (const f of listFiles(root, '.py')) {
        linter.indexText(readFileSync(f, 'utf8'), f, workspace, moduleIdentity(f, () => false, [root]));
      }
      return workspace;
    })();
    projects.set(root, ws);
  }
  return { ...moduleIdentity(file, () => false, [root]), workspace: await ws };
}

describe('fixtures', () => {
  for (const file of listFiles(FIXTURES, '.py')) {
    const name = relative(FIXTURES, file);
    it(name, async () => {
      const linter = await getLinter();
      const text = readFileSync(file, 'utf8');
      const { findings } = linter.lintText(text, file, {}, await optionsFor(file));
      const lines = new LineIndex(text);
      const actual = new Map<number, string[]>();
      for (const f of findings) {
        const row = lines.position(f.span.start).row;
        actual.set(row, [...(actual.get(row) ?? []), f.code].sort());
      }
      const expected = expectations(text);
      const problems: string[] = [];
      const src = text.split(/\r?\n/);
      for (const row of new Set([...expected.keys(), ...actual.keys()])) {
        const want = (expected.get(row) ?? []).join(', ');
        const got = (actual.get(row) ?? []).join(', ');
        if (want !== got) problems.push(`  line ${row + 1}: expected [${want}] got [${got}]   | ${src[row]?.trim()}`);
      }
      assert.ok(problems.length === 0, `${name}:\n${problems.join('\n')}`);
    });
  }
});
