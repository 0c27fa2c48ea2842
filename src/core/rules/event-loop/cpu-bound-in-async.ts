// CL108: CPU-bound work inside `async def` — a loop in the coroutine that computes and never
// awaits, or a call to a project function the workload classifier finds CPU-bound.
import type { Node } from '../../parse/syntax';
import docs from './cpu-bound-in-async.md';
import { isMethodOfKnownType, lookupBlocking } from '../../knowledge/blocking-calls';
import { coroutineOf, runsOnEventLoop } from '../../semantics/event-loop';
import { loopEvidence } from '../../semantics/workload';
import { comprehensionEvidence, outermostComprehensions } from '../../semantics/comprehension-evidence';
import type { Span } from '../../types';
import type { DeferredCheck, Rule } from '../rule';
import { calleesOf } from '../../semantics/origin';

const NO_FIX =
  'moving the work off the loop needs a function for it and a process pool that lives as long as the program; run it with `await loop.run_in_executor(process_pool, work, ...)` (see the rule page)';

/** The loop's header: `for x in range(n):` / `while cond:`, without its body. */
function headerEnd(loop: Node): number {
  const body = loop.childForFieldName('body');
  const cut = body ? body.startIndex : loop.endIndex;
  const text = loop.text.slice(0, cut - loop.startIndex);
  const colon = text.lastIndexOf(':');
  return loop.startIndex + (colon === -1 ? text.length : colon + 1);
}

export const cpuBoundInAsync: Rule = {
  meta: {
    code: 'CL108',
    name: 'cpu-bound-work-in-async',
    family: 'event-loop',
    summary: 'A coroutine runs CPU-bound work (a loop that computes and never awaits) on the event loop',
    severity: 'warning',
    fixable: false,
    docs,
  },
  check(ctx) {
    const { model, resolver } = ctx;
    if (!model.hasAsyncDef) return;
    const reportedLoops: Node[] = [];
    for (const type of ['for_statement', 'while_statement'] as const) {
      for (const loop of model.nodesOfType(type)) {
        if (!coroutineOf(model, loop)) continue;
        if (reportedLoops.some((outer) => outer.startIndex <= loop.startIndex && loop.endIndex <= outer.endIndex)) continue;
        const ev = loopEvidence(model, resolver, loop);
        if (!ev) continue;
        reportedLoops.push(loop);
        ctx.report({
          code: 'CL108',
          message: `CPU-bound loop runs on the event loop: ${ev.text}`,
          span: { start: loop.startIndex, end: headerEnd(loop) },
          evidence: [ev.text],
          noFixReason: NO_FIX,
        });
      }
    }
    for (const comp of outermostComprehensions(model)) {
      if (!coroutineOf(model, comp) || reportedLoops.some((outer) => outer.startIndex <= comp.startIndex && comp.endIndex <= outer.endIndex)) continue;
      const ev = comprehensionEvidence(model, resolver, comp);
      if (!ev) continue;
      ctx.report({
        code: 'CL108',
        message: `CPU-bound work runs on the event loop: ${ev.text}`,
        span: { start: comp.startIndex, end: comp.endIndex },
        evidence: [ev.text],
        noFixReason: NO_FIX,
      });
    }
    const { qnames } = calleesOf(model, resolver);
    for (let i = 0; i < model.calls.length; i++) {
      const call = model.calls[i];
      if (call.parent?.type === 'await' || !runsOnEventLoop(model, call)) continue;
      const qname = qnames[i];
      if (!qname || lookupBlocking(qname, ctx.extraBlocking) || isMethodOfKnownType(qname)) continue;
      const span = { start: call.startIndex, end: call.endIndex };
      ctx.defer(cpuBoundCalleeCheck(qname, ctx.file, span));
    }
  },
};

/** CL108's check of a call to a project function against the complete index (plain data only: see RuleContext.defer). */
function cpuBoundCalleeCheck(qname: string, file: string, span: Span): DeferredCheck {
  return (workspace, report) => {
    const fn = workspace.function(qname);
    if (!fn || fn.isAsync || workspace.blockingChain(qname)) return;
    const work = workspace.workload(qname);
    if (work.verdict !== 'cpu') return;
    const name = qname.replace(/\.<locals>/g, '').split('.').pop();
    const first = work.evidence.find((e) => e.kind === 'cpu');
    report({
      code: 'CL108',
      message: `\`${name}()\` is CPU-bound and runs on the event loop${first ? `: ${first.text}` : ''}`,
      span,
      evidence: work.evidence.filter((e) => e.kind === 'cpu').map((e) => `${e.text}${e.file === file ? '' : ` (${e.file})`}`),
      related: first ? [{ message: first.text, file: first.file === file ? undefined : first.file, span: first.span }] : undefined,
      noFixReason: NO_FIX,
    });
  };
}
