// A Python document that keeps its syntax tree and re-parses incrementally.
import type { LintMemory } from '../incremental';
import type { Parser, Tree, Point } from 'web-tree-sitter';
import type { Grammar } from './grammar';
import { SyntaxTree, type RawTreeSitter } from './syntax';

/** A change in the coordinates of the text it applies to (VS Code's contentChanges order). */
export interface TextChange {
  /** UTF-16 offset where the replaced range starts. */
  start: number;
  /** Length (UTF-16 code units) of the replaced range. */
  deleted: number;
  /** Inserted text. */
  text: string;
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    row++;
    lineStart = i + 1;
    i = text.indexOf('\n', lineStart);
  }
  return { row, column: offset - lineStart };
}

function advance(start: Point, inserted: string): Point {
  const lastNl = inserted.lastIndexOf('\n');
  if (lastNl === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNl - 1 };
}

/**
 * How long tree-sitter may spend on one parse of a text of `chars` characters before the
 * document is given up as unparseable. Ordinary code parses at several megabytes a second;
 * the budget is far above that and only catches input on which tree-sitter's error recovery
 * goes superlinear (text with a NUL between every character, UTF-16 read as UTF-8).
 */
export function defaultParseBudgetMs(chars: number): number {
  return 1000 + chars / 250;
}

/** The text was not parsed, and so not linted: `reason` says why (one line, without the file name). */
export class NotParsedError extends Error {
  constructor(
    readonly filename: string,
    readonly reason: string,
  ) {
    super(`${filename}: ${reason}; not linted`);
    this.name = 'NotParsedError';
  }
}

/** A parse ran over its time budget. */
export class ParseTimeoutError extends NotParsedError {
  constructor(
    filename: string,
    readonly budgetMs: number,
  ) {
    super(filename, `tree-sitter did not finish parsing it within ${(budgetMs / 1000).toFixed(1)} s (its error recovery is very slow on this text)`);
    this.name = 'ParseTimeoutError';
  }
}

/**
 * How many different indentation depths a text may have. tree-sitter-python's scanner keeps
 * its stack of open indentation depths in a 1,024-byte state buffer, two bytes per depth, and
 * its bounds check lets the last pair run one byte past the buffer when the stack holds about
 * 400-510 depths: tree-sitter's memory is damaged and a later parse faults. CPython itself
 * refuses more than 100 nested levels; 300 leaves a margin below the fault.
 */
export const MAX_INDENT_DEPTHS = 300;

const seenWidth = new Uint32Array(65536);
let seenStamp = 0;

/**
 * An upper bound of the scanner's indentation stack: the number of different widths of the
 * whitespace after a line break, measured as the scanner does (space 1, tab 8, form feed and
 * CR reset to 0, a backslash-newline continues the run; widths are 16-bit). The stack only
 * ever holds increasing widths of that kind.
 */
export function indentDepthsBound(text: string, limit = MAX_INDENT_DEPTHS): number {
  if (++seenStamp === 0xffffffff) {
    seenWidth.fill(0);
    seenStamp = 1;
  }
  const stamp = seenStamp;
  const n = text.length;
  let count = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) {
    let i = nl + 1;
    let w = 0;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 32) w++;
      else if (ch === 9) w += 8;
      else if (ch === 13 || ch === 12) w = 0;
      else if (ch === 92) {
        // Backslash, optional CR, newline: the scanner goes on measuring. (The break after
        // it starts a run of its own too: error recovery may lex from there.)
        let j = i + 1;
        if (text.charCodeAt(j) === 13) j++;
        if (text.charCodeAt(j) !== 10) break;
        i = j;
      } else break;
    }
    w &= 0xffff;
    if (w > 0 && seenWidth[w] !== stamp) {
      seenWidth[w] = stamp;
      if (++count > limit) return count;
    }
  }
  return count;
}

/**
 * Throws NotParsedError when the text (as tree-sitter is given it: `input`, see parserText)
 * may hold more indentation depths than tree-sitter can; else returns the bound.
 */
function checkParseable(input: string, filename: string): number {
  // The i-th smallest width takes at least i/8 characters (tabs): a short text cannot hold
  // more than MAX_INDENT_DEPTHS different ones.
  if (input.length < (MAX_INDENT_DEPTHS * MAX_INDENT_DEPTHS) / 16) return MAX_INDENT_DEPTHS;
  const bound = indentDepthsBound(input);
  if (bound > MAX_INDENT_DEPTHS) {
    throw new NotParsedError(filename, `it indents lines to more than ${MAX_INDENT_DEPTHS} different depths (CPython refuses more than 100 nested levels, and tree-sitter's Python scanner overruns its state buffer on about 400)`);
  }
  return bound;
}

/** Line breaks as tree-sitter's scanner sees them (a lone CR is one too: parserText). */
function breaksIn(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) n++;
  }
  return n;
}

/**
 * Trees deeper than this skip tree-sitter's changed ranges after an edit (its walk over two
 * trees takes seconds to minutes on 10,000 nested brackets) and are read afresh.
 */
export const CHANGED_RANGES_MAX_DEPTH = 400;

/**
 * The text tree-sitter is given. Python ends a line at `\n`, `\r\n` or a lone `\r`;
 * tree-sitter-python's scanner only knows the first two, so a lone `\r` becomes `\n` (same
 * length: every offset stays valid).
 */
export function parserText(text: string): string {
  const cr = text.indexOf('\r');
  if (cr === -1) return text;
  // Only lone CRs matter; files with CRLF endings are common, and most have no lone CR.
  let lone = false;
  for (let i = cr; i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) {
      lone = true;
      break;
    }
  }
  return lone ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** A change of a text: [start, oldEnd) of the text before became [start, newEnd). */
export interface EditSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** How many updates `changedSince` can look back over. */
const MAX_EDIT_LOG = 16;

/** The span two changes in a row cover (`b` in the offsets of the text after `a`). */
function mergeSpans(a: EditSpan, b: EditSpan): EditSpan {
  // Offsets at or after a.newEnd are offsets of the older text moved by `shift`.
  const shift = a.newEnd - a.oldEnd;
  const from = Math.min(a.start, b.start);
  const to = Math.max(a.newEnd, b.oldEnd);
  return { start: from, oldEnd: to - shift, newEnd: to + b.newEnd - b.oldEnd };
}

export interface DocumentOptions {
  /** Time budget (ms) of a parse of a text this long; default `defaultParseBudgetMs`. */
  parseBudget?: (chars: number) => number;
}

export class PyDocument {
  private parser: Parser;
  private readonly raw?: RawTreeSitter;
  private _tree: Tree;
  private _syntax?: SyntaxTree;
  /** After one edit: the tree to update from, and what changed (see `syntax`). */
  private pendingSyntax?: { prev: SyntaxTree; edit: { start: number; deleted: number; inserted: number }; changed: { startIndex: number; endIndex: number }[] };
  private _text: string;
  /** Set while the current text has no tree (its last parse ran over the budget). */
  private unparsed?: Error;
  /** An upper bound of the text's indentation depths (indentDepthsBound), kept across edits. */
  private indentBound = MAX_INDENT_DEPTHS;
  /** Bumped on every change; analyses cache against it. */
  version = 0;
  /**
   * The span each of the last updates covered, by the version it made (see changedSince);
   * a whole-text replacement empties it.
   */
  private edits: { version: number; span: EditSpan }[] = [];
  /** What the last lint keeps for the next one (see incremental.ts); set by the linter. */
  lintMemory?: LintMemory;
  /** The text has no `\r` (then it is what tree-sitter is given as it is; see parserText). */
  private noCR: boolean;

  private readonly parseBudget: (chars: number) => number;
  /** The tree is not the current text's, nor an edited copy of it (a setText ran over its budget). */
  private staleTree = false;

  /** Throws NotParsedError (ParseTimeoutError for a parse over its budget) when the text is not parsed. */
  constructor(grammar: Grammar, text: string, readonly filename = '<stdin>', parsed?: { parser: Parser; tree: Tree }, options: DocumentOptions = {}) {
    this.parser = parsed?.parser ?? grammar.newParser();
    this.raw = grammar.raw;
    this._text = text;
    this.noCR = text.indexOf('\r') === -1;
    this.parseBudget = options.parseBudget ?? defaultParseBudgetMs;
    try {
      this._tree = parsed?.tree ?? this.parseOrThrow(text);
    } catch (err) {
      this.parser.delete();
      throw err;
    }
  }

  /**
   * Opens a document with its first parse in slices: tree-sitter halts once a slice has
   * parsed for `sliceMs` (its progress callback) and the generator yields; the next step
   * resumes the parse where it stopped. Returns the document. Closing the generator early
   * frees the parser.
   */
  static *openSteps(grammar: Grammar, text: string, filename: string, sliceMs: number, options: DocumentOptions = {}): Generator<string, PyDocument, void> {
    const parser = grammar.newParser();
    const input = parserText(text);
    const budget = (options.parseBudget ?? defaultParseBudgetMs)(text.length);
    let spent = 0;
    let opened = false;
    try {
      checkParseable(input, filename);
      for (;;) {
        const started = performance.now();
        const deadline = started + sliceMs;
        const tree = parser.parse(input, null, { progressCallback: () => performance.now() > deadline });
        if (tree) {
          opened = true;
          return new PyDocument(grammar, text, filename, { parser, tree }, options);
        }
        spent += performance.now() - started;
        if (spent > budget) throw new ParseTimeoutError(filename, budget);
        yield 'parse';
      }
    } finally {
      if (!opened) parser.delete();
    }
  }

  get text(): string {
    return this._text;
  }

  get tree(): Tree {
    return this._tree;
  }

  /** The engine's copy of the current tree (read once per version; see syntax.ts). */
  get syntax(): SyntaxTree {
    // The last parse ran over its budget: there is no tree of this text.
    if (this.unparsed) throw this.unparsed;
    if (!this._syntax) {
      const p = this.pendingSyntax;
      this.pendingSyntax = undefined;
      this._syntax = p ? SyntaxTree.update(p.prev, this._tree, this._text, p.edit, p.changed, this.raw) : SyntaxTree.from(this._tree, this._text, this.raw);
    }
    return this._syntax;
  }

  /**
   * `growth`: after an edit, how many indentation depths it can have added at most (see
   * update); the full count is skipped while the running bound stays under the limit.
   */
  private parseOrThrow(text: string, old?: Tree, growth?: number): Tree {
    const input = this.noCR ? text : parserText(text);
    if (growth !== undefined && this.indentBound + growth <= MAX_INDENT_DEPTHS) this.indentBound += growth;
    else {
      this.indentBound = MAX_INDENT_DEPTHS; // until the count below succeeds
      this.indentBound = checkParseable(input, this.filename);
    }
    const budget = this.parseBudget(text.length);
    const deadline = performance.now() + budget;
    const tree = this.parser.parse(input, old, { progressCallback: () => performance.now() > deadline });
    if (!tree) {
      // Halted: forget the half-done parse, or the next parse would resume it.
      this.parser.reset();
      throw new ParseTimeoutError(this.filename, budget);
    }
    return tree;
  }

  /** Applies changes one after another and re-parses once, reusing the old tree. */
  update(changes: readonly TextChange[]): void {
    if (changes.length === 0) return;
    const old = this._tree;
    let text = this._text;
    // How many indentation depths the changes can add: each can change the width of the line
    // it starts in, and each line break it inserts starts a line. A backslash inserted or
    // deleted can join lines into one run of whitespace: counted afresh then.
    let growth: number | undefined = 0;
    // The span all the changes cover: [start, oldEnd) of the old text became [start, newEnd).
    let envelope: EditSpan | undefined;
    let noCR = this.noCR;
    for (let c of changes) {
      // A change right after a `\r` can turn it from a lone CR (a `\n` to tree-sitter) into
      // half of a CRLF or back: the edit covers it, so tree-sitter lexes it again.
      if (c.start > 0 && text.charCodeAt(c.start - 1) === 13) c = { start: c.start - 1, deleted: c.deleted + 1, text: `\r${c.text}` };
      const cEnd = c.start + c.deleted;
      if (growth !== undefined) {
        const removed = text.slice(c.start, cEnd);
        growth = c.text.includes('\\') || removed.includes('\\') ? undefined : growth + 1 + breaksIn(c.text);
      }
      const span = { start: c.start, oldEnd: cEnd, newEnd: c.start + c.text.length };
      envelope = envelope ? mergeSpans(envelope, span) : span;
      // Points count lines as tree-sitter sees them (lone CRs are newlines in what it parses).
      const seen = noCR ? text : parserText(text);
      const startPosition = pointAt(seen, c.start);
      // (From the start point over the deleted text: one scan of the document, not two.)
      const oldEndPosition = c.deleted === 0 ? startPosition : advance(startPosition, seen.slice(c.start, c.start + c.deleted));
      const newEndPosition = advance(startPosition, parserText(c.text));
      if (!this.staleTree) old.edit({
        startIndex: c.start,
        oldEndIndex: c.start + c.deleted,
        newEndIndex: c.start + c.text.length,
        startPosition,
        oldEndPosition,
        newEndPosition,
      });
      text = text.slice(0, c.start) + c.text + text.slice(c.start + c.deleted);
      if (noCR && c.text.indexOf('\r') !== -1) noCR = false;
    }
    this._text = text;
    // (A text with a `\r` is scanned again: the changes may have deleted the last one.)
    this.noCR = noCR || text.indexOf('\r') === -1;
    const prev = this._syntax;
    this._syntax = undefined;
    this.pendingSyntax = undefined;
    this.version++;
    try {
      this._tree = this.parseOrThrow(text, this.staleTree ? undefined : old, this.staleTree || this.unparsed ? undefined : growth);
    } catch (err) {
      // The edited old tree stays: it matches the new text for the next incremental parse.
      this.unparsed = err as Error;
      throw err;
    }
    this.unparsed = undefined;
    this.staleTree = false;
    if (envelope) {
      if (this.edits.length >= MAX_EDIT_LOG) this.edits.shift();
      this.edits.push({ version: this.version, span: envelope });
    }
    // Changes after a read tree: the next read copies what they did not touch. (Two updates
    // without a read in between: the next read is a full one. A very deep tree is read
    // afresh: see CHANGED_RANGES_MAX_DEPTH.)
    if (prev && envelope && prev.maxDepth <= CHANGED_RANGES_MAX_DEPTH) {
      const e = envelope;
      this.pendingSyntax = { prev, edit: { start: e.start, deleted: e.oldEnd - e.start, inserted: e.newEnd - e.start }, changed: old.getChangedRanges(this._tree) };
    }
    old.delete();
  }

  /**
   * The span that changed since `version` ([start, oldEnd) of that version's text is
   * [start, newEnd) of the current one), or undefined when that is not known (the text was
   * replaced, or more updates ran than are kept). Equal versions: an empty span.
   */
  changedSince(version: number): EditSpan | undefined {
    if (version === this.version) return { start: 0, oldEnd: 0, newEnd: 0 };
    const edits = this.edits;
    let i = edits.length - (this.version - version);
    if (i < 0 || version > this.version || edits[i]?.version !== version + 1) return undefined;
    let span = edits[i].span;
    for (i++; i < edits.length; i++) span = mergeSpans(span, edits[i].span);
    return span;
  }

  /** Replaces the whole text (full re-parse). */
  setText(text: string): void {
    this.edits = [];
    this._text = text;
    this.noCR = text.indexOf('\r') === -1;
    this._syntax = undefined;
    this.pendingSyntax = undefined;
    this.version++;
    let tree: Tree;
    try {
      tree = this.parseOrThrow(text);
    } catch (err) {
      this.unparsed = err as Error;
      this.staleTree = true;
      throw err;
    }
    this.unparsed = undefined;
    this.staleTree = false;
    this._tree.delete();
    this._tree = tree;
  }

  dispose(): void {
    this._tree.delete();
    this.parser.delete();
  }
}
