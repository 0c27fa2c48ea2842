// `conclens check`: find files, lint them with one Linter, print in the chosen format,
// and pick the exit code (0 clean, 1 findings, 2 usage/config/internal error).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { moduleIdentity } from '../core/semantics/modules';
import { Workspace } from '../core/semantics/workspace';
import type { Settings } from '../core/config/settings';
import { mergeSettings } from '../core/config/merge';
import { Linter } from '../core/linter';
import { allRules, ruleByCode } from '../core/rules/index';
import type { Io } from './io';
import { loadConfig } from './config';
import { discoverFiles, FileFilter } from './files';
import { completeOutcome, lintBytes, lintPrepared, type FileOutcome } from './lint-file';
import { ParseWorkers, runPipeline } from './pipeline';
import type { PreparedFile } from './prepare';
import { fixApplies, writeFileAtomic, type FixLevel } from './fix';
import { NOT_REGULAR, readRegularFile } from './read-file';
import { CHANGED_WHILE_LINTING } from './fix';
import { displayPath, type FileReport, type RunSummary } from './report';
import { encodeSource } from './source';
import { ANSI, NO_COLOR, useColor } from './format/color';
import { formatText, summaryLine } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatGithub } from './format/github';
import { countByCode, formatStatistics } from './format/statistics';
import { VERSION } from './version';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';

export interface CheckOptions {
  paths: string[];
  select?: string[];
  ignore?: string[];
  exclude: string[];
  format: OutputFormat;
  fix: boolean;
  unsafeFixes: boolean;
  stdinFilename?: string;
  statistics: boolean;
  noConfig: boolean;
  config?: string;
  quiet: boolean;
  forceExclude: boolean;
  respectGitignore: boolean;
  exitZero: boolean;
  outputFile?: string;
  debug: boolean;
  /** Worker threads; undefined or 0: one per core. Small runs and `--fix` use one. */
  threads?: number;
}

/** Below this many bytes of Python a run stays on one thread: starting workers (~0.15 s) would cost more than they save. */
export const MIN_PARALLEL_BYTES = 500_000;

/** The worker script, next to the bundle (dist/cli-worker.js); CONCLENS_WORKER overrides it (tests). */
function workerScript(io: Io): string | undefined {
  const p = io.env.CONCLENS_WORKER ?? (typeof __dirname === 'string' ? join(__dirname, 'cli-worker.js') : undefined);
  return p && existsSync(p) ? p : undefined;
}

/** `--threads N`, else one per core. */
function wantedThreads(requested: number | undefined): number {
  return requested && requested > 0 ? requested : availableParallelism();
}

/** How many threads a run over these files uses (1: in this thread, no workers). */
export function threadCount(requested: number | undefined, files: number, bytes: number): number {
  const want = wantedThreads(requested);
  if (want <= 1 || files < 2) return 1;
  if (!requested && bytes < MIN_PARALLEL_BYTES) return 1;
  return Math.min(want, files);
}

/** Flags layered over the config the way Ruff layers them: `--select` starts a new selection. */
export function commandLineSettings(config: Settings, opts: Pick<CheckOptions, 'select' | 'ignore'>): Settings {
  const over: Settings = {};
  if (opts.select) {
    over.select = opts.select;
    over.ignore = opts.ignore ?? [];
  } else if (opts.ignore) {
    over.ignore = [...(config.ignore ?? []), ...opts.ignore];
  }
  return mergeSettings(config, over);
}

interface Problems {
  /** Usage, config or internal errors: exit 2. */
  fatal: boolean;
  notes: string[];
}

/** `check -` or `check --stdin-filename F` without paths. */
function readsStdin(opts: CheckOptions): boolean {
  return opts.paths.length === 1 && opts.paths[0] === '-' ? true : opts.paths.length === 0 && !!opts.stdinFilename;
}

export async function runCheck(opts: CheckOptions, io: Io): Promise<number> {
  const useStdin = readsStdin(opts);
  // Parse workers start now and load the grammar while the files are found; closed unused
  // if the run turns out small (and in any case before returning: they would keep the
  // process alive).
  const early = useStdin || opts.fix ? undefined : startParseWorkers(opts, io);
  try {
    return await check(opts, io, useStdin, early);
  } finally {
    await early?.close();
  }
}

async function check(opts: CheckOptions, io: Io, useStdin: boolean, early: ParseWorkers | undefined): Promise<number> {
  const problems: Problems = { fatal: false, notes: [] };
  const note = (msg: string, fatal = false) => {
    problems.notes.push(msg);
    if (fatal) problems.fatal = true;
    io.err(`${msg}\n`);
  };

  const paths = opts.paths.length ? opts.paths : ['.'];

  const config = loadConfig({
    cwd: io.cwd,
    explicit: opts.config,
    noConfig: opts.noConfig,
    start: useStdin ? opts.stdinFilename : paths[0],
  });
  for (const e of config.errors) note(e, true);
  const settings = commandLineSettings(config.settings, opts);
  const fixLevel: FixLevel = opts.unsafeFixes ? 'unsafe' : 'safe';
  const filterOpts = {
    cwd: io.cwd,
    exclude: [
      { patterns: settings.exclude ?? [], base: config.base },
      { patterns: opts.exclude, base: io.cwd },
    ],
    respectGitignore: opts.respectGitignore,
    forceExclude: opts.forceExclude,
  };

  const linter = await Linter.create();
  const reports: FileReport[] = [];
  const report = (path: string, o: FileOutcome) => {
    const shown = displayPath(path, io.cwd);
    if (o.skipped) note(`${shown}: ${o.skipped}`);
    if (o.internalError) {
      note(`${shown}: internal error while linting (${o.internalError.message}); skipped`, true);
      if (opts.debug && o.internalError.stack) io.err(`${o.internalError.stack}\n`);
    }
    if (o.syntaxError) note(`${shown}:${o.syntaxError.row}:${o.syntaxError.column}: syntax error; linted what parsed`);
    if (o.fixSkipped) note(`${shown}: ${o.fixSkipped}`);
    if (o.fixRolledBack) note(`${shown}: a fix would have broken the syntax and was not applied (please report this)`);
    if (o.text !== undefined) reports.push({ path, displayPath: shown, text: o.text, findings: o.findings });
  };
  let fixed = 0;

  if (useStdin) {
    const name = opts.stdinFilename ? resolve(io.cwd, opts.stdinFilename) : '-';
    const bytes = await io.readStdin();
    const excluded = name !== '-' && new FileFilter(filterOpts).explicitlyExcluded(name, false);
    const outcome: FileOutcome = excluded
      ? { findings: [], fixed: 0 }
      : lintBytes(linter, bytes, name, { settings, fix: opts.fix ? fixLevel : undefined });
    report(name, outcome);
    fixed += outcome.fixed;
    if (opts.fix) {
      // As Ruff does: the (fixed) source goes to stdout, the findings to stderr.
      io.out(outcome.fixedText !== undefined && outcome.source ? encodeSource(outcome.fixedText, outcome.source.bom) : bytes);
      const rendered = render(reports, opts, { fixed, fixLevel, hadErrors: problems.fatal }, problems, io);
      if (rendered) io.err(rendered);
      return exitCode(reports, problems, opts);
    }
  } else {
    const found = discoverFiles(paths, filterOpts);
    for (const m of found.missing) note(`${m}: no such file or directory`, true);
    for (const w of found.warnings) note(w);
    found.files.sort();
    // One parse per file: lint it (cross-file checks wait), and index it. Once every
    // file is in the workspace, the waiting checks run; fixes are applied after that.
    const workspace = new Workspace();
    const initCache = new Map<string, boolean>();
    const hasInit = (dir: string) => {
      let v = initCache.get(dir);
      if (v === undefined) initCache.set(dir, (v = existsSync(`${dir}/__init__.py`)));
      return v;
    };
    const outcomes: { file: string; bytes?: Buffer; outcome: FileOutcome }[] = [];
    const pipelined =
      !!early &&
      (await lintPipelined(found.files, linter, early, opts, io, (file, prepared) => {
        if (prepared.kind === 'unreadable') {
          note(`${displayPath(file, io.cwd)}: cannot read (${describeFsError(Object.assign(new Error(prepared.message), { code: prepared.code, kind: prepared.errorKind }))}); skipped`);
          return;
        }
        const lint = { ...moduleIdentity(file, hasInit), workspace, deferCrossFile: true };
        outcomes.push({ file, outcome: lintPrepared(linter, prepared, file, { settings, lint }) });
      }));
    for (const file of pipelined ? [] : found.files) {
      let bytes: Buffer;
      try {
        bytes = readRegularFile(file);
      } catch (err) {
        note(`${displayPath(file, io.cwd)}: cannot read (${describeFsError(err)}); skipped`);
        continue;
      }
      const lint = { ...moduleIdentity(file, hasInit), workspace, deferCrossFile: true };
      outcomes.push({ file, bytes, outcome: lintBytes(linter, bytes, file, { settings, lint }) });
    }
    for (const entry of outcomes) {
      let { outcome } = entry;
      completeOutcome(outcome, workspace);
      if (opts.fix && entry.bytes && outcome.findings.some((f) => fixApplies(f.fix, fixLevel))) {
        const lint = { ...moduleIdentity(entry.file, hasInit), workspace };
        outcome = lintBytes(linter, entry.bytes, entry.file, { settings, fix: fixLevel, lint });
        if (outcome.fixedText !== undefined && outcome.source) {
          try {
            writeFileAtomic(entry.file, outcome.fixedText, outcome.source.bom, entry.bytes);
          } catch (err) {
            note(`${displayPath(entry.file, io.cwd)}: cannot write fixes (${describeFsError(err)})`, true);
            outcome.fixed = 0;
            if (outcome.unfixed) Object.assign(outcome, outcome.unfixed);
          }
        }
      }
      fixed += outcome.fixed;
      report(entry.file, outcome);
    }
  }

  const rendered = render(reports, opts, { fixed: opts.fix ? fixed : undefined, fixLevel, hadErrors: problems.fatal }, problems, io);
  if (opts.outputFile) {
    try {
      writeFileSync(resolve(io.cwd, opts.outputFile), rendered);
    } catch (err) {
      io.err(`${opts.outputFile}: cannot write output (${describeFsError(err)})\n`);
      return 2;
    }
  } else if (rendered) {
    io.out(rendered);
  }
  return exitCode(reports, problems, opts);
}

/** Parse workers for a run with more than one thread (one thread per core by default); undefined for one thread. */
function startParseWorkers(opts: CheckOptions, io: Io): ParseWorkers | undefined {
  if (opts.threads === 1) return undefined;
  const script = workerScript(io);
  const threads = wantedThreads(opts.threads);
  if (!script || threads <= 1) return undefined;
  return new ParseWorkers(script, threads - 1);
}

/**
 * Lints the files with the parse workers (pipeline.ts) when the run is big enough: the
 * workers parse, this thread lints in file order (and parses too when it would wait),
 * handing each file to `lintFile` in order. False, with the workers closed, when the run
 * stays in this thread.
 */
async function lintPipelined(files: string[], linter: Linter, pool: ParseWorkers, opts: CheckOptions, io: Io, lintFile: (file: string, prepared: PreparedFile) => void): Promise<boolean> {
  let bytes = 0;
  if (!opts.threads) {
    for (const file of files) {
      try {
        bytes += statSync(file).size;
      } catch {
        // Reported when it is read.
      }
      if (bytes >= MIN_PARALLEL_BYTES) break;
    }
  }
  const threads = threadCount(opts.threads, files.length, bytes);
  if (threads <= 1) {
    await pool.close();
    return false;
  }
  // (Fewer files than workers: the extra ones stop.)
  if (threads - 1 < pool.workers.length) {
    const extra = pool.workers.splice(threads - 1);
    await Promise.all(extra.map((w) => w.terminate()));
  }
  const stats = await runPipeline(files, linter, pool, (i, prepared) => lintFile(files[i], prepared));
  if (opts.debug) {
    const ms = Object.entries(stats.ms).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ');
    io.err(`conclens: pipeline: ${stats.workers} parse worker threads; ${stats.parsedHere} files parsed in the main thread; ${stats.failed} workers failed (main thread: ${ms})\n`);
  }
  return true;
}

function render(reports: FileReport[], opts: CheckOptions, summary: RunSummary, problems: Problems, io: Io): string {
  const withFindings = reports.filter((r) => r.findings.length > 0);
  const lookup = (code: string) => ruleByCode(code)?.meta;
  if (opts.statistics) {
    const counts = countByCode(withFindings, lookup, summary.fixLevel);
    if (opts.format === 'json') return formatStatistics(counts, 'json');
    return formatStatistics(counts, 'text') + (opts.quiet ? '' : summaryLine(withFindings, summary, NO_COLOR));
  }
  switch (opts.format) {
    case 'json':
      return formatJson(withFindings);
    case 'sarif':
      return formatSarif(withFindings, {
        version: VERSION,
        cwd: io.cwd,
        rules: allRules.map((r) => r.meta),
        notes: problems.notes,
        successful: !problems.fatal,
      });
    case 'github':
      return formatGithub(withFindings);
    case 'text': {
      const palette = !opts.outputFile && useColor(io.env, io.stdoutIsTTY) ? ANSI : NO_COLOR;
      const body = formatText(withFindings, summary, palette, io.cwd);
      return body + (opts.quiet ? '' : summaryLine(withFindings, summary, palette));
    }
  }
}

function exitCode(reports: FileReport[], problems: Problems, opts: CheckOptions): number {
  if (problems.fatal) return 2;
  if (opts.exitZero) return 0;
  return reports.some((r) => r.findings.length > 0) ? 1 : 0;
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file; a broken link?';
    case 'EISDIR':
      return 'is a folder';
    case NOT_REGULAR:
      return `is ${(e as { kind?: string }).kind ?? 'not a regular file'}, not a file`;
    case CHANGED_WHILE_LINTING:
      return 'it changed while it was being linted; run again';
    case 'ELOOP':
      return 'too many levels of symbolic links (a link loop?)';
    default:
      return e?.code ?? (e instanceof Error ? e.message : String(err));
  }
}
