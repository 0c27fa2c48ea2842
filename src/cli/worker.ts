// Entry point of dist/cli-worker.js: a worker thread of `conclens check`. It loads its own
// grammar and Linter, lints the files it is given (first pass, cross-file checks waiting,
// workspace questions recorded), keeps the waiting checks, and runs them when the main
// thread sends the summaries of the whole run. See parallel.ts for the protocol.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Linter } from '../core/linter';
import { Workspace } from '../core/semantics/workspace';
import { completeOutcome, lintBytes, type FileOutcome } from './lint-file';
import { RecordingWorkspace } from './recording-workspace';
import type { Completed, CompleteRequest, FileResult, LintRequest, Reply, Request, WorkerInit } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('cli-worker.js runs as a worker thread of conclens check');
const { settings } = workerData as WorkerInit;
const linter = Linter.create();
/** First-pass outcomes whose cross-file checks wait for the complete index, by file index. */
const waiting = new Map<number, FileOutcome>();

function lint(l: Linter, req: LintRequest): FileResult[] {
  const ws = new RecordingWorkspace();
  const results: FileResult[] = [];
  let fed = 0;
  for (const job of req.jobs) {
    if (req.summaries) {
      // A second try: the workspace holds exactly the files before this one.
      for (; fed < job.index; fed++) {
        const s = req.summaries[fed];
        if (s) ws.update(s);
      }
      fed = job.index + 1;
    }
    ws.begin();
    waiting.delete(job.index);
    let bytes: Buffer;
    try {
      bytes = readFileSync(job.file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      results.push({ index: job.index, readError: { code: e?.code, message: e instanceof Error ? e.message : String(err) }, summary: null, log: [] });
      continue;
    }
    const lintOpts = { moduleName: job.moduleName, isPackage: job.isPackage, workspace: ws, deferCrossFile: true };
    const outcome = lintBytes(l, bytes, job.file, { settings, lint: lintOpts });
    const { pending, ...plain } = outcome;
    if (pending) waiting.set(job.index, outcome);
    // The summary the file stored (kept even when the engine failed after storing it, as in one thread).
    const summary = ws.stored[ws.stored.length - 1] ?? null;
    results.push({ index: job.index, outcome: plain, waiting: !!pending, summary, log: ws.log });
  }
  return results;
}

function complete(req: CompleteRequest): Completed[] {
  const ws = new Workspace();
  for (const s of req.summaries) if (s) ws.update(s);
  const out: Completed[] = [];
  for (const index of req.indices) {
    const outcome = waiting.get(index);
    if (!outcome) throw new Error(`no waiting checks for file #${index}`);
    completeOutcome(outcome, ws);
    waiting.delete(index);
    out.push({ index, findings: outcome.findings, internalError: outcome.internalError });
  }
  return out;
}

port.on('message', (req: Request) => {
  linter.then(
    (l) => {
      let reply: Reply;
      try {
        reply = req.type === 'lint' ? { type: 'linted', results: lint(l, req) } : { type: 'completed', results: complete(req) };
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        reply = { type: 'failed', message: e.message, stack: e.stack };
      }
      port.postMessage(reply);
    },
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ type: 'failed', message: e.message, stack: e.stack } satisfies Reply);
    },
  );
});
