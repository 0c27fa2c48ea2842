// CL109: a sync function of the project that blocks (directly or through the functions it
// calls, across files) called from a coroutine. The chain is shown hop by hop.
import type { Node } from '../../parse/syntax';
import docs from './blocking-helper.md';
import { isMethodOfKnownType, lookupBlocking } from '../../knowledge/blocking-calls';
import { toThreadFix } from '../../fixes/rewrite';
import { runsOnEventLoop } from '../../semantics/event-loop';
import type { Finding, Fix, Span } from '../../types';
import type { DeferredCheck, Rule } from '../rule';
import { calleesOf } from '../../semantics/origin';

function shortName(qname: string): string {
  return qname.replace(/\.<locals>/g, '').split('.').slice(-1)[0];
}

export const blockingHelper: Rule = {
  meta: {
    code: 'CL109',
    name: 'blocking-helper-in-async',
    family: 'event-loop',
    summary: 'A sync function that blocks (directly or through further calls) is called from `async def`',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    const { model, resolver } = ctx;
    if (!model.hasAsyncDef) return;
    const { qnames } = calleesOf(model, resolver);
    for (let i = 0; i < model.calls.length; i++) {
      const call = model.calls[i];
      if (call.parent?.type === 'await' || !runsOnEventLoop(model, call)) continue;
      const qname = qnames[i];
      if (!qname || lookupBlocking(qname, ctx.extraBlocking) || isMethodOfKnownType(qname)) continue;
      // Everything the deferred check needs, taken while the tree is alive.
      const span = { start: call.startIndex, end: call.endIndex };
      const { fix, noFixReason } = toThreadFix(model, call as Node, { code: 'CL109', fix: 'to-thread' });
      ctx.defer(blockingHelperCheck(qname, ctx.file, span, fix, noFixReason));
    }
  },
};

/** CL109's check of one call against the complete index (plain data only: see RuleContext.defer). */
function blockingHelperCheck(qname: string, file: string, span: Span, fix: Fix | undefined, noFixReason: string | undefined): DeferredCheck {
  return (workspace, report) => {
    const fn = workspace.function(qname);
    if (!fn || fn.isAsync) return;
    const chain = workspace.blockingChain(qname);
    if (!chain) return;
    const end = chain.qname.replace(/^builtins\./, '');
    const via = chain.hops.length > 1 ? ` (via ${chain.hops.slice(1).map((h) => `\`${shortName(h.function.qname)}()\``).join(' → ')})` : '';
    const unsafe = lookupBlocking(chain.qname)?.entry.unsafeBecause;
    const finding: Omit<Finding, 'severity'> = {
      code: 'CL109',
      message: `\`${shortName(fn.qname)}()\` blocks the event loop: it calls \`${end}()\`${via}`,
      span,
      related: chain.hops.map((h) => ({ message: h.text, file: h.file === file ? undefined : h.file, span: h.span, line: h.line })),
      evidence: chain.hops.map((h) => `${h.text} (${h.file === file ? 'this file' : h.file}, line ${h.line})`),
    };
    if (fix) finding.fix = unsafe ? { ...fix, applicability: 'unsafe' } : fix;
    if (noFixReason) finding.noFixReason = noFixReason;
    else if (unsafe) finding.noFixReason = `The fix is marked unsafe: ${unsafe}.`;
    report(finding);
  };
}
