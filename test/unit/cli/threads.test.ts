// Worker threads: `conclens check --threads N` (parse workers, lint in file order on the
// main thread: src/cli/pipeline.ts) prints exactly what one thread prints.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadCount, MIN_PARALLEL_BYTES } from '../../../src/cli/check';
import { completeOutcome, lintBytes } from '../../../src/cli/lint-file';
import { ParseWorkers, runPipeline } from '../../../src/cli/pipeline';
import { lintPrepared } from '../../../src/cli/lint-file';
import { Linter } from '../../../src/core/linter';
import { loadGrammar } from '../../../src/core/parse/grammar';
import { moduleIdentity } from '../../../src/core/semantics/modules';
import { Workspace } from '../../../src/core/semantics/workspace';
import { removeTree, ROOT, run, tempTree } from './helpers';

const BIN = join(ROOT, 'bin', 'conclens.js');

function conclens(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CONCLENS_DEBUG: '', ...env },
    timeout: 60000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A class and a coroutine in the first file, used by the last: in two shares, the last file's first pass cannot see them. */
function crossShareProject(): Record<string, string | Buffer> {
  const filler = ['import os', ''];
  for (let i = 0; i < 300; i++) filler.push(`def f${i}(x):`, `    return os.path.join(x, "${i}")`, '', '');
  return {
    'a_lib.py': 'import time\n\n\nclass Client:\n    def fetch(self):\n        time.sleep(1)\n\n\nasync def refresh():\n    return 1\n',
    'm_filler.py': filler.join('\n'),
    'z_app.py': 'import a_lib\n\nclient = a_lib.Client()\n\n\nasync def handler():\n    client.fetch()\n    a_lib.refresh()\n',
    'bad.py': 'async def f(:\n    time.sleep(1)\n',
    'latin.py': Buffer.from('# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\xe9():\n    time.sleep(1)  # \xe9\n', 'latin1'),
    'binary.py': 'x = 1\0\n',
  };
}

describe('conclens check --threads', function () {
  this.timeout(120000);

  it('the same JSON, text and messages with 1, 2 and 3 threads on test/fixtures and examples/', () => {
    for (const format of ['json', 'text']) {
      const args = ['check', 'test/fixtures', 'examples', '--no-config', '--format', format];
      const one = conclens(ROOT, [...args, '--threads', '1']);
      assert.equal(one.code, 1, one.stderr);
      if (format === 'json') assert.ok((JSON.parse(one.stdout) as unknown[]).length > 50);
      for (const threads of format === 'json' ? ['2', '3'] : ['2']) {
        const many = conclens(ROOT, [...args, '--threads', threads]);
        assert.equal(many.stdout, one.stdout, `--threads ${threads} --format ${format}: other findings`);
        assert.equal(many.stderr, one.stderr);
        assert.equal(many.code, one.code);
      }
    }
  });

  it('a file that needs a class or coroutine of another chunk: the same output', () => {
    const dir = tempTree(crossShareProject());
    try {
      const one = conclens(dir, ['check', '.', '--no-config', '--format', 'json', '--threads', '1']);
      const codes = (JSON.parse(one.stdout) as { code: string; filename: string }[]).map((f) => `${f.code} ${f.filename.slice(dir.length + 1)}`);
      assert.ok(codes.includes('CL109 z_app.py') && codes.includes('CL201 z_app.py'), codes.join(', '));
      const two = conclens(dir, ['check', '.', '--no-config', '--format', 'json', '--threads', '2'], { CONCLENS_DEBUG: '1' });
      assert.equal(two.stdout, one.stdout);
      assert.match(two.stderr, /conclens: pipeline: 1 parse worker threads; \d+ files parsed in the main thread; 0 workers failed/);
      assert.equal(two.stderr.replace(/^conclens: pipeline: .*\n/m, ''), one.stderr);
      assert.match(one.stderr, /bad\.py:1:\d+: syntax error/);
      assert.match(one.stderr, /binary\.py: contains NUL bytes/);
    } finally {
      removeTree(dir);
    }
  });

  it('the pipeline lints in file order with the one-thread result, the files parsed by workers and by this thread', async () => {
    const dir = tempTree(crossShareProject());
    try {
      const files = readdirSync(dir).sort().map((f) => join(dir, f));
      const hasInit = (d: string) => existsSync(join(d, '__init__.py'));
      // One thread, as check.ts does it.
      await loadGrammar({ wasmDir: join(ROOT, 'out', 'test', 'unit') });
      const linter = await Linter.create();
      let ws = new Workspace();
      const expected = files.map((file) => lintBytes(linter, readFileSync(file), file, { settings: {}, lint: { ...moduleIdentity(file, hasInit), workspace: ws, deferCrossFile: true } }));
      for (const o of expected) completeOutcome(o, ws);
      for (const workers of [1, 3]) {
        ws = new Workspace();
        const order: number[] = [];
        const outcomes = files.map(() => ({}) as ReturnType<typeof lintPrepared>);
        const stats = await runPipeline(files, linter, new ParseWorkers(join(ROOT, 'dist', 'cli-worker.js'), workers), (i, prepared) => {
          order.push(i);
          assert.notEqual(prepared.kind, 'unreadable');
          if (prepared.kind !== 'unreadable') outcomes[i] = lintPrepared(linter, prepared, files[i], { settings: {}, lint: { ...moduleIdentity(files[i], hasInit), workspace: ws, deferCrossFile: true } });
        });
        for (const o of outcomes) completeOutcome(o, ws);
        assert.deepEqual(order, files.map((_, i) => i));
        assert.equal(stats.failed, 0);
        assert.deepEqual(
          outcomes.map((o) => [o.findings, o.syntaxError, o.skipped]),
          expected.map((o) => [o.findings, o.syntaxError, o.skipped]),
        );
      }
      assert.ok(expected.some((o) => o.findings.some((f) => f.code === 'CL109')));
    } finally {
      removeTree(dir);
    }
  });

  it('a parse worker that fails: this thread parses what is left, with the same output', () => {
    const dir = tempTree(crossShareProject());
    const broken = join(dir, '..', `broken-worker-${process.pid}.js`);
    try {
      writeFileSync(broken, 'throw new Error("no parse worker here");\n');
      const one = conclens(dir, ['check', '.', '--no-config', '--format', 'json', '--threads', '1']);
      const two = conclens(dir, ['check', '.', '--no-config', '--format', 'json', '--threads', '2'], { CONCLENS_DEBUG: '1', CONCLENS_WORKER: broken });
      assert.equal(two.stdout, one.stdout);
      // (Whether the worker failed before the main thread had parsed every file is a race.)
      assert.match(two.stderr, /conclens: pipeline: 1 parse worker threads; \d+ files parsed in the main thread; [01] workers failed/);
    } finally {
      removeTree(dir);
      removeTree(broken);
    }
  });

  it('runPipeline with a worker that failed at start: every file parsed and linted here, in order', async () => {
    const dir = tempTree(crossShareProject());
    const broken = join(dir, '..', `broken-worker-${process.pid}-2.js`);
    try {
      writeFileSync(broken, 'throw new Error("no parse worker here");\n');
      const files = readdirSync(dir).sort().map((f) => join(dir, f));
      await loadGrammar({ wasmDir: join(ROOT, 'out', 'test', 'unit') });
      const linter = await Linter.create();
      const pool = new ParseWorkers(broken, 1);
      while (pool.exited === 0) await new Promise((r) => setTimeout(r, 5));
      const order: number[] = [];
      const stats = await runPipeline(files, linter, pool, (i, prepared) => {
        order.push(i);
        assert.notEqual(prepared.kind, 'unreadable');
      });
      assert.deepEqual(order, files.map((_, i) => i));
      assert.equal(stats.failed, 1);
      assert.equal(stats.parsedHere, files.length);
    } finally {
      removeTree(dir);
      removeTree(broken);
    }
  });

  it('--statistics and --exit-zero on several threads', () => {
    const args = ['check', 'examples', '--no-config', '--statistics', '--exit-zero'];
    const one = conclens(ROOT, [...args, '--threads', '1']);
    const two = conclens(ROOT, [...args, '--threads', '2']);
    assert.equal(one.code, 0);
    assert.equal(two.stdout, one.stdout);
  });

  it('rejects a --threads that is not a whole number', async () => {
    const r = await run(ROOT, ['check', '--threads', 'many', 'examples']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--threads must be a whole number/);
  });

  it('uses one thread for a small run unless told otherwise, and never more threads than files', () => {
    assert.equal(threadCount(undefined, 100, MIN_PARALLEL_BYTES - 1), 1);
    assert.equal(threadCount(1, 100, 10 * MIN_PARALLEL_BYTES), 1);
    assert.equal(threadCount(3, 100, 10), 3);
    assert.equal(threadCount(8, 2, 10), 2);
    assert.equal(threadCount(4, 1, 10), 1);
  });
});
