// CL201: calling a coroutine function only builds a coroutine object; if nobody awaits it
// (a bare statement, a condition, `_ =`), its body never runs.
import type { Node } from '../../parse/syntax';
import docs from './unawaited-coroutine.md';
import { insertAwait, preview } from '../../fixes/await-edit';
import { askWorkspace, coroutineCallee } from '../../semantics/coroutines';
import { coroutineOf, insideGeneratorExpression } from '../../semantics/event-loop';
import type { Finding } from '../../types';
import type { DeferredCheck, Rule, RuleContext } from '../rule';

type Discarded = 'statement' | 'condition' | 'underscore';

const CONDITION_OWNERS = new Set(['if_statement', 'elif_clause', 'while_statement']);

/** How the coroutine object is thrown away, if it is. */
function discarded(call: Node): Discarded | undefined {
  const parent = call.parent;
  if (!parent) return undefined;
  if (parent.type === 'expression_statement' && parent.namedChildCount === 1) return 'statement';
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    return left?.type === 'identifier' && left.text === '_' && parent.parent?.type === 'expression_statement' ? 'underscore' : undefined;
  }
  // `if coro():`, `while not coro():`, `if ready and coro():` — the object is only tested for truth.
  let n: Node = call;
  for (;;) {
    const p = n.parent;
    if (!p) return undefined;
    if (p.type === 'not_operator' || p.type === 'boolean_operator' || p.type === 'parenthesized_expression') {
      n = p;
      continue;
    }
    return CONDITION_OWNERS.has(p.type) && p.childForFieldName('condition')?.id === n.id ? 'condition' : undefined;
  }
}

function calleeText(call: Node): string {
  return (call.childForFieldName('function')?.text ?? 'coroutine').replace(/\s+/g, '');
}

function message(how: Discarded, name: string): string {
  switch (how) {
    case 'statement':
      return `Coroutine \`${name}()\` is created but never awaited, so it never runs`;
    case 'condition':
      return `Coroutine \`${name}()\` is tested without \`await\`: a coroutine object is always true, and it never runs`;
    case 'underscore':
      return `Coroutine \`${name}()\` is assigned to \`_\` and never awaited, so it never runs`;
  }
}

function syncReason(ctx: RuleContext, call: Node): string {
  const scope = ctx.model.scopeAt(call);
  if (scope.kind === 'module' || scope.kind === 'class') {
    const where = scope.kind === 'module' ? 'at module level' : 'in a class body';
    return `the call runs ${where}, outside any coroutine, so \`await\` is not allowed here; start the coroutine with \`asyncio.run(...)\` or await it from a coroutine`;
  }
  return `\`${scope.name}\` is a plain \`def\`, so it cannot \`await\`; make it \`async def\` and await the call, or hand the coroutine to the running loop with \`asyncio.create_task(...)\` and keep the task`;
}

export const unawaitedCoroutine: Rule = {
  meta: {
    code: 'CL201',
    name: 'unawaited-coroutine',
    family: 'asyncio',
    summary: 'A coroutine is created and never awaited, so its body never runs',
    severity: 'error',
    fixable: true,
    docs,
  },
  check(ctx) {
    const file = ctx.file;
    for (const call of ctx.model.calls) {
      const how = discarded(call);
      if (!how) continue;
      const answer = coroutineCallee(ctx, call);
      if (!answer) continue;
      // Everything the finding needs, taken now: a question for the workspace may be
      // answered after this file's tree is gone.
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL201',
        message: message(how, calleeText(call)),
        span: { start: call.startIndex, end: call.endIndex },
      };
      if (!coroutineOf(ctx.model, call)) {
        finding.noFixReason = syncReason(ctx, call);
      } else if (insideGeneratorExpression(ctx.model, call)) {
        finding.noFixReason = 'the call sits inside a generator expression, where `await` would turn it into an async generator';
      } else {
        finding.fix = {
          title: `Add \`await\`: \`await ${preview(call.text)}\``,
          applicability: 'safe',
          edits: insertAwait(call),
        };
      }
      if (answer.kind === 'yes') {
        ctx.report({ ...finding, evidence: [answer.callee.evidence] });
        continue;
      }
      const qname = answer.qname;
      ctx.defer(coroutineCalleeCheck(file, qname, finding));
    }
  },
};

/** CL201 when the callee is a project function of another file (plain data only: see RuleContext.defer). */
function coroutineCalleeCheck(file: string, qname: string, finding: Omit<Finding, 'severity'>): DeferredCheck {
  return (workspace, report) => {
    const callee = askWorkspace(workspace, file, qname);
    if (callee) report({ ...finding, evidence: [callee.evidence] });
  };
}
