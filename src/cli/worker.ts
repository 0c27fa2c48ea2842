// Entry point of dist/cli-worker.js: a parse worker thread of `conclens check` (see
// pipeline.ts and parse-worker.ts).
import { parentPort } from 'node:worker_threads';
import { runParseWorker } from './parse-worker';

const port = parentPort;
if (!port) throw new Error('cli-worker.js runs as a worker thread of conclens check');
runParseWorker(port).catch((err: unknown) => {
  // The main thread sees the exit and parses what is left itself.
  process.stderr.write(`conclens: parse worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
