// "Does calling this create a coroutine?" — for an `async def` of the workspace (this file
// or another), a method of the class reached through `self`, or a coroutine function of
// asyncio/trio/anyio (including methods of asyncio objects such as `asyncio.Queue().put`).
// Unknowns stay unknown: a decorated `async def` may no longer return a coroutine, so only
// decorators known to keep it count.
import { isLibraryName } from '../knowledge/blocking-calls';
import type { Node } from '../parse/syntax';
import type { RuleContext } from '../rules/rule';
import { bindingsOf } from './names';
import type { Scope } from './scope';
import type { Workspace } from './workspace';

/** Library coroutine functions and coroutine methods of library types. */
const LIBRARY_COROUTINES = new Set<string>([
  'asyncio.sleep',
  'asyncio.wait_for',
  'asyncio.wait',
  'asyncio.open_connection',
  'asyncio.open_unix_connection',
  'asyncio.start_server',
  'asyncio.start_unix_server',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'asyncio.to_thread',
  ...[
    'sock_recv',
    'sock_recv_into',
    'sock_recvfrom',
    'sock_sendall',
    'sock_sendto',
    'sock_connect',
    'sock_accept',
    'sock_sendfile',
    'getaddrinfo',
    'getnameinfo',
    'create_connection',
    'create_server',
    'create_unix_connection',
    'create_unix_server',
    'create_datagram_endpoint',
    'connect_read_pipe',
    'connect_write_pipe',
    'subprocess_exec',
    'subprocess_shell',
    'sendfile',
    'start_tls',
    'shutdown_asyncgens',
    'shutdown_default_executor',
  ].map((m) => `asyncio.AbstractEventLoop.${m}`),
  'asyncio.Queue.get',
  'asyncio.Queue.put',
  'asyncio.Queue.join',
  'asyncio.Lock.acquire',
  'asyncio.Semaphore.acquire',
  'asyncio.Condition.acquire',
  'asyncio.Condition.wait',
  'asyncio.Condition.wait_for',
  'asyncio.Event.wait',
  'asyncio.Barrier.wait',
  'asyncio.StreamWriter.drain',
  'asyncio.StreamWriter.wait_closed',
  'asyncio.StreamReader.read',
  'asyncio.StreamReader.readline',
  'asyncio.StreamReader.readexactly',
  'asyncio.StreamReader.readuntil',
  'asyncio.subprocess.Process.wait',
  'asyncio.subprocess.Process.communicate',
  'trio.sleep',
  'trio.sleep_until',
  'trio.sleep_forever',
  'trio.open_tcp_stream',
  'trio.run_process',
  'trio.to_thread.run_sync',
  'anyio.sleep',
  'anyio.sleep_until',
  'anyio.sleep_forever',
  'anyio.connect_tcp',
  'anyio.run_process',
  'anyio.to_thread.run_sync',
]);

/** asyncio classes whose instances we follow from their constructor, by canonical name. */
const ASYNCIO_TYPES = new Map<string, string>([
  ['asyncio.Queue', 'asyncio.Queue'],
  ['asyncio.PriorityQueue', 'asyncio.Queue'],
  ['asyncio.LifoQueue', 'asyncio.Queue'],
  ['asyncio.queues.Queue', 'asyncio.Queue'],
  ['asyncio.Lock', 'asyncio.Lock'],
  ['asyncio.Semaphore', 'asyncio.Semaphore'],
  ['asyncio.BoundedSemaphore', 'asyncio.Semaphore'],
  ['asyncio.Condition', 'asyncio.Condition'],
  ['asyncio.Event', 'asyncio.Event'],
  ['asyncio.Barrier', 'asyncio.Barrier'],
  ['asyncio.StreamWriter', 'asyncio.StreamWriter'],
  ['asyncio.StreamReader', 'asyncio.StreamReader'],
  ['asyncio.subprocess.Process', 'asyncio.subprocess.Process'],
  ['asyncio.AbstractEventLoop', 'asyncio.AbstractEventLoop'],
]);

/** Decorators that leave an `async def` returning a coroutine (matched on the last dotted part). */
const KEEPS_COROUTINE = new Set(['staticmethod', 'classmethod', 'wraps', 'lru_cache', 'cache', 'alru_cache', 'final', 'override', 'retry', 'on_exception', 'on_predicate']);

export interface CoroutineCallee {
  /** Qualified name of what is called (`asyncio.sleep`, `app.net.fetch`). */
  qname: string;
  /** Why we believe the call makes a coroutine ("`fetch` is an `async def` in app/net.py, line 12"). */
  evidence: string;
}

function annotationHead(node: Node | undefined): Node | undefined {
  let n = node;
  if (n?.type === 'type') n = n.firstNamedChild ?? undefined;
  if (n?.type === 'generic_type' || n?.type === 'subscript') n = n.firstNamedChild ?? undefined;
  return n ?? undefined;
}

/** The asyncio type of a receiver (`q` assigned `asyncio.Queue()`, `self.lock` set to `asyncio.Lock()` in `__init__`). */
export function asyncioTypeOf(ctx: RuleContext, receiver: Node): string | undefined {
  const sym = ctx.resolver.resolve(receiver);
  if (sym?.kind === 'instance') return ASYNCIO_TYPES.get(sym.type);
  if (sym) return undefined;
  const bindings = bindingsOf(ctx.model, ctx.resolver, receiver);
  if (!bindings?.length) return undefined;
  let found: string | undefined;
  for (const b of bindings) {
    let type: string | undefined;
    if (b.kind === 'assign' || b.kind === 'param') {
      const head = annotationHead(b.annotation);
      if (head) type = ASYNCIO_TYPES.get(ctx.resolver.qualifiedName(head) ?? '');
    }
    if (!type && b.kind === 'assign' && b.value?.type === 'call') {
      type = ASYNCIO_TYPES.get(ctx.resolver.qualifiedName(b.value.childForFieldName('function')) ?? '');
    }
    if (!type || (found && found !== type)) return undefined;
    found = type;
  }
  return found;
}

function decoratorName(d: Node): string {
  let expr: Node | null | undefined = d.firstNamedChild;
  if (expr?.type === 'call') expr = expr.childForFieldName('function');
  return (expr?.text ?? '').split('.').pop() ?? '';
}

/** An `async def` in this file that returns a plain coroutine (not an async generator, not re-wrapped, not abstract). */
function isPlainCoroutineDef(scope: Scope): boolean {
  const def = scope.node;
  if (!scope.isAsync) return false;
  const parent = def.parent;
  if (parent?.type === 'decorated_definition') {
    for (const d of parent.namedChildren) {
      if (d?.type === 'decorator' && !KEEPS_COROUTINE.has(decoratorName(d))) return false;
    }
  }
  // `yield` in its own body makes it an async generator.
  const body = def.childForFieldName('body');
  for (const y of body?.descendantsOfType('yield') ?? []) {
    let own = true;
    for (let n = y?.parent; n && n.id !== def.id; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') {
        own = false;
        break;
      }
    }
    if (own) return false;
  }
  return true;
}

function shortName(qname: string): string {
  return qname.replace(/\.<locals>/g, '').split('.').slice(-1)[0];
}

/**
 * The answer about one callee: known now (`yes`, or undefined for "no"), or a question for
 * the complete workspace (`ask`: a function of another file). A project-wide CLI run
 * answers questions only after every file is indexed, so they hold plain names only.
 */
export type CoroutineAnswer = { kind: 'yes'; callee: CoroutineCallee } | { kind: 'ask'; qname: string } | undefined;

/** A project function: `async def` in this file (checked closely), else a question for the workspace. */
function projectCoroutine(ctx: RuleContext, qname: string): CoroutineAnswer {
  const local = ctx.model.functions.get(qname);
  // A builtin, or a function of a library module the catalogue knows (`time.sleep`), is no
  // function of the project: nothing to ask the workspace (a 1 MB line of such calls would
  // queue a question per call).
  if (!local) return qname.startsWith('builtins.') || isLibraryName(qname) ? undefined : { kind: 'ask', qname };
  // `@overload` stubs or conditional definitions: which `def` runs is not certain.
  if ((local.parent?.bindings.get(local.name)?.length ?? 0) > 1) return undefined;
  if (!isPlainCoroutineDef(local)) return undefined;
  return { kind: 'yes', callee: { qname, evidence: `\`${shortName(qname)}\` is an \`async def\` (line ${local.node.startPosition.row + 1})` } };
}

/** Answers an `ask`: the function is an `async def` of another file of the workspace. */
export function askWorkspace(workspace: Workspace, file: string, qname: string): CoroutineCallee | undefined {
  const fn = workspace.function(qname);
  // This file's own functions were answered from its model; an entry here would be stale.
  if (!fn?.isAsync || fn.file === file) return undefined;
  // Same test as for this file's own defs: an async generator, or a decorator that may
  // change what the call returns, leaves the answer unknown.
  if (fn.isAsyncGenerator || fn.decorators.some((d) => !KEEPS_COROUTINE.has(d))) return undefined;
  return { qname: fn.qname, evidence: `\`${shortName(fn.qname)}\` is an \`async def\` in ${fn.file}, line ${fn.line}` };
}

/**
 * `self.method` not defined on the class itself: the method of the first base class that
 * has it (classes of this file are followed up their own bases; a base from another file
 * is taken to be the one, and the workspace is asked about it).
 */
function inheritedMethod(ctx: RuleContext, cls: Scope, attr: string, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const bases = cls.node.childForFieldName('superclasses');
  for (const base of bases?.namedChildren ?? []) {
    if (!base || base.type === 'keyword_argument') continue;
    const baseName = ctx.resolver.qualifiedName(base);
    if (!baseName) return undefined; // an unknown base may define it
    const candidate = `${baseName}.${attr}`;
    const baseScope = ctx.model.classes.get(baseName);
    if (!baseScope) return candidate;
    if (baseScope.bindings.has(attr) || baseScope.selfAttrs.has(attr)) return ctx.model.functions.has(candidate) ? candidate : undefined;
    const deeper = inheritedMethod(ctx, baseScope, attr, depth + 1);
    if (deeper) return deeper;
  }
  return undefined;
}

const STREAM_WRITER_METHODS = new Set(['drain', 'wait_closed']);
const WRITER_NAME = /writer$/i;

function isSuperCall(node: Node): boolean {
  return node.type === 'call' && node.childForFieldName('function')?.text === 'super';
}

/** What a call's callee is, when calling it creates a coroutine. */
export function coroutineCallee(ctx: RuleContext, call: Node): CoroutineAnswer {
  const fn = call.childForFieldName('function');
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) return undefined;
  const sym = ctx.resolver.resolve(fn);
  let qname = sym?.kind === 'name' ? sym.qname : undefined;
  if (!qname && fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const attr = fn.childForFieldName('attribute')?.text;
    if (obj && attr) {
      const type = asyncioTypeOf(ctx, obj);
      if (type) qname = `${type}.${attr}`;
      else if (isSuperCall(obj)) {
        // `super().start()`: the method of a base class of the enclosing class.
        const cls = ctx.model.scopeAt(call).methodOf;
        if (cls) qname = inheritedMethod(ctx, cls, attr);
      } else if (STREAM_WRITER_METHODS.has(attr) && WRITER_NAME.test(obj.text.split('.').pop() ?? '') && !ctx.resolver.resolve(obj)) {
        // `reader, writer = await asyncio.open_connection(...)` leaves no type to follow;
        // `drain()` and `wait_closed()` on something called a writer are the stream's.
        const evidence = `\`${obj.text}\` is taken to be an asyncio \`StreamWriter\` from its name; \`${attr}()\` is a coroutine method`;
        return { kind: 'yes', callee: { qname: `asyncio.StreamWriter.${attr}`, evidence } };
      } else {
        const owner = ctx.resolver.resolve(obj);
        if (owner?.kind === 'self' && !owner.cls.bindings.has(attr) && !owner.cls.selfAttrs.has(attr)) qname = inheritedMethod(ctx, owner.cls, attr);
      }
    }
  }
  if (!qname) return undefined;
  if (LIBRARY_COROUTINES.has(qname)) return { kind: 'yes', callee: { qname, evidence: `\`${qname}\` is a coroutine function` } };
  // `Sub().method()` where `method` comes from a base class of `Sub` (a class of this file).
  const dot = qname.lastIndexOf('.');
  const owner = dot > 0 ? ctx.model.classes.get(qname.slice(0, dot)) : undefined;
  if (owner && !ctx.model.functions.has(qname) && !owner.bindings.has(qname.slice(dot + 1)) && !owner.selfAttrs.has(qname.slice(dot + 1))) {
    const inherited = inheritedMethod(ctx, owner, qname.slice(dot + 1));
    return inherited ? projectCoroutine(ctx, inherited) : undefined;
  }
  return projectCoroutine(ctx, qname);
}
