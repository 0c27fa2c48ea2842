// `conclens check` on several threads as a pipeline: worker threads read, decode and parse
// files and read each tree into arrays (two thirds of the work), the main thread lints them
// in file order, exactly as one thread does (the same workspace growing file by file, so
// the output is the same by construction, with no replay).
//
// Files are claimed through a counter shared by every thread (Atomics), so the main thread
// also parses whenever the next file it needs is not there yet: no thread waits while there
// is a file left to parse, whatever the number of cores. Trees travel as their typed
// arrays, transferred (not copied); web-tree-sitter's tree stays in the worker and is freed
// there.
import { Worker } from 'node:worker_threads';
import type { Linter } from '../core/linter';
import { prepareFile, type PreparedFile } from './prepare';
import type { ParsedMessage, ParseWorkerInit } from './parse-worker';

/** How many files the parse side may run ahead of the lint. */
const AHEAD = 64;

export interface PipelineStats {
  workers: number;
  /** Files the main thread parsed itself. */
  parsedHere: number;
  /** Workers that stopped before the end (their files were parsed here). */
  failed: number;
  /** Milliseconds this thread spent parsing, linting, and waiting for a worker. */
  ms: { parse: number; lint: number; wait: number };
}

/**
 * Parse worker threads, started before the run knows its files (each loads the grammar
 * meanwhile) and given them by `runPipeline`. Their exits are recorded from the start.
 */
export class ParseWorkers {
  readonly workers: Worker[];
  /** Workers that have stopped (a start-up failure included). */
  exited = 0;
  /** Workers that stopped with an error (not by close). */
  failed = 0;
  /** Called when a worker stops. */
  onExit?: (code: number) => void;
  private closing = false;

  constructor(script: string, count: number) {
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(script);
      w.on('error', () => {
        // (Followed by 'exit'.)
      });
      w.on('exit', (code) => {
        this.exited++;
        if (code !== 0 && !this.closing) this.failed++;
        this.onExit?.(code);
      });
      return w;
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Calls `lint(index, prepared)` for every file in order, the files parsed by the worker
 * threads and by this thread. Resolves when all are linted; the workers are closed then.
 */
export async function runPipeline(
  files: readonly string[],
  linter: Linter,
  pool: ParseWorkers,
  lint: (index: number, prepared: PreparedFile) => void,
): Promise<PipelineStats> {
  const n = files.length;
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const ready: (PreparedFile | undefined)[] = new Array(n);
  const workers = pool.workers.length;
  const stats: PipelineStats = { workers, parsedHere: 0, failed: 0, ms: { parse: 0, lint: 0, wait: 0 } };
  /** Files before this one are linted (a late copy of one is dropped). */
  let next = 0;
  let wake: (() => void) | undefined;
  pool.onExit = () => wake?.();
  const init: ParseWorkerInit = { files: [...files], counters: counters.buffer as SharedArrayBuffer, ahead: AHEAD };
  for (const w of pool.workers) {
    w.on('message', (m: ParsedMessage) => {
      if (m.index >= next && ready[m.index] === undefined) ready[m.index] = m.prepared;
      wake?.();
    });
    w.postMessage(init);
  }
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const message = () =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = undefined;
        resolve();
      };
    });
  try {
    for (let i = 0; i < n; i++) {
      while (ready[i] === undefined) {
        // Take in what the workers sent, then parse the next unclaimed file here if there
        // is one; else wait for a worker (or, if they have all stopped, parse this one).
        await turn();
        if (ready[i] !== undefined) break;
        const j = Atomics.add(counters, 0, 1);
        const t = performance.now();
        if (j < n) {
          ready[j] = prepareFile(linter.grammar, files[j]);
          stats.parsedHere++;
          stats.ms.parse += performance.now() - t;
        } else if (pool.exited > 0) {
          ready[i] = prepareFile(linter.grammar, files[i]);
          stats.parsedHere++;
          stats.ms.parse += performance.now() - t;
        } else {
          await message();
          stats.ms.wait += performance.now() - t;
        }
      }
      const prepared = ready[i] as PreparedFile;
      ready[i] = undefined;
      next = i + 1;
      const t = performance.now();
      lint(i, prepared);
      stats.ms.lint += performance.now() - t;
      Atomics.store(counters, 1, i + 1);
      Atomics.notify(counters, 1);
    }
  } finally {
    stats.failed = pool.failed;
    // Every file is claimed by now; the workers end on their own (terminate in case one is stuck).
    Atomics.store(counters, 0, n);
    Atomics.store(counters, 1, n);
    Atomics.notify(counters, 1);
    await pool.close();
  }
  return stats;
}
