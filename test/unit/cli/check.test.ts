// `conclens check` end to end, in-process (runCli with captured output) on temp folders.
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { removeTree, run, sarifErrors, SLEEPY, tempTree } from './helpers';

interface JsonFinding {
  code: string;
  filename: string;
  location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix: null | { applicability: string; edits: unknown[] };
}

describe('conclens check', function () {
  this.timeout(20000);
  let dir = '';
  afterEach(() => removeTree(dir));

  it('exit 0 and "All checks passed!" on clean code', async () => {
    dir = tempTree({ 'ok.py': 'import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n' });
    const r = await run(dir, ['check', '--no-config']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'All checks passed!\n');
  });

  it('exit 1 and path:row:col: CODE [*] message for time.sleep in async def', async () => {
    dir = tempTree({ 'app/handler.py': SLEEPY });
    const r = await run(dir, ['check', '--no-config']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, 'app/handler.py:5:5: CL101 [*] `time.sleep()` blocks the event loop\nFound 1 finding (1 fixable with --fix).\n');
  });

  it('--format json: parses, absolute filename, 1-based positions, a safe fix', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    const r = await run(dir, ['check', '--format', 'json', '--no-config', '.']);
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.stdout) as JsonFinding[];
    assert.equal(arr.length, 1);
    assert.equal(arr[0].code, 'CL101');
    assert.equal(arr[0].filename, join(dir, 'a.py'));
    assert.deepEqual(arr[0].location, { row: 5, column: 5 });
    assert.deepEqual(arr[0].end_location, { row: 5, column: 18 });
    assert.equal(arr[0].fix?.applicability, 'safe');
  });

  it('--format json prints [] and exits 0 when clean', async () => {
    dir = tempTree({ 'a.py': 'x = 1\n' });
    const r = await run(dir, ['check', '--format=json', '--no-config']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('--format sarif validates against the SARIF 2.1.0 schema', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'b.py': 'import asyncio\nasync def g():\n    asyncio.run(g())\n' });
    const r = await run(dir, ['check', '--format', 'sarif', '--no-config']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.deepEqual(sarifErrors(log), []);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.deepEqual(results.map((x) => x.ruleId).sort(), ['CL101', 'CL110']);
    assert.equal(results.find((x) => x.ruleId === 'CL101')?.locations[0].physicalLocation.artifactLocation.uri, 'a.py');
    assert.ok(log.runs[0].tool.driver.rules.length >= 8);
  });

  it('--format github', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    const r = await run(dir, ['check', '--format', 'github', '--no-config']);
    assert.equal(r.stdout, '::warning file=a.py,line=5,col=5,endLine=5,endColumn=18,title=CL101::`time.sleep()` blocks the event loop\n');
  });

  it('--select / --ignore with codes and prefixes', async () => {
    dir = tempTree({ 'a.py': 'import time, subprocess\nasync def f():\n    time.sleep(1)\n    subprocess.run(["ls"])\n' });
    const codes = async (...flags: string[]) =>
      (JSON.parse((await run(dir, ['check', '--no-config', '--format', 'json', ...flags])).stdout) as JsonFinding[]).map((f) => f.code);
    assert.deepEqual(await codes(), ['CL101', 'CL103']);
    assert.deepEqual(await codes('--select', 'CL101'), ['CL101']);
    assert.deepEqual(await codes('--ignore', 'cl101'), ['CL103']);
    assert.deepEqual(await codes('--select', 'CL1', '--ignore', 'CL103'), ['CL101']);
    const bad = await run(dir, ['check', '--select', 'CL999']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown rule code CL999/);
  });

  it('--statistics', async () => {
    dir = tempTree({ 'a.py': SLEEPY, 'b.py': SLEEPY });
    const r = await run(dir, ['check', '--no-config', '--statistics']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^2\tCL101\t\[\*\] blocking-sleep-in-async\n/);
  });

  it('--quiet drops the summary', async () => {
    dir = tempTree({ 'a.py': 'x = 1\n' });
    assert.equal((await run(dir, ['check', '-q', '--no-config'])).stdout, '');
  });

  it('--exit-zero', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    assert.equal((await run(dir, ['check', '--exit-zero', '--no-config'])).code, 0);
  });

  it('--output-file writes the report to a file', async () => {
    dir = tempTree({ 'a.py': SLEEPY });
    const r = await run(dir, ['check', '--no-config', '--format', 'json', '-o', 'report.json']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as unknown[]).length, 1);
  });

  describe('--fix', () => {
    it('applies safe fixes, keeps CRLF, BOM and mode, reports, and is idempotent', async () => {
      const crlf = SLEEPY.replace(/\n/g, '\r\n');
      dir = tempTree({ 'a.py': crlf, 'b.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SLEEPY)]), 'clean.py': 'x = 1\n' });
      chmodSync(join(dir, 'a.py'), 0o700);
      const cleanBefore = statSync(join(dir, 'clean.py')).mtimeMs;
      const r = await run(dir, ['check', '--fix', '--no-config']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, 'Found 2 findings (2 fixed, 0 remaining).\n');
      const a = readFileSync(join(dir, 'a.py'), 'utf8');
      assert.ok(a.includes('await asyncio.sleep(1)\r\n'), JSON.stringify(a));
      assert.ok(!/[^\r]\n/.test(a), 'only CRLF line endings');
      assert.ok(a.includes('import asyncio\r\n'));
      assert.deepEqual([...readFileSync(join(dir, 'b.py')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.equal(statSync(join(dir, 'a.py')).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'clean.py')).mtimeMs, cleanBefore, 'unchanged files are not touched');
      const again = await run(dir, ['check', '--fix', '--no-config']);
      assert.equal(again.code, 0);
      assert.equal(again.stdout, 'All checks passed!\n');
      assert.equal(readFileSync(join(dir, 'a.py'), 'utf8'), a);
    });

    it('reports what remains (exit 1) when some findings have no fix', async () => {
      dir = tempTree({ 'a.py': 'import time\nasync def f():\n    time.sleep(1)\n    with open("f") as fh:\n        data = fh.read()\n' });
      const r = await run(dir, ['check', '--fix', '--no-config']);
      assert.equal(r.code, 1);
      // `open()` bound by `with` has no fix: it is what remains.
      assert.match(r.stdout, /^a\.py:\d+:\d+: CL104 .*open\(\)/m);
      assert.match(r.stdout, /\(\d+ fixed, 1 remaining\)\.\n$/);
      assert.ok(readFileSync(join(dir, 'a.py'), 'utf8').includes('await asyncio.sleep(1)'));
    });
  });

  describe('standard input', () => {
    it('`-` reads stdin; the filename is "-"', async () => {
      dir = tempTree({});
      const r = await run(dir, ['check', '--no-config', '--format', 'json', '-'], SLEEPY);
      assert.equal(r.code, 1);
      assert.equal((JSON.parse(r.stdout) as JsonFinding[])[0].filename, '-');
    });

    it('--stdin-filename names it', async () => {
      dir = tempTree({});
      const r = await run(dir, ['check', '--no-config', '--stdin-filename', 'pkg/mod.py'], SLEEPY);
      assert.equal(r.code, 1);
      assert.ok(r.stdout.startsWith('pkg/mod.py:5:5: CL101'), r.stdout);
    });

    it('with --fix, prints the fixed source on stdout and the rest on stderr', async () => {
      dir = tempTree({});
      const r = await run(dir, ['check', '--no-config', '--fix', '-'], SLEEPY);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.includes('await asyncio.sleep(1)'));
      assert.ok(r.stdout.includes('import asyncio'));
      assert.match(r.stderr, /1 fixed, 0 remaining/);
    });

    it('with --fix and nothing to fix, echoes the input unchanged', async () => {
      dir = tempTree({});
      const r = await run(dir, ['check', '--no-config', '--fix', '-'], 'x = 1\n');
      assert.equal(r.stdout, 'x = 1\n');
    });
  });

  describe('configuration', () => {
    it('finds the nearest pyproject.toml with [tool.conclens] above the first path', async () => {
      dir = tempTree({
        'pyproject.toml': '[tool.conclens]\nignore = ["CL101"]\nexclude = ["skipped/"]\n[tool.conclens.severity]\nCL103 = "error"\n',
        'src/pyproject.toml': '[project]\nname = "x"\n',
        'src/a.py': 'import time, subprocess\nasync def f():\n    time.sleep(1)\n    subprocess.run(["ls"])\n',
        'src/skipped/b.py': SLEEPY.replace('time.sleep', 'subprocess.run').replace('import time', 'import subprocess'),
      });
      const r = await run(dir, ['check', '--format', 'json', 'src']);
      const arr = JSON.parse(r.stdout) as (JsonFinding & { severity: string })[];
      assert.deepEqual(arr.map((f) => [f.code, f.severity]), [['CL103', 'error']]);
      const noConfig = await run(dir, ['check', '--format', 'json', '--no-config', 'src']);
      assert.equal((JSON.parse(noConfig.stdout) as unknown[]).length, 3);
    });

    it('--config PATH', async () => {
      dir = tempTree({ 'conf/pyproject.toml': '[tool.conclens]\nselect = ["CL103"]\n', 'a.py': SLEEPY });
      const r = await run(dir, ['check', '--config', 'conf/pyproject.toml']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const missing = await run(dir, ['check', '--config', 'nope.toml']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.toml: cannot read config file/);
      assert.equal((await run(dir, ['check', '--config', 'x', '--no-config'])).code, 2);
    });

    it('an invalid pyproject.toml: one line naming the file, files still linted, exit 2', async () => {
      dir = tempTree({ 'pyproject.toml': '[tool.conclens\nselect = 1\n', 'a.py': SLEEPY });
      const r = await run(dir, ['check', '--format', 'json']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^pyproject\.toml:1:\d+: invalid TOML: .*\n$/);
      assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
    });

    it('unknown rule codes in config: exit 2, named', async () => {
      dir = tempTree({ 'pyproject.toml': '[tool.conclens]\nignore = ["CL101", "CL777"]\n', 'a.py': SLEEPY });
      const r = await run(dir, ['check']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'pyproject.toml: [tool.conclens] ignore: unknown rule code "CL777"\n');
      assert.match(r.stdout, /errors were reported above/);
    });
  });

  describe('bad input', () => {
    it('lints every other file and says one line per problem; exit code from findings', async () => {
      dir = tempTree({
        'good.py': SLEEPY,
        'syntax.py': 'import time\nasync def f(:\n    pass\nasync def g():\n    time.sleep(1)\n',
        'latin.py': Buffer.concat([Buffer.from('x = "'), Buffer.from([0xe9]), Buffer.from('"\n')]),
        'declared.py': Buffer.concat([Buffer.from('# coding: latin-1\nimport time\nasync def f():\n    time.sleep(1)  # '), Buffer.from([0xe9]), Buffer.from('\n')]),
        'binary.py': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
        'empty.py': '',
        'folder.py/inner.py': 'x = 1\n',
      });
      symlinkSync('nowhere.py', join(dir, 'dangling.py'));
      const r = await run(dir, ['check', '--no-config', '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const files = (JSON.parse(r.stdout) as JsonFinding[]).map((f) => `${f.filename.slice(dir.length + 1)}:${f.location.row}:${f.code}`);
      assert.deepEqual(files, ['declared.py:4:CL101', 'good.py:5:CL101', 'syntax.py:5:CL101']);
      const lines = r.stderr.trimEnd().split('\n').sort();
      assert.equal(lines.length, 4, r.stderr);
      assert.match(lines[0], /^binary\.py: contains NUL bytes/);
      assert.match(lines[1], /^dangling\.py: cannot read \(/);
      assert.match(lines[2], /^latin\.py: is not UTF-8 \(invalid byte 0xe9 on line 1\)/);
      assert.equal(lines[3], 'syntax.py:2:13: syntax error; linted what parsed');
    });

    it('a missing path: message, other paths linted, exit 2', async () => {
      dir = tempTree({ 'a.py': SLEEPY });
      const r = await run(dir, ['check', '--no-config', '--format', 'json', 'missing.py', 'a.py']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'missing.py: no such file or directory\n');
      assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
    });

    it('an explicitly named non-Python file is linted as Python (as Ruff does)', async () => {
      dir = tempTree({ 'script': SLEEPY });
      assert.equal((await run(dir, ['check', '--no-config', 'script'])).code, 1);
    });
  });

  describe('usage', () => {
    it('bad options and formats exit 2 with one line', async () => {
      dir = tempTree({});
      for (const argv of [['check', '--nope'], ['check', '--format', 'xml'], ['frobnicate'], ['check', '-', 'a.py'], []]) {
        const r = await run(dir, argv);
        assert.equal(r.code, 2, argv.join(' '));
        assert.ok(r.stderr.length > 0);
        assert.ok(!r.stderr.includes('    at '), 'no stack trace');
      }
    });

    it('--help and --version', async () => {
      dir = tempTree({});
      assert.match((await run(dir, ['--version'])).stdout, /^conclens \d+\.\d+\.\d+\n$/);
      assert.match((await run(dir, ['check', '--help'])).stdout, /--stdin-filename/);
      assert.equal((await run(dir, ['--help'])).code, 0);
    });
  });
});
