// The fuzz run: builds each case from (seed, index), checks it in-process (engine, CLI byte
// path, editor path), hands a share to CLI batches, and collects failures with what it takes
// to reproduce them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Linter } from '../../src/core/linter';
import type { Settings } from '../../src/core/config/settings';
import type { TextChange } from '../../src/core/parse/document';
import { lintBytes } from '../../src/cli/lint-file';
import { decodeSource } from '../../src/cli/source';
import { Rng } from './rng';
import { loadCorpus, type CorpusFile } from './corpus';
import { editSession, FULL_LIMITS, mutateBytes, mutateText, type Limits } from './mutate';
import { checkEditSession, checkText, newStats, SLOW_MS, timedLint, type CheckContext, type CheckStats, type Failure, type FixedPair } from './properties';
import { CliBatcher, type CliStats } from './cli-batch';
import { checkWithCpython, type CpythonResult } from './python';

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Run only this case (reproduction). */
  only?: number;
  /** Run cases [from, to) instead of [0, cases). */
  from?: number;
  to?: number;
  /** Called before and after each case (worker progress; the parent's watchdog). */
  onCaseStart?: (index: number) => void;
  onCaseDone?: (index: number) => void;
  /** Called with each failure as it is found. */
  onFailure?: (f: CaseFailure) => void;
  /** Called every 20 cases with the report so far (a worker's parent keeps it in case the worker is stopped). */
  onSnapshot?: (r: FuzzReport) => void;
  root: string;
  linter: Linter;
  /** Standard library in the corpus (default true). */
  stdlib?: boolean;
  /** test/fixtures and examples in the corpus (default true). */
  repo?: boolean;
  /** More folders of Python files for the corpus. */
  corpus?: string[];
  /** Every n-th case also goes through the spawned CLI; 0 = never. */
  cliEvery: number;
  cliPath?: string;
  cliBatchSize?: number;
  workDir: string;
  /** Check fixes with CPython (when python3 exists). */
  python: boolean;
  /** Also check every corpus file unmutated first (fixes on real code). */
  baseline?: boolean;
  /** Where to write failing inputs (none when undefined). */
  failuresDir?: string;
  maxFixesPerText?: number;
  log?: (line: string) => void;
  /** Progress line every n cases. */
  progressEvery?: number;
  /** Sizes of the big mutations (default: 1 MB lines, nesting up to 10k). */
  limits?: Limits;
}

export interface CaseFailure extends Failure {
  /** Undefined for failures of a whole CLI batch or the baseline. */
  caseIndex?: number;
  label?: string;
  saved?: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  corpus: string[];
  failures: CaseFailure[];
  stats: CheckStats;
  bytePath: { files: number; skipped: number; slowestMs: number };
  cli?: CliStats;
  cpython?: CpythonResult;
  baselineFiles: number;
  ms: number;
  /**
   * Set when a case left the WebAssembly parser in doubt (a stack overflow or a wasm trap
   * can leave its stack pointer or heap inconsistent): the run stopped after that case, and
   * the remaining cases need a fresh process.
   */
  stoppedAfter?: number;
}

/** Failures after which the wasm instance cannot be trusted for further cases. */
export function poisonsWasm(f: Failure): boolean {
  return f.kind === 'crash' && /Maximum call stack|RuntimeError|memory access out of bounds|unreachable|Aborted/.test(f.message);
}

export interface FuzzCase {
  index: number;
  source: string;
  label: string;
  text: string;
  bytes: Buffer;
  settings: Settings;
  session?: { start: string; batches: TextChange[][]; final: string };
}

const lossy = new TextDecoder('utf-8', { fatal: false });

/** Texts longer than this get one timed lint and no further checks. */
const BIG_TEXT = 300_000;

/** Sync code made coroutine code: every `def` becomes `async def`. */
export function asyncified(text: string): string {
  return text.replace(/^([ \t]*)def /gm, '$1async def ');
}

const SETTINGS_VARIANTS: readonly Settings[] = [
  { select: ['CL1'] },
  { ignore: ['CL2', 'CL109'], severity: { CL101: 'error', CL201: 'hint' } },
  { extendBlockingCalls: [{ name: 'os.getcwd', code: 'CL104' }, { name: 'mylib.fetch', code: 'CL102' }, { name: 'json.loads', code: 'CL101' }] },
  { freeThreaded: true },
  // Unknown codes reach the engine from hand-edited settings: they select nothing, crash nothing.
  { select: ['XYZ123', 'CL9', 'ALL'], ignore: ['', 'cl101', 'CL'] },
  { select: [] },
];

function windowOf(text: string, rng: Rng, maxLines?: number): string {
  // Most cases take a window of a long file: mutations are local, and shorter texts mean more cases.
  if (maxLines === undefined && (text.length < 20_000 || rng.chance(0.2))) return text;
  const lines = text.split('\n');
  if (maxLines !== undefined && lines.length <= maxLines) return text;
  const n = maxLines !== undefined ? rng.range(Math.min(20, maxLines), maxLines) : rng.range(40, 600);
  const from = rng.int(Math.max(1, lines.length - n));
  return lines.slice(from, from + n).join('\n');
}

export function makeCase(
  seed: number,
  index: number,
  corpus: readonly CorpusFile[],
  corpusTexts: readonly string[],
  repoFiles: readonly number[],
  limits: Limits = FULL_LIMITS,
): FuzzCase {
  const rng = Rng.forCase(seed, index);
  // Half the cases start from the repository's Python (concurrency code, fixes) and the --corpus
  // folders, half from the stdlib (when both are there).
  const fileIndex = repoFiles.length && rng.chance(0.5) ? rng.pick(repoFiles) : rng.int(corpus.length);
  const file = corpus[fileIndex];
  const base = windowOf(corpusTexts[fileIndex], rng, limits.windowLines);
  const count = rng.weighted([[1, 4], [2, 3], [3, 2], [4, 1], [6, 1]] as const);
  const m = mutateText(base, rng, corpusTexts, count, limits);
  let label = m.label;
  let bytes: Buffer = Buffer.from(m.text, 'utf8');
  let text = m.text;
  if (rng.chance(0.25)) {
    const b = mutateBytes(bytes, rng);
    bytes = b.bytes;
    label += `; bytes: ${b.label}`;
    const decoded = decodeSource(bytes);
    // The engine sees what the CLI decodes, or (for bytes it skips) what an editor would show.
    text = decoded.ok ? decoded.source.text : lossy.decode(bytes);
  }
  const settings = rng.chance(0.15) ? rng.pick(SETTINGS_VARIANTS) : {};
  const fuzzCase: FuzzCase = { index, source: file.name, label, text, bytes, settings };
  if (rng.chance(0.3)) {
    const s = editSession(text, rng, corpusTexts);
    fuzzCase.session = { start: text, batches: s.batches, final: s.final };
    fuzzCase.label += `; editor: ${s.label}`;
  }
  return fuzzCase;
}

/** Writes case `index` (its bytes, and what made it) into `dir`; returns the .py path. */
export function saveCase(dir: string, seed: number, c: FuzzCase): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `seed${seed}-case${c.index}`);
  writeFileSync(`${base}.py`, c.bytes);
  writeFileSync(`${base}.json`, JSON.stringify({ seed, case: c.index, source: c.source, label: c.label, settings: c.settings, session: c.session }, null, 1));
  return `${base}.py`;
}

/** Rebuilds one case from scratch (for a parent process that did not run it). */
export function rebuildCase(opts: { root: string; stdlib?: boolean; repo?: boolean; corpus?: string[] }, seed: number, index: number, limits: Limits = FULL_LIMITS): FuzzCase {
  const { files } = loadCorpus({ root: opts.root, stdlib: opts.stdlib, repo: opts.repo, extra: opts.corpus });
  const texts = files.map((f) => lossy.decode(f.bytes));
  const repo = files.map((f, i) => (f.name.startsWith('stdlib:') ? -1 : i)).filter((i) => i >= 0);
  return makeCase(seed, index, files, texts, repo, limits);
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const { files: corpus, sources } = loadCorpus({ root: opts.root, stdlib: opts.stdlib, repo: opts.repo, extra: opts.corpus });
  if (corpus.length === 0) throw new Error('empty corpus');
  const corpusTexts = corpus.map((f) => lossy.decode(f.bytes));
  const repoFiles = corpus.map((f, i) => (f.name.startsWith('stdlib:') ? -1 : i)).filter((i) => i >= 0);
  const failures: CaseFailure[] = [];
  const stats = newStats();
  const pairs: FixedPair[] | undefined = opts.python ? [] : undefined;
  const bytePath = { files: 0, skipped: 0, slowestMs: 0 };
  const report: FuzzReport = { seed: opts.seed, cases: 0, corpus: sources, failures, stats, bytePath, baselineFiles: 0, ms: 0 };
  const cases = new Map<number, FuzzCase>();

  const save = (c: FuzzCase | undefined): string | undefined => (opts.failuresDir && c ? saveCase(opts.failuresDir, opts.seed, c) : undefined);
  const fail = (c: FuzzCase | undefined, f: Failure, caseIndex = c?.index) => {
    const entry: CaseFailure = { ...f, caseIndex, label: c ? `${c.source}: ${c.label}` : undefined };
    failures.push(entry);
    if (failures.length <= 200) entry.saved = save(c);
    opts.onFailure?.(entry);
    log(`FAIL [${f.kind}]${caseIndex !== undefined ? ` case ${caseIndex}` : ''}: ${f.message}${c ? `\n     input: ${c.source}: ${c.label.slice(0, 300)}` : ''}`);
  };

  const ctxFor = (rng: Rng, settings: Settings, sink: Failure[]): CheckContext => ({
    linter: opts.linter,
    settings,
    stats,
    failures: sink,
    pairs,
    maxFixesPerText: opts.maxFixesPerText ?? 6,
    rng,
  });

  const cli =
    opts.cliEvery > 0 && opts.cliPath
      ? new CliBatcher({
          cliPath: opts.cliPath,
          workDir: join(opts.workDir, 'cli'),
          batchSize: opts.cliBatchSize ?? 48,
          linter: opts.linter,
          pairs,
          onFailure: (index, f) => fail(index === undefined ? undefined : cases.get(index), f, index),
        })
      : undefined;

  // 0. The unmutated corpus, and each file again as coroutine code (`def` -> `async def`, so
  //    the blocking calls of real code get fixes): every fix on real code.
  if (opts.baseline) {
    for (let i = 0; i < corpus.length; i++) {
      for (const variant of ['unmutated', 'async def'] as const) {
        const sink: Failure[] = [];
        const text = variant === 'unmutated' ? corpusTexts[i] : asyncified(corpusTexts[i]);
        if (variant === 'async def' && text === corpusTexts[i]) continue;
        checkText(ctxFor(Rng.forCase(opts.seed, -1 - i), {}, sink), text, `${corpus[i].name} (${variant})`);
        for (const f of sink) fail(undefined, { ...f, message: `${corpus[i].name} (${variant}): ${f.message}` });
        report.baselineFiles++;
      }
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    log(`baseline: ${report.baselineFiles} texts (${corpus.length} files, unmutated and as coroutine code), ${stats.fixesChecked} fixes checked, ${failures.length} failure(s)`);
  }

  const first = opts.only ?? opts.from ?? 0;
  const last = opts.only ?? (opts.to ?? opts.cases) - 1;
  for (let index = first; index <= last; index++) {
    opts.onCaseStart?.(index);
    const c = makeCase(opts.seed, index, corpus, corpusTexts, repoFiles, opts.limits);
    const rng = Rng.forCase(opts.seed ^ 0x5bd1e995, index);
    const sink: Failure[] = [];
    const ctx = ctxFor(rng, c.settings, sink);
    const label = `case ${index}`;
    // Engine, in-process. A big text (a 1 MB line) is linted once, timed: every further
    // check would lint it again, and its fixes are checked on the smaller cases.
    const caseStarted = performance.now();
    const big = c.text.length > BIG_TEXT;
    if (big) timedLint(ctx, c.text, label);
    else checkText(ctx, c.text, label);
    const engineMs = performance.now() - caseStarted;
    // The CLI's read path, in-process: decode, lint, and for some cases fix.
    const t0 = performance.now();
    if (!big) {
      try {
        const out = lintBytes(opts.linter, c.bytes, 'fuzz_case.py', { settings: c.settings, fix: rng.chance(0.3) ? (rng.chance(0.5) ? 'safe' : 'unsafe') : undefined });
        bytePath.files++;
        if (out.skipped) bytePath.skipped++;
        if (out.internalError) sink.push({ kind: 'crash', message: `lintBytes: internal error: ${out.internalError.message} ${out.internalError.stack?.split('\n').slice(1, 3).join(' ') ?? ''}` });
        if (out.fixRolledBack) sink.push({ kind: 'fix-syntax', message: 'lintBytes --fix: a fix pass broke the syntax and was rolled back' });
      } catch (err) {
        sink.push({ kind: 'crash', message: `lintBytes threw: ${String(err)}` });
      }
    }
    const byteMs = performance.now() - t0;
    bytePath.slowestMs = Math.max(bytePath.slowestMs, byteMs);
    // Editor path.
    // (A text that lints slowly is linted once at the end of the session, not after events.)
    if (c.session && !big) checkEditSession(ctx, c.session.start, c.session.batches, c.session.final, label, { lintBetween: engineMs < 2 * SLOW_MS });
    const caseMs = performance.now() - caseStarted;
    if (caseMs > 20_000) log(`(case ${index} took ${(caseMs / 1000).toFixed(0)} s in all: ${c.label.slice(0, 160)})`);
    if (sink.length) cases.set(index, c);
    for (const f of sink) fail(c, f);
    if (sink.some(poisonsWasm)) {
      report.cases++;
      report.stoppedAfter = index;
      opts.onCaseDone?.(index);
      break;
    }
    // Whole CLI, batched.
    if (cli && index % opts.cliEvery === 0) {
      cases.set(index, c);
      const mode = rng.pick([0o644, 0o600, 0o755, 0o640]);
      await cli.add({ caseIndex: index, bytes: c.bytes, ext: rng.chance(0.1) ? '.pyi' : '.py', mode });
    }
    report.cases++;
    opts.onCaseDone?.(index);
    if (report.cases % 20 === 0) opts.onSnapshot?.({ ...report, ms: performance.now() - started });
    if (cli && cases.size > 2000) {
      // Keep memory bounded: cases only matter until their CLI batch ran.
      await cli.flush();
      for (const k of [...cases.keys()]) if (k < index - 2 * (opts.cliBatchSize ?? 48) * opts.cliEvery) cases.delete(k);
    }
    if (opts.progressEvery && report.cases % opts.progressEvery === 0) {
      const secs = (performance.now() - started) / 1000;
      log(`${report.cases} cases, ${failures.length} failure(s), ${stats.fixesChecked} fixes checked, slowest lint ${stats.slowest.ms.toFixed(0)} ms, ${secs.toFixed(0)} s`);
    }
    await new Promise((r) => setImmediate(r)); // let finished CLI processes report
  }
  if (cli) {
    await cli.drain();
    report.cli = cli.stats;
  }
  if (pairs) {
    report.cpython = checkWithCpython(pairs);
    for (const b of report.cpython.broken) fail(undefined, { kind: 'cpython', message: `CPython rejects a fixed text it accepted before: ${b.label}: ${b.error}` });
  }
  report.ms = performance.now() - started;
  return report;
}

export function summarize(r: FuzzReport): string {
  const byKind = new Map<string, number>();
  for (const f of r.failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const lines = [
    `seed ${r.seed}: ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s`,
    `corpus: ${r.corpus.join(', ')}`,
    r.baselineFiles ? `baseline: ${r.baselineFiles} corpus texts checked (unmutated, and as coroutine code)` : '',
    `engine: ${r.stats.lints} lints, mean ${(r.stats.lintMs / Math.max(1, r.stats.lints)).toFixed(1)} ms, slowest ${r.stats.slowest.ms.toFixed(0)} ms (${r.stats.slowest.label}; limit ${SLOW_MS} ms)`,
    r.stats.parserBound
      ? `over ${SLOW_MS} ms but parser-bound (tree-sitter's parse alone took half or more): ${r.stats.parserBound} lints, slowest ${r.stats.slowestParserBound.ms.toFixed(0)} ms (parse ${r.stats.slowestParserBound.parseMs.toFixed(0)} ms, ${r.stats.slowestParserBound.chars} chars, ${r.stats.slowestParserBound.label})`
      : '',
    r.stats.parseTimeouts
      ? `not parsed (reported as not linted): ${r.stats.parseTimeouts} — ${r.stats.parseBudgetStops} over tree-sitter's time budget, ${r.stats.parseTimeouts - r.stats.parseBudgetStops} over the indentation limit (first: ${r.stats.parseTimeoutExample})`
      : '',
    `findings ${r.stats.findings}; single fixes checked ${r.stats.fixesChecked}; fix loops ${r.stats.fixLoops}`,
    `editor path: ${r.stats.incrementalSessions} edit sessions (${r.stats.incrementalErrorTreeDiffs} differ from a fresh parse only in error recovery)`,
    `CLI byte path (in-process): ${r.bytePath.files} files, ${r.bytePath.skipped} skipped as undecodable, slowest ${r.bytePath.slowestMs.toFixed(0)} ms`,
    r.cli
      ? `CLI (spawned): ${r.cli.processes} processes, ${r.cli.files} files, ${r.cli.fixedFiles} rewritten by --fix, slowest process ${(r.cli.slowestProcessMs / 1000).toFixed(1)} s`
      : 'CLI (spawned): not run',
    r.cpython ? (r.cpython.skipped ? `CPython: skipped (${r.cpython.skipped})` : `CPython: ${r.cpython.checked} fixed texts compiled`) : 'CPython: not run',
    `failures: ${r.failures.length}${byKind.size ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
  ];
  return lines.filter(Boolean).join('\n');
}
