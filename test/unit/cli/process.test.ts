// The real executable: bin/conclens.js → dist/cli.js (built by npm run build), as CI runs it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { removeTree, ROOT, SLEEPY, tempTree } from './helpers';

const BIN = join(ROOT, 'bin', 'conclens.js');

function conclens(cwd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    timeout: 30000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('conclens executable', function () {
  this.timeout(60000);
  let dir = '';
  before(() => {
    dir = tempTree({ 'pkg/a.py': SLEEPY, 'clean/ok.py': 'x = 1\n', 'bad/pyproject.toml': '[tool.conclens]\nselect = "CL101"\n', 'bad/a.py': 'x = 1\n' });
  });
  after(() => removeTree(dir));

  it('check --format json --no-config DIR: findings and exit 1', () => {
    const r = conclens(ROOT, ['check', '--format', 'json', '--no-config', dir]);
    assert.equal(r.code, 1, r.stderr);
    const arr = JSON.parse(r.stdout) as { code: string; filename: string }[];
    assert.deepEqual(arr.map((f) => [f.code, f.filename]), [['CL101', join(dir, 'pkg', 'a.py')]]);
  });

  it('exit 0 when clean, 2 on a config error, 2 on a usage error', () => {
    assert.equal(conclens(dir, ['check', 'clean']).code, 0);
    const bad = conclens(dir, ['check', 'bad']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bad\/pyproject\.toml: \[tool\.conclens\] select: must be an array/);
    assert.equal(conclens(dir, ['check', '--format', 'nope']).code, 2);
  });

  it('reads standard input', () => {
    const r = conclens(dir, ['check', '--no-config', '--stdin-filename', 'x.py'], SLEEPY);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^x\.py:5:5: CL101 /);
    const fixed = conclens(dir, ['check', '--no-config', '--fix', '-'], SLEEPY);
    assert.equal(fixed.code, 0);
    assert.match(fixed.stdout, /await asyncio\.sleep\(1\)/);
  });

  it('colours with FORCE_COLOR, not with NO_COLOR', () => {
    assert.ok(conclens(dir, ['check', '--no-config', 'pkg'], undefined, { FORCE_COLOR: '1' }).stdout.includes('\x1b['));
    assert.ok(!conclens(dir, ['check', '--no-config', 'pkg'], undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout.includes('\x1b['));
  });

  it('--version, explain, rules', () => {
    assert.match(conclens(dir, ['--version']).stdout, /^conclens \d/);
    assert.match(conclens(dir, ['explain', 'CL110']).stdout, /^# CL110: /);
    assert.equal(conclens(dir, ['explain', 'CL000']).code, 2);
    assert.ok((JSON.parse(conclens(dir, ['rules', '--format', 'json']).stdout) as unknown[]).length >= 8);
  });
});
