// What a check run hands to the output formats: per file, its text (for positions) and
// its findings. Formats are pure functions of these, so they are tested with hand-made
// findings.
import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, RuleMeta } from '../core/types';
import { LineIndex } from '../core/text';
import type { FixLevel } from './fix';

export interface FileReport {
  /** Absolute path; `-` for standard input without --stdin-filename. */
  path: string;
  /** Relative to the working directory when inside it, else absolute. */
  displayPath: string;
  text: string;
  findings: Finding[];
}

export interface RunSummary {
  /** Number of fixes applied by --fix (undefined when --fix was not given). */
  fixed?: number;
  fixLevel: FixLevel;
  /** Usage, config or internal errors were reported on stderr. */
  hadErrors?: boolean;
}

export interface Position {
  /** 1-based. */
  row: number;
  /** 1-based, in Unicode code points. */
  column: number;
}

// LineIndex is built once per file, and only for files that have findings.
const indexes = new WeakMap<FileReport, LineIndex>();
export function lineIndex(report: FileReport): LineIndex {
  let idx = indexes.get(report);
  if (!idx) {
    idx = new LineIndex(report.text);
    indexes.set(report, idx);
  }
  return idx;
}

export function position(report: FileReport, offset: number): Position {
  const p = lineIndex(report).codePointPosition(offset);
  return { row: p.row + 1, column: p.column + 1 };
}

export function displayPath(abs: string, cwd: string): string {
  if (abs === '-') return '-';
  const rel = relative(cwd, abs);
  if (rel === '') return abs;
  if (rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel;
}

/** Forward slashes, for URIs and for output that must not depend on the OS. */
export function posixPath(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export type RuleLookup = (code: string) => RuleMeta | undefined;
