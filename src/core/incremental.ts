// Incremental analysis of a document that is linted after each edit (the editor).
//
// A lint builds the file model for the whole file (one pass over the tree), but after an
// edit inside one function (the "unit": the outermost `def` around the edit, at module or
// class level) it summarises only that function, and the functions that depend on what
// changed in it (its "dependents"), and runs the rules that look at one place at a time
// only over their calls, loops and `with` items. An edit outside functions has a unit too
// when it lies in an expression statement (assignments are ones), an import or a comment
// in the module (or a block of an `if`, `try` or `with` there) or in the body of a class at
// module level (statementAround): the names it binds there whose bindings changed are
// followed like a function's. Any other edit in a class at module level (its name, bases or
// decorators, a method's decorators) makes the whole class the unit (classAround): the
// names of the classes it defines are followed, with the attributes they bind otherwise and
// the methods whose decorators changed. The rest comes from the previous lint,
// moved by the edit's length: the summaries of the other functions, the findings outside
// the re-analysed ranges, the resolver's answers for the nodes outside them. That is a full
// lint's answer when nothing the rest of the file sees changed, so each incremental lint
// checks that first and lints the whole file otherwise:
// - findUnit: the def (or statement, or class) has the same extent in both trees, no syntax
//   error, no `:=` in its parameters, no line added or removed, none of FILE_FACT_WORDS in
//   its text; the headers of compound statements outside classes and functions are no units;
// - changedFacts: the facts the rest of the file is resolved against (module bindings
//   through `global`, bound names that matter, imports, `async def`s, its return
//   annotation); the names it defines or assigns whose meaning changed (renamed functions,
//   `self.x` attributes) make every function that mentions them a dependent, and so do, in
//   turn, the attributes those assign from code that mentions a followed name
//   (addDependents, `meaning`: their resolver answers are dropped);
// - mergeSummary: a function whose summary changed in what it tells callers makes the
//   functions that mention its name dependents, and theirs in turn (`callers`; the name of
//   another `def` is not a mention then; the methods of a class the unit renamed are
//   compared under their old names);
// - a followed name mentioned outside functions makes the statement it is in a dependent
//   too (one that could be a unit: statementAround), and the names that statement binds are
//   followed in turn; a mention in a class at module level elsewhere (its header or bases, a
//   decorator) makes that class a dependent, whole, and its name is followed; a function
//   whose return annotation mentions a followed name has its own name followed (calls of it
//   take their type from it); a mention elsewhere outside functions (an `if` condition), in
//   the class around the unit, or too many dependents, lints the whole file. Comments,
//   strings, imports (they bind names) and, for attributes, bare names do not count;
// - keptFindings: no kept finding has a fix in a re-analysed range or a related location in
//   the unit;
// - the settings, module name, workspace (no other file changed in it since) and the syntax
//   errors outside the unit.
// Rules that gather facts from several functions at once (WHOLE_FILE_RULES) always run
// over the whole model. docs/benchmarks.md (*Incremental lints in the editor*) has the full
// list; test/unit/incremental.test.ts compares every lint of seeded edit sessions with a
// full lint of the same tree.
import { LOCK_NAME } from './fixes/lock-fix';
import { TASK_SET_NAME } from './fixes/task-reference';
import { KNOWN_MODULES } from './knowledge/blocking-calls';
import type { EditSpan } from './parse/document';
import { MAX_ERROR_SPANS, type Node } from './parse/syntax';
import type { Binding, Scope } from './semantics/scope';
import { importReadByFixes } from './fixes/imports';
import type { FileModel } from './semantics/model';
import type { Callees } from './semantics/origin';
import type { Resolver, Sym } from './semantics/resolve';
import { at, type FileSummary, type FunctionSummary } from './semantics/summary';
import type { Workspace } from './semantics/workspace';
import { targetNames } from './semantics/names';
import { indexOfName } from './text';
import type { Finding, Span } from './types';

/**
 * Rules whose findings in one function can depend on other functions' code (not only on
 * their summaries): they run over the whole file on every lint.
 * CL204 looks into the functions handed to threads; CL301 into the loops of the functions
 * handed to threads; CL302 gathers the writes of every thread's functions; CL303 looks for
 * a release of the lock anywhere; CL401 follows module-level calls into functions; CL403
 * and CL404 start from every function or pool of the file.
 */
export const WHOLE_FILE_RULES: ReadonlySet<string> = new Set(['CL204', 'CL301', 'CL302', 'CL303', 'CL401', 'CL403', 'CL404']);

/**
 * Calls that set a fact of the whole file, which findings anywhere depend on (see
 * FileModel.wholeFile): an edit of a unit whose text has all the words of one of them
 * (before or after the edit) lints the whole file. A task set is one registered with
 * `task.add_done_callback(name.discard)`.
 */
const FILE_FACT_WORDS = [['add_done_callback', 'discard'], ['set_default_executor'], ['set_start_method']];

/** What a document keeps of its last lint for the next one. */
export interface LintMemory {
  version: number;
  /** Settings, module name and package flag the lint ran with. */
  key: string;
  workspace: Workspace;
  /** The workspace's version after the lint stored this file's summary. */
  workspaceVersion: number;
  model: FileModel;
  resolver: Resolver;
  summary: FileSummary;
  /** Findings of the rules outside WHOLE_FILE_RULES, before noqa filtering. */
  local: Finding[];
  errors: Span[];
  /** The callee table of the whole model, if the lint made one (see carriedCalls). */
  callees?: Callees;
}

/** A subject that can be linted incrementally (PyDocument is one). */
export interface IncrementalSubject {
  readonly version: number;
  changedSince(version: number): EditSpan | undefined;
  lintMemory?: LintMemory;
}

export function isIncrementalSubject(x: object): x is IncrementalSubject {
  return typeof (x as IncrementalSubject).changedSince === 'function' && typeof (x as IncrementalSubject).version === 'number';
}

/**
 * The unit an incremental lint re-analyses, with the edit since the last lint: a function
 * (the outermost `def` around the edit, at module or class level), or a statement outside
 * functions (see statementAround).
 */
export interface Unit {
  kind: 'function' | 'statement' | 'class';
  /** The unit node's range in the current text. */
  start: number;
  end: number;
  /** Its range in the text of the last lint. */
  oldEnd: number;
  edit: EditSpan;
  /** A function's own scope; for a statement, the module's or the class's it is in; for a class, the module's (current model). */
  scope: Scope;
  /** The unit node's id in the current tree, and in the last lint's (the same: the nodes before it are). */
  id: number;
  oldId: number;
  /**
   * Other code re-analysed with it (outermost defs at module or class level, statements,
   * classes at module level; in the current text, sorted, outside the unit): it mentions a
   * name whose meaning or summary the edit changed (see addDependents). `id` is the node's
   * id in the current tree.
   */
  dependents: { start: number; end: number; id: number }[];
}

/** Most functions an incremental lint re-analyses besides the unit, and their share of the text. */
const MAX_DEPENDENTS = 24;
const MAX_DEPENDENT_SHARE = 0.25;

/** The ranges a lint of the unit re-analyses (unit and dependents), sorted, in the current text. */
export function unitRanges(unit: Unit): Span[] {
  const out: Span[] = [];
  let placed = false;
  for (const d of unit.dependents) {
    if (!placed && d.start > unit.start) {
      out.push({ start: unit.start, end: unit.end });
      placed = true;
    }
    out.push({ start: d.start, end: d.end });
  }
  if (!placed) out.push({ start: unit.start, end: unit.end });
  return out;
}

/** A dependent's range in the last lint's text (dependents lie outside the edited unit). */
function oldRange(d: Span, unit: Unit): Span {
  const delta = unit.end - unit.oldEnd;
  return d.start >= unit.end ? { start: d.start - delta, end: d.end - delta } : { start: d.start, end: d.end };
}

/** The re-analysed ranges in the last lint's text: the unit's, then its dependents'. */
function oldRanges(unit: Unit): Span[] {
  return [{ start: unit.start, end: unit.oldEnd }, ...unit.dependents.map((d) => oldRange(d, unit))];
}

/** Offsets of the last lint's text to the current one (none lies inside the edit). */
function mover(edit: EditSpan): (offset: number) => number {
  const delta = edit.newEnd - edit.oldEnd;
  return (o) => (o >= edit.oldEnd ? o + delta : o);
}

/**
 * The unit to re-analyse, or why the whole file is linted. Needs the new model and the
 * memory of the last lint.
 */
export function findUnit(model: FileModel, memory: LintMemory, edit: EditSpan, oldText: string, newText: string): Unit | string {
  if (edit.start === edit.oldEnd && edit.start === edit.newEnd) return 'no change';
  // Line numbers appear in messages and evidence: an edit that adds or removes lines moves them.
  if (countBreaks(oldText, edit.start, edit.oldEnd) !== countBreaks(newText, edit.start, edit.newEnd)) return 'lines added or removed';
  // The outermost `def` around the edit (its parameters and annotations count: they are in
  // the def's range and re-analysed with it; its decorators are outside).
  const tree = model.tree;
  let defId = -1;
  const defTypes = tree.typeIds('function_definition');
  const lambdaTypes = tree.typeIds('lambda');
  for (let id = tree.rootNode.descendantForIndex(edit.start, edit.newEnd).id; id > 0; id = tree.parents[id]) {
    if (defTypes.includes(tree.types[id])) defId = id;
    else if (lambdaTypes.includes(tree.types[id])) defId = -1;
  }
  if (defId < 0) return statementUnit(model, memory, edit, oldText, newText);
  const unit = model.scopeByDef.get(defId);
  if (!unit || unit.node.id !== defId) return 'edit outside a function';
  if (unit.parent && unit.parent.kind !== 'module' && unit.parent.kind !== 'class') return 'edit outside a function';
  const def = unit.node;
  const start = def.startIndex;
  const end = def.endIndex;
  // Inside the def, after its first token (an edit of `async`/`def` changes what it is).
  if (!(start < edit.start && edit.newEnd < end)) return 'edit at the edge of a function';
  const delta = edit.newEnd - edit.oldEnd;
  const fact = fileFactIn(oldText, newText, start, end, delta);
  if (fact) return `\`${fact}\` in the function`;
  // The same def in the old tree: a function scope whose def starts there and ends where
  // this one ends before the edit.
  const old = memory.model.scopeByDef.get(nodeIdAt(memory.model, start, 'function_definition'));
  if (!old || old.node.startIndex !== start || old.node.endIndex + delta !== end) return 'the function changed extent';
  // Only code of its body binds in its scope: error recovery can leave statements of the
  // def's range outside its body (they bind in the module), and `:=` in a default value
  // binds in the scope around the def.
  for (const fn of [def, old.node]) {
    if (fn.hasError) return 'syntax error in the function';
    if (bindsOutside(fn)) return '`:=` in the parameters';
  }
  return { kind: 'function', start, end, oldEnd: end - delta, edit, scope: unit, id: defId, oldId: old.node.id, dependents: [] };
}

/** One of FILE_FACT_WORDS's calls in [start, end) of the current text, or before the edit. */
function fileFactIn(oldText: string, newText: string, start: number, end: number, delta: number): string | undefined {
  for (const words of FILE_FACT_WORDS) {
    if (words.every((w) => indexIn(newText, w, start, end)) || words.every((w) => indexIn(oldText, w, start, end - delta))) return words[0];
  }
  return undefined;
}

/** Statements outside functions that can be a unit: they bind names (assignments, imports) or none. */
const STATEMENT_UNITS = new Set(['expression_statement', 'comment', 'import_statement', 'import_from_statement']);
/** Compound statements of the module whose blocks' statements can be units (they bind in the module). */
const MODULE_COMPOUNDS = new Set(['if_statement', 'try_statement', 'with_statement']);
const CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'finally_clause']);

/**
 * The statement outside functions that can be a unit (or a dependent) around [start, end):
 * an expression statement, an import or a comment in the module (directly, or in a block of
 * an `if`, `try` or `with` there), or directly in the body of a class at module level; with
 * the scope its names bind in. Undefined elsewhere (headers, decorators, other statements).
 */
function statementAround(model: FileModel, start: number, end: number): { node: Node; scope: Scope } | undefined {
  const tree = model.tree;
  const path: number[] = []; // from the innermost node around the range up to a child of the module
  for (let id = tree.rootNode.descendantForIndex(start, end).id; id > 0; id = tree.parents[id]) path.push(id);
  let at = path.length - 1;
  let scope: Scope | undefined = model.module;
  const typeOf = (id: number) => tree.node(id).type;
  // Into the blocks of `if`, `try` and `with` (not their headers).
  while (at >= 0 && MODULE_COMPOUNDS.has(typeOf(path[at]))) {
    at--;
    if (at >= 0 && CLAUSES.has(typeOf(path[at]))) at--;
    if (at < 1 || typeOf(path[at]) !== 'block') return undefined;
    at--;
  }
  if (at >= 0 && typeOf(path[at]) === 'decorated_definition') at--;
  if (at >= 0 && typeOf(path[at]) === 'class_definition') {
    const cls = tree.node(path[at]);
    scope = model.scopeByDef.get(cls.id);
    if (!scope || scope.node.id !== cls.id || at < 2 || path[at - 1] !== cls.childForFieldName('body')?.id) return undefined;
    at -= 2;
  }
  if (at < 0 || !STATEMENT_UNITS.has(typeOf(path[at]))) return undefined;
  return { node: tree.node(path[at]), scope };
}

/**
 * The statement unit around an edit outside functions (see statementAround), or else the
 * class at module level around it, whole (its header, its decorators or a decorator of a
 * method: the class's name and bases are what its methods are resolved against, so they
 * are all re-analysed). Other statements and the headers of compound statements lint the
 * whole file.
 */
function statementUnit(model: FileModel, memory: LintMemory, edit: EditSpan, oldText: string, newText: string): Unit | string {
  const around = statementAround(model, edit.start, edit.newEnd) ?? classAround(model, edit.start, edit.newEnd);
  if (!around) return 'edit outside a function';
  const { node, scope } = around;
  const kind = isClassNode(node) ? 'class' : 'statement';
  const start = node.startIndex;
  const end = node.endIndex;
  if (!(start <= edit.start && edit.newEnd <= end)) return 'edit outside a function';
  const delta = edit.newEnd - edit.oldEnd;
  const fact = fileFactIn(oldText, newText, start, end, delta);
  if (fact) return `\`${fact}\` in the statement`;
  // The same statement in the old tree: the same node id, type and start, its end moved.
  const oldTree = memory.model.tree;
  if (node.id >= oldTree.count || oldTree.starts[node.id] !== start || oldTree.ends[node.id] + delta !== end || oldTree.node(node.id).type !== node.type) return 'the statement changed extent';
  if (node.hasError || oldTree.node(node.id).hasError) return 'syntax error in the statement';
  return { kind, start, end, oldEnd: end - delta, edit, scope, id: node.id, oldId: node.id, dependents: [] };
}

/**
 * The class at module level around [start, end) (with its decorators), unless the range is
 * in one of its methods' `def`s; with the module's scope.
 */
function classAround(model: FileModel, start: number, end: number): { node: Node; scope: Scope } | undefined {
  const tree = model.tree;
  let top = -1;
  for (let id = tree.rootNode.descendantForIndex(start, end).id; id > 0; id = tree.parents[id]) top = id;
  if (top < 0) return undefined;
  const node = tree.node(top);
  const cls = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
  if (cls?.type !== 'class_definition') return undefined;
  const scope = model.scopeByDef.get(cls.id);
  if (!scope || scope.node.id !== cls.id) return undefined;
  return { node, scope: model.module };
}

/** The text of a def's decorators. */
function decoratorsOf(scope: Scope): string {
  const p = scope.node.parent;
  if (p?.type !== 'decorated_definition') return '';
  let out = '';
  for (let c = p.firstNamedChild; c; c = c.nextNamedSibling) if (c.type === 'decorator') out += `${c.text}\n`;
  return out;
}

/** The classes defined under a node (the node itself included), by their last names. */
function classNamesIn(model: FileModel, id: number): string[] {
  return [...definedIn(model, 'classes', id)].map(lastPart);
}

/** A `:=` in the def's parameters, defaults or annotations (outside its body). */
function bindsOutside(def: Node): boolean {
  const tree = def.tree;
  const body = def.childForFieldName('body');
  const end = body ? body.id : tree.after[def.id];
  const walrus = tree.typeIds('named_expression');
  for (let id = def.id + 1; id < end; id++) if (walrus.includes(tree.types[id])) return true;
  return false;
}

function indexIn(text: string, word: string, from: number, to: number): boolean {
  // (A slice is a view of the text: the search stays within the function.) The name of a
  // `def` is no call of it (`def set_default_executor(self, executor):` of an event loop).
  const part = text.slice(from, to);
  for (let i = part.indexOf(word); i !== -1; i = part.indexOf(word, i + word.length)) {
    if (!/\bdef\s+$/.test(part.slice(Math.max(0, i - 12), i))) return true;
  }
  return false;
}

function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The id of the outermost node of `type` that starts at `offset` (-1 if none). */
function nodeIdAt(model: FileModel, offset: number, type: string): number {
  const tree = model.tree;
  const ids = tree.typeIds(type);
  // Preorder ids are sorted by start offset: binary search the first node starting there.
  let lo = 0;
  let hi = tree.count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tree.starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < tree.count && tree.starts[i] === offset; i++) if (ids.includes(tree.types[i])) return i;
  return -1;
}

/**
 * Whether the file-level facts that the code outside the unit is analysed against are
 * those of the last lint: a string says what differs (lint the whole file); else the names
 * the unit defines or assigns whose meaning changed: `names` (functions or classes renamed,
 * added or removed) and `attributes` (`self.x` assigned otherwise): the code that mentions
 * them outside the unit is re-analysed with it (addDependents).
 */
export function changedFacts(model: FileModel, old: FileModel, unit: Unit, now: Resolver, before: Resolver): string | { names: string[]; attributes: string[]; moduleNames: string[] } {
  const names: string[] = [];
  const attributes: string[] = [];
  const moduleNames: string[] = [];
  if (model.hasAsyncDef !== old.hasAsyncDef || model.asyncLibrary !== old.asyncLibrary) return 'async facts';
  if (!sameNamesThatMatter(model, old, unit)) return 'names bound';
  // (The module names a file imports decide which names may be classes of other files: an
  // import unit changes them only for the names its bindings give, which are followed.)
  const importUnit = unit.kind === 'statement' && unit.scope.kind === 'module' && IMPORTS.has(model.tree.node(unit.id).type);
  if (!importUnit && !sameSet(model.importedModules, old.importedModules)) return 'modules imported';
  // Functions and classes defined in the unit may be renamed: the code outside it that uses
  // either name is re-analysed with it.
  for (const kind of ['functions', 'classes'] as const) {
    names.push(...renamedInUnit(model, old, kind, unit));
  }
  const c: Comparison = { unit, move: mover(unit.edit), now, before };
  // The unit binds names in its own scopes, in the module's through `global`, and its
  // def's name in the module or class around it (a class unit, its name in the module); a
  // method also adds `self.x` attributes to its class. The rest of the module and of the
  // classes is the same code as before.
  const declares = (offsets: readonly number[], end: number) => offsets.some((o) => o >= unit.start && o < end);
  if (unit.kind === 'class' || declares(model.globalStatements, unit.end) || declares(old.globalStatements, unit.oldEnd)) {
    // (The module's variables whose bindings changed are followed.)
    const changed = changedBindings(model.module, old.module, c);
    if (typeof changed === 'string') return changed;
    moduleNames.push(...changed);
  }
  if (unit.kind === 'statement') {
    // Its assignments bind names in the module or the class it is in: those whose bindings
    // changed are followed.
    const scope = unit.scope;
    const changed = changedBindings(scope, scope.kind === 'module' ? old.module : old.classes.get(scope.qualifier), c);
    if (typeof changed === 'string') return changed;
    // A class's names are its attributes everywhere but in its own body (see addDependents).
    if (scope.kind === 'class') attributes.push(...changed);
    else moduleNames.push(...changed);
    return { names, attributes, moduleNames };
  }
  if (unit.kind === 'class') {
    // What it is (its bases, decorators and body) is what the code that names it is
    // resolved against: the names of the classes it defines are followed wherever they are
    // met, with the attributes they bind otherwise and the methods whose decorators changed.
    const classesNow = definedIn(model, 'classes', unit.id);
    names.push(...[...classesNow, ...definedIn(old, 'classes', unit.oldId)].map(lastPart));
    for (const q of classesNow) {
      const now = model.classes.get(q);
      const before = old.classes.get(q);
      if (!now || !before) continue; // (renamed: followed by its name)
      attributes.push(...changedNames(now.bindings, before.bindings, c), ...changedNames(now.selfAttrs, before.selfAttrs, c));
    }
    for (const q of definedIn(model, 'functions', unit.id)) {
      const now = model.functions.get(q);
      const before = old.functions.get(q);
      if (now && before && decoratorsOf(now) !== decoratorsOf(before)) names.push(lastPart(q));
    }
    return { names, attributes, moduleNames };
  }
  const oldDef = old.scopeByDef.get(unit.oldId);
  if (!oldDef) return 'the function changed';
  // Calls of it elsewhere take their type from its return annotation.
  const returns = (s: Scope) => s.node.childForFieldName('return_type')?.text ?? '';
  if (returns(unit.scope) !== returns(oldDef)) return 'return annotation';
  const cls = unit.scope.methodOf;
  if (cls) {
    // An attribute whose assignments changed matters where it is used: if its name appears
    // outside the unit (`self.x`, `obj.x`, `getattr(self, "x")`).
    const prior = old.classes.get(cls.qualifier);
    if (!prior) return `class ${cls.qualifier}`;
    attributes.push(...changedNames(cls.selfAttrs, prior.selfAttrs, c));
  }
  return { names, attributes, moduleNames };
}

/**
 * Adds to the unit's dependents the functions that mention one of `names` (as a whole word,
 * outside the ranges already re-analysed), and what follows from them, or says why the
 * whole file must be linted (a mention outside any function, or too many functions).
 * - `meaning`: the names' bindings changed, so what the dependents' code resolves to may
 *   have; the attributes a dependent assigns (`self.x = <its code>`) may then mean
 *   something else too, and their names are followed in turn. The caller drops the
 *   resolver's answers for the dependents' nodes.
 * - `callers`: the names' summaries changed, so the blocking chains and workloads through
 *   them did, for every function that calls them and, in turn, for every function that
 *   calls one of those: each dependent's own name is followed too, unless it is a
 *   coroutine (no chain or workload goes through one).
 * - `direct callers`: the names are of coroutines whose summaries changed: what a caller
 *   reads of one directly (that it is a coroutine, its decorators) matters to the functions
 *   that mention them, and nothing else does.
 * Returns the dependents added.
 */
export function addDependents(model: FileModel, unit: Unit, names: Iterable<string>, follow: 'meaning' | 'callers' | 'direct callers', attributes: Iterable<string> = [], moduleNames: Iterable<string> = []): Unit['dependents'] | string {
  const text = model.text;
  const added: Unit['dependents'] = [];
  const queue: string[] = [];
  // How each name is followed. Outside functions, an `attribute` (a class's or an
  // instance's) is met only as `obj.name` (a bare `name` there is a variable of the module
  // or of a class body), a `variable` of the module only as a bare `name`; a `name` counts
  // wherever it is met. A name followed two ways counts everywhere (and is looked for again).
  const kinds = new Map<string, 'name' | 'attribute' | 'variable'>();
  const push = (name: string, kind: 'name' | 'attribute' | 'variable' = 'name') => {
    const was = kinds.get(name);
    if (!name || was === kind || was === 'name') return;
    kinds.set(name, was === undefined ? kind : 'name');
    queue.push(name);
  };
  for (const n of names) push(n);
  for (const a of attributes) push(a, 'attribute');
  for (const v of moduleNames) push(v, 'variable');
  let share = unit.dependents.reduce((n, d) => n + d.end - d.start, 0);
  for (;;) {
    if (queue.length === 0) {
      if (follow !== 'meaning' || kinds.size === 0) break;
      // The attributes the dependents assign from code that mentions a followed name, or a
      // local variable that does (their meaning may have changed), are followed in turn.
      // (The unit's too: its own changed attributes were compared through the dependents' old answers.)
      for (const d of [{ start: unit.start, end: unit.end, id: unit.id }, ...added]) for (const attr of attributesAssignedFrom(model, d, kinds.keys())) push(attr, 'attribute');
      if (queue.length === 0) break;
    }
    const name = queue.pop() as string;
    for (let i = indexOfName(text, name); i !== -1; i = indexOfName(text, name, i + 1)) {
      const inside = i >= unit.start && i < unit.end ? unit : unit.dependents.find((d) => i >= d.start && i < d.end);
      if (inside && !(follow === 'callers' && inside !== unit && isClassNode(model.tree.node(inside.id)))) {
        i = inside.end - 1;
        continue;
      }
      if (isWordChar(text.charCodeAt(i - 1)) || isWordChar(text.charCodeAt(i + name.length))) continue;
      if (inside) {
        // In a class re-analysed whole for a caller: its method that calls the name is
        // re-analysed with it, but was not summarised again, so its own callers are
        // followed from here (its summary did not change; the chains through it did).
        const method = isDefName(model, i, i + name.length) ? undefined : outermostDef(model, i, i + name.length);
        if (method && method !== 'comment' && !method.isAsync) push(method.node.childForFieldName('name')?.text ?? '');
        continue;
      }
      // A caller calls it by name: another `def` of that name (`__init__` of another class)
      // does not. (Where meanings are followed, a `def` rebinding the name does count.)
      if (follow !== 'meaning' && isDefName(model, i, i + name.length)) continue;
      const def = outermostDef(model, i, i + name.length);
      if (def === 'comment') continue;
      let statement: Node | undefined;
      if (!def) {
        // (In the body of the class a statement unit is in, its bare names are its own.)
        const ownClass = unit.kind === 'statement' && unit.scope.kind === 'class' && i >= unit.scope.node.startIndex && i < unit.scope.node.endIndex;
        const mention = mentionAt(model, i, i + name.length);
        // (An import binds a name: it does not use one.)
        if (mention === 'import') continue;
        const kind = kinds.get(name);
        if (kind === 'attribute' && !ownClass && mention === 'name') continue;
        if (kind === 'variable' && mention === 'attribute') continue;
        // A statement of the module or of a class body is re-analysed like a function; a
        // class at module level whose header, decorators or other statements mention it, whole.
        statement = (statementAround(model, i, i + name.length) ?? classAround(model, i, i + name.length))?.node;
        if (!statement || statement.hasError) return `\`${name}\` is used outside a function`;
        if (statement.startIndex <= unit.start && unit.end <= statement.endIndex) return `\`${name}\` is used in the class around the edit`;
      }
      const dependent = def ? def.node : (statement as Node);
      const d = { start: dependent.startIndex, end: dependent.endIndex, id: dependent.id };
      const isClass = !def && isClassNode(dependent);
      if (isClass) {
        // (Its methods that are dependents already are re-analysed with it.)
        for (let k = unit.dependents.length - 1; k >= 0; k--) {
          const e = unit.dependents[k];
          if (e.start >= d.start && e.end <= d.end) {
            share -= e.end - e.start;
            unit.dependents.splice(k, 1);
          }
        }
      }
      share += d.end - d.start;
      if (unit.dependents.length >= MAX_DEPENDENTS || share > text.length * MAX_DEPENDENT_SHARE) return `\`${name}\` is used in too many functions`;
      let at = unit.dependents.length;
      while (at > 0 && unit.dependents[at - 1].start > d.start) at--;
      unit.dependents.splice(at, 0, d);
      added.push(d);
      // (The rest of a class added for a caller is still looked at: see above.)
      if (!(isClass && follow === 'callers')) i = d.end - 1;
      if (!def) {
        // The names it binds may mean something else now (an alias of a function whose
        // summary changed, in the callers' case; a class whose bases did): followed
        // wherever they are met.
        if (follow !== 'direct callers') for (const n of isClass ? classNamesIn(model, dependent.id) : namesBoundBy(dependent)) push(n);
        continue;
      }
      if (follow !== 'meaning') {
        // Its callers' chains and workloads go through it only if it is a plain function
        // (a coroutine's are followed by nothing: see mergeSummary).
        if (follow === 'callers' && !def.isAsync) push(def.node.childForFieldName('name')?.text ?? '');
        continue;
      }
      // Calls of it elsewhere take their type from its return annotation: if that mentions a
      // followed name, what they resolve to may have changed too.
      const returns = def.node.childForFieldName('return_type');
      if (returns && mentionsAny(returns.text, kinds)) push(def.node.childForFieldName('name')?.text ?? '');
      // A `global` statement lets it bind in the module: what it assigns there may mean
      // something else now, so those names are followed as variables of the module.
      for (const o of model.globalStatements) if (o >= d.start && o < d.end) for (const g of globalNamesAt(model, o)) push(g, 'variable');
    }
  }
  return added;
}

/** The names an expression statement binds: the identifiers its assignments and `:=` assign (not in `obj.x` or `a[i]`). */
function namesBoundBy(statement: Node): string[] {
  const out: string[] = [];
  const tree = statement.tree;
  const targets = ['assignment', 'augmented_assignment', 'named_expression'].flatMap((t) => tree.typeIds(t));
  for (let id = statement.id; id < tree.after[statement.id]; id++) {
    if (!targets.includes(tree.types[id])) continue;
    const n = tree.node(id);
    out.push(...targetNames(n.childForFieldName(n.type === 'named_expression' ? 'name' : 'left')));
  }
  return out;
}

const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

function mentionsAny(text: string, words: { has(word: string): boolean }): boolean {
  for (const m of text.matchAll(WORD)) if (words.has(m[0])) return true;
  return false;
}

/**
 * The attributes a function assigns (`obj.x = value`) whose value may mean something else
 * once `names` do: the value's text mentions one of them, or a name the function binds from
 * code that does (parameters with their annotation and default, assignments, `for`
 * targets, `with ... as`, `:=`; to a fixpoint). Text, not meaning: a superset.
 */
function attributesAssignedFrom(model: FileModel, d: Unit['dependents'][number], names: Iterable<string>): string[] {
  const view = model.within([d]);
  // (target, source) pairs of the function's bindings.
  const pairs: { target: Node; source: string }[] = [];
  const pair = (target: Node | null | undefined, source: string | undefined) => {
    if (target) pairs.push({ target, source: source ?? '' });
  };
  for (const a of view.nodesOfType('assignment')) pair(a.childForFieldName('left'), (a.childForFieldName('right')?.text ?? '') + ' ' + (a.childForFieldName('type')?.text ?? ''));
  for (const a of view.nodesOfType('augmented_assignment')) pair(a.childForFieldName('left'), a.childForFieldName('right')?.text);
  for (const f of view.nodesOfType('for_statement')) pair(f.childForFieldName('left'), f.childForFieldName('right')?.text);
  for (const w of view.withItems) {
    const value = w.childForFieldName('value');
    if (value?.type === 'as_pattern') pair(value.childForFieldName('alias'), value.firstNamedChild?.text);
  }
  const tree = model.tree;
  const walrus = tree.typeIds('named_expression');
  const params = tree.typeIds('parameters');
  for (let id = d.id; id < tree.after[d.id]; id++) {
    if (walrus.includes(tree.types[id])) {
      const n = tree.node(id);
      pair(n.childForFieldName('name'), n.childForFieldName('value')?.text);
    } else if (params.includes(tree.types[id])) {
      for (const p of tree.node(id).namedChildren) {
        const name = p?.type === 'identifier' ? p : p?.type === 'default_parameter' || p?.type === 'typed_default_parameter' ? p.childForFieldName('name') : p?.findNamedChild((c) => c?.type === 'identifier');
        if (p) pair(name, p.text);
      }
    }
  }
  const tainted = new Set(names);
  const attrs = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const { target, source } of pairs) {
      if (!mentionsAny(source, tainted)) continue;
      // Names a target binds, and attributes it assigns (not the names inside them).
      const stack = [target];
      while (stack.length > 0) {
        const n = stack.pop() as Node;
        if (n.type === 'attribute') {
          const attr = n.childForFieldName('attribute')?.text;
          if (attr) attrs.add(attr);
        } else if (n.type === 'identifier') {
          if (!tainted.has(n.text)) {
            tainted.add(n.text);
            changed = true;
          }
        } else if (n.type !== 'subscript') for (const c of n.namedChildren) if (c) stack.push(c);
      }
    }
  }
  return [...attrs];
}

/**
 * The outermost `def` around a range (its name and parameters count), if any; 'comment' for
 * a comment or a string's text outside functions (they mean nothing to the analysis).
 */
function outermostDef(model: FileModel, start: number, end: number): Scope | 'comment' | undefined {
  const tree = model.tree;
  const defTypes = tree.typeIds('function_definition');
  const at = tree.rootNode.descendantForIndex(start, end);
  let defId = -1;
  for (let id = at.id; id > 0; id = tree.parents[id]) if (defTypes.includes(tree.types[id])) defId = id;
  if (defId < 0) {
    // (Nothing reads a string's text as a name: `__all__` and `__slots__` entries, messages.
    // An f-string's replacement fields are code, not string content.)
    if (at.type === 'comment' || at.type === 'string_content') return 'comment';
    const string = at.type === 'string' ? at : at.parent?.type === 'string' ? at.parent : undefined;
    if (string?.parent?.type === 'expression_statement' && string.parent.namedChildCount === 1) return 'comment';
    return undefined;
  }
  const scope = model.scopeByDef.get(defId);
  return scope?.node.id === defId ? scope : undefined;
}

/** The names a `global` statement starting at `offset` declares. */
function globalNamesAt(model: FileModel, offset: number): string[] {
  let n: Node | null = model.tree.rootNode.descendantForIndex(offset, offset + 6);
  while (n && n.type !== 'global_statement') n = n.parent;
  const out: string[] = [];
  for (let c = n?.firstNamedChild; c; c = c.nextNamedSibling) if (c.type === 'identifier') out.push(c.text);
  return out;
}

/**
 * Whether a unit's or a dependent's node is a class (with its decorators: classAround),
 * re-analysed whole; the others outside functions are statements (statementAround).
 */
function isClassNode(node: Node): boolean {
  return node.type === 'class_definition' || node.type === 'decorated_definition';
}

/** Whether [start, end) is the name of a `def`. */
function isDefName(model: FileModel, start: number, end: number): boolean {
  const at = model.tree.rootNode.descendantForIndex(start, end);
  const parent = at.parent;
  return at.type === 'identifier' && parent?.type === 'function_definition' && parent.childForFieldName('name')?.id === at.id;
}

const IMPORTS = new Set(['import_statement', 'import_from_statement']);

/**
 * What the word at [start, end) outside functions is: a name in an import (which binds it), the
 * name of an attribute (`obj.name`), another identifier, or something else.
 */
function mentionAt(model: FileModel, start: number, end: number): 'import' | 'attribute' | 'name' | 'other' {
  const at = model.tree.rootNode.descendantForIndex(start, end);
  if (at.type !== 'identifier') return 'other';
  const parent = at.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === at.id) return 'attribute';
  for (let p = parent; p && p.type !== 'module'; p = p.parent) if (IMPORTS.has(p.type)) return 'import';
  return 'name';
}

/**
 * The names whose bindings differ between a module's or class's scope and the same scope
 * in the last lint's model, or why the whole file is linted.
 */
function changedBindings(scope: Scope, prior: Scope | undefined, c: Comparison): string[] | string {
  if (!prior || !sameSet(scope.globals, prior.globals) || scope.starImports.join() !== prior.starImports.join()) return 'module bindings';
  const changed = changedNames(scope.bindings, prior.bindings, c);
  // Fixes anywhere name the modules they use by the module's imports of them.
  const readByFixes = (list: readonly Binding[] | undefined) => list?.some((b) => b.kind === 'import' && importReadByFixes(b.qname));
  if (changed.some((n) => readByFixes(scope.bindings.get(n)) || readByFixes(prior.bindings.get(n)))) return 'an import that fixes use';
  return changed;
}

/** The names whose bindings differ between the two maps. */
function changedNames(a: ReadonlyMap<string, Binding[]>, b: ReadonlyMap<string, Binding[]>, c: Comparison): string[] {
  const out: string[] = [];
  for (const [name, list] of a) {
    const listB = b.get(name);
    if (!listB || listB.length !== list.length || list.some((x, i) => !sameBinding(x, listB[i], c))) out.push(name);
  }
  for (const name of b.keys()) if (!a.has(name)) out.push(name);
  return out;
}

/**
 * The names bound anywhere in the file are asked about names of known modules (a module
 * used without an import) and the names a fix would add (a lock, a task set): a parameter
 * or local variable renamed in the unit changes the set, and matters only if it is one.
 * The code outside the unit binds the names it bound: a name bound on one side only is a
 * word of the unit's text on that side.
 */
function sameNamesThatMatter(model: FileModel, old: FileModel, unit: Unit): boolean {
  const sides = [
    [model.text.slice(unit.start, unit.end), model.boundNames, old.boundNames],
    [old.text.slice(unit.start, unit.oldEnd), old.boundNames, model.boundNames],
  ] as const;
  for (const [text, a, b] of sides) {
    for (const m of text.matchAll(WORD)) if (boundNameMatters(m[0]) && a.has(m[0]) && !b.has(m[0])) return false;
  }
  return true;
}

function boundNameMatters(name: string): boolean {
  return KNOWN_MODULES.has(name) || name.startsWith(LOCK_NAME) || name.startsWith(TASK_SET_NAME);
}

/** What bindings are compared with: the unit, how offsets moved, and the two trees' resolvers. */
interface Comparison {
  unit: Unit;
  move: (offset: number) => number;
  now: Resolver;
  before: Resolver;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * The last parts of the names of the functions (or classes) defined in the unit on one
 * side only (renamed, added, removed). Those outside are the same code (mergeSummary checks
 * that the functions outside come in the same order). A name defined again outside the unit
 * counts too: its bindings changed.
 */
function renamedInUnit(model: FileModel, old: FileModel, kind: 'functions' | 'classes', unit: Unit): string[] {
  const inNow = definedIn(model, kind, unit.id);
  const inBefore = definedIn(old, kind, unit.oldId);
  const names: string[] = [];
  for (const q of inNow) if (!inBefore.has(q)) names.push(lastPart(q));
  for (const q of inBefore) if (!inNow.has(q)) names.push(lastPart(q));
  if (kind === 'functions' && unit.kind === 'class') {
    // A method of a renamed class (`A.m` is `B.m` now) is reached from outside through the
    // class's name, which is followed: its own name is followed only if it changed.
    const lastNow = new Set([...inNow].map(lastPart));
    const lastBefore = new Set([...inBefore].map(lastPart));
    return names.filter((n) => !(lastNow.has(n) && lastBefore.has(n)));
  }
  return names;
}

/** The qualified names of the functions (or classes) a model keeps for the defs under a node. */
function definedIn(model: FileModel, kind: 'functions' | 'classes', id: number): Set<string> {
  const tree = model.tree;
  const types = tree.typeIds(kind === 'functions' ? 'function_definition' : 'class_definition');
  const out = new Set<string>();
  for (let i = id; i < tree.after[id]; i++) {
    if (!types.includes(tree.types[i])) continue;
    const scope = model.scopeByDef.get(i);
    if (!scope) continue;
    out.add(kind === 'functions' ? scope.qualifier.slice(0, -'.<locals>'.length) : scope.qualifier);
  }
  return out;
}

function sameBinding(x: Binding, y: Binding, c: Comparison): boolean {
  if (x.kind !== y.kind) return false;
  const bx = x as Binding & { qname?: string; index?: number; value?: Node; annotation?: Node; node?: Node };
  const by = y as typeof bx;
  return bx.qname === by.qname && bx.index === by.index && sameNode(bx.value, by.value, c) && sameNode(bx.annotation, by.annotation, c) && sameNode(bx.node, by.node, c) && sameNode(x.site, y.site, c);
}

/**
 * The same node in both trees: at the moved position; inside the unit also with the same
 * text and meaning (a value there is resolved in the unit's scopes, which the edit changed).
 */
function sameNode(x: Node | undefined, y: Node | undefined, c: Comparison): boolean {
  if (!x || !y) return x === y;
  const { unit, move } = c;
  if (x.startIndex !== move(y.startIndex) || x.endIndex !== move(y.endIndex) || x.typeId !== y.typeId) return false;
  // (A node around the unit, or the unit's def, is the same if it starts and ends alike.)
  const inside = x.startIndex >= unit.start && x.endIndex <= unit.end && x.endIndex - x.startIndex < unit.end - unit.start;
  return !inside || (x.text === y.text && sameSym(c.now.resolve(x), c.before.resolve(y)));
}

function sameSym(a: Sym | undefined, b: Sym | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'self' || b.kind === 'self') return a.kind === b.kind && (a as { cls: Scope }).cls.qualifier === (b as { cls: Scope }).cls.qualifier;
  return a.kind === b.kind && (a.kind === 'name' ? a.qname === (b as typeof a).qname : a.type === (b as typeof a).type) && a.evidence === b.evidence;
}

/** A span of the last lint's text inside the unit's old range (or overlapping it). */
function touchesUnit(span: Span, unit: Unit): boolean {
  return span.end > unit.start && span.start < unit.oldEnd;
}

/**
 * The last lint's summaries outside the re-analysed ranges, moved, with the fresh ones
 * (`fresh`, a summary of the ranges alone) in their place, in the whole model's order; and
 * the names of the functions whose summary changed in what it tells callers (the caller
 * re-analyses the code that mentions them: addDependents with `callers`), coroutines apart
 * (`direct callers`: the blocking chains and workloads the rules read follow plain
 * functions only, never into a coroutine). By name and not
 * by the calls the summaries list: a call can reach a method under another name
 * (`self.work()` in a subclass is `Sub.work`, which CL201 follows to the base class), or
 * through an alias (`w = Base.work`). What callers see of a summary is compared: its calls
 * of functions that lead somewhere for them (`leads`: a plain function of the workspace
 * from which a blocking call or workload evidence is reached; the others add nothing to a
 * chain or a workload), not every call. A string says why the whole file must be linted.
 */
export function mergeSummary(old: FileSummary, fresh: FileSummary, model: FileModel, oldModel: FileModel, unit: Unit, leads: (qname: string) => boolean): { summary: FileSummary; changed: string[]; changedCoroutines: string[] } | string {
  const move = mover(unit.edit);
  // (The methods of a class the unit renamed are compared with the same methods under the old name.)
  const toOld = classRenames(model, oldModel, unit);
  const before = oldRanges(unit);
  const inOld = (span: Span) => before.some((r) => span.start >= r.start && span.start < r.end);
  // The old summaries in the ranges, by name; those outside them come in the model's order
  // (the same functions, in the same order, as checked below).
  const replaced = new Map<string, FunctionSummary>();
  for (const o of old.functions) if (inOld(o.span)) replaced.set(o.qname, o);
  const freshBy = new Map(fresh.functions.map((f) => [f.qname, f]));
  const freshOld = new Set(fresh.functions.map((f) => toOld(f.qname)));
  const changed = new Set<string>();
  const changedCoroutines = new Set<string>();
  const changedHere = new Set<string>();
  const mark = (qname: string, coroutine: boolean) => {
    changedHere.add(qname);
    (coroutine ? changedCoroutines : changed).add(lastPart(qname));
  };
  for (const f of fresh.functions) {
    const o = replaced.get(toOld(f.qname));
    if (!o || !sameSummary(f, o, move, leads, toOld)) mark(f.qname, f.isAsync && (!o || o.isAsync));
  }
  for (const o of replaced.values()) if (!freshOld.has(o.qname)) mark(o.qname, o.isAsync);
  // The chains and workloads of a function run through the functions it calls: one that
  // calls a changed function of the ranges (its nested function, another method of a class
  // unit, the unit from a dependent) tells its callers something new too. (Its callers
  // outside are followed by its name; those in the ranges are found here.)
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of fresh.functions) {
      if (changedHere.has(f.qname) || !f.calls.some((c) => changedHere.has(c.callee))) continue;
      mark(f.qname, f.isAsync);
      grew = true;
    }
  }
  const functions: FunctionSummary[] = [];
  let next = 0;
  for (const qname of model.functions.keys()) {
    const f = freshBy.get(qname);
    if (f) {
      functions.push(f);
      continue;
    }
    while (next < old.functions.length && inOld(old.functions[next].span)) next++;
    const o = old.functions[next++];
    if (o?.qname !== qname) return `the summary of \`${lastPart(qname)}\``;
    functions.push(o.span.start >= unit.edit.oldEnd ? moveSummary(o, move) : o);
  }
  while (next < old.functions.length && inOld(old.functions[next].span)) next++;
  if (next < old.functions.length) return 'functions outside the unit';
  return { summary: { ...fresh, functions }, changed: [...changed], changedCoroutines: [...changedCoroutines] };
}

/**
 * For a class unit that renamed classes: a qualified name of this text under them, as it
 * was (`mod.B.m` → `mod.A.m`); else the name itself. A method of a renamed class is called
 * from outside the unit only by code that is re-analysed anyway: it names the class (whose
 * names are followed), or is in a subclass (whose header names it), or calls a function
 * whose return annotation names it (followed: see addDependents).
 */
function classRenames(model: FileModel, old: FileModel, unit: Unit): (qname: string) => string {
  const same = (q: string) => q;
  if (unit.kind !== 'class') return same;
  const now = [...definedIn(model, 'classes', unit.id)];
  const before = [...definedIn(old, 'classes', unit.oldId)];
  if (now.length !== before.length) return same;
  const pairs = now.map((q, i) => [q, before[i]] as const).filter(([a, b]) => a !== b);
  if (pairs.length === 0) return same;
  return (q) => {
    for (const [a, b] of pairs) if (q === a || (q.startsWith(a) && q.charCodeAt(a.length) === 46)) return b + q.slice(a.length);
    return q;
  };
}

function lastPart(qname: string): string {
  return qname.slice(qname.lastIndexOf('.') + 1);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function moveSpan(s: Span, move: (o: number) => number): Span {
  return { start: move(s.start), end: move(s.end) };
}

/** A summary of a function after the edit, moved (its calls' and evidence's spans are counted from its start). */
function moveSummary(f: FunctionSummary, move: (o: number) => number): FunctionSummary {
  return { ...f, span: moveSpan(f.span, move), nameSpan: moveSpan(f.nameSpan, move) };
}

/**
 * `fresh` (this text) tells callers what `old` (the last lint's text) told them, spans
 * moved: the code that reads summaries (the workspace's blocking chains and workloads, the
 * coroutine checks) follows calls only into functions it knows, and learns something only
 * from those that lead to a blocking call or to evidence (`leads`).
 */
function sameSummary(fresh: FunctionSummary, old: FunctionSummary, move: (o: number) => number, leads: (qname: string) => boolean, toOld: (qname: string) => string): boolean {
  const spanEq = (a: Span, b: Span) => a.start === move(b.start) && a.end === move(b.end);
  // (Spans of calls and evidence are counted from each function's start.)
  const innerEq = (a: Span, b: Span) => spanEq(at(fresh, a), at(old, b));
  if (
    toOld(fresh.qname) !== old.qname ||
    fresh.file !== old.file ||
    fresh.isAsync !== old.isAsync ||
    fresh.nested !== old.nested ||
    fresh.line !== old.line ||
    fresh.isAsyncGenerator !== old.isAsyncGenerator ||
    !spanEq(fresh.span, old.span) ||
    !spanEq(fresh.nameSpan, old.nameSpan) ||
    fresh.decorators.join() !== old.decorators.join() ||
    fresh.blocking.length !== old.blocking.length ||
    fresh.evidence.length !== old.evidence.length
  )
    return false;
  for (let i = 0; i < fresh.blocking.length; i++) {
    const a = fresh.blocking[i];
    const b = old.blocking[i];
    if (a.qname !== b.qname || a.code !== b.code || a.line !== b.line || !innerEq(a.span, b.span)) return false;
  }
  const freshCalls = fresh.calls.filter((c) => leads(toOld(c.callee)));
  const oldCalls = old.calls.filter((c) => leads(c.callee));
  if (freshCalls.length !== oldCalls.length) return false;
  for (let i = 0; i < freshCalls.length; i++) {
    const a = freshCalls[i];
    const b = oldCalls[i];
    if (toOld(a.callee) !== b.callee || a.awaited !== b.awaited || a.line !== b.line || !innerEq(a.span, b.span)) return false;
  }
  for (let i = 0; i < fresh.evidence.length; i++) {
    const a = fresh.evidence[i];
    const b = old.evidence[i];
    if (a.kind !== b.kind || a.text !== b.text || !innerEq(a.span, b.span)) return false;
  }
  return true;
}

/**
 * The last lint's findings (of the rules that look at one place at a time) outside the
 * re-analysed ranges, moved; undefined if one of them has a fix in a range or a related
 * location in the unit (its text may depend on the unit's), or spans a range's edge. (A
 * dependent's text is unchanged: a finding elsewhere that points into it was not affected,
 * or it would mention a name followed to it and be re-analysed itself.)
 */
export function keptFindings(old: readonly Finding[], unit: Unit): Finding[] | undefined {
  const move = mover(unit.edit);
  const dependents = unit.dependents.map((d) => oldRange(d, unit));
  const touchesDependent = (s: Span) => dependents.some((d) => s.end > d.start && s.start < d.end);
  const out: Finding[] = [];
  for (const f of old) {
    if (f.span.start >= unit.start && f.span.end <= unit.oldEnd) continue; // the unit's: found again
    if (dependents.some((d) => f.span.start >= d.start && f.span.end <= d.end)) continue; // a dependent's: found again
    if (touchesUnit(f.span, unit) || touchesDependent(f.span)) return undefined;
    let moved = f.span.start >= unit.edit.oldEnd;
    for (const e of f.fix?.edits ?? []) {
      if (touchesUnit(e, unit) || (e.start === e.end && e.start >= unit.start && e.start <= unit.oldEnd)) return undefined;
      if (touchesDependent(e) || dependents.some((d) => e.start === e.end && e.start >= d.start && e.start <= d.end)) return undefined;
      if (e.start >= unit.edit.oldEnd) moved = true;
    }
    for (const r of f.related ?? []) {
      if (r.file !== undefined) continue;
      if (touchesUnit(r.span, unit)) return undefined;
      if (r.span.start >= unit.edit.oldEnd) moved = true;
    }
    out.push(moved ? moveFinding(f, move) : f);
  }
  return out;
}

function moveFinding(f: Finding, move: (o: number) => number): Finding {
  const out: Finding = { ...f, span: moveSpan(f.span, move) };
  if (f.fix) out.fix = { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, ...moveSpan(e, move) })) };
  if (f.related) out.related = f.related.map((r) => (r.file === undefined ? { ...r, span: moveSpan(r.span, move) } : r));
  return out;
}

/**
 * For each call of the current model, the index of the same call in the last lint's model
 * (-1 for a call in a re-analysed range), or undefined if the calls outside the ranges do
 * not line up (then every call is resolved afresh). A call lies wholly inside a range or
 * outside all of them: ranges are whole `def`s.
 */
export function carriedCalls(model: FileModel, old: FileModel, unit: Unit): Int32Array | undefined {
  // (Over the trees' arrays, the ranges sorted: calls come in document order.)
  const inRanges = (ranges: readonly Span[]) => {
    let r = 0;
    return (offset: number) => {
      while (r < ranges.length && ranges[r].end <= offset) r++;
      return r < ranges.length && ranges[r].start <= offset;
    };
  };
  const insideNow = inRanges(unitRanges(unit));
  const insideBefore = inRanges(oldRanges(unit).sort((a, b) => a.start - b.start));
  const move = mover(unit.edit);
  const { starts, ends } = model.tree;
  const { starts: oldStarts, ends: oldEnds } = old.tree;
  const calls = model.callIds;
  const oldCalls = old.callIds;
  const from = new Int32Array(calls.length);
  let j = 0;
  for (let i = 0; i < calls.length; i++) {
    const id = calls[i];
    const start = starts[id];
    if (insideNow(start)) {
      from[i] = -1;
      continue;
    }
    while (j < oldCalls.length && insideBefore(oldStarts[oldCalls[j]])) j++;
    if (j === oldCalls.length) return undefined;
    const oldId = oldCalls[j];
    if (move(oldStarts[oldId]) !== start || move(oldEnds[oldId]) !== ends[id]) return undefined;
    from[i] = j++;
  }
  while (j < oldCalls.length && insideBefore(oldStarts[oldCalls[j]])) j++;
  return j === oldCalls.length ? from : undefined;
}

/** The error spans outside the unit are the last lint's, moved. */
export function sameErrorsOutside(fresh: readonly Span[], old: readonly Span[], unit: Unit): boolean {
  // (Lists cut at their maximum may differ beyond it.)
  if (fresh.length >= MAX_ERROR_SPANS || old.length >= MAX_ERROR_SPANS) return false;
  const move = mover(unit.edit);
  const a = fresh.filter((s) => s.end <= unit.start || s.start >= unit.end);
  const b = old.filter((s) => s.end <= unit.start || s.start >= unit.oldEnd);
  if (a.length !== b.length) return false;
  return a.every((s, i) => s.start === move(b[i].start) && s.end === move(b[i].end));
}
