// The properties every input must keep, checked in-process against the engine:
//  - linting never throws and takes under a second;
//  - findings and fix edits lie inside the text;
//  - every fix, applied alone, leaves the text outside its edits as it was, adds no ERROR or
//    MISSING node, and is not offered again for the same code where it applied;
//  - the fix loops (core, CLI, editor fix-all) converge, add no syntax error, and a second run
//    changes nothing;
//  - a document edited incrementally (PyDocument.update) ends with the text, tree and findings
//    of a fresh parse.
import type { Tree } from 'web-tree-sitter';
import type { Linter, LintResult } from '../../src/core/linter';
import type { Settings } from '../../src/core/config/settings';
import { NotParsedError, ParseTimeoutError, PyDocument, type TextChange } from '../../src/core/parse/document';
import { runFixLoop as coreFixLoop, selectFixes, type FixLevel } from '../../src/core/fixes/apply';
import { runFixLoop as cliFixLoop } from '../../src/cli/fix';
import { fixAllText } from '../../src/extension/fix-all';
import { allRules } from '../../src/core/rules/index';
import type { Finding, TextEdit } from '../../src/core/types';
import type { Rng } from './rng';

export type FailureKind =
  | 'crash'
  | 'slow'
  | 'bad-finding'
  | 'fix-edits'
  | 'fix-syntax'
  | 'fix-repeats'
  | 'fix-loop'
  | 'fix-disagree'
  | 'incremental'
  | 'cli'
  | 'cpython'
  | 'hang';

export interface Failure {
  kind: FailureKind;
  message: string;
}

/** Per-file lint time limit (ms). */
export const SLOW_MS = 1000;

const KNOWN_CODES = new Set(allRules.map((r) => r.meta.code));

/** Text pairs whose CPython parse is compared later (python.ts): the fix must not break a file CPython accepts. */
export interface FixedPair {
  label: string;
  before: string;
  after: string;
}

export interface CheckStats {
  lints: number;
  lintMs: number;
  findings: number;
  fixesChecked: number;
  fixLoops: number;
  incrementalSessions: number;
  /** Incremental trees that differ from a fresh parse only inside syntax errors (tree-sitter's error recovery may differ). */
  incrementalErrorTreeDiffs: number;
  slowest: { ms: number; label: string };
  /** Lints over the limit where tree-sitter's parse alone took half the time or more (not counted as failures). */
  parserBound: number;
  slowestParserBound: { ms: number; parseMs: number; label: string; chars: number };
  /**
   * Texts not parsed (PyDocument's NotParsedError: over the parse time budget, or indented
   * beyond what tree-sitter's scanner can hold; the tools report them as not linted). Not
   * failures, as long as a time budget held.
   */
  parseTimeouts: number;
  /** Of those, stopped by the time budget (the rest: the indentation limit). */
  parseBudgetStops: number;
  parseTimeoutExample: string;
}

export function newStats(): CheckStats {
  return {
    lints: 0,
    lintMs: 0,
    findings: 0,
    fixesChecked: 0,
    fixLoops: 0,
    incrementalSessions: 0,
    incrementalErrorTreeDiffs: 0,
    slowest: { ms: 0, label: '' },
    parserBound: 0,
    slowestParserBound: { ms: 0, parseMs: 0, label: '', chars: 0 },
    parseTimeouts: 0,
    parseBudgetStops: 0,
    parseTimeoutExample: '',
  };
}

export interface CheckContext {
  linter: Linter;
  settings: Settings;
  stats: CheckStats;
  failures: Failure[];
  /** Fixed texts to check with CPython (only collected when set). */
  pairs?: FixedPair[];
  /** At most this many single fixes are applied per text (chosen at random beyond it). */
  maxFixesPerText: number;
  rng: Rng;
  /** Findings of the text whose fixes are being checked. */
  lastFindings?: readonly Finding[];
}

function describe(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const depth = process.env.FUZZ_STACK_FRAMES ? Number(process.env.FUZZ_STACK_FRAMES) : 3;
  const frames = (e.stack ?? '').split('\n').slice(1, 1 + depth).map((l) => l.trim()).join(' | ');
  return `${e.name}: ${e.message}${frames ? ` (${frames})` : ''}`;
}

/**
 * A fingerprint of a tree's shape (every node's type, range and depth), taken with a cursor:
 * `rootNode.toString()` recurses in C and overflows the wasm stack on deep trees.
 */
export function treeSignature(tree: Tree): string {
  const cursor = tree.walk();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let nodes = 0;
  let depth = 0;
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ v, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ (v + 0x9e3779b9), 0x85ebca6b) >>> 0;
  };
  try {
    for (;;) {
      nodes++;
      mix(cursor.nodeTypeId);
      mix(cursor.startIndex);
      mix(cursor.endIndex);
      mix(depth);
      mix(cursor.nodeIsMissing ? 1 : 0);
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return `${nodes}:${h1.toString(16)}:${h2.toString(16)}`;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** ERROR and MISSING nodes in a tree, counted with a cursor (no recursion, no parent walks). */
export function countSyntaxErrors(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  const cursor = tree.walk();
  let count = 0;
  try {
    for (;;) {
      if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) count++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** ERROR/MISSING nodes lying inside one of `ranges` (half-open, MISSING nodes may sit at the end). */
export function countSyntaxErrorsWithin(tree: Tree, ranges: readonly { start: number; end: number }[]): number {
  if (!tree.rootNode.hasError || ranges.length === 0) return 0;
  const cursor = tree.walk();
  let count = 0;
  const inside = (s: number, e: number) => ranges.some((r) => s >= r.start && e <= r.end);
  const touches = (s: number, e: number) => ranges.some((r) => s <= r.end && r.start <= e);
  try {
    for (;;) {
      const s = cursor.startIndex;
      const e = cursor.endIndex;
      if ((cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) && inside(s, e)) count++;
      if (touches(s, e) && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

function withTree<T>(linter: Linter, text: string, use: (tree: Tree) => T): T {
  const doc = new PyDocument(linter.grammar, text, 'fuzz');
  try {
    return use(doc.tree);
  } finally {
    doc.dispose();
  }
}

/**
 * For a text that already has syntax errors, error recovery makes whole-file counts noisy:
 * there a fix fails when the text it wrote holds more ERROR/MISSING nodes than the text it
 * replaced did.
 */
function localErrorGrowth(linter: Linter, before: string, after: string, edits: readonly TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const oldRanges = sorted.map((e) => ({ start: e.start, end: e.end }));
  let delta = 0;
  const newRanges = sorted.map((e) => {
    const r = { start: e.start + delta, end: e.start + delta + e.content.length };
    delta += e.content.length - (e.end - e.start);
    return r;
  });
  const b = withTree(linter, before, (t) => countSyntaxErrorsWithin(t, oldRanges));
  const a = withTree(linter, after, (t) => countSyntaxErrorsWithin(t, newRanges));
  return a > b ? `${b} -> ${a} ERROR/MISSING nodes inside the edited text` : undefined;
}

export function parseErrors(linter: Linter, text: string): number {
  return withTree(linter, text, countSyntaxErrors);
}

/** Applies edits the plain way, refusing overlaps (unlike applyEdits, which skips them). */
export function composeEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`edits overlap at ${e.start} (previous edit ends at ${pos})`);
    out += text.slice(pos, e.start) + e.content;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** Runs the linter, timing it; a crash becomes a failure and `undefined`. */
/**
 * A text not parsed (time budget, indentation limit): counted, and a failure only when stopping it took
 * far longer than the budget (tree-sitter did not call back in time). False for any other error.
 */
export function parseTimedOut(ctx: CheckContext, err: unknown, ms: number, label: string): boolean {
  if (!(err instanceof NotParsedError)) return false;
  ctx.stats.parseTimeouts++;
  if (err instanceof ParseTimeoutError) ctx.stats.parseBudgetStops++;
  ctx.stats.parseTimeoutExample ||= `${label} (${ms.toFixed(0)} ms)`;
  if (err instanceof ParseTimeoutError && ms > 2 * err.budgetMs + 1000) ctx.failures.push({ kind: 'slow', message: `the parse budget of ${err.budgetMs.toFixed(0)} ms took ${ms.toFixed(0)} ms to stop tree-sitter` });
  return true;
}

export function timedLint(ctx: CheckContext, text: string, label: string, filename = 'fuzz_case.py'): LintResult | undefined {
  const started = performance.now();
  let result: LintResult;
  try {
    result = ctx.linter.lintText(text, filename, ctx.settings);
  } catch (err) {
    if (!parseTimedOut(ctx, err, performance.now() - started, label)) ctx.failures.push({ kind: 'crash', message: `lintText threw: ${describe(err)}` });
    return undefined;
  }
  let ms = performance.now() - started;
  if (ms > SLOW_MS && ms < 10 * SLOW_MS) {
    // A second run tells a slow input from a garbage collection or a busy machine.
    const again = performance.now();
    try {
      ctx.linter.lintText(text, filename, ctx.settings);
    } catch {
      // reported above
    }
    ms = Math.min(ms, performance.now() - again);
  }
  if (ms > SLOW_MS) {
    // Over the limit: is it the engine, or tree-sitter's parse alone (1 MB of dense tokens
    // takes the wasm parser over a second on a slow core)? The engine fails when its own
    // work beyond the parse is more than the parse.
    const p0 = performance.now();
    try {
      new PyDocument(ctx.linter.grammar, text, filename).dispose();
    } catch {
      // reported by the lint above
    }
    const parseMs = performance.now() - p0;
    if (ms > 2 * parseMs) {
      ctx.failures.push({ kind: 'slow', message: `lint took ${ms.toFixed(0)} ms (limit ${SLOW_MS} ms; parsing alone ${parseMs.toFixed(0)} ms) for ${text.length} chars` });
    } else {
      ctx.stats.parserBound++;
      if (ms > ctx.stats.slowestParserBound.ms) ctx.stats.slowestParserBound = { ms, parseMs, label, chars: text.length };
    }
  }
  ctx.stats.lints++;
  ctx.stats.lintMs += ms;
  if (ms > ctx.stats.slowest.ms) ctx.stats.slowest = { ms, label };
  return result;
}

export function checkFindings(ctx: CheckContext, text: string, findings: readonly Finding[]): void {
  const n = text.length;
  for (const f of findings) {
    const where = `${f.code} at ${f.span.start}-${f.span.end}`;
    if (!KNOWN_CODES.has(f.code)) ctx.failures.push({ kind: 'bad-finding', message: `unknown code ${where}` });
    if (!(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= n)) {
      ctx.failures.push({ kind: 'bad-finding', message: `span outside the text (${n} chars): ${where}` });
    }
    if (!f.message) ctx.failures.push({ kind: 'bad-finding', message: `empty message: ${where}` });
    for (const r of f.related ?? []) {
      if (r.file === undefined && !(r.span.start >= 0 && r.span.start <= r.span.end && r.span.end <= n)) {
        ctx.failures.push({ kind: 'bad-finding', message: `related span outside the text: ${where}: ${r.message}` });
      }
    }
    if (!f.fix) continue;
    if (f.fix.edits.length === 0) ctx.failures.push({ kind: 'fix-edits', message: `fix without edits: ${where}` });
    for (const e of f.fix.edits) {
      if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start <= e.end && e.end <= n)) {
        ctx.failures.push({ kind: 'fix-edits', message: `fix edit ${e.start}-${e.end} outside the text (${n} chars): ${where}` });
      }
      if (typeof e.content !== 'string') ctx.failures.push({ kind: 'fix-edits', message: `fix edit without content: ${where}` });
    }
  }
}

/** Where `offset` (in the old text) lands after the edits. */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of edits) if (e.end <= offset) delta += e.content.length - (e.end - e.start);
  return offset + delta;
}

/** Applies one finding's fix alone and checks it. */
export function checkOneFix(ctx: CheckContext, text: string, errorsBefore: number, f: Finding, label: string): void {
  const fix = f.fix;
  if (!fix || fix.edits.length === 0) return;
  const where = `${f.code} fix "${fix.title}" at ${f.span.start}`;
  let after: string;
  try {
    after = composeEdits(text, fix.edits);
  } catch (err) {
    ctx.failures.push({ kind: 'fix-edits', message: `${where}: ${(err as Error).message}` });
    return;
  }
  ctx.stats.fixesChecked++;
  if (after === text) {
    ctx.failures.push({ kind: 'fix-edits', message: `${where}: changes nothing` });
    return;
  }
  // Outside the edits, the text is the same (composeEdits copies it; check the ends too).
  const sorted = [...fix.edits].sort((a, b) => a.start - b.start);
  const first = sorted[0];
  const last = sorted.reduce((m, e) => (e.end > m.end ? e : m), sorted[0]);
  if (!after.startsWith(text.slice(0, first.start)) || !after.endsWith(text.slice(last.end))) {
    ctx.failures.push({ kind: 'fix-edits', message: `${where}: text outside the edits moved` });
  }
  if (errorsBefore === 0) {
    const errorsAfter = parseErrors(ctx.linter, after);
    if (errorsAfter > 0) {
      ctx.failures.push({ kind: 'fix-syntax', message: `${where}: 0 -> ${errorsAfter} ERROR/MISSING nodes; edits ${JSON.stringify(fix.edits)}` });
      return;
    }
  } else {
    const growth = localErrorGrowth(ctx.linter, text, after, fix.edits);
    if (growth) {
      ctx.failures.push({ kind: 'fix-syntax', message: `${where} (in a text with syntax errors): ${growth}; edits ${JSON.stringify(fix.edits)}` });
      return;
    }
  }
  if (errorsBefore === 0) ctx.pairs?.push({ label: `${label}: ${where}`, before: text, after });
  // Not offered again: where the fix wrote, fewer findings of its code start than before
  // (a call nested in the arguments may still be reported, as it still runs on the loop).
  const relinted = timedLint(ctx, after, `${label} (after ${f.code} fix)`);
  if (!relinted) return;
  const main = sorted.find((e) => e.start <= f.span.start && f.span.start <= e.end) ?? sorted.find((e) => e.start < f.span.end && f.span.start < e.end);
  if (!main) return;
  const start = mapOffset(main.start, sorted.filter((e) => e !== main));
  const end = start + main.content.length;
  const within = (list: readonly Finding[], a: number, b: number) => list.filter((g) => g.code === f.code && g.fix && g.span.start >= a && g.span.start < Math.max(b, a + 1));
  const beforeHere = within(ctx.lastFindings ?? [], main.start, main.end);
  const afterHere = within(relinted.findings, start, end);
  if (afterHere.length > 0 && afterHere.length >= beforeHere.length) {
    const again = afterHere[0];
    ctx.failures.push({
      kind: 'fix-repeats',
      message: `${where}: after the fix, ${again.code} is reported again at ${again.span.start} with fix "${again.fix?.title}"`,
    });
  }
}

/** The three fix loops (core, CLI --fix, editor fix-all) at one level, with their checks. */
export function checkFixLoops(ctx: CheckContext, text: string, first: LintResult, errorsBefore: number, label: string): void {
  const lint = (t: string) => {
    const r = timedLint(ctx, t, `${label} (fix loop)`);
    return { findings: r?.findings ?? [], parses: !!r && r.syntaxErrors.length === 0 };
  };
  const snapshot = { findings: first.findings, parses: first.syntaxErrors.length === 0 };
  const results = new Map<string, string>();
  for (const level of ['safe', 'unsafe'] as FixLevel[]) {
    if (selectFixes(first.findings, level).count === 0) continue;
    ctx.stats.fixLoops++;
    // Core loop: each pass is checked to change only the chosen edits' ranges.
    let current = text;
    let passProblem: string | undefined;
    let pending: TextEdit[] | undefined;
    const checkedLint = (t: string) => {
      if (pending && !passProblem) {
        try {
          if (composeEdits(current, pending) !== t) passProblem = 'a pass changed text outside its edits';
        } catch (err) {
          passProblem = `a pass applied overlapping edits: ${(err as Error).message}`;
        }
      }
      current = t;
      return lint(t);
    };
    let loop;
    try {
      loop = coreFixLoop(text, snapshot, checkedLint, level, (edits) => (pending = edits));
    } catch (err) {
      ctx.failures.push({ kind: 'crash', message: `core runFixLoop (${level}) threw: ${describe(err)}` });
      continue;
    }
    if (passProblem) ctx.failures.push({ kind: 'fix-edits', message: `fix loop (${level}): ${passProblem}` });
    if (loop.rolledBack) ctx.failures.push({ kind: 'fix-syntax', message: `fix loop (${level}): a pass broke the syntax and was rolled back` });
    // (Texts with syntax errors: each fix was checked alone above; whole-file counts are noise there.)
    const errorsAfter = errorsBefore === 0 ? parseErrors(ctx.linter, loop.text) : 0;
    if (errorsAfter > 0) ctx.failures.push({ kind: 'fix-syntax', message: `fix loop (${level}): 0 -> ${errorsAfter} ERROR/MISSING nodes` });
    // Converged: a second run changes nothing.
    const rest = selectFixes(loop.last.findings, level);
    if (rest.count > 0) {
      const again = coreFixLoop(loop.text, loop.last, lint, level);
      if (again.text !== loop.text) {
        ctx.failures.push({ kind: 'fix-loop', message: `fix loop (${level}) did not converge in 10 passes; another run still changes the text (${rest.count} fix(es) left)` });
      }
    }
    if (errorsBefore === 0 && loop.text !== text) ctx.pairs?.push({ label: `${label}: fix loop (${level})`, before: text, after: loop.text });
    results.set(`core ${level}`, loop.text);
    // The CLI's copy of the loop must agree with the core one.
    try {
      const cli = cliFixLoop(text, snapshot, lint, level, '\n');
      if (cli.text !== loop.text) ctx.failures.push({ kind: 'fix-disagree', message: `CLI fix loop (${level}) ends with other text than the core loop` });
    } catch (err) {
      ctx.failures.push({ kind: 'crash', message: `CLI runFixLoop (${level}) threw: ${describe(err)}` });
    }
  }
  // The editor's fix-all (safe fixes only).
  if (results.has('core safe')) {
    try {
      const editor = fixAllText(text, (t) => (t === text ? first.findings : lint(t).findings));
      const errorsAfter = errorsBefore === 0 ? parseErrors(ctx.linter, editor.text) : 0;
      if (errorsAfter > 0) ctx.failures.push({ kind: 'fix-syntax', message: `editor fix-all: 0 -> ${errorsAfter} ERROR/MISSING nodes` });
      const again = fixAllText(editor.text, (t) => lint(t).findings);
      if (again.text !== editor.text) ctx.failures.push({ kind: 'fix-loop', message: `editor fix-all did not converge: a second run changes the text` });
    } catch (err) {
      ctx.failures.push({ kind: 'crash', message: `editor fixAllText threw: ${describe(err)}` });
    }
  }
}

/** Everything for one text: lint, findings, single fixes (sampled), fix loops. */
/** Fix checks re-lint the text many times: only for texts that lint fast enough. */
const FIX_CHECK_LINT_MS = 250;
/** Time for the single-fix checks of one text; the fix loops run once it is spent. */
const FIX_CHECK_BUDGET_MS = 4000;

export function checkText(ctx: CheckContext, text: string, label: string, opts: { fixes: boolean } = { fixes: true }): LintResult | undefined {
  const started = performance.now();
  const result = timedLint(ctx, text, label);
  if (!result) return undefined;
  if (performance.now() - started > FIX_CHECK_LINT_MS) opts = { fixes: false };
  ctx.stats.findings += result.findings.length;
  checkFindings(ctx, text, result.findings);
  if (!opts.fixes) return result;
  const withFix = result.findings.filter((f) => f.fix && f.fix.edits.length > 0);
  if (withFix.length === 0) return result;
  let errorsBefore: number;
  try {
    errorsBefore = parseErrors(ctx.linter, text);
  } catch (err) {
    ctx.failures.push({ kind: 'crash', message: `parse threw: ${describe(err)}` });
    return result;
  }
  ctx.lastFindings = result.findings;
  const sample = [...withFix];
  while (sample.length > ctx.maxFixesPerText) sample.splice(ctx.rng.int(sample.length), 1);
  const budgetEnd = performance.now() + FIX_CHECK_BUDGET_MS;
  for (const f of sample) {
    if (performance.now() > budgetEnd) break;
    try {
      checkOneFix(ctx, text, errorsBefore, f, label);
    } catch (err) {
      ctx.failures.push({ kind: 'crash', message: `checking the ${f.code} fix threw: ${describe(err)}` });
    }
  }
  checkFixLoops(ctx, text, result, errorsBefore, label);
  return result;
}

function findingKey(f: Finding): string {
  return `${f.code}@${f.span.start}-${f.span.end}${f.fix ? ` fix:${JSON.stringify(f.fix.edits)}` : ''}`;
}

/**
 * The editor path: a PyDocument follows the edit events (lint after some of them, as the
 * debounced editor does), then is compared with a fresh parse of the final text.
 */
export function checkEditSession(
  ctx: CheckContext,
  start: string,
  batches: readonly TextChange[][],
  expected: string,
  label: string,
  opts: { lintBetween: boolean } = { lintBetween: true },
): void {
  ctx.stats.incrementalSessions++;
  let doc: PyDocument | undefined;
  let fresh: PyDocument | undefined;
  try {
    doc = new PyDocument(ctx.linter.grammar, start, 'fuzz_case.py');
    // As the editor's DocumentSync does, events are mostly buffered and applied in one
    // update() (one re-parse) when a debounced lint runs; sometimes one update per event.
    let pending: TextChange[] = [];
    for (let i = 0; i < batches.length; i++) {
      pending.push(...batches[i]);
      const last = i === batches.length - 1;
      const lint = last || (opts.lintBetween && ctx.rng.chance(0.15));
      if (lint || ctx.rng.chance(0.2)) {
        doc.update(pending);
        pending = [];
      }
      if (lint) {
        const t0 = performance.now();
        ctx.linter.lintDocument(doc, ctx.settings);
        const ms = performance.now() - t0;
        if (ms > ctx.stats.slowest.ms) ctx.stats.slowest = { ms, label: `${label} (editor, event ${i + 1})` };
      }
    }
    if (doc.text !== expected) {
      ctx.failures.push({ kind: 'incremental', message: `PyDocument text after ${batches.length} events differs from the expected text` });
      return;
    }
    fresh = new PyDocument(ctx.linter.grammar, expected, 'fuzz_case.py');
    const incTree = treeSignature(doc.tree);
    const freshTree = treeSignature(fresh.tree);
    const a = ctx.linter.lintDocument(doc, ctx.settings).findings.map(findingKey);
    const b = ctx.linter.lintDocument(fresh, ctx.settings).findings.map(findingKey);
    if (incTree !== freshTree) {
      if (!fresh.tree.rootNode.hasError && !doc.tree.rootNode.hasError) {
        ctx.failures.push({ kind: 'incremental', message: `incremental tree differs from a fresh parse of a valid text` });
      } else {
        ctx.stats.incrementalErrorTreeDiffs++;
      }
    } else if (a.join('\n') !== b.join('\n')) {
      const only = (x: string[], y: string[]) => x.filter((k) => !y.includes(k)).slice(0, 3).join(', ');
      ctx.failures.push({ kind: 'incremental', message: `same tree, other findings: editor-only [${only(a, b)}], fresh-only [${only(b, a)}]` });
    }
  } catch (err) {
    if (!(err instanceof NotParsedError)) ctx.failures.push({ kind: 'crash', message: `editor path threw: ${describe(err)}` });
    else {
      ctx.stats.parseTimeouts++;
      if (err instanceof ParseTimeoutError) ctx.stats.parseBudgetStops++;
    }
  } finally {
    for (const d of [doc, fresh]) {
      try {
        d?.dispose();
      } catch (err) {
        ctx.failures.push({ kind: 'crash', message: `PyDocument.dispose threw: ${describe(err)}` });
      }
    }
  }
}
