// CL205: `while not ready: await asyncio.sleep(0.1)` — a coroutine that wakes up on a timer
// to re-check a condition, instead of being woken when the condition changes. Only loops
// whose body does nothing but sleep (plus counting, logging or a timeout check) count;
// a loop that does work each round is a periodic task, not a busy-wait.
import type { Node } from '../../parse/syntax';
import docs from './busy-wait.md';
import { coroutineOf } from '../../semantics/event-loop';
import { isVariableReference } from '../../semantics/names';
import type { Finding } from '../../types';
import type { Rule, RuleContext } from '../rule';

const SLEEPS = new Set(['asyncio.sleep', 'trio.sleep', 'anyio.sleep']);
/** Clock reads: a condition or line built from them measures time, it does not poll state. */
const CLOCKS = new Set(['time.monotonic', 'time.time', 'time.perf_counter', 'time.monotonic_ns', 'time.time_ns', 'trio.current_time', 'anyio.current_time', 'asyncio.AbstractEventLoop.time']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

function isSleep(ctx: RuleContext, stmt: Node): Node | undefined {
  if (stmt.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const aw = stmt.firstNamedChild;
  const call = aw?.type === 'await' ? aw.firstNamedChild : undefined;
  if (call?.type !== 'call') return undefined;
  return SLEEPS.has(ctx.resolver.qualifiedName(call.childForFieldName('function')) ?? '') ? call : undefined;
}

function isLogCall(ctx: RuleContext, call: Node | null | undefined): boolean {
  if (call?.type !== 'call') return false;
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === 'print';
  if (fn.type !== 'attribute') return false;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object')?.text ?? '';
  return LOG_METHODS.has(method) && (/log/i.test(receiver.split('.').pop() ?? '') || ctx.resolver.qualifiedName(fn.childForFieldName('object')) === 'logging');
}

/** Only clock reads and log calls among the calls; no awaits. */
function onlyBookkeepingCalls(ctx: RuleContext, node: Node): boolean {
  if (node.descendantsOfType(['await', 'yield']).length > 0) return false;
  for (const call of node.type === 'call' ? [node] : node.descendantsOfType('call')) {
    if (!call) continue;
    if (isLogCall(ctx, call)) continue;
    const qname = ctx.resolver.qualifiedName(call.childForFieldName('function'));
    if (!qname || !CLOCKS.has(qname)) return false;
  }
  return true;
}

/** A line that only counts, logs or gives up on a timeout. */
function isBookkeeping(ctx: RuleContext, stmt: Node): boolean {
  switch (stmt.type) {
    case 'pass_statement':
    case 'break_statement':
    case 'continue_statement':
      return true;
    case 'raise_statement':
    case 'return_statement':
      return stmt.descendantsOfType('await').length === 0;
    case 'expression_statement': {
      const e = stmt.firstNamedChild;
      if (stmt.namedChildCount !== 1 || !e) return false;
      if (e.type === 'augmented_assignment' || e.type === 'assignment') return onlyBookkeepingCalls(ctx, e);
      return isLogCall(ctx, e) && onlyBookkeepingCalls(ctx, e);
    }
    case 'if_statement': {
      if (stmt.childForFieldName('alternative')) return false;
      const cond = stmt.childForFieldName('condition');
      const body = (stmt.childForFieldName('consequence')?.namedChildren ?? []).filter((c) => c && c.type !== 'comment');
      return !!cond && onlyBookkeepingCalls(ctx, cond) && body.every((s) => !!s && isBookkeeping(ctx, s));
    }
    default:
      return false;
  }
}

/** Names the loop body writes (`waited += 0.1`, `attempts = attempts + 1`). */
function assignedInBody(statements: Node[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    for (const a of s.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const left = a?.childForFieldName('left');
      if (left) out.add(left.text);
    }
  }
  return out;
}

function atoms(cond: Node): Node[] {
  if (cond.type === 'not_operator') return atoms(cond.childForFieldName('argument') ?? cond);
  if (cond.type === 'parenthesized_expression' && cond.firstNamedChild) return atoms(cond.firstNamedChild);
  if (cond.type === 'boolean_operator') {
    const l = cond.childForFieldName('left');
    const r = cond.childForFieldName('right');
    return [...(l ? atoms(l) : []), ...(r ? atoms(r) : [])];
  }
  return [cond];
}

/** The part of the condition that is state set elsewhere (a flag, an attribute, a call), not a counter or a clock. */
function polledState(ctx: RuleContext, cond: Node, assigned: Set<string>): Node | undefined {
  for (const atom of atoms(cond)) {
    const refs = [atom, ...atom.descendantsOfType(['identifier', 'attribute'])].filter(
      (n): n is Node => !!n && (n.type === 'attribute' || (n.type === 'identifier' && isVariableReference(n))),
    );
    if (refs.length === 0) continue; // a literal
    if (refs.some((r) => assigned.has(r.text))) continue; // counts iterations or time
    const calls = atom.type === 'call' ? [atom] : atom.descendantsOfType('call');
    if (calls.some((c) => !!c && CLOCKS.has(ctx.resolver.qualifiedName(c.childForFieldName('function')) ?? ''))) continue;
    return atom;
  }
  return undefined;
}

function isAlwaysTrue(cond: Node): boolean {
  return cond.type === 'true' || (cond.type === 'integer' && cond.text !== '0');
}

/** `if <condition>: break` (or `return`), with no `else` and nothing awaited. */
function isExit(stmt: Node): boolean {
  if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) return false;
  if (stmt.descendantsOfType(['await', 'named_expression', 'yield']).length > 0) return false;
  const body = (stmt.childForFieldName('consequence')?.namedChildren ?? []).filter((c) => c && c.type !== 'comment');
  const last = body[body.length - 1];
  return !!last && (last.type === 'break_statement' || last.type === 'return_statement') && body.length <= 2;
}

function eventName(ctx: RuleContext): string {
  return `${ctx.model.asyncLibrary}.Event`;
}

export const busyWait: Rule = {
  meta: {
    code: 'CL205',
    name: 'busy-wait-polling',
    family: 'asyncio',
    summary: 'A loop polls a condition around `await asyncio.sleep(...)` instead of waiting for it',
    severity: 'info',
    fixable: false,
    docs,
  },
  check(ctx) {
    if (!ctx.model.hasAsyncDef) return;
    for (const loop of ctx.model.nodesOfType('while_statement')) {
      if (!coroutineOf(ctx.model, loop) || loop.childForFieldName('alternative')) continue;
      const cond = loop.childForFieldName('condition');
      if (!cond || cond.descendantsOfType(['await', 'named_expression']).length > 0 || cond.type === 'await') continue;
      const statements = (loop.childForFieldName('body')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
      const sleeps = statements.map((s) => isSleep(ctx, s)).filter((s): s is Node => !!s);
      if (sleeps.length !== 1) continue;
      const assigned = assignedInBody(statements);
      let state: Node | undefined;
      if (isAlwaysTrue(cond)) {
        // `while True:` that leaves through `if <state>: break` — the same poll, written inside out.
        const exits = statements.filter((s) => isExit(s));
        if (!statements.every((s) => isSleep(ctx, s) || exits.includes(s) || isBookkeeping(ctx, s))) continue;
        for (const e of exits) {
          state = polledState(ctx, e.childForFieldName('condition') ?? e, assigned);
          if (state) break;
        }
      } else {
        if (!statements.every((s) => isSleep(ctx, s) || isBookkeeping(ctx, s))) continue;
        state = polledState(ctx, cond, assigned);
      }
      if (!state) continue;
      const sleepArgs = sleeps[0].childForFieldName('arguments')?.text ?? '()';
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL205',
        message: `Busy-wait: the loop re-checks \`${state.text.replace(/\s+/g, ' ')}\` after every \`${sleeps[0].childForFieldName('function')?.text}${sleepArgs}\` instead of being woken when it changes`,
        span: { start: loop.startIndex, end: cond.endIndex },
        evidence: [`nothing in the loop changes \`${state.text.replace(/\s+/g, ' ')}\`; the body only sleeps${statements.length > 1 ? ' (besides counting, logging or checking a timeout)' : ''}`],
        suggestion: `an \`${eventName(ctx)}\`: \`await event.wait()\` here, \`event.set()\` where the condition becomes true`,
        noFixReason: `the wait can only be replaced together with the code that changes \`${state.text.replace(/\s+/g, ' ')}\`, which must set an \`${eventName(ctx)}\`; that code is elsewhere, so there is no automatic rewrite`,
      };
      ctx.report(finding);
    }
  },
};
