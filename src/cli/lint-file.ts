// Lints one file from its bytes to its findings, applying fixes when asked. A pure step
// (bytes and settings in, outcome out, no printing). Decoding and parsing are prepare.ts,
// which the parse workers of `conclens check` run (pipeline.ts); the analysis is here.
import type { Settings } from '../core/config/settings';
import { completeLint, type Linter, type LintOptions, type PendingChecks } from '../core/linter';
import type { Workspace } from '../core/semantics/workspace';
import type { Finding, Span } from '../core/types';
import { LineIndex } from '../core/text';
import { NotParsedError } from '../core/parse/document';
import { SyntaxTree } from '../core/parse/syntax';
import { prepareBytes, type PreparedFile } from './prepare';
import type { SourceText } from './source';
import { runFixLoop, type FixLevel } from './fix';

export interface FileOutcome {
  /** Undefined when the file was skipped (see `skipped`). */
  text?: string;
  source?: SourceText;
  findings: Finding[];
  /** `row:col` (1-based) of the first syntax error, when the file did not fully parse. */
  syntaxError?: { row: number; column: number };
  /** Why the file was not linted (one line, without the path). */
  skipped?: string;
  /** Fixes applied, and the fixed text when it differs from the input. */
  fixed: number;
  fixedText?: string;
  /** A fix pass that would have broken the syntax was dropped. */
  fixRolledBack?: boolean;
  /** Why fixes were not applied to this file although asked. */
  fixSkipped?: string;
  /** Text and findings before fixing, to report if the fixed text cannot be written. */
  unfixed?: { text: string; findings: Finding[] };
  /** Cross-file checks waiting for the whole project (see completeOutcome). */
  pending?: PendingChecks;
  /** An exception inside the engine (a bug): message, and stack for CONCLENS_DEBUG. */
  internalError?: { message: string; stack?: string };
}

export interface LintFileOptions {
  settings: Settings;
  /** Apply fixes of this level (undefined: report only). */
  fix?: FixLevel;
  /** Module identity and the project's workspace index (cross-file rules). */
  lint?: LintOptions;
}

/** Runs the file's cross-file checks once the workspace holds every file of the run. */
export function completeOutcome(outcome: FileOutcome, workspace: Workspace): void {
  if (!outcome.pending) return;
  try {
    const done = completeLint({ findings: outcome.findings, syntaxErrors: [], pending: outcome.pending }, workspace);
    outcome.findings = done.findings;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    outcome.internalError = { message: e.message, stack: e.stack };
  }
  outcome.pending = undefined;
}

/** The outcome of a prepared file's first pass (as lintBytes without fixes). */
export function lintPrepared(linter: Linter, prepared: Exclude<PreparedFile, { kind: 'unreadable' }>, filename: string, opts: LintFileOptions): FileOutcome {
  if (prepared.kind === 'skipped') return { findings: [], skipped: prepared.reason, fixed: 0 };
  if (prepared.kind === 'failed') return { findings: [], fixed: 0, internalError: { message: prepared.message, stack: prepared.stack } };
  const { source } = prepared;
  try {
    const syntax = SyntaxTree.fromArrays(source.text, linter.grammar.language, prepared.arrays);
    const first = linter.lintSyntax(syntax, source.text, filename, opts.settings, opts.lint);
    const out: FileOutcome = { text: source.text, source, findings: first.findings, fixed: 0, pending: first.pending };
    if (first.syntaxErrors.length) out.syntaxError = firstPosition(source.text, first.syntaxErrors);
    return out;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { findings: [], fixed: 0, internalError: { message: e.message, stack: e.stack } };
  }
}

/** A file's outcome from its bytes: lintPrepared, then the fix loop when fixes are asked for. */
export function lintBytes(linter: Linter, bytes: Uint8Array, filename: string, opts: LintFileOptions): FileOutcome {
  const out = lintPrepared(linter, prepareBytes(linter.grammar, bytes, filename), filename, opts);
  const { source } = out;
  if (!opts.fix || !source || out.internalError) return out;
  if (out.syntaxError) {
    out.fixSkipped = 'fixes not applied: the file has syntax errors';
    return out;
  }
  if (source.encoding !== 'utf-8') {
    out.fixSkipped = `fixes not applied: the file is ${source.encoding}, and only UTF-8 files are rewritten`;
    return out;
  }
  try {
    const first = out.findings;
    const lint = (text: string) => {
      const r = linter.lintText(text, filename, opts.settings, opts.lint);
      return { findings: r.findings, parses: r.syntaxErrors.length === 0 };
    };
    const loop = runFixLoop(source.text, { findings: first, parses: true }, lint, opts.fix, source.eol);
    out.fixed = loop.fixed;
    out.fixRolledBack = loop.rolledBack;
    if (loop.text !== source.text) {
      out.unfixed = { text: source.text, findings: first };
      out.fixedText = loop.text;
      out.text = loop.text;
      out.findings = [...loop.last.findings];
    }
    return out;
  } catch (err) {
    // A fixed text on which tree-sitter's error recovery crawls: reported, not an engine failure.
    if (err instanceof NotParsedError) return { findings: [], fixed: 0, skipped: `${err.reason}; skipped` };
    const e = err instanceof Error ? err : new Error(String(err));
    return { findings: [], fixed: 0, internalError: { message: e.message, stack: e.stack } };
  }
}

function firstPosition(text: string, spans: readonly Span[]): { row: number; column: number } {
  const start = Math.min(...spans.map((s) => s.start));
  const p = new LineIndex(text).codePointPosition(start);
  return { row: p.row + 1, column: p.column + 1 };
}
