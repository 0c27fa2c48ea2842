// `conclens check` on several threads, with the output of one thread.
//
// 1. Each worker (dist/cli-worker.js, its own grammar and Linter) gets a contiguous share
//    of the sorted files, balanced by size, and lints them in order: findings, syntax
//    errors, skips, the file's summary, and a log of the questions the first pass asked
//    the workspace. Cross-file checks stay waiting in the worker.
// 2. The main thread replays the logs in file order against the one-thread state (the
//    summaries of the files before). A file that would have got another answer (it used a
//    class or an `async def` of a file in an earlier share) is linted again, by a worker
//    that is given exactly that state; this repeats until every answer agrees (usually
//    once; the first share never differs).
// 3. Every worker builds the complete index from all summaries and runs its files' waiting
//    checks. Outcomes come back in file order, as if one thread had done it all.
import { Worker } from 'node:worker_threads';
import type { Settings } from '../core/config/settings';
import type { FileSummary } from '../core/semantics/summary';
import { Workspace } from '../core/semantics/workspace';
import type { FileOutcome } from './lint-file';
import { sameAnswers } from './recording-workspace';
import type { FileJob, FileResult, Reply, Request, WorkerInit } from './worker-protocol';

export interface ParallelFile {
  file: string;
  /** Bytes, to share the work evenly. */
  size: number;
  moduleName: string;
  isPackage: boolean;
}

export interface ParallelEntry {
  file: string;
  readError?: { code?: string; message: string };
  outcome?: FileOutcome;
}

export interface ParallelStats {
  /** Files linted again because a first pass in another share would have answered differently. */
  relinted: number;
  rounds: number;
  /** Wall time of each phase. */
  ms: Record<string, number>;
}

/** Rounds of re-linting before the rest of the run is redone in order on one worker. */
const MAX_ROUNDS = 3;

class PoolWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private failed?: Error;

  constructor(script: string, init: WorkerInit) {
    this.worker = new Worker(script, { workerData: init });
    this.worker.on('message', (reply: Reply) => {
      const w = this.waiting.shift();
      if (!w) return;
      if (reply.type === 'failed') {
        const e = new Error(`worker thread: ${reply.message}`);
        if (reply.stack) e.stack = reply.stack;
        w.reject(e);
      } else {
        w.resolve(reply);
      }
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`worker thread exited (code ${code})`)));
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }

  call(req: Request): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(req);
    });
  }

  async terminate(): Promise<void> {
    this.failed ??= new Error('terminated');
    await this.worker.terminate();
  }
}

/** Splits `items` (in order) into at most `n` contiguous runs of about equal weight. */
export function contiguousShares<T>(items: readonly T[], weight: (t: T) => number, n: number): T[][] {
  const total = items.reduce((s, t) => s + Math.max(1, weight(t)), 0);
  const shares: T[][] = [];
  let current: T[] = [];
  let acc = 0;
  for (const item of items) {
    current.push(item);
    acc += Math.max(1, weight(item));
    if (shares.length < n - 1 && acc >= (total * (shares.length + 1)) / n) {
      shares.push(current);
      current = [];
    }
  }
  if (current.length) shares.push(current);
  return shares;
}

/** Files whose recorded questions get other answers from the one-thread state, in order. */
function disagreeing(results: readonly FileResult[]): number[] {
  const ws = new Workspace();
  const out: number[] = [];
  for (const r of results) {
    let same = sameAnswers(ws, r.log, 0);
    if (r.summary) ws.update(r.summary);
    same = same && sameAnswers(ws, r.log, 1);
    if (!same) out.push(r.index);
  }
  return out;
}

export async function lintInWorkers(
  files: readonly ParallelFile[],
  settings: Settings,
  threads: number,
  script: string,
): Promise<{ entries: ParallelEntry[]; stats: ParallelStats }> {
  const jobs: FileJob[] = files.map((f, index) => ({ index, file: f.file, moduleName: f.moduleName, isPackage: f.isPackage }));
  const size = (j: FileJob) => files[j.index].size;
  const shares = contiguousShares(jobs, size, threads);
  const pool = shares.map(() => new PoolWorker(script, { settings }));
  try {
    const results: FileResult[] = new Array(files.length);
    const owner: number[] = new Array(files.length);
    const lint = async (assignments: FileJob[][], summaries?: (FileSummary | null)[]) => {
      const replies = await Promise.all(assignments.map((share, w) => (share.length ? pool[w].call({ type: 'lint', jobs: share, summaries }) : undefined)));
      replies.forEach((reply, w) => {
        if (reply?.type !== 'linted') return;
        for (const r of reply.results) {
          results[r.index] = r;
          owner[r.index] = w;
        }
      });
    };
    const stats: ParallelStats = { relinted: 0, rounds: 0, ms: {} };
    let t = performance.now();
    const mark = (phase: string) => {
      const now = performance.now();
      stats.ms[phase] = Math.round((stats.ms[phase] ?? 0) + now - t);
      t = now;
    };
    await lint(shares);
    mark('first pass');

    for (let bad = disagreeing(results); bad.length; bad = disagreeing(results)) {
      const summaries = results.map((r) => r.summary);
      stats.rounds++;
      if (stats.rounds > MAX_ROUNDS) {
        // Answers keep moving: redo everything from the first disagreement, in order, on one worker.
        const tail = jobs.slice(bad[0]);
        stats.relinted += tail.length;
        mark('replay');
        await lint([tail], summaries);
        mark('lint again');
        break;
      }
      stats.relinted += bad.length;
      mark('replay');
      await lint(contiguousShares(bad.map((i) => jobs[i]), size, pool.length), summaries);
      mark('lint again');
    }
    mark('replay');

    const summaries = results.map((r) => r.summary);
    const indices: number[][] = pool.map(() => []);
    for (const r of results) if (r.waiting) indices[owner[r.index]].push(r.index);
    const replies = await Promise.all(pool.map((w, i) => (indices[i].length ? w.call({ type: 'complete', summaries, indices: indices[i] }) : undefined)));

    mark('cross-file checks');
    const entries: ParallelEntry[] = results.map((r) => ({ file: files[r.index].file, readError: r.readError, outcome: r.outcome as FileOutcome | undefined }));
    for (const reply of replies) {
      if (reply?.type !== 'completed') continue;
      for (const c of reply.results) {
        const outcome = entries[c.index].outcome as FileOutcome;
        outcome.findings = c.findings;
        if (c.internalError) outcome.internalError = c.internalError;
      }
    }
    return { entries, stats };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
