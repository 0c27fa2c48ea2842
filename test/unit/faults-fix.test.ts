// `--fix` end to end, where test/unit/cli/check.test.ts leaves off: the coding declaration
// and a shebang stay first, files it must not rewrite (syntax errors, a non-UTF-8 encoding,
// nothing to fix) keep their bytes, inode and mtime, no temporary file is left behind, and
// a fixed file still compiles under CPython.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { removeTree, run, SLEEPY, tempTree } from './cli/helpers';
import { checkWithCpython } from '../fuzz/python';

const OLD = new Date('2001-02-03T04:05:06Z');

function snapshot(path: string) {
  const st = statSync(path);
  return { bytes: readFileSync(path), ino: st.ino, mtimeMs: st.mtimeMs, mode: st.mode };
}

describe('faults: --fix end to end', function () {
  this.timeout(30_000);
  let dir = '';
  afterEach(() => removeTree(dir));

  it('keeps a shebang and a PEP 263 coding line first; the import goes below them', async () => {
    const src = `#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Docstring."""\nfrom __future__ import annotations\n${SLEEPY.replace('import time\n', 'import time  # café\n')}`;
    dir = tempTree({ 'a.py': src });
    const r = await run(dir, ['check', '--no-config', '--fix', '.']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = readFileSync(join(dir, 'a.py'), 'utf8');
    const lines = out.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['#!/usr/bin/env python3', '# -*- coding: utf-8 -*-', '"""Docstring."""', 'from __future__ import annotations']);
    assert.ok(out.includes('import asyncio\n'));
    assert.ok(out.includes('await asyncio.sleep(1)'));
    const py = checkWithCpython([{ label: 'a.py', before: src, after: out }]);
    assert.deepEqual(py.broken, []);
  });

  it('leaves alone (bytes, inode, mtime) a file with syntax errors, a latin-1 file and a clean file; fixes the rest', async () => {
    const latin1 = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n# caf'), Buffer.from([0xe9]), Buffer.from(`\n${SLEEPY}`)]);
    dir = tempTree({
      'broken.py': `${SLEEPY}def oops(:\n`,
      'latin.py': latin1,
      'clean.py': 'x = 1\n',
      'fixme.py': SLEEPY,
    });
    const names = ['broken.py', 'latin.py', 'clean.py'];
    for (const n of names) utimesSync(join(dir, n), OLD, OLD);
    const before = new Map(names.map((n) => [n, snapshot(join(dir, n))]));
    const r = await run(dir, ['check', '--no-config', '--fix', '.']);
    for (const n of names) {
      const after = snapshot(join(dir, n));
      const was = before.get(n);
      assert.ok(was && after.bytes.equals(was.bytes), `${n} was rewritten`);
      assert.equal(after.ino, was.ino, `${n} was replaced`);
      assert.equal(after.mtimeMs, was.mtimeMs, `${n} was touched`);
    }
    assert.match(r.stderr, /^broken\.py: fixes not applied: the file has syntax errors$/m);
    assert.match(r.stderr, /^latin\.py: fixes not applied: the file is latin-1, and only UTF-8 files are rewritten$/m);
    assert.match(readFileSync(join(dir, 'fixme.py'), 'utf8'), /await asyncio\.sleep\(1\)/);
    assert.deepEqual(readdirSync(dir).sort(), ['broken.py', 'clean.py', 'fixme.py', 'latin.py'], 'a temporary file was left behind');
  });

  it('a fixed file is a new inode (written to a temporary file, then renamed over), with the old mode', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    const path = join(dir, 'a.py');
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o640);
    const before = snapshot(path);
    const r = await run(dir, ['check', '--no-config', '--fix', '.']);
    assert.equal(r.code, 0, r.stderr);
    const after = snapshot(path);
    assert.notEqual(after.ino, before.ino, 'rewritten in place rather than renamed over');
    assert.equal(after.mode & 0o7777, 0o640);
    assert.deepEqual(readdirSync(dir), ['a.py']);
  });

  it('CR-only and mixed line endings: inserted lines follow the first line ending, nothing else changes', async () => {
    const cr = SLEEPY.replace(/\n/g, '\r');
    const mixed = SLEEPY.replace('\n\n\n', '\r\n\n\r\n');
    dir = tempTree({ 'cr.py': cr, 'mixed.py': mixed });
    await run(dir, ['check', '--no-config', '--fix', '.']);
    const a = readFileSync(join(dir, 'cr.py'), 'utf8');
    assert.ok(!a.includes('\n'), JSON.stringify(a));
    assert.ok(a.includes('import asyncio\r'));
    const b = readFileSync(join(dir, 'mixed.py'), 'utf8');
    assert.ok(b.startsWith('import asyncio\nimport time\r\n\n\r\n') || b.startsWith('import asyncio\r\nimport time\r\n\n\r\n'), JSON.stringify(b));
  });
});
