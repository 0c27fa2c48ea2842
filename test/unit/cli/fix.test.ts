import { strict as assert } from 'node:assert';
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Fix } from '../../../src/core/types';
import { runFixLoop, selectFixes, withEol, writeFileAtomic } from '../../../src/cli/fix';
import { removeTree, tempTree } from './helpers';

const finding = (fix: Fix): Finding => ({ code: 'CL101', message: 'm', severity: 'warning', span: { start: 0, end: 1 }, fix });
const safe = (...edits: [number, number, string][]): Fix => ({
  title: 't',
  applicability: 'safe',
  edits: edits.map(([start, end, content]) => ({ start, end, content })),
});

describe('--fix: choosing and applying fixes', () => {
  it('takes non-overlapping fixes and shares identical edits (one import for two fixes)', () => {
    const a = safe([10, 20, 'A'], [0, 0, 'import asyncio\n']);
    const b = safe([30, 40, 'B'], [0, 0, 'import asyncio\n']);
    const { edits, count } = selectFixes([finding(a), finding(b)], 'safe');
    assert.equal(count, 2);
    assert.equal(edits.filter((e) => e.content === 'import asyncio\n').length, 1);
  });

  it('defers a fix that overlaps an earlier one, and one inserting different text at the same point', () => {
    const a = safe([10, 20, 'A']);
    const b = safe([15, 25, 'B']);
    const c = safe([10, 10, 'C']);
    assert.equal(selectFixes([finding(a), finding(b), finding(c)], 'safe').count, 1);
  });

  it('unsafe fixes only when asked', () => {
    const u: Fix = { ...safe([0, 1, 'x']), applicability: 'unsafe' };
    assert.equal(selectFixes([finding(u)], 'safe').count, 0);
    assert.equal(selectFixes([finding(u)], 'unsafe').count, 1);
  });

  it('inserted lines follow the file\'s line ending', () => {
    assert.equal(withEol([{ start: 0, end: 0, content: 'a\nb\n' }], '\r\n')[0].content, 'a\r\nb\r\n');
  });

  it('re-lints between passes and stops when nothing applies', () => {
    // A fake linter: every "x" is a finding whose fix turns it into "y".
    const lint = (text: string) => ({
      findings: [...text.matchAll(/x/g)].map((m) => finding(safe([m.index ?? 0, (m.index ?? 0) + 1, 'y']))),
      parses: true,
    });
    const r = runFixLoop('x x x', lint('x x x'), lint, 'safe', '\n');
    assert.equal(r.text, 'y y y');
    assert.equal(r.fixed, 3);
    assert.deepEqual(r.last.findings, []);
  });

  it('rolls back a pass that breaks the syntax', () => {
    const lint = (text: string) => ({
      findings: text.includes('x') ? [finding(safe([0, 1, 'BROKEN']))] : [],
      parses: !text.includes('BROKEN'),
    });
    const r = runFixLoop('x', lint('x'), lint, 'safe', '\n');
    assert.equal(r.text, 'x');
    assert.equal(r.fixed, 0);
    assert.equal(r.rolledBack, true);
  });
});

describe('--fix: writing files', () => {
  let dir = '';
  afterEach(() => removeTree(dir));

  it('replaces the file atomically, keeping mode and BOM, leaving no temp file', () => {
    dir = tempTree({ 'a.py': 'old\n' });
    const file = join(dir, 'a.py');
    chmodSync(file, 0o751);
    writeFileAtomic(file, 'new\n', true);
    assert.deepEqual([...readFileSync(file)], [0xef, 0xbb, 0xbf, ...Buffer.from('new\n')]);
    assert.equal(statSync(file).mode & 0o777, 0o751);
    assert.deepEqual(readdirSync(dir), ['a.py']);
  });

  it('writes through a symlink to the real file', () => {
    dir = tempTree({ 'real.py': 'old\n' });
    symlinkSync('real.py', join(dir, 'link.py'));
    writeFileAtomic(join(dir, 'link.py'), 'new\n', false);
    assert.ok(lstatSync(join(dir, 'link.py')).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'real.py'), 'utf8'), 'new\n');
  });
});
