// Entry point of dist/cli-worker.js: a worker thread of `conclens check`. It loads its own
// grammar and Linter, lints the runs of files it is given (first pass, cross-file checks
// waiting, workspace questions recorded), learns the summaries the other workers make,
// keeps the waiting checks, and runs them once every summary of the run is known. See
// parallel.ts for the protocol.
import { readRegularFile } from './read-file';
import { parentPort, workerData } from 'node:worker_threads';
import { Linter } from '../core/linter';
import type { FileSummary } from '../core/semantics/summary';
import { Workspace } from '../core/semantics/workspace';
import { completeOutcome, lintBytes, type FileOutcome } from './lint-file';
import { RecordingWorkspace } from './recording-workspace';
import type { Completed, FileJob, FileResult, Reply, Request, WorkerInit } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('cli-worker.js runs as a worker thread of conclens check');
const { settings, files } = workerData as WorkerInit;
const linter = Linter.create();

/** Summaries by file index: undefined not known yet, null the file has none (skipped, unreadable). */
const known: (FileSummary | null | undefined)[] = new Array(files);
/** The workspace of first passes; `present[i]`: file i's summary is in it. */
const running = new RecordingWorkspace();
const present: boolean[] = new Array(files).fill(false);
/** First-pass outcomes whose cross-file checks wait for the complete index, by file index. */
const waiting = new Map<number, FileOutcome>();

function lintOne(l: Linter, job: FileJob, ws: RecordingWorkspace): FileResult {
  ws.begin();
  waiting.delete(job.index);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(job.file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { index: job.index, readError: { code: e?.code, message: e instanceof Error ? e.message : String(err), kind: (e as { kind?: string })?.kind }, summary: null, log: [] };
  }
  const lintOpts = { moduleName: job.moduleName, isPackage: job.isPackage, workspace: ws, deferCrossFile: true };
  const outcome = lintBytes(l, bytes, job.file, { settings, lint: lintOpts });
  const { pending, text, source, ...plain } = outcome;
  if (pending) waiting.set(job.index, outcome);
  // The summary the file stored (kept even when the engine failed after storing it, as in one thread).
  const summary = ws.stored[ws.stored.length - 1] ?? null;
  // Texts are big and only printed for files with findings: send one only when sure it is needed.
  const sendText = text !== undefined && !pending && outcome.findings.length > 0;
  return {
    index: job.index,
    outcome: { ...plain, text: sendText ? text : undefined, source: source && { ...source, text: '' } },
    textWithheld: text !== undefined && !sendText,
    waiting: !!pending,
    summary,
    log: ws.log,
  };
}

/** Brings the running workspace up to the files before `index` that are known by now, in file order. */
function catchUp(before: number): void {
  for (let i = 0; i < before; i++) {
    const s = known[i];
    if (present[i] || s === undefined) continue;
    if (s) running.update(s);
    present[i] = true;
  }
}

function learn(index: number, summary: FileSummary | null): void {
  const old = known[index];
  known[index] = summary;
  // A corrected summary replaces the one the running workspace holds.
  if (present[index] && summary && summary !== old) running.update(summary);
  else if (present[index] && !summary && old) running.remove(old.file);
}

function exactWorkspace(before: number): RecordingWorkspace {
  const ws = new RecordingWorkspace();
  for (let i = 0; i < before; i++) {
    const s = known[i];
    if (s === undefined) throw new Error(`summary of file #${i} missing before re-linting file #${before}`);
    if (s) ws.update(s);
  }
  return ws;
}

function complete(indices: number[]): Completed[] {
  const ws = new Workspace();
  for (let i = 0; i < files; i++) {
    const s = known[i];
    if (s === undefined) throw new Error(`summary of file #${i} missing for the cross-file checks`);
    if (s) ws.update(s);
  }
  return indices.map((index) => {
    const outcome = waiting.get(index);
    if (!outcome) throw new Error(`no waiting checks for file #${index}`);
    completeOutcome(outcome, ws);
    waiting.delete(index);
    return { index, findings: outcome.findings, text: outcome.findings.length > 0 ? outcome.text : undefined, internalError: outcome.internalError };
  });
}

function handle(l: Linter, req: Request): Reply | undefined {
  switch (req.type) {
    case 'summaries':
      for (const item of req.items) learn(item.index, item.summary);
      return undefined;
    case 'lint': {
      catchUp(req.jobs[0]?.index ?? 0);
      const results = req.jobs.map((job) => {
        const r = lintOne(l, job, running);
        known[job.index] = r.summary;
        present[job.index] = true;
        return r;
      });
      return { type: 'linted', results };
    }
    case 'relint': {
      const result = lintOne(l, req.job, exactWorkspace(req.job.index));
      learn(req.job.index, result.summary);
      return { type: 'linted', results: [result] };
    }
    case 'complete':
      return { type: 'completed', results: complete(req.indices) };
  }
}

port.on('message', (req: Request) => {
  linter.then(
    (l) => {
      let reply: Reply | undefined;
      try {
        reply = handle(l, req);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        reply = { type: 'failed', message: e.message, stack: e.stack };
      }
      if (reply) port.postMessage(reply);
    },
    (err: unknown) => {
      if (req.type === 'summaries') return;
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ type: 'failed', message: e.message, stack: e.stack } satisfies Reply);
    },
  );
});
