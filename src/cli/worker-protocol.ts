// Messages between `conclens check` and its worker threads (dist/cli-worker.js). Plain data
// only: everything crosses the thread boundary by structured clone.
import type { Settings } from '../core/config/settings';
import type { FileSummary } from '../core/semantics/summary';
import type { Finding } from '../core/types';
import type { FileOutcome } from './lint-file';
import type { Query } from './recording-workspace';

export interface WorkerInit {
  settings: Settings;
}

export interface FileJob {
  /** Position of the file in the run's sorted file list. */
  index: number;
  file: string;
  moduleName: string;
  isPackage: boolean;
}

/** Lint these files in order (first pass: cross-file checks wait, questions are recorded). */
export interface LintRequest {
  type: 'lint';
  jobs: FileJob[];
  /**
   * Set for a second try of files whose first pass asked the workspace a question that the
   * one-thread run would have answered differently: the summaries of the whole run, by
   * index, so each file sees exactly the files before it.
   */
  summaries?: (FileSummary | null)[];
}

/** Run the waiting cross-file checks of these files against the complete index. */
export interface CompleteRequest {
  type: 'complete';
  summaries: (FileSummary | null)[];
  indices: number[];
}

export type Request = LintRequest | CompleteRequest;

/** The outcome of a file's first pass, without its waiting checks (they stay in the worker). */
export interface FileResult {
  index: number;
  /** Reading the file failed: the error's code and message. */
  readError?: { code?: string; message: string };
  outcome?: Omit<FileOutcome, 'pending'>;
  /** The worker keeps cross-file checks of this file, to run on a CompleteRequest. */
  waiting?: boolean;
  summary: FileSummary | null;
  log: Query[];
}

export interface Completed {
  index: number;
  findings: Finding[];
  internalError?: { message: string; stack?: string };
}

export type Reply =
  | { type: 'ready' }
  | { type: 'linted'; results: FileResult[] }
  | { type: 'completed'; results: Completed[] }
  | { type: 'failed'; message: string; stack?: string };
