// CL203: a `for` loop whose whole body is one `await f(item)` runs the calls one after
// another, although nothing in one iteration depends on the previous one. Precision first:
// only the plainest shape is reported, and only calls that look independent.
import type { Node } from '../../parse/syntax';
import docs from './sequential-awaits.md';
import { moduleReference } from '../../fixes/imports';
import { preview } from '../../fixes/await-edit';
import { coroutineOf } from '../../semantics/event-loop';
import { isVariableReference } from '../../semantics/names';
import type { Finding, Fix } from '../../types';
import type { Rule, RuleContext } from '../rule';

/**
 * Calls whose order is usually the point: pacing and locking (`sleep`, `acquire`, any
 * name starting so), and talking over one channel (`send`, `write`, `put`, `execute`,
 * `run`, ... as the whole name or with a suffix such as `_json`/`_message`). A name like
 * `send_email` says what is sent, not that a shared channel carries it, so it stays in.
 */
const ORDERED = /^_*(sleep|wait|acquire|release|lock|drain|flush|join|enqueue|migrate|commit|rollback|replay|step)|^_*(send|write|put|publish|emit|push|apply|execute|executemany|exec|run|dispatch|handle|insert|append|notify|broadcast)(_?(all|json|text|bytes|message|msg|line|lines|frame|packet|event|command|cmd))?$/i;

/** Shared clients for which concurrent requests are the normal use. */
const CONCURRENT_CLIENTS = new Set(['httpx.AsyncClient', 'aiohttp.ClientSession']);
const CLIENT_NAME = /(client|http)$/i;
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'fetch']);

/** Expression kinds that can stand after `in` in a generator expression without parentheses. */
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'list', 'tuple', 'set', 'dictionary', 'parenthesized_expression', 'string', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

interface Candidate {
  loop: Node;
  call: Node;
  /** `results` in `results.append(await f(x))` or `results[key] = await f(x)`. */
  collector?: Node;
  /** `key` in `results[key] = await f(x)`: results kept by key (no automatic rewrite). */
  key?: Node;
}

function loopNames(loop: Node): Set<string> {
  const left = loop.childForFieldName('left');
  const names = new Set<string>();
  if (left?.type === 'identifier') names.add(left.text);
  for (const id of left?.descendantsOfType('identifier') ?? []) if (id) names.add(id.text);
  return names;
}

function uses(node: Node, names: Set<string>): boolean {
  if (node.type === 'identifier') return names.has(node.text) && isVariableReference(node);
  return node.descendantsOfType('identifier').some((id) => !!id && names.has(id.text) && isVariableReference(id));
}

function awaitedCall(node: Node | null | undefined): Node | undefined {
  const call = node?.type === 'await' ? node.firstNamedChild : undefined;
  return call?.type === 'call' ? call : undefined;
}

/** `xs.append(<arg>)`: the list and the single argument. */
function appendOf(expr: Node | null | undefined): { collector: Node; arg: Node } | undefined {
  if (expr?.type !== 'call') return undefined;
  const fn = expr.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'append') return undefined;
  const args = (expr.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
  const collector = fn.childForFieldName('object');
  return args.length === 1 && args[0].type !== 'keyword_argument' && collector ? { collector, arg: args[0] } : undefined;
}

function soleExpression(statement: Node | null | undefined): Node | undefined {
  return statement?.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.firstNamedChild ?? undefined : undefined;
}

/**
 * The body is one of: `await f(...)`; `xs.append(await f(...))`; `xs[key] = await f(...)`;
 * or `r = await f(...)` followed by `xs.append(r)` with `r` used nowhere else.
 */
function shape(ctx: RuleContext, loop: Node): Candidate | undefined {
  if (loop.child(0)?.type === 'async' || loop.childForFieldName('alternative')) return undefined;
  const statements = (loop.childForFieldName('body')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
  const first = soleExpression(statements[0]);
  if (statements.length === 1) {
    const call = awaitedCall(first);
    if (call) return { loop, call };
    const append = appendOf(first);
    const appended = awaitedCall(append?.arg);
    if (append && appended) return { loop, call: appended, collector: append.collector };
    if (first?.type === 'assignment') {
      const left = first.childForFieldName('left');
      const stored = awaitedCall(first.childForFieldName('right'));
      const collector = left?.type === 'subscript' ? left.childForFieldName('value') : null;
      const key = left?.type === 'subscript' ? left.childForFieldName('subscript') : null;
      if (stored && collector && key && !first.childForFieldName('type')) return { loop, call: stored, collector, key };
    }
    return undefined;
  }
  if (statements.length !== 2 || first?.type !== 'assignment' || first.childForFieldName('type')) return undefined;
  const temp = first.childForFieldName('left');
  const call = awaitedCall(first.childForFieldName('right'));
  const append = appendOf(soleExpression(statements[1]));
  if (temp?.type !== 'identifier' || !call || append?.arg.type !== 'identifier' || append.arg.text !== temp.text) return undefined;
  // The temporary must be just that: read nowhere but in the append.
  const scope = ctx.model.scopeAt(loop);
  const refs = scope.node.descendantsOfType('identifier').filter((id) => id?.text === temp.text && isVariableReference(id));
  return refs.length === 2 ? { loop, call, collector: append.collector } : undefined;
}

/** Why the call counts as independent of the other iterations, or undefined when it may not be. */
function independent(ctx: RuleContext, c: Candidate, names: Set<string>): string | undefined {
  const { call } = c;
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  // Work inside the arguments that runs in sequence too, or binds names: not the plain shape.
  if (call.descendantsOfType(['await', 'named_expression', 'yield']).length > 0) return undefined;
  if (!uses(call, names)) return undefined;
  const collector = c.collector;
  if (collector && call.descendantsOfType(collector.type).some((n) => n?.text === collector.text)) return undefined;
  if (c.key && (c.key.descendantsOfType(['await', 'named_expression', 'call']).length > 0 || (collector && c.key.text.includes(collector.text)))) return undefined;
  const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : fn.text;
  if (ORDERED.test(name) || /migrat/i.test(name)) return undefined;
  const loopVar = [...names].filter((n) => uses(call, new Set([n]))).map((n) => `\`${n}\``).join(', ');
  const because = `the call depends only on ${loopVar} from the loop, and the body does nothing else`;
  // A parameter or an unknown local may be any callback (ASGI's `send`, a user hook): only
  // functions defined or imported by name count.
  if (fn.type === 'identifier') return ctx.resolver.resolve(fn)?.kind === 'name' ? because : undefined;
  if (fn.type !== 'attribute') return undefined;
  const receiver = fn.childForFieldName('object');
  if (!receiver) return undefined;
  if (uses(receiver, names)) return because; // a different object each iteration
  const sym = ctx.resolver.resolve(receiver);
  if (sym?.kind === 'self' || sym?.kind === 'name') return because;
  if (sym?.kind === 'instance') return CONCURRENT_CLIENTS.has(sym.type) && HTTP_VERBS.has(name) ? `${because}; \`${receiver.text}\` is an \`${sym.type}\`, built for concurrent requests` : undefined;
  const last = receiver.text.split('.').pop() ?? '';
  return CLIENT_NAME.test(last) && HTTP_VERBS.has(name) ? `${because}; \`${receiver.text}\` is taken to be an HTTP client from its name` : undefined;
}

/** The loop's names are read after the loop: a generator expression would not leave them bound. */
function namesUsedAfter(ctx: RuleContext, loop: Node, names: Set<string>): boolean {
  const scope = ctx.model.scopeAt(loop);
  for (const id of scope.node.descendantsOfType('identifier')) {
    if (id && id.startIndex >= loop.endIndex && names.has(id.text) && isVariableReference(id)) return true;
  }
  return false;
}

function gatherFix(ctx: RuleContext, c: Candidate, names: Set<string>): { fix?: Fix; noFixReason?: string } {
  const lib = ctx.model.asyncLibrary;
  if (lib !== 'asyncio') {
    const group = lib === 'trio' ? 'a nursery (`async with trio.open_nursery() as nursery: nursery.start_soon(...)`)' : 'a task group (`async with anyio.create_task_group() as tg: tg.start_soon(...)`)';
    return { noFixReason: `in ${lib} code the calls run concurrently when each is started in ${group}; results then have to be collected by the started functions, which needs a hand-written change` };
  }
  if (c.key) return { noFixReason: 'the results are stored by key; collect them with `dict(zip(keys, await asyncio.gather(...)))` or a TaskGroup by hand' };
  // A trailing comment on the `for` line moves to the end of the new line; comments
  // elsewhere in the loop would have nowhere to go.
  const body = c.loop.childForFieldName('body');
  const comments = c.loop.descendantsOfType('comment').filter((n): n is Node => !!n);
  const headerRow = c.loop.startPosition.row;
  if (comments.some((n) => n.startPosition.row !== headerRow || (body && n.startIndex >= body.startIndex))) {
    return { noFixReason: 'the loop contains comments that a one-line rewrite would drop' };
  }
  if (namesUsedAfter(ctx, c.loop, names)) return { noFixReason: 'the loop variable is used after the loop, and a generator expression would not leave it set' };
  const left = c.loop.childForFieldName('left');
  const right = c.loop.childForFieldName('right');
  if (!left || !right) return {};
  const ref = moduleReference(ctx.model, 'asyncio');
  const iterable = PRIMARY.has(right.type) ? right.text : `(${right.text})`;
  const gathered = `await ${ref.name}.gather(*(${c.call.text} for ${left.text} in ${iterable}))`;
  const replacement = c.collector ? `${c.collector.text}.extend(${gathered})` : gathered;
  const trailing = comments.length ? `  ${comments.map((n) => n.text).join(' ')}` : '';
  const edits = [{ start: c.loop.startIndex, end: c.loop.endIndex, content: replacement + trailing }];
  if (ref.edit) edits.push(ref.edit);
  return {
    fix: {
      title: `Run the calls concurrently: \`${preview(replacement)}\``,
      applicability: 'unsafe',
      edits,
    },
    noFixReason: 'The fix is marked unsafe: the calls then overlap, so side effects may happen in a different order, and the first exception no longer stops the remaining calls.',
  };
}

export const sequentialAwaits: Rule = {
  meta: {
    code: 'CL203',
    name: 'sequential-awaits-in-loop',
    family: 'asyncio',
    summary: 'Independent awaits in a `for` loop run one after another instead of concurrently',
    severity: 'hint',
    fixable: true,
    docs,
  },
  check(ctx) {
    if (!ctx.model.hasAsyncDef) return;
    for (const loop of ctx.model.nodesOfType('for_statement')) {
      if (!coroutineOf(ctx.model, loop)) continue;
      const c = shape(ctx, loop);
      if (!c) continue;
      const names = loopNames(loop);
      const because = independent(ctx, c, names);
      if (!because) continue;
      const right = loop.childForFieldName('right');
      const callee = (c.call.childForFieldName('function')?.text ?? '').replace(/\s+/g, '');
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL203',
        message: `Each iteration waits for \`${callee}()\` to finish before the next one starts; the calls are independent and could run concurrently`,
        span: { start: loop.startIndex, end: right?.endIndex ?? loop.endIndex },
        evidence: [because],
        suggestion: ctx.model.asyncLibrary === 'asyncio' ? '`asyncio.gather(...)` or `asyncio.TaskGroup`' : ctx.model.asyncLibrary === 'trio' ? 'a trio nursery' : 'an anyio task group',
      };
      const { fix, noFixReason } = gatherFix(ctx, c, names);
      if (fix) finding.fix = fix;
      if (noFixReason) finding.noFixReason = noFixReason;
      ctx.report(finding);
    }
  },
};
