// A tree cursor that reads tree-sitter's tree straight out of WebAssembly memory.
//
// The engine reads each tree once into its arrays (syntax.ts). Through web-tree-sitter's
// exports that is five or six calls into wasm per node, each of which rebuilds the cursor
// from the transfer buffer and the current node from the cursor: a fifth of `conclens
// check`'s CPU time on the standard library, as much as all the rules together. This cursor
// does the same walk in JS over the subtrees in the wasm heap, with no call into wasm.
//
// It depends on the memory layout of tree-sitter's `Subtree`, `TSTree` and `TSLanguage`
// (lib/src/subtree.h, tree.h, parser.h of the pinned web-tree-sitter, 0.25.x, built for
// wasm32) and mirrors lib/src/tree_cursor.c: visible nodes only (hidden nodes are looked
// through), aliases from the parent production's alias sequence, field ids from the field
// map of the nearest visible ancestor's production. `memoryLayout` checks the layout
// against web-tree-sitter's own answers for the language, and syntax.ts compares a read
// with the exported cursor's on a sample text before trusting it (`enableMemoryCursor`);
// when either disagrees, the engine keeps the exported cursor.
import type { Language } from 'web-tree-sitter';

/** What the engine's tree reader needs from a cursor (web-tree-sitter's or this one). */
export interface CursorOps {
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  typeId(): number;
  start(): number;
  end(): number;
  field(): number;
  missing(): boolean;
  /** tree-sitter's own `hasError` (an error can sit in a hidden node no walk visits). */
  hasError(): boolean;
}

/** Addresses of the language tables the cursor reads (wasm32 `TSLanguage`). */
export interface MemoryLayout {
  language: number;
  maxAliasSequenceLength: number;
  fieldCount: number;
  fieldMapSlices: number;
  fieldMapEntries: number;
  publicSymbolMap: number;
  aliasSequences: number;
}

const ERROR_SYMBOL = 65535;

// Offsets in wasm32 structs.
// TSTree: Subtree root (8 bytes); const TSLanguage *language.
const TREE_LANGUAGE = 8;
// TSLanguage: nine uint32 counts, a uint16, then pointers from offset 40.
const LANG_ABI = 0;
const LANG_SYMBOL_COUNT = 4;
const LANG_ALIAS_COUNT = 8;
const LANG_FIELD_COUNT = 32;
const LANG_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANG_FIELD_NAMES = 60;
const LANG_FIELD_MAP_SLICES = 64;
const LANG_FIELD_MAP_ENTRIES = 68;
const LANG_PUBLIC_SYMBOL_MAP = 76;
const LANG_ALIAS_SEQUENCES = 84;
// SubtreeHeapData: ref_count; Length padding {bytes, row, column}; Length size; lookahead_bytes;
// error_cost; child_count; symbol (u16); parse_state (u16); two bytes of flags; then, for
// nodes with children, visible_child_count, named_child_count, visible_descendant_count,
// dynamic_precedence, repeat_depth (u16), production_id (u16).
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_ERROR_COST = 32;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44; // bit 0 visible, 1 named, 2 extra, ...
const HEAP_FLAGS2 = 45; // bit 0 depends_on_column, 1 is_missing, 2 is_keyword
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_PRODUCTION_ID = 66;
// SubtreeInlineData (8 bytes, little-endian): byte 0 flags (bit 0 is_inline, 1 visible,
// 2 named, 3 extra, 4 has_changes, 5 is_missing, 6 is_keyword), byte 1 symbol, bytes 2-3
// parse_state, byte 4 padding_columns, byte 5 padding_rows/lookahead_bytes, byte 6
// padding_bytes, byte 7 size_bytes.
const INLINE_PADDING_BYTES = 6;
const INLINE_SIZE_BYTES = 7;
/** Subtrees are 8 bytes (a union of the inline data and a pointer). */
const SUBTREE = 8;

type GrowableArray = Uint8Array | Uint16Array | Int32Array | Uint32Array;

/** A copy of `arr` with room for `capacity` elements (the node arrays and the cursors' stacks grow this way). */
export function grownTo<T extends GrowableArray>(arr: T, capacity: number): T {
  const next = new (arr.constructor as new (n: number) => T)(capacity);
  next.set(arr);
  return next;
}

/**
 * The field a production gives its non-extra child number `structIndex` (not inherited
 * fields), from the language's field map; 0 for none.
 */
function fieldInMap(u8: Uint8Array, u16: Uint16Array, L: MemoryLayout, production: number, structIndex: number): number {
  const slice = L.fieldMapSlices + 4 * production;
  const index = u16[slice >>> 1];
  const length = u16[(slice + 2) >>> 1];
  for (let j = 0; j < length; j++) {
    const entry = L.fieldMapEntries + 4 * (index + j);
    // TSFieldMapEntry: field_id (u16), child_index (u8), inherited (bool).
    if (u8[entry + 3] === 0 && u8[entry + 2] === structIndex) return u16[entry >>> 1];
  }
  return 0;
}

function cString(u8: Uint8Array, at: number): string {
  let end = at;
  while (end < u8.length && u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.subarray(at, end));
}

/**
 * The language's table addresses, when its `TSLanguage` in wasm memory matches what
 * web-tree-sitter says about it (ABI, symbol and field counts, every field name); else
 * undefined.
 */
export function memoryLayout(heap: ArrayBuffer, language: Language): MemoryLayout | undefined {
  const address = (language as unknown as Record<number, number>)[0];
  if (typeof address !== 'number' || address <= 0 || address % 4 !== 0 || address + 128 > heap.byteLength) return undefined;
  const u8 = new Uint8Array(heap);
  const u32 = new Uint32Array(heap);
  const u16 = new Uint16Array(heap);
  const word = (offset: number) => u32[(address + offset) >>> 2];
  const abi = word(LANG_ABI);
  if (abi !== language.abiVersion || abi < 14 || abi > 15) return undefined;
  if (word(LANG_SYMBOL_COUNT) + word(LANG_ALIAS_COUNT) !== language.nodeTypeCount) return undefined;
  const fieldCount = word(LANG_FIELD_COUNT);
  if (fieldCount !== language.fieldCount) return undefined;
  const fieldNames = word(LANG_FIELD_NAMES);
  for (let id = 1; id <= fieldCount; id++) {
    const at = u32[(fieldNames + 4 * id) >>> 2];
    if (!at || at >= heap.byteLength || cString(u8, at) !== language.fieldNameForId(id)) return undefined;
  }
  const layout: MemoryLayout = {
    language: address,
    maxAliasSequenceLength: u16[(address + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >>> 1],
    fieldCount,
    fieldMapSlices: word(LANG_FIELD_MAP_SLICES),
    fieldMapEntries: word(LANG_FIELD_MAP_ENTRIES),
    publicSymbolMap: word(LANG_PUBLIC_SYMBOL_MAP),
    aliasSequences: word(LANG_ALIAS_SEQUENCES),
  };
  for (const p of [layout.fieldMapSlices, layout.fieldMapEntries, layout.publicSymbolMap, layout.aliasSequences]) {
    if (!p || p >= heap.byteLength) return undefined;
  }
  return layout;
}

/** The language a tree (a `TSTree *`) was parsed with. */
export function treeLanguageAddress(heap: ArrayBuffer, tree: number): number {
  return new Uint32Array(heap)[(tree + TREE_LANGUAGE) >>> 2];
}

/**
 * tree-sitter's TreeCursor (lib/src/tree_cursor.c) over the memory of a `TSTree`, starting
 * on its root. Entries of the stack: the address of a `Subtree` slot (the tree's root, or an
 * element of a parent's children array), the byte offset where the node starts, its index
 * among the parent's children and among the non-extra ones (for aliases and fields). Hidden
 * nodes are on the stack too, as in tree-sitter.
 */
export class MemoryCursor implements CursorOps {
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  // The stack, one slot per entry: Subtree address, start byte, child index, structural
  // child index, and (visible entries) the node's public type and size in bytes.
  private addr = new Uint32Array(64);
  private pos = new Uint32Array(64);
  private childIndex = new Uint32Array(64);
  private structIndex = new Uint32Array(64);
  private type = new Uint16Array(64);
  private bytes = new Uint32Array(64);
  /** Where the iteration over the parent's children goes on after this entry: byte, structural index; and 1 if the entry is visible. */
  private nextPos = new Uint32Array(64);
  private nextStruct = new Uint32Array(64);
  private visibleEntry = new Uint8Array(64);
  private size = 0;

  constructor(
    heap: ArrayBuffer,
    tree: number,
    private readonly layout: MemoryLayout,
  ) {
    this.u8 = new Uint8Array(heap);
    this.u16 = new Uint16Array(heap);
    this.u32 = new Uint32Array(heap);
    // The root node starts after its padding (ts_tree_root_node) and has no alias.
    const lo = this.u32[tree >>> 2];
    const inline = (lo & 1) !== 0;
    const padding = inline ? this.u8[tree + INLINE_PADDING_BYTES] : this.u32[(lo + HEAP_PADDING_BYTES) >>> 2];
    const bytes = inline ? this.u8[tree + INLINE_SIZE_BYTES] : this.u32[(lo + HEAP_SIZE_BYTES) >>> 2];
    const symbol = inline ? (lo >>> 8) & 0xff : this.u16[(lo + HEAP_SYMBOL) >>> 1];
    this.push(tree, padding, 0, 0, this.publicSymbol(symbol), bytes, 0, 0, 1);
  }

  private push(addr: number, pos: number, childIndex: number, structIndex: number, type: number, bytes: number, nextPos: number, nextStruct: number, visible: number): void {
    const k = this.size++;
    if (k === this.addr.length) this.grow();
    this.addr[k] = addr;
    this.pos[k] = pos;
    this.childIndex[k] = childIndex;
    this.structIndex[k] = structIndex;
    this.type[k] = type;
    this.bytes[k] = bytes;
    this.nextPos[k] = nextPos;
    this.nextStruct[k] = nextStruct;
    this.visibleEntry[k] = visible;
  }

  private grow(): void {
    const n = this.addr.length * 2;
    this.addr = grownTo(this.addr, n);
    this.pos = grownTo(this.pos, n);
    this.childIndex = grownTo(this.childIndex, n);
    this.structIndex = grownTo(this.structIndex, n);
    this.type = grownTo(this.type, n);
    this.bytes = grownTo(this.bytes, n);
    this.nextPos = grownTo(this.nextPos, n);
    this.nextStruct = grownTo(this.nextStruct, n);
    this.visibleEntry = grownTo(this.visibleEntry, n);
  }

  private publicSymbol(symbol: number): number {
    return symbol === ERROR_SYMBOL ? symbol : this.u16[(this.layout.publicSymbolMap >>> 1) + symbol];
  }

  /** Production id of the node whose Subtree is at `a` (0 for leaves). */
  private productionId(a: number): number {
    const lo = this.u32[a >>> 2];
    if (lo & 1 || this.u32[(lo + HEAP_CHILD_COUNT) >>> 2] === 0) return 0;
    return this.u16[(lo + HEAP_PRODUCTION_ID) >>> 1];
  }

  private aliasAt(productionId: number, structIndex: number): number {
    if (productionId === 0) return 0;
    const L = this.layout;
    return this.u16[(L.aliasSequences >>> 1) + productionId * L.maxAliasSequenceLength + structIndex];
  }

  private extra(a: number): boolean {
    const lo = this.u32[a >>> 2];
    return lo & 1 ? (lo & 8) !== 0 : (this.u8[lo + HEAP_FLAGS] & 4) !== 0;
  }

  /** ts_tree_cursor_is_entry_visible. */
  private entryVisible(i: number): boolean {
    if (i === 0) return true;
    const a = this.addr[i];
    const lo = this.u32[a >>> 2];
    if (lo & 1 ? (lo & 2) !== 0 : (this.u8[lo + HEAP_FLAGS] & 1) !== 0) return true;
    if (this.extra(a)) return false;
    return this.aliasAt(this.productionId(this.addr[i - 1]), this.structIndex[i]) !== 0;
  }

  /**
   * ts_tree_cursor_child_iterator_next over the children of stack entry `top`, from child
   * `k` (starting at byte `p`, `s` non-extra children before it): pushes the first child that
   * is visible (returns 1) or hidden with visible children (returns 2); 0 when none is left.
   */
  private scan(top: number, k: number, p: number, s: number): number {
    const { u8, u16, u32 } = this;
    const parentLo = u32[this.addr[top] >>> 2];
    if (parentLo & 1) return 0;
    const count = u32[(parentLo + HEAP_CHILD_COUNT) >>> 2];
    if (count === 0) return 0;
    const production = u16[(parentLo + HEAP_PRODUCTION_ID) >>> 1];
    const L = this.layout;
    const aliases = production === 0 ? -1 : (L.aliasSequences >>> 1) + production * L.maxAliasSequenceLength;
    const base = parentLo - SUBTREE * count;
    while (k < count) {
      const child = base + SUBTREE * k;
      const lo = u32[child >>> 2];
      let extra: boolean;
      let visible: boolean;
      let bytes: number;
      let symbol: number;
      let hiddenWithChildren = false;
      if (lo & 1) {
        extra = (lo & 8) !== 0;
        visible = (lo & 2) !== 0;
        bytes = u8[child + INLINE_SIZE_BYTES];
        symbol = (lo >>> 8) & 0xff;
      } else {
        const flags = u8[lo + HEAP_FLAGS];
        extra = (flags & 4) !== 0;
        visible = (flags & 1) !== 0;
        bytes = u32[(lo + HEAP_SIZE_BYTES) >>> 2];
        symbol = u16[(lo + HEAP_SYMBOL) >>> 1];
        hiddenWithChildren = u32[(lo + HEAP_CHILD_COUNT) >>> 2] > 0 && u32[(lo + HEAP_VISIBLE_CHILD_COUNT) >>> 2] > 0;
      }
      const structIndex = s;
      let alias = 0;
      if (!extra) {
        if (aliases >= 0) {
          alias = u16[aliases + s];
          if (alias !== 0) visible = true;
        }
        s++;
      }
      const start = p;
      p += bytes;
      k++;
      if (k < count) {
        const next = base + SUBTREE * k;
        const nlo = u32[next >>> 2];
        p += nlo & 1 ? u8[next + INLINE_PADDING_BYTES] : u32[(nlo + HEAP_PADDING_BYTES) >>> 2];
      }
      if (visible) {
        this.push(child, start, k - 1, structIndex, this.publicSymbol(alias !== 0 ? alias : symbol), bytes, p, s, 1);
        return 1;
      }
      if (hiddenWithChildren) {
        this.push(child, start, k - 1, structIndex, 0, bytes, p, s, 0);
        return 2;
      }
    }
    return 0;
  }

  firstChild(): boolean {
    for (;;) {
      const top = this.size - 1;
      const step = this.scan(top, 0, this.pos[top], 0);
      if (step === 1) return true;
      if (step === 0) return false;
    }
  }

  nextSibling(): boolean {
    const initial = this.size;
    while (this.size > 1) {
      const e = --this.size;
      // Leaving a visible ancestor of the node we started on: it has no next sibling.
      if (this.visibleEntry[e] === 1 && this.size + 1 < initial) break;
      const step = this.scan(this.size - 1, this.childIndex[e] + 1, this.nextPos[e], this.nextStruct[e]);
      if (step === 1) return true;
      if (step === 2) {
        this.firstChild();
        return true;
      }
    }
    this.size = initial;
    return false;
  }

  parent(): boolean {
    for (let i = this.size - 2; i >= 0; i--) {
      if (this.entryVisible(i)) {
        this.size = i + 1;
        return true;
      }
    }
    return false;
  }

  typeId(): number {
    return this.type[this.size - 1];
  }

  start(): number {
    return this.pos[this.size - 1] >>> 1;
  }

  end(): number {
    const top = this.size - 1;
    return (this.pos[top] + this.bytes[top]) >>> 1;
  }

  field(): number {
    const L = this.layout;
    if (L.fieldCount === 0) return 0;
    const { u8, u16 } = this;
    const last = this.size - 1;
    for (let i = last; i > 0; i--) {
      if (i !== last && this.entryVisible(i)) break;
      if (this.extra(this.addr[i])) break;
      const field = fieldInMap(u8, u16, L, this.productionId(this.addr[i - 1]), this.structIndex[i]);
      if (field !== 0) return field;
    }
    return 0;
  }

  missing(): boolean {
    const a = this.addr[this.size - 1];
    const lo = this.u32[a >>> 2];
    return lo & 1 ? (lo & 32) !== 0 : (this.u8[lo + HEAP_FLAGS2] & 2) !== 0;
  }

  hasError(): boolean {
    if (this.missing()) return true;
    const lo = this.u32[this.addr[this.size - 1] >>> 2];
    return (lo & 1) === 0 && this.u32[(lo + HEAP_ERROR_COST) >>> 2] > 0;
  }
}

/** The engine's node flags (syntax.ts stores them per node). */
export const FLAG_NAMED = 1;
export const FLAG_MISSING = 2;
export const FLAG_ERROR = 4;
export const FLAG_HAS_ERROR = 8;

/** The growable node arrays of syntax.ts, as `fillFromMemory` writes them. */
export interface FillTarget {
  types: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  fields: Uint16Array;
  parents: Int32Array;
  after: Int32Array;
  flags: Uint8Array;
  maxDepth: number;
  ensure(size: number): void;
}

/** Per stored type: named, may hold errors (asked for hasError), has fields below it; and ERROR's stored type. */
export interface FillTables {
  named: Uint8Array;
  mayHoldErrors: Uint8Array;
  fieldParents: Uint8Array;
  errorType: number;
}

/**
 * Reads the whole tree (a `TSTree *`) in pre-order into `a` from index 0, as syntax.ts's
 * `fillSiblings` does through a cursor, but in one loop over the children arrays: a frame
 * per node whose children are being read, visible or hidden (a hidden node's visible
 * children belong to the nearest visible ancestor). Returns the number of nodes.
 * `rootHasError`: tree-sitter's hasError of the root.
 */
export function fillFromMemory(heap: ArrayBuffer, tree: number, L: MemoryLayout, t: FillTables, a: FillTarget, rootHasError: boolean): number {
  reader ??= new MemoryReader();
  return reader.fill(heap, tree, L, t, a, rootHasError);
}

/** One per thread, reused: its frame stack grows to the deepest tree read so far. */
let reader: MemoryReader | undefined;

/**
 * Reads a whole tree (see fillFromMemory). A class with methods rather than a function with
 * closures: closures made per call are new call targets each time, which sends V8's
 * optimized code back to the interpreter file after file.
 */
class MemoryReader {
  // Frames: the node's Subtree data pointer, its child count, the next child, that child's
  // start byte and structural index, the alias sequence (index in u16, -1 for none), the
  // index of the visible node the children belong to, and, for hidden frames, the node's
  // own structural index in its parent and whether it is extra.
  private cap = 64;
  private fPtr = new Int32Array(64);
  private fCount = new Int32Array(64);
  private fK = new Int32Array(64);
  private fPos = new Int32Array(64);
  private fStruct = new Int32Array(64);
  private fAlias = new Int32Array(64);
  private fOwner = new Int32Array(64);
  private fHidden = new Uint8Array(64);
  private fOwnStruct = new Int32Array(64);
  private fExtra = new Uint8Array(64);
  private depth = 0;
  private visibleDepth = 0;
  private u8: Uint8Array = new Uint8Array(0);
  private u16: Uint16Array = new Uint16Array(0);
  private i32: Int32Array = new Int32Array(0);
  private aliasSequences = 0;
  private maxAlias = 0;
  private layout!: MemoryLayout;

  private grow(): void {
    const n = (this.cap *= 2);
    this.fPtr = grownTo(this.fPtr, n);
    this.fCount = grownTo(this.fCount, n);
    this.fK = grownTo(this.fK, n);
    this.fPos = grownTo(this.fPos, n);
    this.fStruct = grownTo(this.fStruct, n);
    this.fAlias = grownTo(this.fAlias, n);
    this.fOwner = grownTo(this.fOwner, n);
    this.fHidden = grownTo(this.fHidden, n);
    this.fOwnStruct = grownTo(this.fOwnStruct, n);
    this.fExtra = grownTo(this.fExtra, n);
  }

  private pushFrame(ptr: number, pos: number, owner: number, hidden: number, ownStruct: number, extra: number): void {
    const d = this.depth;
    if (d === this.cap) this.grow();
    const count = this.i32[(ptr + HEAP_CHILD_COUNT) >> 2];
    const production = this.u16[(ptr + HEAP_PRODUCTION_ID) >> 1];
    this.fPtr[d] = ptr;
    this.fCount[d] = count;
    this.fK[d] = 0;
    this.fPos[d] = pos;
    this.fStruct[d] = 0;
    this.fAlias[d] = production === 0 ? -1 : this.aliasSequences + production * this.maxAlias;
    this.fOwner[d] = owner;
    this.fHidden[d] = hidden;
    this.fOwnStruct[d] = ownStruct;
    this.fExtra[d] = extra;
    this.depth = d + 1;
    if (!hidden) this.visibleDepth++;
  }

  /** The field of a visible child (structural index `s`) of the top frame (ts_tree_cursor_current_field_id). */
  private fieldOf(s: number): number {
    const { u8, u16 } = this;
    let structIndex = s;
    for (let j = this.depth - 1; j >= 0; j--) {
      const field = fieldInMap(u8, u16, this.layout, u16[(this.fPtr[j] + HEAP_PRODUCTION_ID) >> 1], structIndex);
      if (field !== 0) return field;
      // Up through a hidden, non-extra node to its parent's production.
      if (!this.fHidden[j] || this.fExtra[j]) return 0;
      structIndex = this.fOwnStruct[j];
    }
    return 0;
  }

  fill(heap: ArrayBuffer, tree: number, L: MemoryLayout, t: FillTables, a: FillTarget, rootHasError: boolean): number {
    // Addresses and sizes are read as int32: the wasm heap is far below 2 GB, and int32
    // loads keep V8's optimized code on small integers. The inline subtree's bytes are read
    // one by one (its 32-bit words hold flags and states, not numbers).
    if (this.u8.buffer !== heap) {
      this.u8 = new Uint8Array(heap);
      this.u16 = new Uint16Array(heap);
      this.i32 = new Int32Array(heap);
    }
    const { u8, u16, i32 } = this;
    this.aliasSequences = L.aliasSequences >> 1;
    this.maxAlias = L.maxAliasSequenceLength;
    this.layout = L;
    this.depth = 0;
    this.visibleDepth = 0;
    const { named, mayHoldErrors, fieldParents, errorType } = t;
    const publicMap = L.publicSymbolMap >> 1;
    const hasFields = L.fieldCount > 0;

    // The root.
    let n = 0;
    {
      const inline = (u8[tree] & 1) !== 0;
      const ptr = inline ? 0 : i32[tree >> 2];
      const padding = inline ? u8[tree + INLINE_PADDING_BYTES] : i32[(ptr + HEAP_PADDING_BYTES) >> 2];
      const bytes = inline ? u8[tree + INLINE_SIZE_BYTES] : i32[(ptr + HEAP_SIZE_BYTES) >> 2];
      const symbol = inline ? u8[tree + 1] : u16[(ptr + HEAP_SYMBOL) >> 1];
      a.ensure(1);
      const type = symbol === ERROR_SYMBOL ? errorType : u16[publicMap + symbol];
      let flag = symbol === ERROR_SYMBOL ? FLAG_ERROR : 0;
      if (named[type]) flag |= FLAG_NAMED;
      const missing = inline ? (u8[tree] & 32) !== 0 : (u8[ptr + HEAP_FLAGS2] & 2) !== 0;
      if (rootHasError) {
        if (missing) flag |= FLAG_MISSING;
        const hasError = missing || (!inline && i32[(ptr + HEAP_ERROR_COST) >> 2] !== 0);
        if (mayHoldErrors[type] === 1 ? hasError : missing) flag |= FLAG_HAS_ERROR;
      }
      a.types[0] = type;
      a.flags[0] = flag;
      a.starts[0] = padding >>> 1;
      a.ends[0] = (padding + bytes) >>> 1;
      a.fields[0] = 0;
      a.parents[0] = -1;
      n = 1;
      if (!inline && i32[(ptr + HEAP_CHILD_COUNT) >> 2] > 0 && i32[(ptr + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0) this.pushFrame(ptr, padding, 0, 0, 0, 0);
      else a.after[0] = 1;
    }

    while (this.depth > 0) {
      const f = this.depth - 1;
      const k = this.fK[f];
      const count = this.fCount[f];
      if (k === count) {
        this.depth = f;
        if (!this.fHidden[f]) {
          this.visibleDepth--;
          a.after[this.fOwner[f]] = n;
        }
        continue;
      }
      const child = this.fPtr[f] - SUBTREE * (count - k);
      const inline = (u8[child] & 1) !== 0;
      let extra: boolean;
      let visible: boolean;
      let bytes: number;
      let symbol: number;
      let ptr = 0;
      if (inline) {
        const b0 = u8[child];
        extra = (b0 & 8) !== 0;
        visible = (b0 & 2) !== 0;
        bytes = u8[child + INLINE_SIZE_BYTES];
        symbol = u8[child + 1];
      } else {
        ptr = i32[child >> 2];
        const flags = u8[ptr + HEAP_FLAGS];
        extra = (flags & 4) !== 0;
        visible = (flags & 1) !== 0;
        bytes = i32[(ptr + HEAP_SIZE_BYTES) >> 2];
        symbol = u16[(ptr + HEAP_SYMBOL) >> 1];
      }
      const s = this.fStruct[f];
      let alias = 0;
      if (!extra) {
        const seq = this.fAlias[f];
        if (seq >= 0) {
          alias = u16[seq + s];
          if (alias !== 0) visible = true;
        }
        this.fStruct[f] = s + 1;
      }
      const start = this.fPos[f];
      let next = start + bytes;
      if (k + 1 < count) {
        const sib = child + SUBTREE;
        next += u8[sib] & 1 ? u8[sib + INLINE_PADDING_BYTES] : i32[(i32[sib >> 2] + HEAP_PADDING_BYTES) >> 2];
      }
      this.fPos[f] = next;
      this.fK[f] = k + 1;
      const withChildren = !inline && i32[(ptr + HEAP_CHILD_COUNT) >> 2] > 0 && i32[(ptr + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0;
      if (!visible) {
        if (withChildren) this.pushFrame(ptr, start, this.fOwner[f], 1, s, extra ? 1 : 0);
        continue;
      }
      // A visible node.
      if (n >= a.types.length) a.ensure(n + 1);
      const i = n++;
      const parent = this.fOwner[f];
      const sym = alias !== 0 ? alias : symbol;
      let type: number;
      let flag = 0;
      if (sym === ERROR_SYMBOL) {
        type = errorType;
        flag = FLAG_ERROR;
      } else type = u16[publicMap + sym];
      if (named[type]) flag |= FLAG_NAMED;
      if ((a.flags[parent] & FLAG_HAS_ERROR) !== 0) {
        const missing = inline ? (u8[child] & 32) !== 0 : (u8[ptr + HEAP_FLAGS2] & 2) !== 0;
        if (missing) flag |= FLAG_MISSING;
        const hasError = missing || (!inline && i32[(ptr + HEAP_ERROR_COST) >> 2] !== 0);
        if (mayHoldErrors[type] === 1 ? hasError : missing) flag |= FLAG_HAS_ERROR;
      }
      a.types[i] = type;
      a.flags[i] = flag;
      a.starts[i] = start >>> 1;
      a.ends[i] = (start + bytes) >>> 1;
      a.fields[i] = hasFields && !extra && fieldParents[a.types[parent]] === 1 ? this.fieldOf(s) : 0;
      a.parents[i] = parent;
      if (this.visibleDepth > a.maxDepth) a.maxDepth = this.visibleDepth;
      if (withChildren) this.pushFrame(ptr, start, i, 0, s, extra ? 1 : 0);
      else a.after[i] = i + 1;
    }
    return n;
  }
}
