// A Python document that keeps its syntax tree and re-parses incrementally.
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

export class PyDocument {
  private parser: Parser;
  private readonly raw?: RawTreeSitter;
  private _tree: Tree;
  private _syntax?: SyntaxTree;
  /** After one edit: the tree to update from, and what changed (see `syntax`). */
  private pendingSyntax?: { prev: SyntaxTree; edit: { start: number; deleted: number; inserted: number }; changed: { startIndex: number; endIndex: number }[] };
  private _text: string;
  /** Bumped on every change; analyses cache against it. */
  version = 0;

  constructor(grammar: Grammar, text: string, readonly filename = '<stdin>', parsed?: { parser: Parser; tree: Tree }) {
    this.parser = parsed?.parser ?? grammar.newParser();
    this.raw = grammar.raw;
    this._text = text;
    this._tree = parsed?.tree ?? this.parseOrThrow(text);
  }

  /**
   * Opens a document with its first parse in slices: tree-sitter halts once a slice has
   * parsed for `sliceMs` (its progress callback) and the generator yields; the next step
   * resumes the parse where it stopped. Returns the document. Closing the generator early
   * frees the parser.
   */
  static *openSteps(grammar: Grammar, text: string, filename: string, sliceMs: number): Generator<string, PyDocument, void> {
    const parser = grammar.newParser();
    let opened = false;
    try {
      for (;;) {
        const deadline = performance.now() + sliceMs;
        const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
        if (tree) {
          opened = true;
          return new PyDocument(grammar, text, filename, { parser, tree });
        }
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
    if (!this._syntax) {
      const p = this.pendingSyntax;
      this.pendingSyntax = undefined;
      this._syntax = p ? SyntaxTree.update(p.prev, this._tree, this._text, p.edit, p.changed, this.raw) : SyntaxTree.from(this._tree, this._text, this.raw);
    }
    return this._syntax;
  }

  private parseOrThrow(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old);
    if (!tree) throw new Error(`tree-sitter could not parse ${this.filename}`);
    return tree;
  }

  /** Applies changes one after another and re-parses once, reusing the old tree. */
  update(changes: readonly TextChange[]): void {
    if (changes.length === 0) return;
    const old = this._tree;
    let text = this._text;
    // The span all the changes cover: [start, oldEnd) of the old text became [start, newEnd).
    let envelope: { start: number; oldEnd: number; newEnd: number } | undefined;
    for (const c of changes) {
      const cEnd = c.start + c.deleted;
      if (!envelope) envelope = { start: c.start, oldEnd: cEnd, newEnd: c.start + c.text.length };
      else {
        // Offsets at or after newEnd are offsets of the old text moved by `shift`.
        const shift = envelope.newEnd - envelope.oldEnd;
        const from = Math.min(envelope.start, c.start);
        const to = Math.max(envelope.newEnd, cEnd);
        envelope = { start: from, oldEnd: to - shift, newEnd: to + c.text.length - c.deleted };
      }
      const startPosition = pointAt(text, c.start);
      const oldEndPosition = pointAt(text, c.start + c.deleted);
      const newEndPosition = advance(startPosition, c.text);
      old.edit({
        startIndex: c.start,
        oldEndIndex: c.start + c.deleted,
        newEndIndex: c.start + c.text.length,
        startPosition,
        oldEndPosition,
        newEndPosition,
      });
      text = text.slice(0, c.start) + c.text + text.slice(c.start + c.deleted);
    }
    this._text = text;
    this._tree = this.parseOrThrow(text, old);
    // Changes after a read tree: the next read copies what they did not touch. (Two updates
    // without a read in between: the next read is a full one.)
    const prev = this._syntax;
    this._syntax = undefined;
    this.pendingSyntax = undefined;
    if (prev && envelope) {
      const e = envelope;
      this.pendingSyntax = { prev, edit: { start: e.start, deleted: e.oldEnd - e.start, inserted: e.newEnd - e.start }, changed: old.getChangedRanges(this._tree) };
    }
    old.delete();
    this.version++;
  }

  /** Replaces the whole text (full re-parse). */
  setText(text: string): void {
    const old = this._tree;
    this._text = text;
    this._tree = this.parseOrThrow(text);
    this._syntax = undefined;
    this.pendingSyntax = undefined;
    old.delete();
    this.version++;
  }

  dispose(): void {
    this._tree.delete();
    this.parser.delete();
  }
}
