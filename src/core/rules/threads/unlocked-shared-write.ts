// CL302: a function that runs in threads writes shared state (a module global, a
// `nonlocal`, an attribute of `self`, an item of a module-level dict) without a lock. The
// GIL makes single bytecodes atomic, not `x += 1`, which reads, adds and stores in
// separate steps: two threads can read the same old value and one update is lost.
import type { Node } from '../../parse/syntax';
import docs from './unlocked-shared-write.md';
import { findDispatches, targetOf } from '../../semantics/dispatch';
import { bindingsOf } from '../../semantics/origin';
import { heldLock } from '../../semantics/locks';
import type { Scope } from '../../semantics/scope';
import { locksIn, newModuleLock, newSelfLock, selfLocks, type LockChoice } from '../../fixes/lock-fix';
import { indentUnit, wrapBlocker, wrapEdit } from '../../fixes/wrap';
import type { Finding, Fix, RelatedInfo } from '../../types';
import { memoised, type Rule, type RuleContext } from '../rule';

interface ThreadTarget {
  scope: Scope;
  /** "`worker` runs in a thread: `threading.Thread()` at line 30". */
  evidence: string;
  related: RelatedInfo;
  /** `run()` of a `threading.Thread` subclass: `self` is that thread's own object. */
  ownThread: boolean;
  /** Why several threads run it at once (a pool, a loop of threads), if they do. */
  several?: string;
}

type WriteKind = 'global' | 'nonlocal' | 'self' | 'module-object' | 'closure-object';

interface SharedWrite {
  node: Node;
  statement: Node;
  kind: WriteKind;
  /** What is written, as the message names it: `counter`, `self.total`, `counts[word]`. */
  what: string;
  /** Where the written name lives (for choosing a lock): the module, an enclosing function, or the class. */
  home: Scope;
  target: ThreadTarget;
}

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

const REPEATS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);

/** The call sits in a loop or comprehension of its own scope (it runs several times). */
function repeated(ctx: RuleContext, call: Node): boolean {
  const stop = ctx.model.scopeAt(call).node;
  for (let n = call.parent; n && n.id !== stop.id; n = n.parent) if (REPEATS.has(n.type)) return true;
  return false;
}

function threadTargets(ctx: RuleContext): ThreadTarget[] {
  const out = new Map<Scope, ThreadTarget>();
  for (const d of memoised(ctx, 'parallel-dispatches', () => findDispatches(ctx))) {
    if (d.runsIn !== 'thread') continue;
    const t = targetOf(ctx, d.fn);
    const scope = t.kind === 'name' ? ctx.model.functions.get(t.qname) : undefined;
    if (!scope || scope.isAsync) continue;
    // A pool or executor may run the function in several workers at once; so does a Thread made in a loop.
    const several = d.origin?.family === 'thread' ? (repeated(ctx, d.call) ? `threads running it are created in a loop (line ${line(d.call)})` : undefined) : `${d.api} may run it in several threads at once`;
    const known = out.get(scope);
    if (known) {
      known.several ??= several ?? `it is started in a thread more than once (again at line ${line(d.call)})`;
      continue;
    }
    out.set(scope, {
      scope,
      evidence: `\`${scope.name}\` runs in a thread: ${d.api} at line ${line(d.call)}`,
      related: { message: `\`${scope.name}\` is started in a thread here`, span: { start: d.call.startIndex, end: d.call.endIndex } },
      ownThread: false,
      several,
    });
  }
  // run() of a threading.Thread subclass.
  for (const [qname, cls] of ctx.model.classes) {
    const bases = cls.node.childForFieldName('superclasses');
    const base = bases?.findNamedChild((b) => b && ctx.resolver.qualifiedName(b) === 'threading.Thread');
    const run = ctx.model.functions.get(`${qname}.run`);
    // An `async def run` runs nothing in the thread: `Thread.run()` only makes a coroutine
    // object and drops it (as the dispatch targets above, coroutine functions are skipped).
    if (!base || !run || run.isAsync || run.methodOf !== cls || out.has(run)) continue;
    const made = ctx.model.calls.filter((c) => ctx.resolver.qualifiedName(c.childForFieldName('function')) === qname);
    const several = made.some((c) => repeated(ctx, c)) || made.length > 1 ? `several \`${cls.name}\` threads are created` : undefined;
    out.set(run, {
      scope: run,
      evidence: `\`${cls.name}.run\` runs in its own thread: \`${cls.name}\` subclasses \`threading.Thread\` (line ${line(cls.node)})`,
      related: { message: `\`${cls.name}\` is a \`threading.Thread\``, span: { start: base.startIndex, end: base.endIndex } },
      ownThread: true,
      several,
    });
  }
  return [...out.values()];
}

/** The identifier at the root of `a.b[c].d`. */
function rootOf(n: Node): Node | undefined {
  let cur: Node | null = n;
  while (cur && (cur.type === 'attribute' || cur.type === 'subscript')) {
    cur = cur.type === 'attribute' ? cur.childForFieldName('object') : cur.childForFieldName('value');
  }
  return cur?.type === 'identifier' ? cur : undefined;
}

/** Some node in `node` (itself included) is exactly `text`. Walks with its own stack: an expression may nest 10,000 deep. */
function mentions(node: Node | null, text: string): boolean {
  // No node inside can be `text` when the source the node spans does not contain it.
  if (!node || !node.text.includes(text)) return false;
  const stack: Node[] = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.text === text) return true;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}

/** `x = x + 1`, `self.n = self.n + 1`, `counts[w] = counts.get(w, 0) + 1`: the new value reads the old. */
function readModifyWrite(assign: Node, left: Node): boolean {
  if (assign.type === 'augmented_assignment') return true;
  const right = assign.childForFieldName('right');
  if (mentions(right, left.text)) return true;
  if (left.type === 'subscript') {
    const container = left.childForFieldName('value');
    return !!container && mentions(right, container.text);
  }
  return false;
}

/** `if cache is None: cache = load()` — the test and the store can interleave with another thread's. */
function checkThenAct(assign: Node, name: string): boolean {
  for (let n = assign.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'while_statement') {
      if (mentions(n.childForFieldName('condition'), name)) return true;
    }
  }
  return false;
}

function isThreadLocal(ctx: RuleContext, root: Node): boolean {
  const found = bindingsOf(ctx.model, root.text, root);
  const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (b?.kind !== 'assign' || b.value?.type !== 'call') return false;
  return ctx.resolver.qualifiedName(b.value.childForFieldName('function')) === 'threading.local';
}

function classify(ctx: RuleContext, assign: Node, target: ThreadTarget): SharedWrite | undefined {
  const { scope } = target;
  const left = assign.childForFieldName('left');
  const statement = assign.parent;
  if (!left || statement?.type !== 'expression_statement') return undefined;
  const base = { node: assign, statement, target };
  if (left.type === 'identifier') {
    // A plain store (`done = True`) publishes a value; the lost update needs a read first.
    if (!readModifyWrite(assign, left) && !checkThenAct(assign, left.text)) return undefined;
    if (scope.globals.has(left.text)) return { ...base, kind: 'global', what: left.text, home: ctx.model.module };
    if (scope.nonlocals.has(left.text)) {
      const home = bindingsOf(ctx.model, left.text, scope.node)?.scope;
      return home ? { ...base, kind: 'nonlocal', what: left.text, home } : undefined;
    }
    return undefined;
  }
  if (left.type !== 'attribute' && left.type !== 'subscript') return undefined;
  const root = rootOf(left);
  if (!root || !readModifyWrite(assign, left)) return undefined;
  if (scope.selfName && root.text === scope.selfName && scope.methodOf) {
    if (target.ownThread) return undefined;
    return { ...base, kind: 'self', what: short(left.text), home: scope.methodOf };
  }
  // A name not bound in this function: the object lives in the module or an enclosing function.
  if (scope.bindings.has(root.text) && !scope.globals.has(root.text)) return undefined;
  const found = bindingsOf(ctx.model, root.text, root);
  if (!found || found.scope === scope || found.scope.kind === 'class') return undefined;
  if (found.bindings.some((b) => b.kind === 'import' || b.kind === 'def' || b.kind === 'class') || isThreadLocal(ctx, root)) return undefined;
  return { ...base, kind: found.scope.kind === 'module' ? 'module-object' : 'closure-object', what: short(left.text), home: found.scope };
}

/** The first attribute after `self` in `self.a.b[c]`. */
function selfAttr(left: Node, selfName: string): string | undefined {
  let cur: Node | null = left;
  let attr: string | undefined;
  while (cur && (cur.type === 'attribute' || cur.type === 'subscript')) {
    if (cur.type === 'attribute') {
      const obj = cur.childForFieldName('object');
      if (obj?.type === 'identifier' && obj.text === selfName) return cur.childForFieldName('attribute')?.text;
      attr = undefined;
      cur = obj;
    } else cur = cur.childForFieldName('value');
  }
  return attr;
}

/**
 * Another writer of the same state: a lost update needs two threads writing at once, so a
 * function that runs in a single thread only races when someone else writes too.
 */
function otherWriter(ctx: RuleContext, w: SharedWrite): string | undefined {
  const { model } = ctx;
  const left = w.node.childForFieldName('left');
  if (!left) return undefined;
  const own = w.target.scope;
  const root = left.type === 'identifier' ? left : rootOf(left);
  const myAttr = w.kind === 'self' && own.selfName ? selfAttr(left, own.selfName) : undefined;
  for (const type of ['assignment', 'augmented_assignment'] as const) {
    for (const n of model.nodesOfType(type)) {
      const scope = model.scopeAt(n);
      if (scope === own || n.id === w.node.id) continue;
      const l = n.childForFieldName('left');
      if (!l) continue;
      const where = `\`${w.what.split(/[.[]/)[0] === 'self' ? w.what : root?.text ?? w.what}\` is also written ${scope.kind === 'function' ? `in \`${scope.name}()\`` : 'at module level'} (line ${line(n)})`;
      if (w.kind === 'self') {
        if (scope.methodOf !== own.methodOf || scope.name === '__init__' || !scope.selfName) continue;
        if (myAttr && selfAttr(l, scope.selfName) === myAttr) return where;
        continue;
      }
      const r = l.type === 'identifier' ? l : rootOf(l);
      if (!r || !root || r.text !== root.text) continue;
      if (bindingsOf(model, r.text, r)?.scope !== w.home) continue;
      // The module-level (or enclosing) first assignment is initialisation, not a competing write.
      if (scope === w.home && !readModifyWrite(n, l)) continue;
      return where;
    }
  }
  return undefined;
}

function message(w: SharedWrite): string {
  const fn = `\`${w.target.scope.name}()\``;
  switch (w.kind) {
    case 'global':
      return `${fn} runs in a thread and writes the global \`${w.what}\` without holding a lock`;
    case 'nonlocal':
      return `${fn} runs in a thread and writes \`${w.what}\` of the enclosing function without holding a lock`;
    default:
      return `${fn} runs in a thread and updates the shared \`${w.what}\` without holding a lock`;
  }
}

/** The lock the fix uses, or why the fix cannot pick one. */
function chooseLock(ctx: RuleContext, w: SharedWrite): LockChoice | { reason: string } {
  const { resolver, model } = ctx;
  if (w.kind === 'self') {
    const cls = w.home;
    const existing = selfLocks(resolver, cls);
    const self = w.target.scope.selfName ?? 'self';
    if (existing.length === 1) return { expr: `${self}.${existing[0]}`, create: [], fresh: false };
    if (existing.length > 1) return { reason: `\`${cls.name}\` holds several locks (${existing.map((e) => `\`${e}\``).join(', ')}); wrap the update in the one that guards it` };
    return newSelfLock(model, cls, self);
  }
  if (w.home.kind === 'function') {
    const local = locksIn(resolver, w.home);
    if (local.length === 1) return { expr: local[0], create: [], fresh: false };
    if (local.length > 1) return { reason: `\`${w.home.name}()\` holds several locks (${local.map((e) => `\`${e}\``).join(', ')}); wrap the update in the one that guards it` };
  }
  const global = locksIn(resolver, model.module).filter((n) => !w.target.scope.bindings.has(n) || w.target.scope.globals.has(n));
  if (global.length === 1) return { expr: global[0], create: [], fresh: false };
  if (global.length > 1) return { reason: `the module has several locks (${global.map((e) => `\`${e}\``).join(', ')}); wrap the update in the one that guards it` };
  return newModuleLock(model);
}

/** The run of adjacent flagged statements around `w` (one `with` for consecutive updates). */
function runOf(w: SharedWrite, flagged: ReadonlySet<number>): { first: Node; last: Node } {
  let first = w.statement;
  let last = w.statement;
  const next = (n: Node, dir: 'prev' | 'next') => {
    let s = dir === 'prev' ? n.previousNamedSibling : n.nextNamedSibling;
    while (s && s.type === 'comment') s = dir === 'prev' ? s.previousNamedSibling : s.nextNamedSibling;
    return s;
  };
  for (let p = next(first, 'prev'); p && flagged.has(p.id); p = next(p, 'prev')) first = p;
  for (let n = next(last, 'next'); n && flagged.has(n.id); n = next(n, 'next')) last = n;
  return { first, last };
}

function statementsOf(first: Node, last: Node): Node[] {
  const out: Node[] = [];
  for (let n: Node | null = first; n; n = n.nextNamedSibling) {
    out.push(n);
    if (n.id === last.id) break;
  }
  return out;
}

/** Calls functions of this file, or plain names we cannot see into (methods of data such as `dict.get` do not count). */
function callsProjectCode(ctx: RuleContext, stmt: Node): boolean {
  return stmt.descendantsOfType('call').some((c) => {
    const fn = c?.childForFieldName('function');
    if (!fn) return false;
    const q = ctx.resolver.qualifiedName(fn);
    if (q) return ctx.model.functions.has(q);
    return fn.type === 'identifier';
  });
}

function fixFor(ctx: RuleContext, w: SharedWrite, flagged: ReadonlySet<number>): { fix?: Fix; noFixReason?: string } {
  const { first, last } = runOf(w, flagged);
  const text = ctx.model.text;
  const blocker = wrapBlocker(text, first, last);
  if (blocker) return { noFixReason: `no automatic fix: ${blocker}` };
  const lock = chooseLock(ctx, w);
  if ('reason' in lock) return { noFixReason: lock.reason };
  const wrap = wrapEdit(text, first, last, `with ${lock.expr}:`, indentUnit(text, first));
  const title = lock.fresh ? `Create \`${lock.expr}\` and hold it around the update` : `Hold \`${lock.expr}\` around the update`;
  // An existing non-reentrant lock deadlocks if a function called here takes it again.
  const callsOut = !lock.fresh && statementsOf(first, last).some((s) => callsProjectCode(ctx, s));
  const fix: Fix = { title, applicability: callsOut ? 'unsafe' : 'safe', edits: [...lock.create, wrap] };
  return callsOut
    ? { fix, noFixReason: `The fix is marked unsafe: the statement calls other code while holding \`${lock.expr}\`; if that code takes the same lock, a \`threading.Lock\` deadlocks.` }
    : { fix };
}

export const unlockedSharedWrite: Rule = {
  meta: {
    code: 'CL302',
    name: 'unlocked-shared-state-write',
    family: 'threads',
    summary: 'Shared state written from a thread without holding a lock',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    const targets = threadTargets(ctx);
    if (targets.length === 0) return;
    const writes: SharedWrite[] = [];
    const byScope = new Map(targets.map((t) => [t.scope, t]));
    for (const type of ['assignment', 'augmented_assignment'] as const) {
      for (const node of ctx.model.nodesOfType(type)) {
        const target = byScope.get(ctx.model.scopeAt(node));
        if (!target) continue;
        const w = classify(ctx, node, target);
        if (!w || heldLock(ctx.resolver, w.statement, target.scope.node)) continue;
        writes.push(w);
      }
    }
    // Two writers are needed to lose an update: several threads running the target, or another writer.
    const racing = writes
      .map((w) => ({ w, why: w.target.several ?? otherWriter(ctx, w) }))
      .filter((x): x is { w: SharedWrite; why: string } => !!x.why);
    const flagged = new Set(racing.map((x) => x.w.statement.id));
    for (const { w, why } of racing) {
      const evidence = [w.target.evidence, why];
      if (w.node.type === 'augmented_assignment' || w.kind === 'self' || w.kind.endsWith('object')) {
        evidence.push('the update reads the old value and stores a new one in separate steps; another thread can run in between and its update is lost');
      }
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL302',
        message: message(w),
        span: { start: w.node.startIndex, end: w.node.endIndex },
        evidence,
        related: [w.target.related],
        suggestion: 'hold a `threading.Lock` around the update, or send results back through a `queue.Queue` or the futures of an executor',
        ...fixFor(ctx, w, flagged),
      };
      ctx.report(finding);
    }
  },
};
