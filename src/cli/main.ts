// Entry point of dist/cli.js (bin/conclens.js requires it).
import { processIo } from './io';
import { runCli } from './run';

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
