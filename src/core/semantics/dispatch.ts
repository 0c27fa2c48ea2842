// Where this file hands a callable to another thread or process: `Thread(target=f)`,
// `executor.submit(f, ...)`, `pool.map(f, ...)`, `asyncio.to_thread(f)`,
// `loop.run_in_executor(None, f)`, `Process(target=f)`. The thread rules (CL301, CL302)
// and the process rules (CL402, CL403) all start from this list; rules memoise it per
// file.
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import { bindingsOf, calleeMethod, calleesOf, constructorOf, mayConstruct, originOf, requireCalleeNames, type Origin, type PoolKind } from './origin';

/** What the analysis needs: the parts of a rule's context it reads. */
export interface FileFacts {
  readonly model: FileModel;
  readonly resolver: Resolver;
}

export interface Dispatch {
  /** The call that hands the work over. */
  call: Node;
  runsIn: PoolKind;
  /** How the call reads in a message: "`ThreadPoolExecutor.submit()`". */
  api: string;
  /** The callable argument. */
  fn: Node;
  /** The executor, pool or Process/Thread object, when known. */
  origin?: Origin;
  /** Method called on the executor or pool (`submit`, `map`, `apply_async`). */
  method?: string;
  /** Why we know where it runs ("`ex` is bound by `with` to `ThreadPoolExecutor(...)` at line 9"). */
  evidence: string[];
}

const EXECUTOR_METHODS = new Set(['submit', 'map']);
const POOL_METHODS = new Set(['map', 'map_async', 'imap', 'imap_unordered', 'apply', 'apply_async', 'starmap', 'starmap_async']);
requireCalleeNames([...EXECUTOR_METHODS, ...POOL_METHODS, 'run_in_executor', 'Pool', 'Process', 'set_default_executor']);
const TO_THREAD = new Map([
  ['asyncio.to_thread', '`asyncio.to_thread()`'],
  ['anyio.to_thread.run_sync', '`anyio.to_thread.run_sync()`'],
  ['trio.to_thread.run_sync', '`trio.to_thread.run_sync()`'],
]);

/** Positional arguments up to the first `*args` (whose position is unknown after it). */
export function positionalArgs(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  const out: Node[] = [];
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment' || a.type === 'keyword_argument') continue;
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') break;
    out.push(a);
  }
  return out;
}

export function keywordArg(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  for (const a of args.namedChildren) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function short(qname: string): string {
  return qname.split('.').slice(-1)[0];
}

function line(n: Node): number {
  return n.startPosition.row + 1;
}

/**
 * What findDispatch can accept, from the callee alone (a superset: a constructor of a
 * thread or process, a function of TO_THREAD, or a method it checks the receiver of).
 */
function mayDispatch(qname: string | undefined, method: string | undefined): boolean {
  if (mayConstruct(qname, method) || (qname !== undefined && TO_THREAD.has(qname))) return true;
  return method !== undefined && (method === 'run_in_executor' || EXECUTOR_METHODS.has(method) || POOL_METHODS.has(method));
}

function findDispatch(ctx: FileFacts, call: Node, defaultExecutorReplaced: boolean): Dispatch | undefined {
  const { model, resolver } = ctx;
  const fnNode = call.childForFieldName('function');
  if (!fnNode) return undefined;
  // Thread(target=f), Timer(t, f), Process(target=f)
  const ctor = constructorOf(model, resolver, call);
  if (ctor === 'threading.Thread' || ctor === 'multiprocessing.Process') {
    const isTimer = resolver.qualifiedName(fnNode) === 'threading.Timer';
    const target = keywordArg(call, isTimer ? 'function' : 'target') ?? positionalArgs(call)[1];
    if (!target) return undefined;
    const runsIn: PoolKind = ctor === 'threading.Thread' ? 'thread' : 'process';
    const api = isTimer ? '`threading.Timer()`' : runsIn === 'thread' ? '`threading.Thread()`' : '`multiprocessing.Process()`';
    return { call, runsIn, api, fn: target, origin: originOf(model, resolver, call), evidence: [`${api} at line ${line(call)} runs it in a new ${runsIn}`] };
  }
  const qname = resolver.qualifiedName(fnNode);
  const toThread = qname ? TO_THREAD.get(qname) : undefined;
  if (toThread) {
    const target = positionalArgs(call)[0];
    return target ? { call, runsIn: 'thread', api: toThread, fn: target, evidence: [`${toThread} at line ${line(call)} runs it in a worker thread`] } : undefined;
  }
  if (fnNode.type !== 'attribute') return undefined;
  const method = fnNode.childForFieldName('attribute')?.text ?? '';
  const receiver = fnNode.childForFieldName('object');
  if (method === 'run_in_executor') {
    // Only an event loop has run_in_executor, whatever the receiver resolves to.
    const [executor, target] = positionalArgs(call);
    if (!executor || !target) return undefined;
    if (executor.type === 'none') {
      if (defaultExecutorReplaced) return undefined;
      return { call, runsIn: 'thread', api: '`loop.run_in_executor(None, ...)`', fn: target, method, evidence: [`\`run_in_executor(None, ...)\` at line ${line(call)} uses the loop's default executor, a thread pool`] };
    }
    const origin = originOf(model, resolver, executor);
    if (!origin || origin.family !== 'executor') return undefined;
    return { call, runsIn: origin.kind, api: '`loop.run_in_executor()`', fn: target, origin, method, evidence: [origin.evidence] };
  }
  if (!EXECUTOR_METHODS.has(method) && !POOL_METHODS.has(method)) return undefined;
  const origin = originOf(model, resolver, receiver);
  if (!origin) return undefined;
  const ok = origin.family === 'executor' ? EXECUTOR_METHODS.has(method) : origin.family === 'pool' && POOL_METHODS.has(method);
  if (!ok) return undefined;
  const target = positionalArgs(call)[0] ?? (method === 'submit' ? keywordArg(call, 'fn') : keywordArg(call, 'func'));
  if (!target) return undefined;
  return { call, runsIn: origin.kind, api: `\`${short(origin.ctor)}.${method}()\``, fn: target, origin, method, evidence: [origin.evidence] };
}

/** Every place in the file that hands a callable to a thread or a process. */
export function findDispatches(ctx: FileFacts): Dispatch[] {
  // `loop.set_default_executor(ProcessPoolExecutor())` changes what `None` means.
  const whole = calleesOf(ctx.model.wholeFile, ctx.resolver);
  const replaced = whole.names.some((n, i) => n === 'set_default_executor' && whole.isAttribute[i]);
  const callees = calleesOf(ctx.model, ctx.resolver);
  const calls = ctx.model.calls;
  const out: Dispatch[] = [];
  for (let i = 0; i < calls.length; i++) {
    if (!mayDispatch(callees.qnames[i], calleeMethod(callees, i))) continue;
    const d = findDispatch(ctx, calls[i], replaced);
    if (d) out.push(d);
  }
  return out;
}

/**
 * What a callable argument denotes: a resolved name (a project function when the
 * workspace knows it; the rules ask the workspace once it is complete), possibly reached
 * through `lambda: f(...)` or `functools.partial(f, ...)`.
 */
export type Target =
  | { kind: 'name'; qname: string; through?: 'lambda' | 'partial'; wrapper?: Node }
  | { kind: 'unknown'; lambda?: Node };

const PARTIAL = new Set(['functools.partial']);

function isPartial(ctx: FileFacts, node: Node): boolean {
  return node.type === 'call' && PARTIAL.has(ctx.resolver.qualifiedName(node.childForFieldName('function')) ?? '');
}

/** The lambda a name is bound to (`square = lambda x: x * x`), if it is bound to nothing else. */
export function lambdaBoundTo(ctx: FileFacts, node: Node): Node | undefined {
  if (node.type !== 'identifier') return undefined;
  const found = bindingsOf(ctx.model, node.text, node);
  if (!found || found.bindings.length !== 1) return undefined;
  const b = found.bindings[0];
  return b.kind === 'assign' && b.value?.type === 'lambda' ? b.value : undefined;
}

export function targetOf(ctx: FileFacts, fn: Node, depth = 0): Target {
  if (depth > 3) return { kind: 'unknown' };
  if (fn.type === 'parenthesized_expression' && fn.firstNamedChild) return targetOf(ctx, fn.firstNamedChild, depth + 1);
  if (fn.type === 'identifier' || fn.type === 'attribute') {
    const lambda = lambdaBoundTo(ctx, fn);
    if (lambda) return { kind: 'unknown', lambda };
    const qname = ctx.resolver.qualifiedName(fn);
    return qname ? { kind: 'name', qname } : { kind: 'unknown' };
  }
  if (fn.type === 'lambda') {
    // `lambda: crunch(n)`: the work is the call in the body.
    const body = fn.childForFieldName('body');
    if (body?.type === 'call') {
      const inner = targetOf(ctx, body.childForFieldName('function') ?? body, depth + 1);
      if (inner.kind === 'name') return { ...inner, through: 'lambda', wrapper: fn };
    }
    return { kind: 'unknown', lambda: fn };
  }
  if (isPartial(ctx, fn)) {
    const first = positionalArgs(fn)[0];
    if (first) {
      const inner = targetOf(ctx, first, depth + 1);
      if (inner.kind === 'name') return { ...inner, through: 'partial', wrapper: fn };
      return inner;
    }
  }
  return { kind: 'unknown' };
}

/** `partial(f, ...)` -> `f`; other nodes unchanged. */
export function unwrapPartial(ctx: FileFacts, fn: Node): Node {
  let n = fn;
  for (let i = 0; i < 3 && isPartial(ctx, n); i++) {
    const first = positionalArgs(n)[0];
    if (!first) break;
    n = first;
  }
  return n;
}

/** A display name for a function: `crunch`, `Resizer.run`. */
export function displayFunction(qname: string): string {
  const parts = qname.replace(/\.<locals>/g, '').split('.');
  return parts.slice(-1)[0];
}
