// `conclens check` on several threads, with the output of one thread.
//
// In one thread, files are linted in sorted order into one growing workspace, so the first
// pass of file i sees the summaries of files 0..i-1 (a class or an `async def` of an earlier
// file is known; a later one is not). The workers reproduce exactly that:
//
// 1. The sorted files are cut into runs of consecutive files (chunks of ~1/16 of the run per
//    thread). A free worker (dist/cli-worker.js: its own grammar and Linter) takes the next
//    chunk and lints it in order, in a workspace holding every summary known so far of the
//    files before it; each finished chunk's summaries are sent to the other workers. A
//    worker keeps the cross-file checks of its files waiting and records every question its
//    first passes asked the workspace, with the answer (RecordingWorkspace).
// 2. As results come in, the main thread replays the questions in file order against the
//    one-thread state. A file that would have been answered otherwise (it used something of
//    a chunk still in flight on another worker: a few percent of a run) is linted again,
//    first in line, by a worker given exactly the summaries of the files before it.
// 3. When every file agrees, each worker builds the complete index from all summaries and
//    runs its files' waiting checks. Outcomes come back in file order, as from one thread.
import { Worker } from 'node:worker_threads';
import type { Settings } from '../core/config/settings';
import type { FileSummary } from '../core/semantics/summary';
import { Workspace } from '../core/semantics/workspace';
import type { FileOutcome } from './lint-file';
import { sameAnswers } from './recording-workspace';
import type { FileJob, FileResult, Reply, Request, WorkerInit } from './worker-protocol';

export interface ParallelFile {
  file: string;
  /** Bytes, to cut the run into chunks of similar work. */
  size: number;
  moduleName: string;
  isPackage: boolean;
}

export interface ParallelEntry {
  file: string;
  readError?: { code?: string; message: string; kind?: string };
  outcome?: FileOutcome;
}

export interface ParallelStats {
  chunks: number;
  /** Files linted again because their first pass lacked a summary from another worker. */
  relinted: number;
  /** Wall time of the phases. */
  ms: Record<string, number>;
}

export interface ParallelTuning {
  /** Target bytes per chunk (default: the run / (threads × 16), at most 512 kB). */
  chunkBytes?: number;
  /** Send each chunk's summaries to the other workers (default true; off only to test re-linting). */
  shareSummaries?: boolean;
}

const MAX_CHUNK_BYTES = 512_000;

/** Cuts `items` (in order) into runs of consecutive items of about `target` weight each. */
export function chunkRuns<T>(items: readonly T[], weight: (t: T) => number, target: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let acc = 0;
  for (const item of items) {
    current.push(item);
    acc += weight(item);
    if (acc >= target) {
      out.push(current);
      current = [];
      acc = 0;
    }
  }
  if (current.length) out.push(current);
  return out;
}

class PoolWorker {
  private readonly worker: Worker;
  /** Requests sent and not answered yet (summaries messages have no answer). */
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

  tell(msg: Request): void {
    if (!this.failed) this.worker.postMessage(msg);
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

export async function lintInWorkers(
  files: readonly ParallelFile[],
  settings: Settings,
  threads: number,
  script: string,
  tuning: ParallelTuning = {},
): Promise<{ entries: ParallelEntry[]; stats: ParallelStats }> {
  const n = files.length;
  const jobs: FileJob[] = files.map((f, index) => ({ index, file: f.file, moduleName: f.moduleName, isPackage: f.isPackage }));
  const total = files.reduce((s, f) => s + f.size, 0);
  const chunkBytes = tuning.chunkBytes ?? Math.min(MAX_CHUNK_BYTES, total / (threads * 16));
  const chunks = chunkRuns(jobs, (j) => Math.max(1, files[j.index].size), chunkBytes);
  const pool = Array.from({ length: Math.min(threads, chunks.length) }, () => new PoolWorker(script, { settings, files: n }));
  const stats: ParallelStats = { chunks: chunks.length, relinted: 0, ms: {} };
  const t0 = performance.now();
  try {
    const results: (FileResult | undefined)[] = new Array(n);
    const owner: number[] = new Array(n);
    let flushAll = () => {};

    // Steps 1 and 2: hand out chunks and re-lints, verify in file order as results arrive.
    await new Promise<void>((resolve, reject) => {
      let nextChunk = 0;
      const redo: number[] = [];
      /** Files 0..verified-1 agree with one thread. */
      let verified = 0;
      /** Set while the file at `verified` is being linted again. */
      let redoing = false;
      let replay = new Workspace();
      const idle = pool.map((_, i) => i);
      /** Summaries each worker has not been sent yet. */
      const outbox: { index: number; summary: FileSummary | null }[][] = pool.map(() => []);
      const flush = (w: number) => {
        if (outbox[w].length) pool[w].tell({ type: 'summaries', items: outbox[w].splice(0) });
      };
      flushAll = () => pool.forEach((_, i) => flush(i));
      let busy = 0;
      let done = false;

      const finish = (err?: unknown) => {
        if (done) return;
        done = true;
        if (err) reject(err);
        else resolve();
      };
      const received = (w: number, reply: Reply, relint: boolean) => {
        if (reply.type !== 'linted') throw new Error(`unexpected reply ${reply.type}`);
        for (const r of reply.results) {
          results[r.index] = r;
          owner[r.index] = w;
        }
        const items = reply.results.map((r) => ({ index: r.index, summary: r.summary }));
        pool.forEach((_, i) => i !== w && outbox[i].push(...items));
        if (tuning.shareSummaries !== false) pool.forEach((_, i) => flush(i));
        if (relint) {
          redoing = false;
          // The replay workspace may hold this file's first summary: build it again up to here.
          replay = new Workspace();
          for (let i = 0; i < verified; i++) {
            const s = results[i]?.summary;
            if (s) replay.update(s);
          }
        }
        while (!redoing && verified < n) {
          const r = results[verified];
          if (!r) break;
          let same = sameAnswers(replay, r.log, 0);
          if (same && r.summary) replay.update(r.summary);
          same = same && sameAnswers(replay, r.log, 1);
          if (!same) {
            if (relint && r.index === reply.results[0].index) throw new Error(`file #${r.index} asked other questions when linted again`);
            redo.push(verified);
            redoing = true;
            stats.relinted++;
            break;
          }
          verified++;
        }
      };
      const pump = () => {
        if (done) return;
        if (verified === n && busy === 0) {
          finish();
          return;
        }
        while (idle.length && (redo.length || nextChunk < chunks.length)) {
          const w = idle.shift() as number;
          const relint = redo.length > 0;
          const req: Request = relint ? { type: 'relint', job: jobs[redo.shift() as number] } : { type: 'lint', jobs: chunks[nextChunk++] };
          // A re-lint needs every summary before its file.
          if (relint) flush(w);
          busy++;
          pool[w].call(req).then(
            (reply) => {
              busy--;
              idle.push(w);
              try {
                received(w, reply, relint);
              } catch (err) {
                finish(err);
              }
              pump();
            },
            (err) => finish(err),
          );
        }
        if (busy === 0 && verified < n) finish(new Error('worker pool stalled'));
      };
      pump();
    });
    stats.ms['lint'] = Math.round(performance.now() - t0);

    // Step 3: the waiting cross-file checks, on the worker that holds them (and now knows every summary).
    flushAll();
    const indices: number[][] = pool.map(() => []);
    for (const r of results) if (r?.waiting) indices[owner[r.index]].push(r.index);
    const replies = await Promise.all(pool.map((w, i) => (indices[i].length ? w.call({ type: 'complete', indices: indices[i] }) : undefined)));
    stats.ms['cross-file checks'] = Math.round(performance.now() - t0 - stats.ms['lint']);

    const entries: ParallelEntry[] = jobs.map((j) => {
      const r = results[j.index] as FileResult;
      const outcome = r.outcome as FileOutcome | undefined;
      // A text not sent belongs to a file without findings: it is not printed.
      if (outcome && r.textWithheld) outcome.text = '';
      return { file: j.file, readError: r.readError, outcome };
    });
    for (const reply of replies) {
      if (reply?.type !== 'completed') continue;
      for (const c of reply.results) {
        const outcome = entries[c.index].outcome as FileOutcome;
        outcome.findings = c.findings;
        if (c.text !== undefined) outcome.text = c.text;
        if (c.internalError) outcome.internalError = c.internalError;
      }
    }
    for (const e of entries) if (e.outcome?.source && e.outcome.text !== undefined) e.outcome.source.text = e.outcome.text;
    return { entries, stats };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
