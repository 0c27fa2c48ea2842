// CL202: the event loop keeps only a weak reference to a task. A task whose result nobody
// keeps (a bare `asyncio.create_task(...)`, `_ = ...`, or a local never used again) can be
// garbage-collected mid-flight, and its exception is never seen.
import type { Node } from '../../parse/syntax';
import docs from './dropped-task.md';
import { freshTaskName, ownLines, taskSetPlan } from '../../fixes/task-reference';
import { enclosingFunctionScope, isPlainAssignmentTarget, referencesTo } from '../../semantics/names';
import type { Finding, Fix, TextEdit } from '../../types';
import type { Rule, RuleContext } from '../rule';

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future', 'asyncio.AbstractEventLoop.create_task']);

/** A receiver that names an event loop (`loop`, `self._loop`, `event_loop`) though its type is not known. */
const LOOP_NAME = /(^|\.)_?(event_?)?loop$/i;

interface Dropped {
  call: Node;
  statement: Node;
  how: 'statement' | 'underscore' | 'unused';
  /** The local the task is bound to (`unused`), or `_`. */
  target?: Node;
  factory: string;
  evidence?: string;
}

function factoryOf(ctx: RuleContext, call: Node): { name: string; evidence?: string } | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const qname = ctx.resolver.qualifiedName(fn);
  if (qname && TASK_FACTORIES.has(qname)) {
    // `ensure_future(fut)` hands back an existing future or task, which whoever made it may
    // still hold; only a coroutine built right there is certainly new.
    if (qname.endsWith('ensure_future') && call.childForFieldName('arguments')?.findNamedChild((a) => a && a.type !== 'comment')?.type !== 'call') return undefined;
    return { name: qname.replace('asyncio.AbstractEventLoop.', 'loop.').replace('asyncio.tasks.', 'asyncio.') };
  }
  if (qname || fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'create_task') return undefined;
  const receiver = fn.childForFieldName('object');
  if (!receiver || ctx.resolver.resolve(receiver) || !LOOP_NAME.test(receiver.text)) return undefined;
  return { name: 'loop.create_task', evidence: `\`${receiver.text}\` is taken to be the event loop from its name` };
}

function dropped(ctx: RuleContext, call: Node): Omit<Dropped, 'factory' | 'evidence'> | undefined {
  const parent = call.parent;
  if (parent?.type === 'expression_statement' && parent.namedChildCount === 1) return { call, statement: parent, how: 'statement' };
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return undefined;
  const statement = parent.parent;
  const left = parent.childForFieldName('left');
  if (statement?.type !== 'expression_statement' || left?.type !== 'identifier') return undefined;
  if (left.text === '_') return { call, statement, how: 'underscore', target: left };
  // A local of a function that nothing reads afterwards (module globals stay alive).
  const fnScope = enclosingFunctionScope(ctx.model, call);
  if (!fnScope || ctx.model.scopeAt(call) !== fnScope) return undefined;
  if (fnScope.globals.has(left.text) || fnScope.nonlocals.has(left.text) || !fnScope.bindings.has(left.text)) return undefined;
  const reads = referencesTo(ctx.model, fnScope, left.text).filter((id) => !isPlainAssignmentTarget(id));
  return reads.length === 0 ? { call, statement, how: 'unused', target: left } : undefined;
}

function message(d: Dropped): string {
  const made = `\`${d.factory}()\``;
  switch (d.how) {
    case 'statement':
      return `Task from ${made} is not kept; it can be garbage-collected before it finishes`;
    case 'underscore':
      return `Task from ${made} is assigned to \`_\` and dropped; it can be garbage-collected before it finishes`;
    case 'unused':
      return `Task \`${d.target?.text}\` from ${made} is never used again; it can be garbage-collected before it finishes`;
  }
}

function fixFor(ctx: RuleContext, d: Dropped): { fix?: Fix; noFixReason?: string } {
  const fnScope = enclosingFunctionScope(ctx.model, d.call);
  if (!fnScope) return { noFixReason: 'the task is created outside any function; keep it in a module-level variable, or start it from a coroutine that awaits it' };
  const lines = ownLines(ctx.model.text, d.statement);
  if (!lines) return { noFixReason: 'the statement shares its line with other code; put it on its own line first' };
  const plan = taskSetPlan(ctx.model, ctx.resolver);
  const edits: TextEdit[] = [...plan.edits];
  let name: string;
  if (d.how === 'statement') {
    name = freshTaskName(fnScope.node);
    edits.push({ start: d.call.startIndex, end: d.call.startIndex, content: `${name} = ` });
  } else if (d.how === 'underscore' && d.target) {
    name = freshTaskName(fnScope.node);
    edits.push({ start: d.target.startIndex, end: d.target.endIndex, content: name });
  } else {
    name = d.target?.text ?? 'task';
  }
  const nl = `\n${lines.indent}`;
  edits.push({ start: lines.lineEnd, end: lines.lineEnd, content: `${nl}${plan.name}.add(${name})${nl}${name}.add_done_callback(${plan.name}.discard)` });
  return {
    fix: {
      title: `Keep a reference to the task in \`${plan.name}\` until it finishes`,
      applicability: 'safe',
      edits,
    },
  };
}

export const droppedTask: Rule = {
  meta: {
    code: 'CL202',
    name: 'dropped-task',
    family: 'asyncio',
    summary: 'A task is created and its reference dropped, so it can be garbage-collected before it finishes',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    for (const call of ctx.model.calls) {
      const factory = factoryOf(ctx, call);
      if (!factory) continue;
      const base = dropped(ctx, call);
      if (!base) continue;
      const d: Dropped = { ...base, factory: factory.name, evidence: factory.evidence };
      const { fix, noFixReason } = fixFor(ctx, d);
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL202',
        message: message(d),
        span: { start: call.startIndex, end: call.endIndex },
        suggestion: '`async with asyncio.TaskGroup() as tg: tg.create_task(...)` when the caller can wait for the tasks',
      };
      if (d.evidence) finding.evidence = [d.evidence];
      if (fix) finding.fix = fix;
      if (noFixReason) finding.noFixReason = noFixReason;
      ctx.report(finding);
    }
  },
};
