// Entry point of dist/cli.js (bin/conclens.js requires it).
import { setFlagsFromString } from 'node:v8';
import { processIo } from './io';
import { runCli } from './run';

// A lint run lasts seconds, and V8's optimizing compiler spent a large part of them (about
// a second of CPU on a background thread for the 260k-line stdlib) inlining callees into
// the engine's big functions. A budget of 150 bytecodes of inlined callees per function
// (V8's default is 920): ~15% less CPU and less wall time, on one thread and on several,
// on a 260k-line and a 1M-line run (docs/benchmarks.md). Optimization only: what the run
// finds does not change. Set before any function gets hot; worker threads share the flag.
// CONCLENS_V8_DEFAULTS=1 keeps V8's defaults (to measure the difference).
if (process.env.CONCLENS_V8_DEFAULTS !== '1') setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');

// `conclens check | head` closes the pipe early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli catches everything; this is the last line of defence.
    process.stderr.write(`conclens: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.CONCLENS_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  },
);
