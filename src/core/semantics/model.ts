// FileModel: everything the rules need from one file, gathered in a single cursor pass:
// scopes and bindings, the calls, `with` items, noqa comments and the async library in use.
import type { Node, SyntaxTree } from '../parse/syntax';
import { Scope, type Binding } from './scope';
import { parseNoqa, type NoqaMap } from './noqa';
import type { Span } from '../types';
import type { Callees } from './origin';
import type { Resolver } from './resolve';

export type AsyncLibrary = 'asyncio' | 'trio' | 'anyio';

/** Node types the single pass collects for rules, besides calls and with items. */
export const COLLECTED = [
  'for_statement',
  'while_statement',
  'await',
  'augmented_assignment',
  'assignment',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
] as const;
export type CollectedType = (typeof COLLECTED)[number];
const COLLECTED_SET: ReadonlySet<string> = new Set(COLLECTED);

/** Types the single pass looks at (the collected ones and those its switch handles). */
const VISITED: ReadonlySet<string> = new Set([
  ...COLLECTED,
  'call',
  'function_definition',
  'lambda',
  'class_definition',
  'import_statement',
  'import_from_statement',
  'named_expression',
  'with_item',
  'except_clause',
  'global_statement',
  'nonlocal_statement',
  'comment',
  'for_in_clause',
]);

const visitedTables = new WeakMap<object, Uint8Array>();

/** By stored type id: 1 when the pass looks at named nodes of that type. */
function visitedTable(tree: SyntaxTree): Uint8Array {
  let table = visitedTables.get(tree.tables);
  if (!table) {
    const { names, named } = tree.tables;
    table = new Uint8Array(names.length);
    names.forEach((name, id) => {
      if (named[id] && VISITED.has(name)) table![id] = 1;
    });
    visitedTables.set(tree.tables, table);
  }
  return table;
}

export interface ModelOptions {
  /** Dotted module name of the file (`pkg.sub.mod`); names defined here are qualified with it. */
  moduleName?: string;
  /** The file is a package's `__init__.py` (relative imports start from the package itself). */
  isPackage?: boolean;
}

/** `mod` -> module name of a file path relative to a source root (`pkg/sub/mod.py` -> `pkg.sub.mod`). */
export function moduleNameOf(relativePath: string): { moduleName: string; isPackage: boolean } {
  const parts = relativePath.replace(/\\/g, '/').replace(/\.pyi?$/, '').split('/').filter((p) => p && p !== '.');
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  return { moduleName: parts.join('.') || '__main__', isPackage };
}

/** The nodes of a list in document order that start in one of the ranges (sorted, disjoint). */
function listedWithin(nodes: readonly Node[], ranges: readonly Span[]): Node[] {
  const out: Node[] = [];
  for (const { start, end } of ranges) {
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nodes[mid].startIndex < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < nodes.length && nodes[i].startIndex < end; i++) out.push(nodes[i]);
  }
  return out;
}

export class FileModel {
  readonly module: Scope;
  /** Scope whose body starts at this node id (function/lambda/class bodies). */
  readonly bodyScopes: Map<number, Scope> = new Map();
  readonly scopeByDef: Map<number, Scope> = new Map();
  readonly calls: Node[] = [];
  /** @internal The node ids of `calls` (read in bulk without touching the nodes: incremental.ts). */
  readonly callIds: number[] = [];
  /** @internal Indexes in `calls` of the calls in the module's own scope (see moduleLevelCalls). */
  readonly moduleCallIndexes: number[] = [];
  /** Nodes of the types in COLLECTED, in document order (see nodesOfType). */
  private readonly collected = new Map<string, Node[]>();
  readonly withItems: Node[] = [];
  readonly noqa: NoqaMap = new Map();
  /**
   * Every name bound anywhere in the file (for the unbound-module fallback, and the names
   * fixes add). Incremental lints compare it only for the names it is asked about: keep
   * boundNameMatters in incremental.ts in step when asking about others.
   */
  readonly boundNames = new Set<string>();
  /** Top-level modules imported anywhere (import x / from x import y). */
  readonly importedModules = new Set<string>();
  /** Where the `global` statements are (offsets, in order): names they declare bind in the module. */
  readonly globalStatements: number[] = [];
  /** Top-level import statements of the module, in order. */
  readonly topImports: Node[] = [];
  /** The async library in use: trio or anyio when imported, else asyncio. */
  get asyncLibrary(): AsyncLibrary {
    if (this.range) return this.range.of.asyncLibrary;
    return (this.library ??= this.importedModules.has('trio') ? 'trio' : this.importedModules.has('anyio') ? 'anyio' : 'asyncio');
  }

  private library?: AsyncLibrary;
  hasAsyncDef = false;
  readonly moduleName: string;
  readonly isPackage: boolean;
  /** Classes defined in this file by qualified name. */
  readonly classes = new Map<string, Scope>();
  /** Functions (def / async def) defined in this file by qualified name. */
  readonly functions = new Map<string, Scope>();

  /**
   * Set on a view (see `within`): only nodes starting in one of its ranges are listed by
   * `calls`, `withItems` and `nodesOfType`; everything else is the whole file's.
   */
  private readonly range?: { ranges: readonly Span[]; of: FileModel };

  constructor(readonly tree: SyntaxTree, readonly text: string, options: ModelOptions = {}, view?: { ranges: readonly Span[]; of: FileModel }, inSteps?: boolean) {
    if (view) {
      // (The same constructor for a view, so rules see one shape of model object.)
      const of = view.of;
      this.range = view;
      this.moduleName = of.moduleName;
      this.isPackage = of.isPackage;
      this.module = of.module;
      this.bodyScopes = of.bodyScopes;
      this.scopeByDef = of.scopeByDef;
      this.calls = listedWithin(of.calls, view.ranges);
      this.callIds = this.calls.map((c) => c.id);
      this.withItems = listedWithin(of.withItems, view.ranges);
      this.noqa = of.noqa;
      this.boundNames = of.boundNames;
      this.importedModules = of.importedModules;
      this.topImports = of.topImports;
      this.globalStatements = of.globalStatements;
      this.hasAsyncDef = of.hasAsyncDef;
      this.classes = of.classes;
      this.functions = of.functions;
      this.comprehensionNames = of.comprehensionNames;
      of.scopeAtOffset(0); // sorts the bodies once, for both
      this.bodies = of.bodies;
      this.bodiesSorted = true;
      return;
    }
    this.moduleName = options.moduleName ?? '__main__';
    this.isPackage = options.isPackage ?? false;
    this.module = new Scope('module', tree.rootNode, undefined);
    this.module.qualifier = this.moduleName;
    if (!inSteps) collect(this, collectState(this), tree.count);
  }

  /**
   * Empties the model's collections (and its scopes' bindings) once nothing will read it
   * again: the editor's last lint model, when the next lint has replaced it (Linter.lintSteps).
   * A dead model that V8 has already moved to the old generation still counts as alive for
   * the young generation's collections, with everything young it points to, until a full
   * collection; emptied, it points to nothing (docs/benchmarks.md, fifth round).
   */
  release(): void {
    if (this.range) return; // a view shares the collections of the model it views
    for (const scope of this.bodyScopes.values()) scope.bindings.clear();
    this.module.bindings.clear();
    this.bodyScopes.clear();
    this.scopeByDef.clear();
    this.classes.clear();
    this.functions.clear();
    this.collected.clear();
    this.calls.length = 0;
    this.callIds.length = 0;
    this.moduleCallIndexes.length = 0;
    this.withItems.length = 0;
    this.topImports.length = 0;
    this.bodies.length = 0;
    this.calleeTable = undefined;
  }

  /**
   * The model built in steps of `chunk` nodes (a large file's single pass takes 50–150 ms:
   * the editor gives the event loop a turn between steps; see Linter.lintSteps).
   */
  static *build(tree: SyntaxTree, text: string, options: ModelOptions, chunk: number): Generator<string, FileModel, void> {
    const model = new FileModel(tree, text, options, undefined, true);
    const state = collectState(model);
    for (;;) {
      collect(model, state, Math.min(tree.count, state.next + chunk));
      if (state.next >= tree.count) return model;
      yield 'model';
    }
  }

  /**
   * The model of the whole file, also from a view: for the facts a rule looks up anywhere
   * in the file (an existing task set, a changed default executor), not for the places it
   * reports. (An incremental lint re-lints everything when the unit's text has one of
   * FILE_FACT_WORDS in incremental.ts: keep that list in step.)
   */
  get wholeFile(): FileModel {
    return this.range?.of ?? this;
  }

  /** A view's ranges (see `within`); undefined for the whole file's model. */
  get ranges(): readonly Span[] | undefined {
    return this.range?.ranges;
  }

  /**
   * This model as seen from some ranges (an incremental lint's unit and the functions
   * re-analysed with it; sorted, disjoint): the same scopes, bindings and facts, but its
   * lists of calls, `with` items and collected nodes hold only the nodes that start in them.
   */
  within(ranges: readonly Span[]): FileModel {
    return new FileModel(this.tree, this.text, {}, { ranges, of: this.wholeFile });
  }

  /**
   * The calls whose scope is the module (not in a function, lambda or class body: what runs
   * when it is imported, main guards aside), in document order; found with the calls.
   */
  moduleLevelCalls(): Node[] {
    if (this.range) return this.calls.filter((c) => this.scopeAt(c) === this.module);
    return this.moduleCallIndexes.map((i) => this.calls[i]);
  }

  /** The scope a node executes in. Defaults and decorators run in the enclosing scope. */
  scopeAt(node: Node): Scope {
    return this.scopeAtOffset(node.startIndex, node.endIndex);
  }

  /**
   * By position: the innermost body (function, lambda, class) that contains the range.
   * Parameters and decorators lie outside their function's body, so they get the
   * enclosing scope, as in Python. (Walking `parent` links is O(depth) per step in
   * tree-sitter; positions are cheap.)
   */
  scopeAtOffset(start: number, end = start): Scope {
    if (!this.bodiesSorted) {
      // A lambda in a default value has its body before its owner's: sort once.
      this.bodies.sort((a, b) => a.start - b.start);
      this.bodiesSorted = true;
      // Each body's innermost enclosing body (bodies nest or are disjoint): the search below
      // climbs these instead of stepping back over every body in between (module-level code
      // after a thousand functions would scan all of them).
      const open: number[] = [];
      this.bodies.forEach((b, i) => {
        while (open.length > 0 && this.bodies[open[open.length - 1]].end < b.end) open.pop();
        b.outer = open.length > 0 ? open[open.length - 1] : -1;
        open.push(i);
      });
    }
    const bodies = this.bodies;
    // bodies are sorted by start; the innermost container is the last one that contains us.
    let lo = 0;
    let hi = bodies.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (bodies[mid].start <= start) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0; i = bodies[i].outer) {
      const b = bodies[i];
      if (b.start <= start && end <= b.end) return b.scope;
    }
    return this.module;
  }

  /** Function/lambda/class bodies, sorted by start (see scopeAtOffset). */
  private readonly bodies: { start: number; end: number; scope: Scope; outer: number }[] = [];
  private bodiesSorted = false;

  /** @internal */
  addBody(start: number, end: number, scope: Scope): void {
    this.bodies.push({ start, end, scope, outer: -1 });
    this.bodiesSorted = false;
  }

  /** Comprehension variables: name -> ranges of the comprehensions that bind it. */
  readonly comprehensionNames = new Map<string, { start: number; end: number }[]>();

  /** Whether `name` at this position is a comprehension's own variable. */
  boundByComprehension(name: string, at: number): boolean {
    const ranges = this.comprehensionNames.get(name);
    return !!ranges && ranges.some((r) => r.start <= at && at < r.end);
  }

  /** The local name under which a module is imported at module level (`import asyncio as aio` -> `aio`). */
  /** Every node of a collected type (for_statement, await, ...), in document order. */
  nodesOfType(type: CollectedType): readonly Node[] {
    const range = this.range;
    if (range) {
      let list = this.collected.get(type);
      if (!list) this.collected.set(type, (list = listedWithin(range.of.nodesOfType(type), range.ranges)));
      return list;
    }
    return this.collected.get(type) ?? [];
  }

  /** @internal */
  addCollected(type: string, node: Node): void {
    const list = this.collected.get(type);
    if (list) list.push(node);
    else this.collected.set(type, [node]);
  }

  /** Absolute module for a relative import (`from ..x import y` -> `pkg.x`). */
  absoluteModule(dots: number, rest: string): string | undefined {
    const parts = this.moduleName.split('.');
    const packageParts = this.isPackage ? parts : parts.slice(0, -1);
    const up = dots - 1;
    if (up > packageParts.length) return undefined;
    const base = packageParts.slice(0, packageParts.length - up);
    if (rest) base.push(rest);
    return base.length ? base.join('.') : undefined;
  }

  moduleAlias(module: string): string | undefined {
    // Asked once per fix (every blocking call offers one): index the module's imports once.
    if (!this.aliases) {
      this.aliases = new Map();
      for (const [name, bindings] of this.module.bindings) {
        const b = bindings[0];
        if (bindings.length === 1 && b.kind === 'import' && !this.aliases.has(b.qname)) this.aliases.set(b.qname, name);
      }
    }
    return this.aliases.get(module);
  }

  private aliases?: Map<string, string>;

  /** @internal The lint's table of callees (see calleesOf in origin.ts). */
  calleeTable?: { resolver: Resolver; callees: Callees };
}


function bindTargets(scope: Scope, model: FileModel, target: Node | null, b: Binding): void {
  if (!target) return;
  if (target.type === 'identifier') {
    scope.bind(target.text, { ...b, site: target });
    model.boundNames.add(target.text);
    return;
  }
  // Unpacking and starred targets: the values are not tracked. Attributes and subscripts
  // inside a target bind nothing. (A stack, not recursion: targets can nest thousands deep.)
  if (target.type === 'attribute' || target.type === 'subscript') return;
  const stack: Node[] = [];
  const pushChildren = (t: Node) => {
    const children = t.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  };
  pushChildren(target);
  while (stack.length > 0) {
    const t = stack.pop() as Node;
    if (t.type === 'identifier') {
      scope.bind(t.text, { kind: 'opaque', site: t });
      model.boundNames.add(t.text);
    } else if (t.type !== 'attribute' && t.type !== 'subscript') pushChildren(t);
  }
}

function targetScope(scope: Scope, model: FileModel, name: string): Scope {
  if (scope.globals.has(name)) return model.module;
  return scope;
}

function isDecoratedWith(fn: Node, names: string[]): boolean {
  const parent = fn.parent;
  if (!parent || parent.type !== 'decorated_definition') return false;
  for (const d of parent.namedChildren) {
    if (d && d.type === 'decorator' && names.some((n) => d.text.includes(n))) return true;
  }
  return false;
}

function openScope(model: FileModel, node: Node, current: Scope): Scope {
  const type = node.type;
  if (type === 'class_definition') {
    const name = node.childForFieldName('name');
    const scope = new Scope('class', node, current);
    const qname = `${current.qualifier}.${name?.text ?? '<class>'}`;
    scope.qualifier = qname;
    if (name) {
      targetScope(current, model, name.text).bind(name.text, { kind: 'class', qname, node });
      model.boundNames.add(name.text);
      model.classes.set(qname, scope);
    }
    return scope;
  }
  const isAsync = type === 'function_definition' && node.child(0)?.type === 'async';
  if (isAsync) model.hasAsyncDef = true;
  const params = node.childForFieldName('parameters');
  let selfName: string | undefined;
  const methodOf = type === 'function_definition' && current.kind === 'class' ? current : undefined;
  if (methodOf && params && !isDecoratedWith(node, ['staticmethod', 'classmethod'])) {
    const first = params.firstNamedChild;
    if (first?.type === 'identifier') selfName = first.text;
  }
  const scope = new Scope(type === 'lambda' ? 'lambda' : 'function', node, current, isAsync, methodOf, selfName);
  if (type === 'function_definition') {
    const name = node.childForFieldName('name');
    const qname = `${current.qualifier}.${name?.text ?? '<def>'}`;
    scope.qualifier = `${qname}.<locals>`;
    if (name) {
      targetScope(current, model, name.text).bind(name.text, { kind: 'def', qname, node });
      model.boundNames.add(name.text);
      model.functions.set(qname, scope);
    }
  } else {
    scope.qualifier = `${current.qualifier}.<lambda>`;
  }
  if (params) {
    let index = 0;
    for (const p of params.namedChildren) {
      if (!p) continue;
      let nameNode: Node | null = null;
      let annotation: Node | undefined;
      switch (p.type) {
        case 'identifier':
          nameNode = p;
          break;
        case 'typed_parameter':
          nameNode = p.findNamedChild((c) => c?.type === 'identifier') ?? null;
          annotation = p.childForFieldName('type') ?? undefined;
          break;
        case 'default_parameter':
          nameNode = p.childForFieldName('name');
          break;
        case 'typed_default_parameter':
          nameNode = p.childForFieldName('name');
          annotation = p.childForFieldName('type') ?? undefined;
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          nameNode = p.findNamedChild((c) => c?.type === 'identifier') ?? null;
          break;
      }
      if (nameNode?.type === 'identifier') {
        scope.bind(nameNode.text, { kind: 'param', index, annotation, site: nameNode });
        model.boundNames.add(nameNode.text);
      }
      index++;
    }
  }
  return scope;
}

function collectImport(model: FileModel, node: Node, scope: Scope): void {
  if (node.type === 'import_statement') {
    for (const item of node.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const dotted = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (dotted && alias) {
          scope.bind(alias, { kind: 'import', qname: dotted });
          model.boundNames.add(alias);
          model.importedModules.add(dotted.split('.')[0]);
        }
      } else {
        const top = item.text.split('.')[0];
        scope.bind(top, { kind: 'import', qname: top });
        model.boundNames.add(top);
        model.importedModules.add(top);
      }
    }
    return;
  }
  // import_from_statement
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return;
  let mod: string | undefined;
  if (moduleNode.type === 'relative_import') {
    const prefix = moduleNode.findNamedChild((c) => c?.type === 'import_prefix')?.text ?? '.';
    const rest = moduleNode.findNamedChild((c) => c?.type === 'dotted_name')?.text.replace(/\s+/g, '') ?? '';
    mod = model.absoluteModule(prefix.length, rest);
    if (!mod) {
      // Above the top of the package: nothing we can name.
      for (const item of node.childrenForFieldName('name')) {
        const local = item?.type === 'aliased_import' ? item.childForFieldName('alias')?.text : item?.text.split('.')[0];
        if (local) {
          scope.bind(local, { kind: 'opaque' });
          model.boundNames.add(local);
        }
      }
      return;
    }
  } else {
    mod = moduleNode.text.replace(/\s+/g, '');
  }
  model.importedModules.add(mod.split('.')[0]);
  if (node.someNamedChild((c) => c?.type === 'wildcard_import')) {
    scope.addStarImport(mod);
    return;
  }
  for (const item of node.childrenForFieldName('name')) {
    if (!item) continue;
    if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (name && alias) {
        scope.bind(alias, { kind: 'import', qname: `${mod}.${name}` });
        model.boundNames.add(alias);
      }
    } else {
      scope.bind(item.text, { kind: 'import', qname: `${mod}.${item.text}` });
      model.boundNames.add(item.text);
    }
  }
}

function collectAssignment(model: FileModel, node: Node, scope: Scope): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right') ?? undefined;
  const annotation = node.childForFieldName('type') ?? undefined;
  if (!left) return;
  if (left.type === 'identifier') {
    const name = left.text;
    targetScope(scope, model, name).bind(name, { kind: 'assign', value: right?.type === 'assignment' ? undefined : right, annotation, site: left });
    model.boundNames.add(name);
    return;
  }
  // `a, b = X, Y` and `(a, b) = (X, Y)`: each name gets its own element.
  if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && (right?.type === 'expression_list' || right?.type === 'tuple')) {
    const targets = left.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const values = right.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (targets.length === values.length && values.every((v) => v.type !== 'list_splat') && targets.every((t) => t.type !== 'list_splat_pattern')) {
      targets.forEach((t, i) => {
        if (t.type === 'identifier') {
          targetScope(scope, model, t.text).bind(t.text, { kind: 'assign', value: values[i], site: t });
          model.boundNames.add(t.text);
        } else bindTargets(scope, model, t, { kind: 'opaque' });
      });
      return;
    }
  }
  if (left.type === 'attribute') {
    // self.<attr> = value inside a method: remembered on the class.
    const obj = left.childForFieldName('object');
    const attr = left.childForFieldName('attribute');
    const fnScope = scope.kind === 'function' ? scope : undefined;
    if (obj?.type === 'identifier' && attr && fnScope?.methodOf && fnScope.selfName === obj.text) {
      fnScope.methodOf.addSelfAttr(attr.text, { kind: 'assign', value: right, annotation });
    }
    return;
  }
  bindTargets(scope, model, left, { kind: 'opaque' });
}

/** Where a collect pass stands: it can stop at any node and go on from there. */
interface CollectState {
  /** The next node id to look at. */
  next: number;
  /** Scopes whose body the walk is inside, innermost last, each with the index past its body. */
  stack: { end: number; scope: Scope }[];
  scope: Scope;
  /** Scopes opened whose body has not started yet, by the body's node id. */
  pending: Map<number, Scope>;
}

function collectState(model: FileModel): CollectState {
  return { next: 0, stack: [], scope: model.module, pending: new Map() };
}

/** The single pass, over the nodes from `state.next` up to (not including) `to`. */
function collect(model: FileModel, state: CollectState, to: number): void {
  const tree = model.tree;
  const { types, after } = tree;
  const names = tree.tables.names;
  const visited = visitedTable(tree);
  const { stack, pending } = state;
  let scope = state.scope;
  for (let i = state.next; i < to; i++) {
    while (stack.length > 0 && i >= stack[stack.length - 1].end) {
      stack.pop();
      scope = stack.length > 0 ? stack[stack.length - 1].scope : model.module;
    }
    if (pending.size > 0) {
      const started = pending.get(i);
      if (started) {
        pending.delete(i);
        stack.push({ end: after[i], scope: started });
        scope = started;
      }
    }
    const typeId = types[i];
    // Most nodes (and every keyword: `await` shares its type name with the expression) are
    // of no interest here.
    if (!visited[typeId]) continue;
    const type = names[typeId];
    if (COLLECTED_SET.has(type)) model.addCollected(type, tree.node(i));
    switch (type) {
      case 'call':
        if (scope === model.module) model.moduleCallIndexes.push(model.calls.length);
        model.calls.push(tree.node(i));
        model.callIds.push(i);
        break;
      case 'function_definition':
      case 'lambda':
      case 'class_definition': {
        const node = tree.node(i);
        const s = openScope(model, node, scope);
        model.scopeByDef.set(node.id, s);
        const body = node.childForFieldName('body');
        if (body) {
          pending.set(body.id, s);
          model.bodyScopes.set(body.id, s);
          model.addBody(body.startIndex, body.endIndex, s);
        }
        break;
      }
      case 'import_statement':
      case 'import_from_statement': {
        const node = tree.node(i);
        collectImport(model, node, scope);
        if (scope === model.module && tree.parents[i] === 0) model.topImports.push(node);
        break;
      }
      case 'assignment':
        collectAssignment(model, tree.node(i), scope);
        break;
      case 'augmented_assignment': {
        const left = tree.node(i).childForFieldName('left');
        if (left?.type === 'identifier') bindTargets(targetScope(scope, model, left.text), model, left, { kind: 'opaque' });
        break;
      }
      case 'named_expression': {
        const node = tree.node(i);
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value') ?? undefined;
        if (name) {
          scope.bind(name.text, { kind: 'assign', value, site: name });
          model.boundNames.add(name.text);
        }
        break;
      }
      case 'for_statement':
        bindTargets(scope, model, tree.node(i).childForFieldName('left'), { kind: 'opaque' });
        break;
      case 'with_item': {
        const node = tree.node(i);
        model.withItems.push(node);
        const value = node.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const target = value.childForFieldName('alias')?.firstNamedChild;
          const expr = value.firstNamedChild;
          if (target?.type === 'identifier' && expr) {
            scope.bind(target.text, { kind: 'with', value: expr, site: target });
            model.boundNames.add(target.text);
          } else bindTargets(scope, model, target ?? null, { kind: 'opaque' });
        }
        break;
      }
      case 'except_clause': {
        const value = tree.node(i).findNamedChild((c) => c?.type === 'as_pattern');
        const target = value?.childForFieldName('alias')?.firstNamedChild;
        bindTargets(scope, model, target ?? null, { kind: 'opaque' });
        break;
      }
      case 'global_statement':
      case 'nonlocal_statement': {
        const kind = type === 'global_statement' ? 'global' : 'nonlocal';
        if (kind === 'global') model.globalStatements.push(tree.starts[i]);
        for (const id of tree.node(i).namedChildren) if (id?.type === 'identifier') scope.declare(kind, id.text);
        break;
      }
      case 'comment':
        parseNoqa(tree.node(i), model.noqa);
        break;
      case 'for_in_clause': {
        // Comprehension variables shadow outer names inside the comprehension only.
        const clause = tree.node(i);
        const comp = clause.parent;
        const left = clause.childForFieldName('left');
        if (comp && left) {
          const ids = left.type === 'identifier' ? [left] : left.descendantsOfType('identifier');
          for (const id of ids) {
            if (!id) continue;
            const list = model.comprehensionNames.get(id.text);
            const range = { start: comp.startIndex, end: comp.endIndex };
            if (list) list.push(range);
            else model.comprehensionNames.set(id.text, [range]);
          }
        }
        break;
      }
    }
  }
  state.next = to;
  state.scope = scope;
}
