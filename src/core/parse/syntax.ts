// The engine's own copy of a syntax tree: typed arrays filled by one walk over
// web-tree-sitter's tree, and small node objects over them with the part of web-tree-sitter's
// `Node` API the engine uses (type, text, parent, children, fields, descendantsOfType, ...).
//
// Why: every property of a web-tree-sitter `Node` is a call into WebAssembly with its
// arguments copied through a transfer buffer, and `parent` walks down from the root each time.
// Profiles of `conclens check` put two thirds of the engine's time there. Here the tree is
// read once (a cursor walk, ~0.2 µs per node) and everything after is array access in JS.
//
// Layout: nodes in pre-order, so the descendants of node i are i+1 .. after[i]-1, its first
// child is i+1 (when after[i] > i+1) and its next sibling is after[i] (when that is still
// inside the parent). Offsets are UTF-16 code units, as web-tree-sitter reports them.
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { ANONYMOUS_NONTERMINALS, FIELD_PARENT_TYPES } from './field-parents';
import { indexOfName, LineIndex } from '../text';
import { FLAG_ERROR, FLAG_HAS_ERROR, FLAG_MISSING, FLAG_NAMED, fillFromMemory, grownTo, MemoryCursor, memoryLayout, treeLanguageAddress, type CursorOps, type MemoryLayout } from './memory-cursor';

/** web-tree-sitter's emscripten module: the raw exports the fast walk calls. */
export interface RawTreeSitter {
  readonly module: {
    HEAP8: Int8Array;
    _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
    _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
    _ts_tree_cursor_goto_parent_wasm(tree: number): number;
    _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
    _ts_tree_cursor_start_index_wasm(tree: number): number;
    _ts_tree_cursor_end_index_wasm(tree: number): number;
    _ts_tree_cursor_current_field_id_wasm(tree: number): number;
    _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
    _ts_tree_cursor_current_node_wasm(tree: number): void;
    _ts_node_has_error_wasm(tree: number): number;
  };
  /** Address of web-tree-sitter's transfer buffer, where the C side keeps the cursor between calls. */
  readonly transfer: number;
  /**
   * Set once the grammar's layout in wasm memory is checked (grammar.ts): trees of that
   * language are then read by `MemoryCursor`, with no call into wasm per node.
   */
  memory?: MemoryLayout;
}

const RAW_EXPORTS = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_node_wasm',
  '_ts_node_has_error_wasm',
];

/** The raw exports of the emscripten module `Parser.init` filled, if it is the one in use. */
export function rawTreeSitter(module: Record<string, unknown>): RawTreeSitter | undefined {
  if (!(module.HEAP8 instanceof Int8Array) || typeof module._ts_init !== 'function') return undefined;
  if (!RAW_EXPORTS.every((name) => typeof module[name] === 'function')) return undefined;
  // ts_init returns the address of the (static) transfer buffer; calling it again only
  // rewrites the version numbers it holds.
  const transfer = (module._ts_init as () => number)();
  return { module: module as unknown as RawTreeSitter['module'], transfer };
}

/** tree-sitter's ERROR symbol (uint16 -1); stored as `tables.errorType`. */
const ERROR_SYMBOL = 65535;

interface LanguageTables {
  /** Type name by stored type (symbol, with ERROR moved to the end). */
  names: string[];
  named: Uint8Array;
  errorType: number;
  fieldNames: (string | null)[];
  fieldIds: Map<string, number>;
  /** Stored types by name (named and anonymous symbols share names, as `await`). */
  typesByName: Map<string, number[]>;
  /** descendantsOfType's type sets, by the names asked for. */
  typeSets: Map<string, Uint8Array | undefined>;
  /** 1 for the types whose children can have fields (the walk reads no field elsewhere). */
  fieldParents: Uint8Array;
  /** 1 for named types and the anonymous non-tokens: the walk asks tree-sitter for their errors. */
  mayHoldErrors: Uint8Array;
}

const tablesByLanguage = new WeakMap<Language, LanguageTables>();

function tablesOf(language: Language): LanguageTables {
  let t = tablesByLanguage.get(language);
  if (t) return t;
  const count = language.nodeTypeCount;
  const names: string[] = [];
  const named = new Uint8Array(count + 1);
  for (let id = 0; id < count; id++) {
    names[id] = language.nodeTypeForId(id) ?? '';
    named[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
  }
  names[count] = 'ERROR';
  named[count] = 1;
  const fieldNames: (string | null)[] = [...language.fields];
  const fieldIds = new Map<string, number>();
  fieldNames.forEach((f, id) => {
    if (f && !fieldIds.has(f)) fieldIds.set(f, id);
  });
  const typesByName = new Map<string, number[]>();
  names.forEach((name, id) => {
    const list = typesByName.get(name);
    if (list) list.push(id);
    else typesByName.set(name, [id]);
  });
  const fieldParents = new Uint8Array(count + 1);
  for (const name of FIELD_PARENT_TYPES) for (const id of typesByName.get(name) ?? []) fieldParents[id] = 1;
  const mayHoldErrors = named.slice();
  for (const name of ANONYMOUS_NONTERMINALS) for (const id of typesByName.get(name) ?? []) mayHoldErrors[id] = 1;
  t = { names, named, errorType: count, fieldNames, fieldIds, typesByName, typeSets: new Map(), fieldParents, mayHoldErrors };
  tablesByLanguage.set(language, t);
  return t;
}

export interface Point {
  row: number;
  column: number;
}

/** How many error spans `SyntaxTree.errorSpans` lists by default. */
export const MAX_ERROR_SPANS = 100;

export class SyntaxTree {
  readonly count: number;
  readonly types: Uint16Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly fields: Uint16Array;
  readonly parents: Int32Array;
  /** Index just past the last descendant. */
  readonly after: Int32Array;
  readonly flags: Uint8Array;
  /**
   * How deep the tree nests (the root is depth 0); after an incremental update, an upper
   * bound. Deep trees make some of tree-sitter's own walks slow (see PyDocument.update).
   */
  readonly maxDepth: number;
  readonly tables: LanguageTables;
  private lineStarts?: readonly number[];
  /**
   * What passes derive from this tree once (main guards, top-level statements), by key. A
   * field and not a WeakMap keyed by the tree: a tree lives for one lint or edit, and weak
   * tables of short-lived keys cost every garbage collection.
   */
  readonly derived = new Map<string, unknown>();

  private constructor(
    readonly text: string,
    readonly language: Language,
    arrays: ArrayViews,
  ) {
    this.tables = tablesOf(language);
    this.count = arrays.count;
    this.maxDepth = arrays.maxDepth;
    this.types = arrays.types;
    this.starts = arrays.starts;
    this.ends = arrays.ends;
    this.fields = arrays.fields;
    this.parents = arrays.parents;
    this.after = arrays.after;
    this.flags = arrays.flags;
  }

  /** A tree from arrays read elsewhere (`arrays()` of a tree of the same language, e.g. in a worker thread). */
  static fromArrays(text: string, language: Language, arrays: ArrayViews): SyntaxTree {
    return new SyntaxTree(text, language, arrays);
  }

  /** The node arrays (views; their buffers can be transferred to another thread). */
  arrays(): ArrayViews {
    const { count, maxDepth, types, starts, ends, fields, parents, after, flags } = this;
    return { count, maxDepth, types, starts, ends, fields, parents, after, flags };
  }

  /**
   * Reads web-tree-sitter's tree into arrays: from wasm memory when the layout is checked
   * (`raw.memory`, unless `useMemory` is false), else through the raw exports when given.
   */
  static from(tree: Tree, text: string, raw?: RawTreeSitter, useMemory = true): SyntaxTree {
    const language = tree.language;
    const tables = tablesOf(language);
    const root = tree.rootNode;
    const count = root.descendantCount;
    const hasError = root.hasError;
    const a = new Arrays(count);
    const memory = useMemory ? memoryOf(tree, raw) : undefined;
    const filled = memory
      ? fillFromMemory(memory.heap, memory.tree, memory.layout, tables, a, hasError)
      : walk(tree, raw, (ops) => fillSiblings(a, 0, -1, 1, tables, hasError, ops), useMemory);
    if (filled !== count) throw new Error(`syntax tree walk visited ${filled} of ${count} nodes`);
    return new SyntaxTree(text, language, a.trimmed(count));
  }

  /**
   * The tree after one edit, re-reading only the top-level statements the edit touched:
   * the others are copied (those after the edit shifted by its length). `changed` are
   * web-tree-sitter's changed ranges between the old (edited) and the new tree. Falls back
   * to a full read when the top-level statements around the edit do not line up.
   */
  static update(prev: SyntaxTree, tree: Tree, text: string, edit: { start: number; deleted: number; inserted: number }, changed: readonly { startIndex: number; endIndex: number }[], raw?: RawTreeSitter): SyntaxTree {
    const language = tree.language;
    if (language !== prev.language) return SyntaxTree.from(tree, text, raw);
    const tables = tablesOf(language);
    // Read before the walk: any other web-tree-sitter call in the walk would overwrite the
    // cursor it keeps in the transfer buffer.
    const root = tree.rootNode;
    const hasError = root.hasError;
    const rootStart = root.startIndex;
    const rootEnd = root.endIndex;
    const rootType = root.typeId === ERROR_SYMBOL ? tables.errorType : root.typeId;
    // A file that stops parsing as a module (its root an ERROR node) is read afresh.
    if (rootType !== prev.types[0]) return SyntaxTree.from(tree, text, raw);
    const delta = edit.inserted - edit.deleted;
    const editStart = edit.start;
    const oldEditEnd = edit.start + edit.deleted;
    const newEditEnd = edit.start + edit.inserted;
    const touches = (s: number, e: number) => changed.some((r) => r.startIndex < e && s < r.endIndex);
    let result: SyntaxTree | undefined;
    walk(tree, raw, (ops) => {
      // Descend from the root while exactly one child holds everything that changed: its
      // siblings before and after are copied, and so is everything around its ancestors.
      // `container` is the same index in the old and the new arrays (all before it is copied).
      let container = 0;
      /** Ancestors of the re-read part (containers left behind), with tree-sitter's hasError. */
      const ancestors: { index: number; end: number; hasError: boolean; field: number }[] = [];
      let a = 0;
      let dirtyNew = 0;
      let oldDirtyStart = 0;
      let oldSuffixStart = 0;
      for (;;) {
        const oldKids: number[] = [];
        for (let c = container + 1; c < prev.after[container]; c = prev.after[c]) oldKids.push(c);
        // New children: start, end, type (the cursor ends on the last one read).
        const newStarts: number[] = [];
        const newEnds: number[] = [];
        const newTypes: number[] = [];
        if (ops.firstChild()) {
          do {
            let t = ops.typeId();
            if (t === ERROR_SYMBOL) t = tables.errorType;
            newTypes.push(t);
            newStarts.push(ops.start());
            newEnds.push(ops.end());
          } while (ops.nextSibling());
          ops.parent();
        }
        const m = oldKids.length;
        const n = newStarts.length;
        // Clean prefix: ends before the edit, same node, no structural change.
        a = 0;
        while (a < m && a < n) {
          const o = oldKids[a];
          if (!(prev.ends[o] < editStart && prev.starts[o] === newStarts[a] && prev.ends[o] === newEnds[a] && prev.types[o] === newTypes[a] && !touches(newStarts[a], newEnds[a]))) break;
          a++;
        }
        // Clean suffix: starts after the edit, same node shifted by delta.
        let b = 0;
        while (b < m - a && b < n - a) {
          const o = oldKids[m - 1 - b];
          const j = n - 1 - b;
          if (!(prev.starts[o] > oldEditEnd && newStarts[j] > newEditEnd && prev.starts[o] + delta === newStarts[j] && prev.ends[o] + delta === newEnds[j] && prev.types[o] === newTypes[j] && !touches(newStarts[j], newEnds[j]))) break;
          b++;
        }
        dirtyNew = n - a - b;
        const end = prev.after[container];
        oldDirtyStart = a < m ? oldKids[a] : end;
        oldSuffixStart = b > 0 ? oldKids[m - b] : end;
        // One old and one new child of the same kind starting at the same place, both with
        // children: look inside it.
        const o = oldKids[a];
        if (dirtyNew === 1 && m - a - b === 1 && prev.types[o] === newTypes[a] && prev.starts[o] === newStarts[a] && prev.after[o] > o + 1 && newEnds[a] > newStarts[a]) {
          ops.firstChild();
          for (let k = 0; k < a; k++) ops.nextSibling();
          // (The cursor is on that child now.)
          if (!ops.firstChild()) break; // no children in the new tree after all: re-read it
          ops.parent();
          container = o;
          ancestors.push({ index: o, end: ops.end(), hasError: hasError && ops.hasError(), field: ops.field() });
          continue;
        }
        // Put the cursor on the first dirty child.
        if (dirtyNew > 0) {
          ops.firstChild();
          for (let k = 0; k < a; k++) ops.nextSibling();
        }
        break;
      }
      const total = prev.count;
      const suffixCount = total - oldSuffixStart;
      const arr = new Arrays(oldDirtyStart + (oldSuffixStart - oldDirtyStart) + suffixCount + 16);
      arr.copyFrom(prev, 0, oldDirtyStart, 0, 0, 0);
      const containerHasError = ancestors.length > 0 ? ancestors[ancestors.length - 1].hasError : hasError;
      const next = dirtyNew > 0 ? fillSiblings(arr, oldDirtyStart, container, dirtyNew, tables, containerHasError, ops) : oldDirtyStart;
      const shiftIndex = next - oldSuffixStart;
      arr.ensure(next + suffixCount);
      arr.copyFrom(prev, oldSuffixStart, suffixCount, next, shiftIndex, delta);
      const count = next + suffixCount;
      // The re-read part starts below its ancestors; the copied parts keep the old bound.
      arr.maxDepth = Math.max(prev.maxDepth, arr.maxDepth + ancestors.length + 1);
      // The containers now end later (or sooner) by the edit, and their subtrees hold more
      // (or fewer) nodes.
      for (const anc of ancestors) {
        const k = anc.index;
        if (k === 0) continue;
        arr.ends[k] = anc.end;
        arr.after[k] += shiftIndex;
        arr.flags[k] = anc.hasError ? arr.flags[k] | FLAG_HAS_ERROR : arr.flags[k] & ~FLAG_HAS_ERROR;
        arr.fields[k] = anc.field;
      }
      // The root spans the new text.
      arr.starts[0] = rootStart;
      arr.ends[0] = rootEnd;
      arr.after[0] = count;
      arr.parents[0] = -1;
      // Copied nodes keep their flags (tree-sitter reused their subtrees); the root's is new.
      arr.flags[0] = hasError ? arr.flags[0] | FLAG_HAS_ERROR : arr.flags[0] & ~FLAG_HAS_ERROR;
      result = new SyntaxTree(text, language, arr.trimmed(count));
      return count;
    });
    const out = result ?? SyntaxTree.from(tree, text, raw);
    out.lineStarts ??= SyntaxTree.movedLineStarts(prev, text, editStart, oldEditEnd, newEditEnd);
    return out;
  }

  /**
   * Spans of the ERROR and (unless `missing` is false) MISSING nodes, outermost first in
   * document order (an ERROR node's insides are not listed), at most `max`. Walks the arrays,
   * skipping every subtree without an error.
   */
  errorSpans(max = MAX_ERROR_SPANS, missing = true): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    const { flags, after, starts, ends, count } = this;
    const wanted = missing ? FLAG_ERROR | FLAG_MISSING : FLAG_ERROR;
    let i = 0;
    while (i < count && out.length < max) {
      const f = flags[i];
      if ((f & wanted) !== 0) {
        out.push({ start: starts[i], end: ends[i] });
        i = after[i];
      } else if ((f & FLAG_HAS_ERROR) === 0) {
        i = after[i];
      } else {
        i++;
      }
    }
    return out;
  }

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  node(index: number): SyntaxNode {
    return new SyntaxNode(this, index);
  }

  typeName(index: number): string {
    return this.tables.names[this.types[index]];
  }

  /** Stored type ids with this name (a named node and a keyword can share one). */
  typeIds(name: string): readonly number[] {
    return this.tables.typesByName.get(name) ?? [];
  }

  /**
   * The ids of the identifiers spelled `name` that lie in [from, to), in document order:
   * found with the text's `indexOf` and a binary search over the nodes' starts, so a
   * question about one name touches the few places that spell it, not every node.
   */
  identifiersSpelled(name: string, from = 0, to = this.text.length): number[] {
    const out: number[] = [];
    const identifiers = this.typeSet('identifier');
    if (!identifiers || name.length === 0) return out;
    const { text, starts, ends, types, count } = this;
    // (A range's own text: the search stops at its end.)
    const hay = from === 0 && to >= text.length ? text : text.slice(from, to);
    for (let i = indexOfName(hay, name); i !== -1; i = indexOfName(hay, name, i + 1)) {
      const at = from + i;
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] < at) lo = mid + 1;
        else hi = mid;
      }
      // (The nodes starting there nest, outermost first: the identifier is the innermost.)
      for (let k = lo; k < count && starts[k] === at; k++) {
        if (identifiers[types[k]] === 1 && ends[k] === at + name.length) {
          out.push(k);
          break;
        }
      }
    }
    return out;
  }

  /** By stored type: 1 for the types with one of these names; undefined when none exists. */
  typeSet(types: string | readonly string[]): Uint8Array | undefined {
    const key = typeof types === 'string' ? types : types.join(' ');
    const cache = this.tables.typeSets;
    if (cache.has(key)) return cache.get(key);
    const wanted = new Uint8Array(this.tables.names.length);
    let any = false;
    for (const t of typeof types === 'string' ? [types] : types) {
      for (const id of this.typeIds(t)) {
        wanted[id] = 1;
        any = true;
      }
    }
    cache.set(key, any ? wanted : undefined);
    return any ? wanted : undefined;
  }

  fieldId(name: string): number {
    return this.tables.fieldIds.get(name) ?? -1;
  }

  /**
   * The line starts of the text after an edit that removed and inserted no line break: the
   * last tree's, moved past the edit (a scan of the whole text for each keystroke otherwise).
   */
  private static movedLineStarts(prev: SyntaxTree, text: string, start: number, oldEnd: number, newEnd: number): readonly number[] | undefined {
    const before = prev.lineStarts;
    if (!before || hasBreak(prev.text, start, oldEnd) || hasBreak(text, start, newEnd)) return undefined;
    const delta = newEnd - oldEnd;
    const starts = before.slice();
    if (delta !== 0) for (let i = starts.length - 1; i >= 0 && starts[i] > start; i--) starts[i] += delta;
    return starts;
  }

  /** Row (0-based, counted in `\n` as tree-sitter does) of a UTF-16 offset. */
  rowAt(offset: number): number {
    const starts = this.lineStarts ?? (this.lineStarts = lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  pointAt(offset: number): Point {
    const row = this.rowAt(offset);
    return { row, column: offset - (this.lineStarts as readonly number[])[row] };
  }
}

function hasBreak(text: string, from: number, to: number): boolean {
  const i = text.indexOf('\n', from);
  return i !== -1 && i < to;
}

function lineStartsOf(text: string): readonly number[] {
  // Without a carriage return the shared index of the text (rules ask it for rows too) has
  // tree-sitter's rows; with one, tree-sitter counts only \n.
  const shared = LineIndex.of(text);
  if (!shared.hasCarriageReturn) return shared.starts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The node arrays while they are filled (growable). */
class Arrays {
  types: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  fields: Uint16Array;
  parents: Int32Array;
  after: Int32Array;
  flags: Uint8Array;
  /** Deepest nesting filled so far (below the node fillSiblings started under). */
  maxDepth = 0;

  constructor(capacity: number) {
    capacity = Math.max(capacity, 1);
    this.types = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.fields = new Uint16Array(capacity);
    this.parents = new Int32Array(capacity);
    this.after = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  ensure(size: number): void {
    if (size <= this.types.length) return;
    const capacity = Math.max(size, this.types.length * 2);
    this.types = grownTo(this.types, capacity);
    this.starts = grownTo(this.starts, capacity);
    this.ends = grownTo(this.ends, capacity);
    this.fields = grownTo(this.fields, capacity);
    this.parents = grownTo(this.parents, capacity);
    this.after = grownTo(this.after, capacity);
    this.flags = grownTo(this.flags, capacity);
  }

  /** Copies `count` nodes of `src` from `from` to `to`, shifting indices and offsets. */
  copyFrom(src: SyntaxTree, from: number, count: number, to: number, shiftIndex: number, shiftOffset: number): void {
    this.ensure(to + count);
    const end = from + count;
    this.types.set(src.types.subarray(from, end), to);
    this.fields.set(src.fields.subarray(from, end), to);
    this.flags.set(src.flags.subarray(from, end), to);
    if (shiftIndex === 0 && shiftOffset === 0) {
      this.starts.set(src.starts.subarray(from, end), to);
      this.ends.set(src.ends.subarray(from, end), to);
      this.parents.set(src.parents.subarray(from, end), to);
      this.after.set(src.after.subarray(from, end), to);
      return;
    }
    const { starts, ends, parents, after } = this;
    for (let i = from, k = to; i < end; i++, k++) {
      starts[k] = src.starts[i] + shiftOffset;
      ends[k] = src.ends[i] + shiftOffset;
      const p = src.parents[i];
      // Parents before the copied range (ancestors, or the root) keep their index.
      parents[k] = p < from ? p : p + shiftIndex;
      after[k] = src.after[i] + shiftIndex;
    }
  }

  trimmed(count: number): ArrayViews {
    return {
      count,
      maxDepth: this.maxDepth,
      types: this.types.subarray(0, count),
      starts: this.starts.subarray(0, count),
      ends: this.ends.subarray(0, count),
      fields: this.fields.subarray(0, count),
      parents: this.parents.subarray(0, count),
      after: this.after.subarray(0, count),
      flags: this.flags.subarray(0, count),
    };
  }
}

/** A syntax tree's node arrays (plain typed arrays: another thread can send them, transferred). */
export interface ArrayViews {
  count: number;
  maxDepth: number;
  types: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  fields: Uint16Array;
  parents: Int32Array;
  after: Int32Array;
  flags: Uint8Array;
}


/** The tree's memory and checked layout, when it can be read from wasm memory (its language's layout is checked). */
function memoryOf(tree: Tree, raw: RawTreeSitter | undefined): { heap: ArrayBuffer; tree: number; layout: MemoryLayout } | undefined {
  const layout = raw?.memory;
  if (!layout) return undefined;
  const treePtr = (tree as unknown as Record<number, number>)[0];
  const heap = raw.module.HEAP8.buffer as ArrayBuffer;
  return treeLanguageAddress(heap, treePtr) === layout.language ? { heap, tree: treePtr, layout } : undefined;
}

/**
 * Runs `body` with a cursor on the tree's root. Through web-tree-sitter's C exports when
 * reachable, with the cursor left in the transfer buffer between calls (the public
 * `TreeCursor` copies it in and out around every call); else through the public API.
 */
function walk(tree: Tree, raw: RawTreeSitter | undefined, body: (ops: CursorOps) => number, useMemory = true): number {
  // Straight from wasm memory when the layout is known (nothing in the walk calls into wasm,
  // so the memory cannot grow under the cursor's views).
  const memory = useMemory ? memoryOf(tree, raw) : undefined;
  if (memory) return body(new MemoryCursor(memory.heap, memory.tree, memory.layout));
  // `body` must not call web-tree-sitter: that would overwrite the cursor in the transfer buffer.
  const cursor = tree.walk() as unknown as Record<number, number> & TreeCursor;
  if (!raw) {
    try {
      return body({
        firstChild: () => cursor.gotoFirstChild(),
        nextSibling: () => cursor.gotoNextSibling(),
        parent: () => cursor.gotoParent(),
        typeId: () => cursor.nodeTypeId,
        start: () => cursor.startIndex,
        end: () => cursor.endIndex,
        field: () => cursor.currentFieldId,
        missing: () => cursor.nodeIsMissing,
        hasError: () => cursor.currentNode.hasError,
      });
    } finally {
      cursor.delete();
    }
  }
  const treePtr = (tree as unknown as Record<number, number>)[0];
  const m = raw.module;
  const transfer = raw.transfer;
  let view = new DataView(m.HEAP8.buffer);
  for (let k = 0; k < 4; k++) view.setInt32(transfer + 4 * k, cursor[k], true);
  const firstChild = m._ts_tree_cursor_goto_first_child_wasm;
  const nextSibling = m._ts_tree_cursor_goto_next_sibling_wasm;
  const parent = m._ts_tree_cursor_goto_parent_wasm;
  const typeId = m._ts_tree_cursor_current_node_type_id_wasm;
  const startIndex = m._ts_tree_cursor_start_index_wasm;
  const endIndex = m._ts_tree_cursor_end_index_wasm;
  const fieldId = m._ts_tree_cursor_current_field_id_wasm;
  const isMissing = m._ts_tree_cursor_current_node_is_missing_wasm;
  const currentNode = m._ts_tree_cursor_current_node_wasm;
  const nodeHasError = m._ts_node_has_error_wasm;
  const saved = new Int32Array(4);
  // A view of the cursor's four words in the transfer buffer; made again only if the wasm
  // memory grew (its old buffer is then detached).
  let words = new Int32Array(m.HEAP8.buffer, transfer, 4);
  try {
    return body({
      firstChild: () => firstChild(treePtr) === 1,
      nextSibling: () => nextSibling(treePtr) === 1,
      parent: () => parent(treePtr) === 1,
      typeId: () => typeId(treePtr),
      start: () => startIndex(treePtr),
      end: () => endIndex(treePtr),
      field: () => fieldId(treePtr),
      missing: () => isMissing(treePtr) === 1,
      hasError: () => {
        // The node goes through the same buffer as the cursor: keep the cursor aside.
        if (words.buffer !== m.HEAP8.buffer) words = new Int32Array(m.HEAP8.buffer, transfer, 4);
        saved[0] = words[0];
        saved[1] = words[1];
        saved[2] = words[2];
        saved[3] = words[3];
        currentNode(treePtr);
        const result = nodeHasError(treePtr) === 1;
        if (words.buffer !== m.HEAP8.buffer) words = new Int32Array(m.HEAP8.buffer, transfer, 4);
        words.set(saved);
        return result;
      },
    });
  } finally {
    // Hand the cursor back to its JS object so `delete` frees what the walk allocated.
    view = new DataView(m.HEAP8.buffer);
    for (let k = 0; k < 4; k++) cursor[k] = view.getInt32(transfer + 4 * k, true);
    cursor.delete();
  }
}

/**
 * Reads `siblings` subtrees in pre-order from the cursor's node on, into `a` from index
 * `first`, their parent being `parent0`. Returns the index past the last node read.
 * `parentHasError`: whether tree-sitter says `parent0` (for the root: the tree) has an error.
 * A node without an error has none below it, and a MISSING node puts an error in its parent,
 * so tree-sitter is asked about `missing` and `hasError` only under parents with an error:
 * in a file with one typo, a few dozen nodes instead of all of them.
 */
function fillSiblings(a: Arrays, first: number, parent0: number, siblings: number, tables: LanguageTables, parentHasError: boolean, c: CursorOps): number {
  const named = tables.named;
  const errorType = tables.errorType;
  const fieldParents = tables.fieldParents;
  const mayHoldErrors = tables.mayHoldErrors;
  const stack: number[] = [];
  let parent = parent0;
  let n = first;
  let remaining = siblings;
  for (;;) {
    if (n >= a.types.length) a.ensure(n + 1);
    const i = n++;
    let type = c.typeId();
    let flag = 0;
    if (type === ERROR_SYMBOL) {
      type = errorType;
      flag = FLAG_ERROR;
    }
    a.types[i] = type;
    if (named[type]) flag |= FLAG_NAMED;
    if (parent === parent0 ? parentHasError : (a.flags[parent] & FLAG_HAS_ERROR) !== 0) {
      if (c.missing()) flag |= FLAG_MISSING;
      // A token's only error is being missing.
      if (mayHoldErrors[type] === 1 ? c.hasError() : (flag & FLAG_MISSING) !== 0) flag |= FLAG_HAS_ERROR;
    }
    a.flags[i] = flag;
    a.starts[i] = c.start();
    a.ends[i] = c.end();
    a.fields[i] = parent >= 0 && fieldParents[a.types[parent]] === 1 ? c.field() : 0;
    a.parents[i] = parent;
    if (c.firstChild()) {
      stack.push(parent);
      if (stack.length > a.maxDepth) a.maxDepth = stack.length;
      parent = i;
      continue;
    }
    a.after[i] = i + 1;
    for (;;) {
      if (parent === parent0) {
        if (--remaining === 0 || !c.nextSibling()) return n;
        break;
      }
      if (c.nextSibling()) break;
      c.parent();
      a.after[parent] = n;
      parent = stack.pop() as number;
    }
  }
}

/** The first difference between two reads of a tree (same text), or undefined when they agree. */
export function treeDifference(a: SyntaxTree, b: SyntaxTree): string | undefined {
  if (a.count !== b.count) return `${a.count} nodes, ${b.count} nodes`;
  const arrays = ['types', 'starts', 'ends', 'fields', 'parents', 'after', 'flags'] as const;
  for (let i = 0; i < a.count; i++) {
    for (const k of arrays) if (a[k][i] !== b[k][i]) return `node ${i} (${a.typeName(i)}): ${k} ${a[k][i]} vs ${b[k][i]}`;
  }
  if (a.maxDepth !== b.maxDepth) return `maxDepth ${a.maxDepth} vs ${b.maxDepth}`;
  return undefined;
}

/**
 * Turns on the memory cursor for trees of `language` when its layout checks out and a read
 * of `tree` (a parse of a sample that has aliases, fields, extras, errors and MISSING nodes)
 * from memory equals the read through web-tree-sitter's exports. Returns why not, if not.
 */
export function enableMemoryCursor(raw: RawTreeSitter, language: Language, tree: Tree, text: string): string | undefined {
  raw.memory = undefined;
  const layout = memoryLayout(raw.module.HEAP8.buffer as ArrayBuffer, language);
  if (!layout) return 'the grammar\'s layout in wasm memory is not the expected one';
  const expected = SyntaxTree.from(tree, text, raw, false);
  raw.memory = layout;
  let diff: string | undefined;
  try {
    diff = treeDifference(expected, SyntaxTree.from(tree, text, raw, true));
  } catch (err) {
    diff = err instanceof Error ? err.message : String(err);
  }
  if (diff) raw.memory = undefined;
  return diff;
}

const EMPTY: readonly SyntaxNode[] = [];

/** A node of a SyntaxTree; the subset of web-tree-sitter's `Node` that the engine uses. */
export class SyntaxNode {
  constructor(
    readonly tree: SyntaxTree,
    /** Pre-order index; unique within the tree. */
    readonly id: number,
  ) {}

  get typeId(): number {
    return this.tree.types[this.id];
  }

  get type(): string {
    return this.tree.tables.names[this.tree.types[this.id]];
  }

  get isNamed(): boolean {
    return (this.tree.flags[this.id] & FLAG_NAMED) !== 0;
  }

  get isError(): boolean {
    return (this.tree.flags[this.id] & FLAG_ERROR) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.flags[this.id] & FLAG_MISSING) !== 0;
  }

  get hasError(): boolean {
    // tree-sitter's own answer, read in the walk (only trees with an error have any).
    return (this.tree.flags[this.id] & FLAG_HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.tree.starts[this.id];
  }

  get endIndex(): number {
    return this.tree.ends[this.id];
  }

  get text(): string {
    return this.tree.text.slice(this.tree.starts[this.id], this.tree.ends[this.id]);
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.tree.starts[this.id]);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.tree.ends[this.id]);
  }

  get parent(): SyntaxNode | null {
    const p = this.tree.parents[this.id];
    return p < 0 ? null : this.tree.node(p);
  }

  get childCount(): number {
    const after = this.tree.after;
    let n = 0;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) n++;
    return n;
  }

  get children(): SyntaxNode[] {
    const { after } = this.tree;
    const end = after[this.id];
    if (end === this.id + 1) return EMPTY as SyntaxNode[];
    const out: SyntaxNode[] = [];
    for (let c = this.id + 1; c < end; c = after[c]) out.push(this.tree.node(c));
    return out;
  }

  get namedChildren(): SyntaxNode[] {
    const { after, flags } = this.tree;
    const end = after[this.id];
    if (end === this.id + 1) return EMPTY as SyntaxNode[];
    const out: SyntaxNode[] = [];
    for (let c = this.id + 1; c < end; c = after[c]) if (flags[c] & FLAG_NAMED) out.push(this.tree.node(c));
    return out;
  }

  /** The first named child that passes `test` (namedChildren.find without the array). */
  findNamedChild(test: (child: SyntaxNode) => unknown): SyntaxNode | undefined {
    const { after, flags } = this.tree;
    const end = after[this.id];
    for (let c = this.id + 1; c < end; c = after[c]) {
      if (!(flags[c] & FLAG_NAMED)) continue;
      const node = this.tree.node(c);
      if (test(node)) return node;
    }
    return undefined;
  }

  /**
   * The named descendants in document order, as a walk down `namedChildren` visits them (a
   * node's subtree is left out when it is not named), without the arrays: `visit` returns
   * 'skip' to leave out the node's own descendants, 'stop' to end the walk.
   */
  walkNamed(visit: (node: SyntaxNode) => 'skip' | 'stop' | undefined | void): void {
    const { after, flags } = this.tree;
    const end = after[this.id];
    for (let i = this.id + 1; i < end; ) {
      if (!(flags[i] & FLAG_NAMED)) {
        i = after[i];
        continue;
      }
      const r = visit(this.tree.node(i));
      if (r === 'stop') return;
      i = r === 'skip' ? after[i] : i + 1;
    }
  }

  /** Whether a named child passes `test`. */
  someNamedChild(test: (child: SyntaxNode) => unknown): boolean {
    return this.findNamedChild(test) !== undefined;
  }

  get namedChildCount(): number {
    const { after, flags } = this.tree;
    let n = 0;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) if (flags[c] & FLAG_NAMED) n++;
    return n;
  }

  child(index: number): SyntaxNode | null {
    const after = this.tree.after;
    let k = 0;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) if (k++ === index) return this.tree.node(c);
    return null;
  }

  namedChild(index: number): SyntaxNode | null {
    const { after, flags } = this.tree;
    let k = 0;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) if (flags[c] & FLAG_NAMED && k++ === index) return this.tree.node(c);
    return null;
  }

  get firstChild(): SyntaxNode | null {
    return this.tree.after[this.id] > this.id + 1 ? this.tree.node(this.id + 1) : null;
  }

  get lastChild(): SyntaxNode | null {
    const after = this.tree.after;
    let last = -1;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) last = c;
    return last < 0 ? null : this.tree.node(last);
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChild(0);
  }

  get lastNamedChild(): SyntaxNode | null {
    const { after, flags } = this.tree;
    let last = -1;
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) if (flags[c] & FLAG_NAMED) last = c;
    return last < 0 ? null : this.tree.node(last);
  }

  get nextSibling(): SyntaxNode | null {
    const { after, parents } = this.tree;
    const p = parents[this.id];
    if (p < 0) return null;
    const next = after[this.id];
    return next < after[p] ? this.tree.node(next) : null;
  }

  get previousSibling(): SyntaxNode | null {
    const { after, parents } = this.tree;
    const p = parents[this.id];
    if (p < 0) return null;
    let prev = -1;
    for (let c = p + 1; c < this.id; c = after[c]) prev = c;
    return prev < 0 ? null : this.tree.node(prev);
  }

  get nextNamedSibling(): SyntaxNode | null {
    const { after, parents, flags } = this.tree;
    const p = parents[this.id];
    if (p < 0) return null;
    for (let c = after[this.id]; c < after[p]; c = after[c]) if (flags[c] & FLAG_NAMED) return this.tree.node(c);
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const { after, parents, flags } = this.tree;
    const p = parents[this.id];
    if (p < 0) return null;
    let prev = -1;
    for (let c = p + 1; c < this.id; c = after[c]) if (flags[c] & FLAG_NAMED) prev = c;
    return prev < 0 ? null : this.tree.node(prev);
  }

  childForFieldName(name: string): SyntaxNode | null {
    const tree = this.tree;
    const field = tree.tables.fieldIds.get(name);
    if (field === undefined) return null;
    const { after, fields } = tree;
    const end = after[this.id];
    for (let c = this.id + 1; c < end; c = after[c]) if (fields[c] === field) return new SyntaxNode(tree, c);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const tree = this.tree;
    const field = tree.tables.fieldIds.get(name);
    if (field === undefined) return [];
    const { after, fields } = tree;
    const out: SyntaxNode[] = [];
    for (let c = this.id + 1; c < after[this.id]; c = after[c]) if (fields[c] === field) out.push(tree.node(c));
    return out;
  }

  /** Field name of this node in its parent, if any. */
  get fieldName(): string | null {
    return this.tree.tables.fieldNames[this.tree.fields[this.id]] ?? null;
  }

  /**
   * This node and its descendants whose type has one of the names, in document order (the
   * node itself included, and named and anonymous types alike, as web-tree-sitter does).
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const tree = this.tree;
    const wanted = tree.typeSet(types);
    const out: SyntaxNode[] = [];
    if (!wanted) return out;
    const typesArr = tree.types;
    const end = tree.after[this.id];
    for (let i = this.id; i < end; i++) if (wanted[typesArr[i]]) out.push(tree.node(i));
    return out;
  }

  /** The smallest node (named or not) that spans start..end (tree-sitter's rules for empty nodes). */
  descendantForIndex(start: number, end = start): SyntaxNode {
    const { after, starts, ends } = this.tree;
    let node = this.id;
    for (let descended = true; descended; ) {
      descended = false;
      for (let c = node + 1; c < after[node]; c = after[c]) {
        const cEnd = ends[c];
        if (cEnd < end) continue;
        const empty = starts[c] === cEnd;
        if (empty ? cEnd < start : cEnd <= start) continue;
        if (start < starts[c]) break;
        node = c;
        descended = true;
        break;
      }
    }
    return this.tree.node(node);
  }

  equals(other: SyntaxNode | null | undefined): boolean {
    return !!other && other.tree === this.tree && other.id === this.id;
  }

  toString(): string {
    return `(${this.type} ${this.startIndex}..${this.endIndex})`;
  }
}

/** The node type the engine works with. */
export type Node = SyntaxNode;
