// `npm run fuzz -- [options]` (`--help` lists them): the long seeded fuzz run.
//
// The cases run in worker processes, a chunk of cases each, so a case that leaves the
// WebAssembly parser in doubt (a stack overflow inside it) costs only the rest of its chunk,
// which a fresh worker picks up. Exit code 0 when every case passed, 1 on failures, 2 on a
// usage error.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Linter } from '../../src/core/linter';
import { rebuildCase, runFuzz, saveCase, summarize, type CaseFailure, type FuzzReport } from './runner';
import { pythonVersion } from './python';
import { newStats } from './properties';
import { pyFilesUnder } from './corpus';
import { FULL_LIMITS, QUICK_LIMITS } from './mutate';

const USAGE = `Usage: npm run fuzz -- [options]        (or: node test/fuzz/run.mjs [options] after npm run build)

Mutates real Python and checks that the engine, the CLI (in-process and spawned) and the
editor's incremental path neither crash nor take over a second per file, and that every fix
is safe. Failing inputs are written to out/fuzz/failures/seed<SEED>-case<I>.py (+ .json).

What to mutate (default: the CPython stdlib from pyodide's python_stdlib.zip, test/fixtures
and examples):
  --corpus DIR         also mutate every .py/.pyi under DIR (repeatable), e.g. a folder of
                       Python files from outside the repository
  --no-stdlib          leave out the standard library
  --no-repo            leave out test/fixtures and examples
                       (--no-stdlib --no-repo --corpus DIR: only DIR)
How many, which:
  --seed N|random      seed of the case generator (default 1); a case is rebuilt from (seed, index)
  --cases M            number of mutated cases (default 10000)
  --case I             run only case I (reproduce a failure)
  --quick              the unit test's sizes for the big mutations (4 KB lines, nesting up to 200)
  --no-baseline        skip checking every corpus file unmutated (and as coroutine code) first
Checks:
  --cli-every N        every Nth case also goes through the spawned CLI, check and --fix (default 5)
  --no-cli             never spawn the CLI
  --no-python          do not compile fixed texts with CPython (python3)
  --case-timeout S     a case running longer than S seconds in all counts as a hang (default 30)
Running:
  --jobs J             worker processes (default: cores - 1, at most 4)
  --chunk K            cases per worker process (default 500)
  --json FILE          write the report as JSON
  --keep               keep the temporary work folder
  --help               this text

Exit code: 0 when every case passed, 1 on failures, 2 on a usage error.
`;

interface Args {
  seed: number;
  cases: number;
  only?: number;
  jobs: number;
  chunk: number;
  cliEvery: number;
  python: boolean;
  stdlib: boolean;
  /** test/fixtures and examples in the corpus. */
  repo: boolean;
  baseline: boolean;
  corpus: string[];
  json?: string;
  keep: boolean;
  /** The unit test's sizes for the big mutations (4 KB lines, nesting up to 200). */
  quick: boolean;
  /** A case running longer than this (all checks together) counts as a hang. */
  caseTimeoutMs: number;
  help?: boolean;
  worker?: { from: number; to: number; baseline: boolean; workDir: string };
}

function parse(argv: string[]): Args {
  const a: Args = {
    seed: 1,
    cases: 10_000,
    jobs: Math.max(1, Math.min(4, availableParallelism() - 1)),
    chunk: 500,
    cliEvery: 5,
    python: true,
    stdlib: true,
    repo: true,
    baseline: true,
    corpus: [],
    keep: false,
    quick: false,
    caseTimeoutMs: 30_000,
  };
  const num = (v: string | undefined, name: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, not ${v}`);
    return n;
  };
  let worker: Partial<NonNullable<Args['worker']>> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--seed': {
        const v = value();
        a.seed = v === 'random' ? Math.floor(Math.random() * 2 ** 31) : num(v, '--seed');
        break;
      }
      case '--cases':
        a.cases = num(value(), '--cases');
        break;
      case '--case':
        a.only = num(value(), '--case');
        break;
      case '--jobs':
        a.jobs = Math.max(1, num(value(), '--jobs'));
        break;
      case '--chunk':
        a.chunk = Math.max(1, num(value(), '--chunk'));
        break;
      case '--cli-every':
        a.cliEvery = num(value(), '--cli-every');
        break;
      case '--no-cli':
        a.cliEvery = 0;
        break;
      case '--no-python':
        a.python = false;
        break;
      case '--no-stdlib':
        a.stdlib = false;
        break;
      case '--no-repo':
        a.repo = false;
        break;
      case '--help':
      case '-h':
        a.help = true;
        break;
      case '--no-baseline':
        a.baseline = false;
        break;
      case '--corpus':
        a.corpus.push(resolve(value()));
        break;
      case '--json':
        a.json = value();
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--quick':
        a.quick = true;
        break;
      case '--case-timeout':
        a.caseTimeoutMs = num(value(), '--case-timeout') * 1000;
        break;
      // Internal: a worker's share.
      case '--worker-range': {
        const [from, to] = value().split(':').map((x) => num(x, '--worker-range'));
        worker = { ...worker, from, to };
        break;
      }
      case '--worker-baseline':
        worker = { ...worker, baseline: true };
        break;
      case '--worker-dir':
        worker = { ...worker, workDir: value() };
        break;
      default:
        throw new Error(`unknown option ${arg} (--help lists the options)`);
    }
  }
  if (worker) a.worker = { from: worker.from ?? 0, to: worker.to ?? 0, baseline: !!worker.baseline, workDir: worker.workDir ?? tmpdir() };
  return a;
}

const root = () => process.cwd();

/** The options that choose the corpus, as a reproduction needs them (the same seed on another corpus is another case). */
function corpusFlags(args: Args): string {
  const flags = [...(args.stdlib ? [] : ['--no-stdlib']), ...(args.repo ? [] : ['--no-repo']), ...args.corpus.map((c) => `--corpus ${c}`), ...(args.quick ? ['--quick'] : [])];
  return flags.length ? ` ${flags.join(' ')}` : '';
}
const log = (line: string) => process.stdout.write(`${line}\n`);

function baseOptions(args: Args) {
  return {
    seed: args.seed,
    cases: args.cases,
    root: root(),
    stdlib: args.stdlib,
    repo: args.repo,
    corpus: args.corpus,
    cliEvery: args.cliEvery,
    cliPath: join(root(), 'dist', 'cli.js'),
    python: args.python,
    failuresDir: join(root(), 'out', 'fuzz', 'failures'),
    limits: args.quick ? QUICK_LIMITS : FULL_LIMITS,
    log,
  };
}

/** Worker: runs its share and sends progress and the report to the parent. */
async function worker(args: Args): Promise<number> {
  const w = args.worker;
  if (!w) return 2;
  // If the parent dies (killed, or the session ends) there is nobody to report to: stop
  // quietly instead of crashing on a write to a closed channel.
  process.on('disconnect', () => process.exit(3));
  const send = (m: unknown) => {
    if (process.connected) process.send?.(m);
  };
  const linter = await Linter.create();
  const report = await runFuzz({
    ...baseOptions(args),
    linter,
    workDir: w.workDir,
    baseline: w.baseline,
    from: w.from,
    to: w.to,
    onCaseStart: (index) => send({ type: 'start', index }),
    onCaseDone: (index) => send({ type: 'done', index }),
    onFailure: (failure) => send({ type: 'failure', failure }),
    onSnapshot: (snapshot) => send({ type: 'snapshot', report: { ...snapshot, failures: [] } }),
  });
  // The report travels as a message; wait until it is flushed before exiting.
  await new Promise<void>((res) => (process.send ? process.send({ type: 'report', report: { ...report, failures: [] } }, () => res()) : res()));
  process.disconnect?.();
  return 0;
}

function emptyReport(seed: number): FuzzReport {
  return { seed, cases: 0, corpus: [], failures: [], stats: newStats(), bytePath: { files: 0, skipped: 0, slowestMs: 0 }, baselineFiles: 0, ms: 0 };
}

/** Adds a worker's statistics (its cases and failures are counted from its messages). */
function merge(into: FuzzReport, r: FuzzReport): void {
  if (r.corpus.length) into.corpus = r.corpus;
  const s = into.stats;
  s.lints += r.stats.lints;
  s.lintMs += r.stats.lintMs;
  s.findings += r.stats.findings;
  s.fixesChecked += r.stats.fixesChecked;
  s.fixLoops += r.stats.fixLoops;
  s.incrementalSessions += r.stats.incrementalSessions;
  s.incrementalErrorTreeDiffs += r.stats.incrementalErrorTreeDiffs;
  if (r.stats.slowest.ms > s.slowest.ms) s.slowest = r.stats.slowest;
  s.parserBound += r.stats.parserBound;
  s.parseTimeouts += r.stats.parseTimeouts;
  s.parseBudgetStops += r.stats.parseBudgetStops;
  s.parseTimeoutExample ||= r.stats.parseTimeoutExample;
  if (r.stats.slowestParserBound.ms > s.slowestParserBound.ms) s.slowestParserBound = r.stats.slowestParserBound;
  into.bytePath.files += r.bytePath.files;
  into.bytePath.skipped += r.bytePath.skipped;
  into.bytePath.slowestMs = Math.max(into.bytePath.slowestMs, r.bytePath.slowestMs);
  if (r.cli) {
    const c = (into.cli ??= { processes: 0, files: 0, fixedFiles: 0, slowestProcessMs: 0, slowestPerFileMs: 0 });
    c.processes += r.cli.processes;
    c.files += r.cli.files;
    c.fixedFiles += r.cli.fixedFiles;
    c.slowestProcessMs = Math.max(c.slowestProcessMs, r.cli.slowestProcessMs);
    c.slowestPerFileMs = Math.max(c.slowestPerFileMs, r.cli.slowestPerFileMs);
  }
  if (r.cpython) {
    const p = (into.cpython ??= { checked: 0, broken: [] });
    p.checked += r.cpython.checked;
    p.broken.push(...r.cpython.broken);
    if (r.cpython.skipped) p.skipped = r.cpython.skipped;
  }
  into.baselineFiles += r.baselineFiles;
}

interface Job {
  from: number;
  to: number;
  baseline: boolean;
}

/** Parent: hands chunks to workers, restarts after a case that poisoned a worker. */
async function orchestrate(args: Args, workDir: string): Promise<FuzzReport> {
  const total = emptyReport(args.seed);
  const started = performance.now();
  const jobs: Job[] = [];
  if (args.only !== undefined) jobs.push({ from: args.only, to: args.only + 1, baseline: false });
  else {
    if (args.baseline) jobs.push({ from: 0, to: 0, baseline: true });
    for (let from = 0; from < args.cases; from += args.chunk) jobs.push({ from, to: Math.min(args.cases, from + args.chunk), baseline: false });
  }
  const bundle = join(root(), 'out', 'fuzz', 'main.js');
  let done = 0;
  let workerNo = 0;
  const forward: string[] = ['--seed', String(args.seed), '--cases', String(args.cases), '--cli-every', String(args.cliEvery)];
  if (!args.python) forward.push('--no-python');
  if (!args.stdlib) forward.push('--no-stdlib');
  if (!args.repo) forward.push('--no-repo');
  if (args.quick) forward.push('--quick');
  for (const c of args.corpus) forward.push('--corpus', c);

  // Workers run in their own process groups: stop them (and their CLI runs) with the parent.
  const live = new Set<number>();
  const stopAll = (sig: NodeJS.Signals) => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (!args.keep) rmSync(workDir, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  const runJob = (job: Job): Promise<void> =>
    new Promise((resolveJob) => {
      const dir = join(workDir, `worker-${workerNo++}`);
      const argv = [...forward, '--worker-range', `${job.from}:${job.to}`, '--worker-dir', dir];
      if (job.baseline) argv.push('--worker-baseline');
      // Its own process group, so the watchdog also stops the CLI processes it started.
      const child = fork(bundle, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--enable-source-maps'], detached: true });
      let lastDone = job.from - 1;
      let report: FuzzReport | undefined;
      if (child.pid) live.add(child.pid);
      let hung: number | undefined;
      let finished = false;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      child.on('message', (m: { type: string; index?: number; report?: FuzzReport; failure?: CaseFailure }) => {
        if (m.type === 'failure' && m.failure) total.failures.push(m.failure);
        if (m.type === 'snapshot' && m.report) report = m.report;
        if (m.type === 'start' && m.index !== undefined) {
          const index = m.index;
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            hung = index;
            try {
              process.kill(-(child.pid ?? 0), 'SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, args.caseTimeoutMs);
        } else if (m.type === 'done' && m.index !== undefined) {
          clearTimeout(watchdog);
          lastDone = m.index;
          done++;
          total.cases++;
          if (done % 500 === 0) {
            log(`... ${done} cases, ${total.failures.length} failure(s) so far, ${((performance.now() - started) / 1000).toFixed(0)} s`);
          }
        } else if (m.type === 'report' && m.report) {
          report = m.report;
          finished = true;
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(watchdog);
        if (child.pid) live.delete(child.pid);
        if (report) merge(total, report);
        if (hung !== undefined) {
          const c = rebuildCase({ root: root(), stdlib: args.stdlib, repo: args.repo, corpus: args.corpus }, args.seed, hung, args.quick ? QUICK_LIMITS : FULL_LIMITS);
          const saved = saveCase(join(root(), 'out', 'fuzz', 'failures'), args.seed, c);
          total.failures.push({ kind: 'hang', caseIndex: hung, label: `${c.source}: ${c.label}`, saved, message: `case ${hung} ran over ${args.caseTimeoutMs / 1000} s; its worker was stopped` });
          log(`FAIL [hang] case ${hung} ran over ${args.caseTimeoutMs / 1000} s; reproduce: npm run fuzz -- --seed ${args.seed}${corpusFlags(args)} --case ${hung}`);
          log(`     input: ${c.source}: ${c.label.slice(0, 300)}`);
          done++;
          total.cases++;
          if (hung + 1 < job.to) jobs.unshift({ from: hung + 1, to: job.to, baseline: false });
        } else if (finished && report) {
          if (report.stoppedAfter !== undefined && report.stoppedAfter + 1 < job.to) {
            log(`(case ${report.stoppedAfter} may have damaged the parser's memory; a fresh worker continues from case ${report.stoppedAfter + 1})`);
            jobs.unshift({ from: report.stoppedAfter + 1, to: job.to, baseline: false });
          }
        } else {
          // The worker died: blame the case after the last one it finished, go on after it.
          total.cases++;
          const culprit = lastDone + 1;
          total.failures.push({ kind: 'crash', caseIndex: job.baseline ? undefined : culprit, message: `worker process died (${signal ?? `exit ${code}`}) ${job.baseline ? 'in the baseline' : `on case ${culprit}`}` });
          log(`FAIL [crash] worker died (${signal ?? `exit ${code}`}) on case ${culprit}; reproduce: npm run fuzz -- --seed ${args.seed}${corpusFlags(args)} --case ${culprit}`);
          if (!job.baseline && culprit + 1 < job.to) jobs.unshift({ from: culprit + 1, to: job.to, baseline: false });
        }
        resolveJob();
      });
    });

  const lanes = Array.from({ length: Math.min(args.jobs, jobs.length) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await runJob(job);
  });
  await Promise.all(lanes);
  total.ms = performance.now() - started;
  return total;
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`fuzz: ${(err as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.worker) return worker(args);
  for (const dir of args.corpus) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      process.stderr.write(`fuzz: --corpus ${dir}: not a folder\n`);
      return 2;
    }
    if (pyFilesUnder(dir).length === 0) {
      process.stderr.write(`fuzz: --corpus ${dir}: no .py or .pyi file in it\n`);
      return 2;
    }
  }
  if (!args.stdlib && !args.repo && args.corpus.length === 0) {
    process.stderr.write('fuzz: --no-stdlib and --no-repo leave nothing to mutate; add --corpus DIR\n');
    return 2;
  }
  if (args.cliEvery > 0 && !existsSync(join(root(), 'dist', 'cli.js'))) {
    process.stderr.write('fuzz: dist/cli.js is missing; run npm run build first (npm run fuzz does)\n');
    return 2;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'conclens-fuzz-'));
  const py = args.python ? pythonVersion() : undefined;
  log(
    `fuzz: seed ${args.seed}, ${args.only !== undefined ? `case ${args.only} only` : `${args.cases} cases`}, ${args.jobs} worker(s); ` +
      `CLI ${args.cliEvery ? `every ${args.cliEvery}th case` : 'off'}; CPython ${py ?? (args.python ? 'not found, skipped' : 'off')}`,
  );
  log(`reproduce: npm run fuzz -- --seed ${args.seed}${corpusFlags(args)} --cases ${args.cases}   (one case: --seed ${args.seed}${corpusFlags(args)} --case I)`);
  try {
    const report = await orchestrate(args, workDir);
    log(summarize(report));
    if (report.failures.length) log(`failing inputs: out/fuzz/failures/seed${args.seed}-case*.py (with .json: mutations, settings, edit session)`);
    if (args.json) writeFileSync(args.json, JSON.stringify({ ...report, failures: report.failures.slice(0, 500) }, null, 1));
    return report.failures.length ? 1 : 0;
  } finally {
    if (!args.keep) rmSync(workDir, { recursive: true, force: true });
    else log(`work folder kept: ${workDir}`);
  }
}

// Run directly (a worker, forked by the parent): `node out/fuzz/main.js --worker-range ...`.
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`fuzz worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
