// The whole CLI on mutated files: many cases are written into one temporary folder and one
// `conclens check` process lints them all (then `--fix` on a copy), so the spawned runs stay
// fast. Checks: the process ends on its own within its time limit, exits 0 (--exit-zero), prints
// valid JSON, reports no internal error, and `--fix` touches only files it changed, keeps
// BOM, line endings, the coding declaration and the file mode, writes text that still parses,
// and leaves no temporary file behind.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Linter } from '../../src/core/linter';
import { decodeSource } from '../../src/cli/source';
import { countSyntaxErrors, type Failure, type FixedPair } from './properties';
import { PyDocument } from '../../src/core/parse/document';

export interface CliFile {
  caseIndex: number;
  bytes: Buffer;
  /** `.py` or `.pyi`. */
  ext: string;
  mode: number;
}

export interface CliStats {
  processes: number;
  files: number;
  fixedFiles: number;
  slowestProcessMs: number;
  slowestPerFileMs: number;
}

export interface CliBatcherOptions {
  cliPath: string;
  workDir: string;
  batchSize: number;
  linter: Linter;
  onFailure: (caseIndex: number | undefined, failure: Failure) => void;
  pairs?: FixedPair[];
  /** Keep the batch folders (debugging). */
  keep?: boolean;
}

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

function runProcess(cliPath: string, args: string[], cwd: string, logDir: string, tag: string, timeoutMs: number): Promise<Spawned> {
  // Output goes to files, not pipes: the parent may be busy linting and must not stall the child.
  const outPath = join(logDir, `${tag}.stdout`);
  const errPath = join(logDir, `${tag}.stderr`);
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      stdio: ['ignore', out, err],
      env: { ...process.env, CONCLENS_DEBUG: '1', NO_COLOR: '1' },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      resolve({
        code,
        signal,
        stdout: readFileSync(outPath, 'utf8'),
        stderr: readFileSync(errPath, 'utf8'),
        ms: performance.now() - started,
        timedOut,
      });
    };
    child.on('error', (e) => {
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      resolve({ code: null, signal: null, stdout: '', stderr: String(e), ms: performance.now() - started, timedOut });
    });
    child.on('exit', finish);
  });
}

const OLD_TIME = new Date('2001-02-03T04:05:06Z');

function caseName(f: CliFile): string {
  return `case_${String(f.caseIndex).padStart(6, '0')}${f.ext}`;
}

function firstEol(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

function codingLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/, 2)
    .filter((l) => /^[ \t\f]*#.*?coding[:=]/.test(l));
}

export class CliBatcher {
  private queue: CliFile[] = [];
  private running: Promise<void> | undefined;
  private batchNo = 0;
  readonly stats: CliStats = { processes: 0, files: 0, fixedFiles: 0, slowestProcessMs: 0, slowestPerFileMs: 0 };

  constructor(private readonly opts: CliBatcherOptions) {
    mkdirSync(opts.workDir, { recursive: true });
  }

  /** Queues a file; starts a batch when the queue is full (waiting for the previous one first). */
  async add(file: CliFile): Promise<void> {
    this.queue.push(file);
    if (this.queue.length >= this.opts.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.running) await this.running;
    this.running = undefined;
    if (this.queue.length === 0) return;
    const files = this.queue;
    this.queue = [];
    this.running = this.runBatch(files, this.batchNo++).catch((err) => {
      this.opts.onFailure(undefined, { kind: 'cli', message: `the fuzz harness failed on a CLI batch: ${String(err)}` });
    });
  }

  async drain(): Promise<void> {
    await this.flush();
    if (this.running) await this.running;
    this.running = undefined;
  }

  private async runBatch(files: CliFile[], no: number): Promise<void> {
    const dir = join(this.opts.workDir, `batch-${no}`);
    const checkDir = join(dir, 'check');
    const fixDir = join(dir, 'fix');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(checkDir, { recursive: true });
    const byName = new Map<string, CliFile>();
    for (const f of files) {
      const name = caseName(f);
      byName.set(name, f);
      writeFileSync(join(checkDir, name), f.bytes);
      chmodSync(join(checkDir, name), f.mode);
    }
    cpSync(checkDir, fixDir, { recursive: true });
    for (const name of byName.keys()) utimesSync(join(fixDir, name), OLD_TIME, OLD_TIME);
    const before = new Map([...byName.keys()].map((n) => [n, statSync(join(fixDir, n))]));
    const timeout = 30_000 + 2_000 * files.length;

    // 1. check, JSON output.
    const check = await runProcess(this.opts.cliPath, ['check', '--no-config', '--format', 'json', '--exit-zero', '--no-respect-gitignore', '.'], checkDir, dir, 'check', timeout);
    this.account(check, files.length);
    this.verifyRun('check', check, byName);
    if (check.code === 0) {
      try {
        const parsed = JSON.parse(check.stdout) as { filename?: string; location?: { row: number; column: number } }[];
        if (!Array.isArray(parsed)) throw new Error('not an array');
        for (const item of parsed) {
          if (!item.filename?.startsWith(checkDir) || !(item.location && item.location.row >= 1 && item.location.column >= 1)) {
            throw new Error(`bad entry ${JSON.stringify(item).slice(0, 200)}`);
          }
        }
      } catch (err) {
        this.opts.onFailure(undefined, { kind: 'cli', message: `batch ${no}: --format json printed invalid output: ${(err as Error).message}` });
      }
    }

    // 2. --fix (unsafe fixes on odd batches) on a copy.
    const args = ['check', '--no-config', '--fix', '--exit-zero', '--no-respect-gitignore', '.'];
    if (no % 2 === 1) args.splice(3, 0, '--unsafe-fixes');
    const fix = await runProcess(this.opts.cliPath, args, fixDir, dir, 'fix', timeout);
    this.account(fix, files.length);
    this.verifyRun('--fix', fix, byName);
    const left = readdirSync(fixDir).filter((n) => !byName.has(n));
    if (left.length) this.opts.onFailure(undefined, { kind: 'cli', message: `batch ${no}: --fix left files behind: ${left.slice(0, 3).join(', ')}` });
    for (const [name, f] of byName) this.verifyFixed(name, f, join(fixDir, name), before.get(name));
    if (!this.opts.keep) rmSync(dir, { recursive: true, force: true });
  }

  private account(run: Spawned, files: number): void {
    this.stats.processes++;
    this.stats.files += files;
    this.stats.slowestProcessMs = Math.max(this.stats.slowestProcessMs, run.ms);
    this.stats.slowestPerFileMs = Math.max(this.stats.slowestPerFileMs, run.ms / Math.max(1, files));
  }

  private verifyRun(what: string, run: Spawned, byName: Map<string, CliFile>): void {
    const cases = [...byName.values()].map((f) => f.caseIndex);
    const all = `cases ${cases[0]}..${cases[cases.length - 1]}`;
    if (run.timedOut) {
      this.opts.onFailure(undefined, { kind: 'cli', message: `${what} on ${all}: killed after ${run.ms.toFixed(0)} ms (hang?)` });
      return;
    }
    if (run.code !== 0) {
      this.opts.onFailure(undefined, { kind: 'cli', message: `${what} on ${all}: exit ${run.code ?? run.signal}; stderr: ${run.stderr.slice(0, 600)}` });
    }
    for (const line of run.stderr.split('\n')) {
      if (!line) continue;
      const name = /^(case_\d+\.pyi?)(?::|\s)/.exec(line)?.[1];
      const f = name ? byName.get(name) : undefined;
      if (/internal error|worker threads failed|^\s+at |TypeError|RangeError|ReferenceError/.test(line)) {
        this.opts.onFailure(f?.caseIndex, { kind: 'cli', message: `${what}: ${line.slice(0, 400)}` });
      } else if (!f && !/^conclens: /.test(line)) {
        // (`conclens: ...` lines are CONCLENS_DEBUG's run details.)
        this.opts.onFailure(undefined, { kind: 'cli', message: `${what} on ${all}: a stderr line names no file of the batch: ${line.slice(0, 300)}` });
      }
    }
  }

  private verifyFixed(name: string, f: CliFile, path: string, before: ReturnType<typeof statSync> | undefined): void {
    const fail = (message: string) => this.opts.onFailure(f.caseIndex, { kind: 'cli', message: `--fix ${name}: ${message}` });
    let after: Buffer;
    let st;
    try {
      after = readFileSync(path);
      st = statSync(path);
    } catch (err) {
      fail(`file gone after --fix (${(err as Error).message})`);
      return;
    }
    if ((st.mode & 0o7777) !== f.mode) fail(`mode changed from ${f.mode.toString(8)} to ${(st.mode & 0o7777).toString(8)}`);
    if (after.equals(f.bytes)) {
      if (before && (st.mtimeMs !== before.mtimeMs || st.ino !== before.ino)) fail('unchanged file was touched (mtime or inode changed)');
      return;
    }
    this.stats.fixedFiles++;
    const decodedBefore = decodeSource(f.bytes);
    if (!decodedBefore.ok) {
      fail(`rewrote a file that does not decode (${decodedBefore.reason})`);
      return;
    }
    if (decodedBefore.source.encoding !== 'utf-8') fail(`rewrote a ${decodedBefore.source.encoding} file`);
    const decodedAfter = decodeSource(after);
    if (!decodedAfter.ok) {
      fail(`the fixed file does not decode: ${decodedAfter.reason}`);
      return;
    }
    const a = decodedBefore.source;
    const b = decodedAfter.source;
    if (a.bom !== b.bom) fail(`BOM ${a.bom ? 'lost' : 'added'}`);
    const eol = firstEol(a.text);
    if (/\r\n|\r|\n/.test(a.text)) {
      const eols = new Set(b.text.match(/\r\n|\r|\n/g) ?? []);
      const eolsBefore = new Set(a.text.match(/\r\n|\r|\n/g) ?? []);
      for (const e of eols) if (!eolsBefore.has(e) && e !== eol) fail(`line ending ${JSON.stringify(e)} introduced into a ${JSON.stringify(eol)} file`);
    }
    const coding = codingLines(a.text);
    if (coding.length && JSON.stringify(codingLines(b.text)) !== JSON.stringify(coding)) fail('the coding declaration moved or changed');
    const doc = new PyDocument(this.opts.linter.grammar, a.text, name);
    const doc2 = new PyDocument(this.opts.linter.grammar, b.text, name);
    try {
      if (countSyntaxErrors(doc.tree) > 0) fail('rewrote a file with syntax errors');
      else if (countSyntaxErrors(doc2.tree) > 0) fail('the fixed file has syntax errors');
      else this.opts.pairs?.push({ label: `--fix case ${f.caseIndex}`, before: a.text, after: b.text });
    } finally {
      doc.dispose();
      doc2.dispose();
    }
  }
}
