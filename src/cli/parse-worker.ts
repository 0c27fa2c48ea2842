// The parse side of `conclens check`'s pipeline (pipeline.ts), in a worker thread of
// dist/cli-worker.js: it loads the grammar as soon as it starts, gets the run's files,
// then claims the next file of the run (a counter shared with the main
// thread), reads, decodes and parses it, reads the tree into arrays and posts them, their
// buffers transferred, until every file is claimed. It stays at most AHEAD files ahead of
// the lint on the main thread, so a big run does not pile up trees in memory.
import type { MessagePort } from 'node:worker_threads';
import { loadGrammar, type Grammar } from '../core/parse/grammar';
import { prepareFile, type PreparedFile } from './prepare';

export interface ParseWorkerInit {
  files: string[];
  /** Int32Array over a SharedArrayBuffer: [next file to claim, files linted by the main thread]. */
  counters: SharedArrayBuffer;
  ahead: number;
}

export interface ParsedMessage {
  index: number;
  prepared: PreparedFile;
}

/** The buffers of a prepared file's arrays, each once (to transfer them). */
export function transferList(p: PreparedFile): ArrayBuffer[] {
  if (p.kind !== 'parsed') return [];
  const a = p.arrays;
  const buffers = new Set<ArrayBuffer>();
  for (const v of [a.types, a.starts, a.ends, a.fields, a.parents, a.after, a.flags]) buffers.add(v.buffer as ArrayBuffer);
  return [...buffers];
}

/** Loads the grammar at once, then waits for the run's files (the main thread is still finding them). */
export async function runParseWorker(port: MessagePort): Promise<void> {
  const grammar = loadGrammar();
  const init = await new Promise<ParseWorkerInit>((resolve) => port.once('message', resolve));
  await parseFiles(port, await grammar, init);
}

async function parseFiles(port: MessagePort, grammar: Grammar, init: ParseWorkerInit): Promise<void> {
  const counters = new Int32Array(init.counters);
  const n = init.files.length;
  for (;;) {
    // Not too far ahead of the lint (the main thread wakes us when it moves on).
    for (;;) {
      const linted = Atomics.load(counters, 1);
      if (Atomics.load(counters, 0) - linted < init.ahead) break;
      Atomics.wait(counters, 1, linted, 100);
    }
    const index = Atomics.add(counters, 0, 1);
    if (index >= n) break;
    const prepared = prepareFile(grammar, init.files[index]);
    port.postMessage({ index, prepared } satisfies ParsedMessage, transferList(prepared));
  }
}
