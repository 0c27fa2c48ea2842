// Messages between `conclens check` and its worker threads (dist/cli-worker.js). Plain data
// only: everything crosses the thread boundary by structured clone.
import type { Settings } from '../core/config/settings';
import type { FileSummary } from '../core/semantics/summary';
import type { Finding } from '../core/types';
import type { FileOutcome } from './lint-file';
import type { Query } from './recording-workspace';

export interface WorkerInit {
  settings: Settings;
  /** Files in the run (summaries are indexed 0..files-1). */
  files: number;
}

export interface FileJob {
  /** Position of the file in the run's sorted file list. */
  index: number;
  file: string;
  moduleName: string;
  isPackage: boolean;
}

/**
 * Lint a run of consecutive files in order (first pass: cross-file checks wait, questions
 * to the workspace are recorded), in a workspace holding the summaries known so far of the
 * files before them.
 */
export interface LintRequest {
  type: 'lint';
  jobs: FileJob[];
}

/** Lint one file again in a workspace of exactly the (final) summaries of the files before it. */
export interface RelintRequest {
  type: 'relint';
  job: FileJob;
}

/** Summaries made by other workers (or corrected by a re-lint). No reply. */
export interface SummariesMessage {
  type: 'summaries';
  items: { index: number; summary: FileSummary | null }[];
}

/** Run the waiting cross-file checks of these files against the complete index. */
export interface CompleteRequest {
  type: 'complete';
  indices: number[];
}

export type Request = LintRequest | RelintRequest | SummariesMessage | CompleteRequest;

/** The outcome of a file's first pass, without its waiting checks (they stay in the worker). */
export interface FileResult {
  index: number;
  /** Reading the file failed: the error's code and message. */
  readError?: { code?: string; message: string; kind?: string };
  /**
   * Without `source.text`, and without `text` unless the file has findings for sure (only
   * files with findings are printed): `textWithheld` says the file has a text not sent.
   */
  outcome?: Omit<FileOutcome, 'pending'>;
  textWithheld?: boolean;
  /** The worker keeps cross-file checks of this file, to run on a CompleteRequest. */
  waiting?: boolean;
  summary: FileSummary | null;
  log: Query[];
}

export interface Completed {
  index: number;
  findings: Finding[];
  /** The file's text, when it has findings after all. */
  text?: string;
  internalError?: { message: string; stack?: string };
}

export type Reply = { type: 'linted'; results: FileResult[] } | { type: 'completed'; results: Completed[] } | { type: 'failed'; message: string; stack?: string };
