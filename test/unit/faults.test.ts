// Fault tests: what the file system, the configuration and the input can throw at a run.
// Each fault gets one clear line on stderr naming the file, and the rest of the work goes on.
// The CLI runs in-process (runCli) where a regression could only fail; where a regression
// would hang (FIFOs) it runs as a separate process with a time limit.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs, { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, removeTree, run, SLEEPY, tempTree } from './cli/helpers';
import { getLinter } from './helpers';
import { PyDocument } from '../../src/core/parse/document';

const CLEAN = 'import asyncio\n\n\nasync def ok():\n    await asyncio.sleep(1)\n';

function hasMkfifo(): boolean {
  return process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr}`);
}

/** The real CLI as a process, killed after `timeoutMs` (a hang fails the test instead of the run). */
function spawnCli(cwd: string, args: string[], timeoutMs = 20_000) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

/** Wraps a function of the `node:fs` module the bundled CLI calls (esbuild keeps `node:` imports as requires, so it sees the patch). */
function patchFs<K extends 'readdirSync' | 'realpathSync' | 'openSync'>(name: K, wrap: (orig: (typeof fs)[K]) => (typeof fs)[K]): () => void {
  const target = fs as unknown as Record<string, unknown>;
  const orig = target[name];
  target[name] = wrap(orig as (typeof fs)[K]);
  return () => {
    target[name] = orig;
  };
}

describe('faults: unreadable and odd files', function () {
  this.timeout(60_000);
  let dir = '';
  afterEach(() => removeTree(dir));

  for (const threads of ['1', '2']) {
    it(`a dangling link named .py is skipped with one line; the other files are linted (--threads ${threads})`, async () => {
      dir = tempTree({ 'good.py': SLEEPY, 'also.py': SLEEPY });
      symlinkSync('missing.py', join(dir, 'gone.py'));
      const r = await run(dir, ['check', '--no-config', '--threads', threads, '.']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^gone\.py: cannot read \(no such file; a broken link\?\); skipped$/m);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stdout, /good\.py:5:5: CL101/);
      assert.match(r.stdout, /also\.py:5:5: CL101/);
    });
  }

  it('a file without read permission: one line, the rest is linted (permission denied simulated; also for real when not root)', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'secret.py': SLEEPY, 'z.py': SLEEPY });
    const secret = join(dir, 'secret.py');
    const denied = () => Object.assign(new Error(`EACCES: permission denied, open '${secret}'`), { code: 'EACCES' });
    // Root reads files whatever their mode: the refusal is simulated where the CLI opens files.
    const restore = patchFs('openSync', (orig) =>
      ((path: fs.PathLike, ...rest: unknown[]) => {
        if (String(path) === secret) throw denied();
        return (orig as (p: fs.PathLike, ...r: unknown[]) => number)(path, ...rest);
      }) as typeof fs.openSync,
    );
    let r;
    try {
      r = await run(dir, ['check', '--no-config', '--threads', '1', '.']);
    } finally {
      restore();
    }
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^secret\.py: cannot read \(permission denied\); skipped$/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stdout, /a\.py:5:5: CL101/);
    assert.match(r.stdout, /z\.py:5:5: CL101/);
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      fs.chmodSync(secret, 0o000);
      for (const threads of ['1', '2']) {
        r = await run(dir, ['check', '--no-config', '--threads', threads, '.']);
        assert.match(r.stderr, /^secret\.py: cannot read \(permission denied\); skipped$/m, `--threads ${threads}`);
        assert.match(r.stdout, /z\.py:5:5: CL101/);
      }
      fs.chmodSync(secret, 0o644);
    }
  });

  it('--fix on a file it may not replace (permission denied on the temporary file): one line, the file is left as it was, the others are fixed', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'locked.py': SLEEPY });
    const locked = join(dir, 'locked.py');
    const restore = patchFs('openSync', (orig) =>
      ((path: fs.PathLike, ...rest: unknown[]) => {
        if (String(path).startsWith(join(dir, '.locked.py.conclens-'))) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return (orig as (p: fs.PathLike, ...r: unknown[]) => number)(path, ...rest);
      }) as typeof fs.openSync,
    );
    let r;
    try {
      r = await run(dir, ['check', '--no-config', '--fix', '.']);
    } finally {
      restore();
    }
    assert.match(r.stderr, /^locked\.py: cannot write fixes \(permission denied\)$/m);
    assert.equal(readFileSync(locked, 'utf8'), SLEEPY);
    assert.match(readFileSync(join(dir, 'a.py'), 'utf8'), /await asyncio\.sleep\(1\)/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.py', 'locked.py']);
    assert.equal(r.code, 2);
  });

  it('a folder named x.py is walked as a folder, and named explicitly too', async () => {
    dir = tempTree({ 'x.py/inner.py': SLEEPY, 'top.py': CLEAN });
    let r = await run(dir, ['check', '--no-config', '.']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /x\.py\/inner\.py:5:5: CL101/);
    r = await run(dir, ['check', '--no-config', 'x.py']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /inner\.py:5:5: CL101/);
  });

  it('a FIFO named x.py (walked or named), a FIFO pyproject.toml and .gitignore: no hang, one line each', function () {
    if (!hasMkfifo()) this.skip();
    dir = tempTree({ 'good.py': SLEEPY });
    mkfifo(join(dir, 'x.py'));
    mkfifo(join(dir, 'pyproject.toml'));
    mkfifo(join(dir, '.gitignore'));
    // Walked: a FIFO is not a file, so it is not listed.
    let r = spawnCli(dir, ['check', '.']);
    assert.equal(r.signal, null, `the CLI hung (killed): ${r.stderr}`);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /good\.py:5:5: CL101/);
    // Named explicitly: read without blocking, and reported.
    r = spawnCli(dir, ['check', '--threads', '1', 'x.py', 'good.py']);
    assert.equal(r.signal, null, `the CLI hung (killed): ${r.stderr}`);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^x\.py: cannot read \(is a FIFO, not a file\); skipped$/m);
    assert.match(r.stdout, /good\.py:5:5: CL101/);
    r = spawnCli(dir, ['check', 'x.py', 'good.py']);
    assert.equal(r.signal, null, `the CLI hung (killed, worker threads): ${r.stderr}`);
    assert.match(r.stderr, /^x\.py: cannot read \(is a FIFO, not a file\); skipped$/m);
  });

  it('a device named explicitly (/dev/zero) is not read forever', function () {
    if (process.platform === 'win32' || !fs.existsSync('/dev/zero')) this.skip();
    dir = tempTree({ 'good.py': SLEEPY });
    const r = spawnCli(dir, ['check', '--no-config', '--threads', '1', '/dev/zero', 'good.py']);
    assert.equal(r.signal, null, 'the CLI hung (killed)');
    assert.match(r.stderr, /zero: cannot read \(is a device, not a file\); skipped/);
    assert.match(r.stdout, /good\.py:5:5: CL101/);
  });

  it('a file deleted between discovery and reading: one line, the rest is linted', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'victim.py': SLEEPY, 'z.py': SLEEPY });
    const victim = join(dir, 'victim.py');
    // Discovery lists the folder; the file disappears right after.
    const restore = patchFs('readdirSync', (orig) =>
      ((path: fs.PathLike, options?: unknown) => {
        const out = (orig as (p: fs.PathLike, o?: unknown) => unknown)(path, options);
        if (String(path) === dir && fs.existsSync(victim)) fs.unlinkSync(victim);
        return out;
      }) as typeof fs.readdirSync,
    );
    let r;
    try {
      r = await run(dir, ['check', '--no-config', '--threads', '1', '.']);
    } finally {
      restore();
    }
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^victim\.py: cannot read \(no such file; a broken link\?\); skipped$/m);
    assert.match(r.stdout, /a\.py:5:5: CL101/);
    assert.match(r.stdout, /z\.py:5:5: CL101/);
  });

  it('--fix leaves alone a file that changed while it was linted, and fixes the others', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'victim.py': SLEEPY });
    const victim = join(dir, 'victim.py');
    const edited = `${SLEEPY}# the user's edit, saved while conclens ran\n`;
    // The write of the fixes starts by resolving the path: the user saves just before.
    const restore = patchFs('realpathSync', (orig) =>
      ((path: fs.PathLike, options?: unknown) => {
        if (String(path) === victim && readFileSync(victim, 'utf8') === SLEEPY) writeFileSync(victim, edited);
        return (orig as (p: fs.PathLike, o?: unknown) => string)(path, options);
      }) as typeof fs.realpathSync,
    );
    let r;
    try {
      r = await run(dir, ['check', '--no-config', '--fix', '.']);
    } finally {
      restore();
    }
    assert.equal(readFileSync(victim, 'utf8'), edited, 'the concurrent edit was overwritten');
    assert.match(r.stderr, /^victim\.py: cannot write fixes \(it changed while it was being linted; run again\)$/m);
    assert.match(readFileSync(join(dir, 'a.py'), 'utf8'), /await asyncio\.sleep\(1\)/);
    assert.equal(r.code, 2);
  });

  it('a directory symlink loop (and a self-linked name) is not followed; no hang', async () => {
    dir = tempTree({ 'pkg/mod.py': SLEEPY });
    symlinkSync('..', join(dir, 'pkg', 'up'));
    symlinkSync('loop.py', join(dir, 'loop.py'));
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    let r = await run(dir, ['check', '--no-config', '.']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal((r.stdout.match(/CL101/g) ?? []).length, 1, r.stdout);
    assert.match(r.stderr, /^loop\.py: cannot read \(too many levels of symbolic links \(a link loop\?\)\); skipped$/m);
    r = await run(dir, ['check', '--no-config', 'a', 'pkg']);
    assert.match(r.stderr, /^a: cannot read \(too many levels of symbolic links \(a link loop\?\)\); skipped$/m);
    assert.match(r.stdout, /pkg\/mod\.py:5:5: CL101/);
  });
});

describe('faults: big inputs', function () {
  this.timeout(120_000);
  let dir = '';
  afterEach(() => removeTree(dir));

  it('a 1 MB single line: the CLI lints it and the next file in seconds', async () => {
    const line = `x = "${'a'.repeat(1 << 20)}"\n`;
    dir = tempTree({ 'long.py': `${SLEEPY}${line}`, 'z.py': SLEEPY });
    const started = performance.now();
    const r = await run(dir, ['check', '--no-config', '--threads', '1', '.']);
    const ms = performance.now() - started;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /long\.py:5:5: CL101/);
    assert.match(r.stdout, /z\.py:5:5: CL101/);
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  });

  it('1 MB lines of several shapes lint in a small multiple of their parse time (engine)', async () => {
    const linter = await getLinter();
    const size = 1 << 20;
    const shapes: Record<string, string> = {
      string: `x = "${'a'.repeat(size)}"`,
      comment: `# ${'é'.repeat(size / 2)}`,
      identifier: `${'a'.repeat(size)} = 1`,
      'unterminated string': `x = "${'b'.repeat(size)}`,
      sum: `x = ${'a + '.repeat(size / 4)}1`,
    };
    for (const [shape, line] of Object.entries(shapes)) {
      const text = `${SLEEPY}${line}\n`;
      // (Against the parse of the same text in the same run: machines here are shared, and
      // an absolute bound flaked on a slow one. The fuzz's `slow` property measures the same.)
      let started = performance.now();
      new PyDocument(linter.grammar, text, 'long.py').dispose();
      const parseMs = performance.now() - started;
      started = performance.now();
      const r = linter.lintText(text, 'long.py');
      const ms = performance.now() - started;
      assert.ok(ms < Math.max(1000, 4 * parseMs), `${shape}: ${ms.toFixed(0)} ms, parse alone ${parseMs.toFixed(0)} ms`);
      assert.equal(r.findings[0]?.code, 'CL101', shape);
    }
  });

  it('a 100k-line file lints within the time bound and keeps its findings', async () => {
    const linter = await getLinter();
    const text = `import time\n${Array.from({ length: 25_000 }, (_, i) => `async def handler_${i}(x):\n    await asyncio.sleep(x)\n    return x + ${i}\n\n`).join('')}async def last():\n    time.sleep(1)\n`;
    assert.ok(text.split('\n').length > 100_000);
    const started = performance.now();
    const r = linter.lintText(text, 'big.py');
    const ms = performance.now() - started;
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['CL101'],
    );
    // Measured 4-5 s on a 2-core CI box; the bound leaves room for a slower machine.
    assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);
  });

  it('a 10 MB pyproject.toml is read, its [tool.conclens] applies, in seconds', async () => {
    const filler = Array.from({ length: 180_000 }, (_, i) => `[tool.other${i}]\nkey = "${'x'.repeat(30)}"\n`).join('');
    dir = tempTree({ 'pyproject.toml': `[tool.conclens]\nignore = ["CL101"]\n${filler}`, 'a.py': SLEEPY });
    assert.ok(statSync(join(dir, 'pyproject.toml')).size > 10_000_000);
    const started = performance.now();
    const r = await run(dir, ['check', '.']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(performance.now() - started < 20_000);
  });
});

describe('faults: bad configuration and codes', function () {
  this.timeout(30_000);
  let dir = '';
  afterEach(() => removeTree(dir));

  it('invalid TOML: one line with line:column, exit 2, the files are still linted', async () => {
    dir = tempTree({ 'pyproject.toml': '[tool.conclens]\nselect = ["CL1"\n', 'a.py': SLEEPY });
    const r = await run(dir, ['check', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pyproject\.toml:\d+:\d+: invalid TOML: /m);
    assert.match(r.stdout, /a\.py:5:5: CL101/);
  });

  it('a pyproject.toml of binary garbage or nested 100k deep: one line, no crash', async () => {
    dir = tempTree({ 'pyproject.toml': Buffer.from([0xff, 0xfe, 0, 1, 2, 0x5b, 0x5b]), 'a.py': SLEEPY });
    let r = await run(dir, ['check', '.']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stdout, /CL101/);
    writeFileSync(join(dir, 'pyproject.toml'), `[tool.conclens]\nx = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    r = await run(dir, ['check', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pyproject\.toml:\d+:\d+: invalid TOML/);
    assert.match(r.stdout, /CL101/);
  });

  it('unknown codes in the config: one line each, the valid ones still apply', async () => {
    dir = tempTree({ 'pyproject.toml': '[tool.conclens]\nselect = ["XYZ123", "CL1"]\nignore = ["CL999"]\n', 'a.py': SLEEPY });
    const r = await run(dir, ['check', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /XYZ123/);
    assert.match(r.stderr, /CL999/);
    assert.match(r.stdout, /a\.py:5:5: CL101/);
  });

  it('unknown codes on the command line: a usage error naming them', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    const r = await run(dir, ['check', '--select', 'XYZ123', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule code XYZ123/);
  });

  it('unknown codes in the engine settings (editor settings typed by hand) select nothing and crash nothing', async () => {
    const linter = await getLinter();
    assert.deepEqual(linter.lintText(SLEEPY, 'a.py', { select: ['XYZ123'] }).findings, []);
    assert.equal(linter.lintText(SLEEPY, 'a.py', { ignore: ['XYZ123', ''], severity: { XYZ123: 'error' } }).findings[0]?.code, 'CL101');
    assert.equal(linter.lintText(SLEEPY, 'a.py', { extendBlockingCalls: [{ name: '', code: 'XYZ123' }] }).findings[0]?.code, 'CL101');
  });

  it('# noqa with unknown codes suppresses nothing else; with a known one among them, that one', async () => {
    const linter = await getLinter();
    const line = (comment: string) => `import time\n\n\nasync def handler():\n    time.sleep(1)  ${comment}\n`;
    const codes = (comment: string) => linter.lintText(line(comment), 'a.py').findings.map((f) => f.code);
    assert.deepEqual(codes('# noqa: XYZ123'), ['CL101']);
    assert.deepEqual(codes('# noqa: XYZ123, E501'), ['CL101']);
    assert.deepEqual(codes('# noqa: XYZ123, CL101'), []);
    assert.deepEqual(codes('# noqa: cl101'), []);
    assert.deepEqual(codes('# noqa:XYZ'), []); // not a code list: a bare noqa, as in Ruff
    assert.deepEqual(codes(`# noqa: ${'XYZ123, '.repeat(10_000)}CL102`), ['CL101']);
  });
});

describe('faults: a workspace of many files', function () {
  this.timeout(120_000);
  let dir = '';
  afterEach(() => removeTree(dir));

  it('10,000 small files in 500 packages: every file linted, in a time bound', async () => {
    dir = tempTree({});
    for (let p = 0; p < 500; p++) {
      mkdirSync(join(dir, `pkg${p}`));
      writeFileSync(join(dir, `pkg${p}`, '__init__.py'), '');
      for (let i = 0; i < 19; i++) writeFileSync(join(dir, `pkg${p}`, `m${i}.py`), i === 0 ? SLEEPY : CLEAN);
    }
    const started = performance.now();
    const r = await run(dir, ['check', '--no-config', '--statistics', '.']);
    const ms = performance.now() - started;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\s*500\s+CL101/m);
    assert.ok(ms < 60_000, `took ${ms.toFixed(0)} ms`);
  });
});

describe('faults: the editor stays responsive while indexing', function () {
  this.timeout(60_000);

  it('indexing 3,000 files through the TimeSlicer gives the event loop a turn at least every slice + one file', async () => {
    const { TimeSlicer } = await import('../../src/extension/time-slice');
    const { Workspace } = await import('../../src/core/semantics/workspace');
    const linter = await getLinter();
    const workspace = new Workspace();
    // A probe that runs whenever the event loop gets a turn: the longest gap is the longest freeze.
    let last = performance.now();
    let longestGap = 0;
    let probing = true;
    const probe = () => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (probing) setTimeout(probe, 0);
    };
    setTimeout(probe, 0);
    const slicer = new TimeSlicer(10);
    let longestFile = 0;
    for (let i = 0; i < 3000; i++) {
      const text = i % 10 === 0 ? SLEEPY : `${CLEAN}\n\ndef helper_${i}(x):\n    return [y * y for y in range(x)]\n`;
      const started = performance.now();
      linter.indexText(text, `/w/pkg/m${i}.py`, workspace, { moduleName: `pkg.m${i}` });
      longestFile = Math.max(longestFile, performance.now() - started);
      await slicer.yield();
    }
    probing = false;
    assert.ok(slicer.yields > 10, `yielded ${slicer.yields} times`);
    // A slice (10 ms) plus the slowest single file plus timer slack.
    assert.ok(longestGap < 10 + longestFile + 60, `event loop blocked for ${longestGap.toFixed(0)} ms (slowest file ${longestFile.toFixed(0)} ms)`);
  });
});
