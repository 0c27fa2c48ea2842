// CL204: a `threading` lock, semaphore, event or condition that only coroutines use. It
// protects nothing from other tasks (they all run on one thread) and every wait on it
// stalls the event loop. Reported where the primitive is created; CL107 reports the waits.
import type { Node } from '../../parse/syntax';
import docs from './threading-primitive-in-async.md';
import { insertAwait } from '../../fixes/await-edit';
import { moduleReference } from '../../fixes/imports';
import { insideGeneratorExpression, runsOnEventLoop } from '../../semantics/event-loop';
import { holderOf, usesOf, type Holder, type Use } from '../../semantics/primitive-uses';
import { calleesOf, requireCalleeNames } from '../../semantics/origin';
import type { Finding, Fix, TextEdit } from '../../types';
import { memoised, type Rule, type RuleContext } from '../rule';

interface Primitive {
  /** asyncio's counterpart, or undefined when there is none (RLock). */
  asyncio?: string;
  /** Methods a coroutine may call on it; anything else makes us stop guessing. */
  methods: Record<string, 'await' | 'keep'>;
  /** Constructor arguments the asyncio version accepts unchanged. */
  keepsArguments: boolean;
}

const LOCK_METHODS: Primitive['methods'] = { acquire: 'await', release: 'keep', locked: 'keep' };

const PRIMITIVES = new Map<string, Primitive>([
  ['threading.Lock', { asyncio: 'Lock', methods: LOCK_METHODS, keepsArguments: false }],
  ['threading.RLock', { methods: { acquire: 'await', release: 'keep' }, keepsArguments: false }],
  ['threading.Semaphore', { asyncio: 'Semaphore', methods: LOCK_METHODS, keepsArguments: true }],
  ['threading.BoundedSemaphore', { asyncio: 'BoundedSemaphore', methods: LOCK_METHODS, keepsArguments: true }],
  ['threading.Event', { asyncio: 'Event', methods: { wait: 'await', set: 'keep', clear: 'keep', is_set: 'keep' }, keepsArguments: false }],
  ['threading.Condition', { asyncio: 'Condition', methods: { acquire: 'await', release: 'keep', locked: 'keep', wait: 'await', wait_for: 'await', notify: 'keep', notify_all: 'keep' }, keepsArguments: false }],
]);

const LOOP_RUNNERS = new Set(['asyncio.run', 'asyncio.new_event_loop', 'asyncio.Runner', 'trio.run', 'anyio.run']);
const THREAD_HANDOFFS = new Set(['submit', 'map', 'run_in_executor', 'to_thread', 'start_new_thread', 'run_sync']);
requireCalleeNames(THREAD_HANDOFFS);

/** Calls in a callable's own body (a lambda, or a def of this file) that start an event loop. */
function startsLoop(ctx: RuleContext, callable: Node): boolean {
  let body: Node | null = null;
  if (callable.type === 'lambda') body = callable.childForFieldName('body');
  else if (callable.type === 'identifier' || callable.type === 'attribute') {
    body = ctx.model.functions.get(ctx.resolver.qualifiedName(callable) ?? '')?.node ?? null;
  }
  const calls = body ? (body.type === 'call' ? [body] : []).concat(body.descendantsOfType('call').filter((c): c is Node => !!c)) : [];
  return calls.some((c) => {
    const fn = c.childForFieldName('function');
    const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    return LOOP_RUNNERS.has(ctx.resolver.qualifiedName(fn) ?? '') || attr === 'run_until_complete' || attr === 'run_forever';
  });
}

/**
 * The file hands a function to a thread that starts its own event loop there: its
 * coroutines may then run on several threads at once, and a threading primitive is what
 * keeps them apart.
 */
function loopsInThreads(ctx: RuleContext): boolean {
  return memoised(ctx, 'asyncio:loops-in-threads', () => {
    const { qnames, names } = calleesOf(ctx.model, ctx.resolver);
    const calls = ctx.model.calls;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      // (The attribute's name, or a bare name: THREAD_HANDOFFS are among the names it keeps.)
      const name = names[i];
      const isThread = qnames[i] === 'threading.Thread';
      if (!isThread && !THREAD_HANDOFFS.has(name ?? '')) continue;
      for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
        if (!arg) continue;
        const value = arg.type === 'keyword_argument' ? (isThread && arg.childForFieldName('name')?.text === 'target' ? arg.childForFieldName('value') : null) : isThread ? null : arg;
        if (value && startsLoop(ctx, value)) return true;
      }
    }
    return false;
  });
}

function holderText(h: Holder): string {
  return h.kind === 'self-attribute' ? `self.${h.name}` : h.name;
}

function describe(ctx: RuleContext, use: Use): string {
  const fn = ctx.model.scopeAt(use.node);
  const where = `coroutine \`${fn.name}\` (line ${use.node.startPosition.row + 1})`;
  if (use.kind === 'with') return `\`with ${use.node.text}:\` in ${where}`;
  if (use.kind === 'method') return `\`${use.node.text}.${use.method}()\` in ${where}`;
  return `\`${use.node.text}\` in ${where}`;
}

/** Arguments of a method call, without comments. */
function argumentCount(call: Node): number {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c && c.type !== 'comment').length;
}

function fixFor(ctx: RuleContext, constructor: Node, qname: string, p: Primitive, holder: Holder, uses: Use[]): { fix?: Fix; noFixReason?: string } {
  if (!p.asyncio) return { noFixReason: 'asyncio has no re-entrant lock; if no coroutine re-acquires it while holding it, replace it by hand with `asyncio.Lock()` and `async with`' };
  if (!p.keepsArguments && argumentCount(constructor) > 0) return { noFixReason: `\`${qname}(...)\` is given arguments that \`asyncio.${p.asyncio}()\` does not take` };
  const ref = moduleReference(ctx.model, 'asyncio');
  const fn = constructor.childForFieldName('function');
  if (!fn) return {};
  const edits: TextEdit[] = [{ start: fn.startIndex, end: fn.endIndex, content: `${ref.name}.${p.asyncio}` }];
  if (ref.edit) edits.push(ref.edit);
  for (const use of uses) {
    if (use.kind === 'with') {
      if (!use.alone) return { noFixReason: `\`${use.statement.text.split('\n')[0].trim()}\` (line ${use.statement.startPosition.row + 1}) does more than take the ${p.asyncio === 'Event' ? 'event' : 'lock'}, so it cannot simply become \`async with\`` };
      edits.push({ start: use.statement.startIndex, end: use.statement.startIndex, content: 'async ' });
      continue;
    }
    if (use.kind !== 'method') return {};
    if (p.methods[use.method] !== 'await') continue;
    const args = argumentCount(use.call);
    const allowed = use.method === 'wait_for' ? 1 : 0;
    if (args !== allowed) return { noFixReason: `\`${use.call.text}\` (line ${use.call.startPosition.row + 1}) passes arguments (blocking flag or timeout) that the asyncio version does not take; wrap the wait in \`asyncio.wait_for(...)\` by hand` };
    if (use.call.parent?.type === 'await') continue;
    if (insideGeneratorExpression(ctx.model, use.call)) return { noFixReason: `\`${use.call.text}\` sits inside a generator expression, where it cannot be awaited` };
    edits.push(...insertAwait(use.call));
  }
  // A public module-level or class-level name may be imported and used by other modules.
  const shared = !holder.name.startsWith('_') && (holder.kind === 'class-attribute' || (holder.kind === 'name' && holder.scope.kind === 'module'));
  const waits = uses.some((u) => u.kind === 'with') ? ' and `async with`' : '';
  return {
    fix: { title: `Use \`${ref.name}.${p.asyncio}()\`${waits}`, applicability: shared ? 'unsafe' : 'safe', edits },
    noFixReason: shared ? `The fix is marked unsafe: \`${holder.name}\` is a public name that other modules could import and use from threads.` : undefined,
  };
}

export const threadingPrimitiveInAsync: Rule = {
  meta: {
    code: 'CL204',
    name: 'threading-primitive-in-async',
    family: 'asyncio',
    summary: 'A `threading` lock, semaphore, event or condition is used only by coroutines',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    const { model, resolver } = ctx;
    if (!model.hasAsyncDef || loopsInThreads(ctx)) return;
    const { qnames } = calleesOf(model, resolver);
    for (let i = 0; i < model.calls.length; i++) {
      const call = model.calls[i];
      const qname = qnames[i];
      const p = qname ? PRIMITIVES.get(qname) : undefined;
      if (!qname || !p) continue;
      const holder = holderOf(model, call);
      if (!holder) continue;
      const uses = usesOf(model, resolver, holder);
      // Shared with threads (or with code we cannot see): the threading primitive is right.
      if (uses.length === 0 || uses.some((u) => u.kind === 'other' || !runsOnEventLoop(model, u.node))) continue;
      if (uses.some((u) => u.kind === 'method' && !(u.method in p.methods))) continue;
      const short = qname.replace('threading.', '');
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL204',
        message: `\`${holderText(holder)}\` is a \`${qname}\` used only by coroutines; use \`asyncio.${p.asyncio ?? 'Lock'}\``,
        span: { start: call.startIndex, end: call.endIndex },
        evidence: uses.slice(0, 5).map((u) => describe(ctx, u)).concat(uses.length > 5 ? [`and ${uses.length - 5} more uses, all in coroutines`] : []),
        suggestion: `asyncio.${p.asyncio ?? 'Lock'}${short === 'RLock' ? ' (not re-entrant)' : ''}`,
      };
      const { fix, noFixReason } = fixFor(ctx, call, qname, p, holder, uses);
      if (fix) finding.fix = fix;
      if (noFixReason) finding.noFixReason = noFixReason;
      ctx.report(finding);
    }
  },
};
