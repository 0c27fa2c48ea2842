// Where a pool, executor or process object comes from: the constructor call behind an
// expression (`ex` bound by `with ThreadPoolExecutor() as ex`, `self.pool` assigned
// `Pool(4)` in `__init__`, `ctx.Process(...)` with `ctx = multiprocessing.get_context()`).
// The resolver knows the *type* of such objects, but it folds `multiprocessing.Pool`,
// `ThreadPool` and `multiprocessing.dummy.Pool` into one type; the rules need to know
// whether the workers are threads or processes, and where the object was made (fixes
// rewrite that constructor).
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Binding, Scope } from './scope';

export type PoolKind = 'thread' | 'process';

/** Canonical constructor names of the executors and pools, and what runs their work. */
const CONSTRUCTORS = new Map<string, { kind: PoolKind; family: 'executor' | 'pool' | 'process' | 'thread' }>([
  ['concurrent.futures.ThreadPoolExecutor', { kind: 'thread', family: 'executor' }],
  ['concurrent.futures.thread.ThreadPoolExecutor', { kind: 'thread', family: 'executor' }],
  ['concurrent.futures.ProcessPoolExecutor', { kind: 'process', family: 'executor' }],
  ['concurrent.futures.process.ProcessPoolExecutor', { kind: 'process', family: 'executor' }],
  ['multiprocessing.Pool', { kind: 'process', family: 'pool' }],
  ['multiprocessing.pool.Pool', { kind: 'process', family: 'pool' }],
  ['multiprocessing.pool.ThreadPool', { kind: 'thread', family: 'pool' }],
  ['multiprocessing.dummy.Pool', { kind: 'thread', family: 'pool' }],
  ['multiprocessing.Process', { kind: 'process', family: 'process' }],
  ['multiprocessing.context.Process', { kind: 'process', family: 'process' }],
  ['threading.Thread', { kind: 'thread', family: 'thread' }],
]);

/**
 * The callee of each call of a model (by its index in `model.calls`): its qualified name,
 * whether it is an attribute (`x.name(...)`), and its last name when that is one of
 * CALLEE_NAMES (the method and function names the passes below look for). Found once per
 * model and resolver for the passes that look at every call of a file (several rules, the
 * summary), which would otherwise each make the same nodes and ask the same questions. It
 * keeps no node: nodes that live as long as the lint would survive a garbage collection
 * and be copied by it, where nodes made and dropped at once cost almost nothing.
 */
export interface Callees {
  readonly qnames: readonly (string | undefined)[];
  /** 1 where the callee is an attribute. */
  readonly isAttribute: Uint8Array;
  /** The callee's name (attribute or bare name) if it is one of CALLEE_NAMES. */
  readonly names: readonly (string | undefined)[];
}

/** Method and function names asked about: thread and process hand-offs, pool constructors, `.start()`, `.acquire()`. */
const CALLEE_NAMES = new Map(
  ['submit', 'map', 'map_async', 'imap', 'imap_unordered', 'apply', 'apply_async', 'starmap', 'starmap_async', 'run_in_executor', 'to_thread', 'start_new_thread', 'run_sync', 'Pool', 'Process', 'start', 'set_default_executor', 'acquire'].map((n) => [n, n]),
);

export function calleesOf(model: FileModel, resolver: Resolver): Callees {
  const known = model.calleeTable;
  if (known?.resolver === resolver) return known.callees;
  const steps = calleeSteps(model, resolver, Infinity);
  for (let step = steps.next(); !step.done; step = steps.next());
  return model.calleeTable!.callees;
}

/**
 * Builds the model's callee table in steps of `chunk` calls (the first resolution of every
 * call of a large file is the longest part of its lint: the editor gives the event loop a
 * turn between steps; see Linter.lintSteps).
 */
export function* calleeSteps(model: FileModel, resolver: Resolver, chunk: number): Generator<string, void, void> {
  if (model.calleeTable?.resolver === resolver) return;
  const calls = model.calls;
  const table = emptyCallees(calls.length);
  for (let i = 0; i < calls.length; i++) {
    if (i > 0 && i % chunk === 0) yield 'callees';
    findCallee(table, i, calls[i], resolver);
  }
  model.calleeTable = { resolver, callees: table };
}

/** A callee table being filled. */
interface CalleeTable {
  qnames: (string | undefined)[];
  isAttribute: Uint8Array;
  names: (string | undefined)[];
}

function emptyCallees(count: number): CalleeTable {
  return { qnames: new Array<string | undefined>(count), isAttribute: new Uint8Array(count), names: new Array<string | undefined>(count) };
}

function findCallee(table: CalleeTable, i: number, call: Node, resolver: Resolver): void {
  const fn = call.childForFieldName('function');
  table.qnames[i] = resolver.qualifiedName(fn);
  if (fn?.type === 'attribute') {
    table.isAttribute[i] = 1;
    table.names[i] = CALLEE_NAMES.get(fn.childForFieldName('attribute')?.text ?? '');
  } else if (fn?.type === 'identifier') table.names[i] = CALLEE_NAMES.get(fn.text);
}

/**
 * Gives the model the callee table of an incremental lint: call `i` takes the entry
 * `earlier[from[i]]` of the last lint's table where `from[i] >= 0` (a call outside the
 * re-analysed code: its text and what it resolves to are the last lint's), and is resolved
 * afresh where it is -1.
 */
export function carryCallees(model: FileModel, resolver: Resolver, earlier: Callees, from: Int32Array): void {
  const calls = model.calls;
  const table = emptyCallees(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const j = from[i];
    if (j < 0) findCallee(table, i, calls[i], resolver);
    else {
      table.qnames[i] = earlier.qnames[j];
      table.isAttribute[i] = earlier.isAttribute[j];
      table.names[i] = earlier.names[j];
    }
  }
  model.calleeTable = { resolver, callees: table };
}

/**
 * For the modules that filter calls by these names: throws (at load, so every test fails at
 * once) when one of their names is missing from CALLEE_NAMES, where the table would hide it.
 */
export function requireCalleeNames(names: Iterable<string>): void {
  for (const n of names) if (!CALLEE_NAMES.has(n)) throw new Error(`calleesOf: add \`${n}\` to CALLEE_NAMES`);
}

/** The method name of call `i` if its callee is an attribute and the name one of CALLEE_NAMES. */
export function calleeMethod(c: Callees, i: number): string | undefined {
  return c.isAttribute[i] ? c.names[i] : undefined;
}

/**
 * Drops a model's callee table: a lint's cache, not to be kept alive with the model (an
 * editor document keeps its last model for the next lint; the table's arrays would then
 * outlive a garbage collection or two and be promoted, for nothing).
 */
export function forgetCallees(model: FileModel): void {
  model.calleeTable = undefined;
}

/** Whether constructorOf can name a constructor for the call with this callee (a superset). */
export function mayConstruct(qname: string | undefined, attr: string | undefined): boolean {
  return (qname !== undefined && (CONSTRUCTORS.has(qname) || qname === 'threading.Timer')) || attr === 'Pool' || attr === 'Process';
}

/** Types as the resolver names them (annotations, catalogue types) -> constructor name. */
const TYPE_TO_CONSTRUCTOR = new Map<string, string>([
  ['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
  ['concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['multiprocessing.pool.Pool', 'multiprocessing.pool.Pool'],
  ['multiprocessing.pool.ThreadPool', 'multiprocessing.pool.ThreadPool'],
  ['multiprocessing.Process', 'multiprocessing.Process'],
  ['threading.Thread', 'threading.Thread'],
]);

export interface Origin {
  /** Canonical constructor name (`concurrent.futures.ThreadPoolExecutor`). */
  ctor: string;
  kind: PoolKind;
  family: 'executor' | 'pool' | 'process' | 'thread';
  /** The constructor call, when the object is made in this file. */
  call?: Node;
  /** How the expression got the object: bound by `with ... as`, assigned, a `self` attribute, an annotated parameter, or made right there. */
  via: 'with' | 'assign' | 'self' | 'param' | 'direct';
  /** The name the object is bound to (`ex`, or `pool` for `self.pool`). */
  name?: string;
  /** The scope holding that binding (for `with` / `assign`). */
  scope?: Scope;
  /** "`ex` is a `ThreadPoolExecutor` (line 12)". */
  evidence: string;
}

function short(qname: string): string {
  return qname.split('.').slice(-1)[0];
}

/** The scope and bindings a name refers to at `at`, following Python's lookup rules. */
export function bindingsOf(model: FileModel, name: string, at: Node): { scope: Scope; bindings: Binding[] } | undefined {
  const start = model.scopeAt(at);
  let scope: Scope | undefined = start;
  while (scope) {
    if (scope.globals.has(name)) {
      scope = model.module;
      const b = scope.bindings.get(name);
      return b ? { scope, bindings: b } : undefined;
    }
    if (scope.kind !== 'class' || scope === start) {
      const b = scope.bindings.get(name);
      if (b && !scope.nonlocals.has(name)) return { scope, bindings: b };
    }
    scope = scope.parent;
  }
  return undefined;
}

/** `multiprocessing.get_context(...)` or a name bound to one. */
function isMpContext(model: FileModel, resolver: Resolver, node: Node | null, depth = 0): boolean {
  if (!node || depth > 4) return false;
  if (node.type === 'call') {
    const q = resolver.qualifiedName(node.childForFieldName('function'));
    return q === 'multiprocessing.get_context' || q === 'multiprocessing.context.get_context';
  }
  if (node.type === 'identifier') {
    const found = bindingsOf(model, node.text, node);
    if (!found || found.bindings.length !== 1) return false;
    const b = found.bindings[0];
    return b.kind === 'assign' && isMpContext(model, resolver, b.value ?? null, depth + 1);
  }
  if (node.type === 'attribute') {
    // `multiprocessing` module itself offers the same names as a context.
    return resolver.qualifiedName(node) === 'multiprocessing';
  }
  return false;
}

function stringValue(n: Node | null | undefined): string | undefined {
  if (n?.type !== 'string') return undefined;
  const parts = n.namedChildren.filter((c) => c?.type === 'string_content');
  return parts.length === 1 ? parts[0]!.text : parts.length === 0 ? '' : undefined;
}

/**
 * The start method a `ctx.Process(...)` / `ctx.Pool(...)` call uses when `ctx` is
 * `multiprocessing.get_context("fork")` (or a name bound to it), else the one passed to a
 * `multiprocessing.set_start_method(...)` call in this file, else undefined.
 */
export function startMethodOf(model: FileModel, resolver: Resolver, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  let ctx = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  for (let i = 0; i < 4 && ctx?.type === 'identifier'; i++) {
    const found = bindingsOf(model, ctx.text, ctx);
    const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    ctx = b?.kind === 'assign' ? b.value ?? null : null;
  }
  if (ctx?.type === 'call' && isMpContext(model, resolver, ctx)) {
    const arg = ctx.childForFieldName('arguments')?.findNamedChild((a) => a && a.type !== 'comment');
    return stringValue(arg);
  }
  for (const c of model.wholeFile.calls) {
    if (resolver.qualifiedName(c.childForFieldName('function')) !== 'multiprocessing.set_start_method') continue;
    const arg = c.childForFieldName('arguments')?.findNamedChild((a) => a && a.type !== 'comment');
    return stringValue(arg);
  }
  return undefined;
}

/** The canonical constructor a call invokes, if it is one of the pools/executors/processes. */
export function constructorOf(model: FileModel, resolver: Resolver, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const q = resolver.qualifiedName(fn);
  if (q && CONSTRUCTORS.has(q)) return q;
  if (q === 'threading.Timer') return 'threading.Thread';
  if (fn.type === 'attribute') {
    const attr = fn.childForFieldName('attribute')?.text;
    if ((attr === 'Pool' || attr === 'Process') && isMpContext(model, resolver, fn.childForFieldName('object'))) return `multiprocessing.${attr}`;
  }
  return undefined;
}

function fromConstructor(ctor: string, extra: Omit<Origin, 'ctor' | 'kind' | 'family'>): Origin | undefined {
  const info = CONSTRUCTORS.get(ctor);
  return info ? { ctor, kind: info.kind, family: info.family, ...extra } : undefined;
}

/** Traces an expression to the pool/executor/process/thread it holds, if that is clear. */
export function originOf(model: FileModel, resolver: Resolver, expr: Node | null | undefined, depth = 0): Origin | undefined {
  if (!expr || depth > 4) return undefined;
  const line = (n: Node) => n.startPosition.row + 1;
  switch (expr.type) {
    case 'parenthesized_expression':
      return originOf(model, resolver, expr.firstNamedChild, depth + 1);
    case 'call': {
      const ctor = constructorOf(model, resolver, expr);
      return ctor ? fromConstructor(ctor, { call: expr, via: 'direct', evidence: `\`${short(ctor)}(...)\` at line ${line(expr)}` }) : undefined;
    }
    case 'identifier': {
      const found = bindingsOf(model, expr.text, expr);
      if (!found) return undefined;
      if (found.bindings.every((b) => b.kind === 'param')) return byType(resolver, expr, 'param');
      // Every binding must hold the same kind of object (`pool = ThreadPool(2)` twice is fine).
      let first: Origin | undefined;
      for (const b of found.bindings) {
        if ((b.kind !== 'assign' && b.kind !== 'with') || !b.value) return undefined;
        const inner = originOf(model, resolver, b.value, depth + 1);
        if (!inner || (first && first.ctor !== inner.ctor)) return undefined;
        if (!first) {
          const how = b.kind === 'with' ? 'bound by `with` to' : 'assigned';
          first = inner.call
            ? { ...inner, via: b.kind, name: expr.text, scope: found.scope, evidence: `\`${expr.text}\` is ${how} \`${short(inner.ctor)}(...)\` at line ${line(inner.call)}` }
            : { ...inner, name: expr.text };
        }
      }
      if (first && found.bindings.length > 1) return { ...first, call: undefined };
      return first;
    }
    case 'attribute': {
      const obj = resolver.resolve(expr.childForFieldName('object'));
      const attr = expr.childForFieldName('attribute')?.text;
      if (obj?.kind === 'self' && attr) {
        const assigned = obj.cls.selfAttrs.get(attr);
        if (assigned && assigned.length === 1 && assigned[0].kind === 'assign') {
          const inner = originOf(model, resolver, assigned[0].value, depth + 1);
          if (inner?.call) return { ...inner, via: 'self', name: attr, evidence: `\`self.${attr}\` is assigned \`${short(inner.ctor)}(...)\` at line ${line(inner.call)}` };
        }
      }
      return byType(resolver, expr, 'self');
    }
    default:
      return undefined;
  }
}

/** Fallback on the resolver's type (annotated parameters, attributes typed elsewhere). */
function byType(resolver: Resolver, expr: Node, via: Origin['via']): Origin | undefined {
  const sym = resolver.resolve(expr);
  if (sym?.kind !== 'instance') return undefined;
  const ctor = TYPE_TO_CONSTRUCTOR.get(sym.type);
  if (!ctor) return undefined;
  return fromConstructor(ctor, { via, evidence: sym.evidence ?? `\`${expr.text}\` is a \`${short(sym.type)}\`` });
}

export function constructorInfo(ctor: string): { kind: PoolKind; family: Origin['family'] } | undefined {
  return CONSTRUCTORS.get(ctor);
}
