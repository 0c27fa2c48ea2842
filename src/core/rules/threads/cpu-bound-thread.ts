// CL301: a CPU-bound function handed to a thread. The GIL lets one thread run Python
// bytecode at a time, so the thread adds no parallelism; a process pool would.
import type { Node } from '../../parse/syntax';
import docs from './cpu-bound-thread.md';
import { swapExecutor, type SwapResult } from '../../fixes/executor-swap';
import { findDispatches, targetOf, unwrapPartial, displayFunction, type Dispatch } from '../../semantics/dispatch';
import { moduleFunctionCheck, verifyModuleFunction } from '../../semantics/picklable';
import { describe, nearEvidence, relatedFor } from '../../semantics/workload-evidence';
import type { Finding, Span } from '../../types';
import { bindingsOf } from '../../semantics/origin';
import { comprehensionEvidenceByFunction } from '../../semantics/comprehension-evidence';
import type { Evidence } from '../../semantics/summary';
import { isGilReleasing } from '../../semantics/workload';
import { memoised, type DeferredCheck, type Rule, type RuleContext } from '../rule';

const UNSAFE =
  'The fix is marked unsafe: in a process pool the function and its arguments are pickled and run in another process, so arguments that cannot be pickled fail, and changes the function makes to globals or to its arguments are no longer seen by this program.';

function noFixFor(d: Dispatch, name: string): string {
  if (d.api === '`asyncio.to_thread()`' || d.api.includes('to_thread.run_sync')) {
    return `this call always uses a thread. Create one \`ProcessPoolExecutor\` for the application (and shut it down on exit), then \`await loop.run_in_executor(pool, ${name}, ...)\``;
  }
  if (d.method === 'run_in_executor' && !d.origin) {
    return `\`None\` picks the loop's default executor, a thread pool. A process pool has to be created once by the application and shut down on exit; pass it instead of \`None\`: \`loop.run_in_executor(process_pool, ${name}, ...)\``;
  }
  if (d.origin?.family === 'thread') {
    return `a thread cannot be turned into a process in place: \`multiprocessing.Process\` or a \`ProcessPoolExecutor\` pickles \`${name}\` and its arguments and does not share this program's memory, so that move is one to make by hand`;
  }
  if (d.origin?.family === 'pool') {
    return `\`multiprocessing.Pool\` has the same methods and uses processes; switching is left to you because its functions and arguments must then pickle`;
  }
  return 'the executor is not one the fix can change';
}

const NATIVE = '<native>';

/** `hasher` in `hasher = hashlib.sha1()`: an object of a native library, whose methods release the GIL. */
function madeByNativeCall(ctx: RuleContext, obj: Node | null): boolean {
  if (obj?.type !== 'identifier') return false;
  const found = bindingsOf(ctx.model, obj.text, obj);
  return !!found && found.bindings.length > 0 && found.bindings.every((b) => b.kind === 'assign' && b.value?.type === 'call' && isGilReleasing(ctx.resolver.qualifiedName(b.value.childForFieldName('function')) ?? ''));
}

/**
 * For each loop of this file, the project functions its body calls, by the loop's span.
 * A loop whose work is a call to a function that is not itself CPU-bound
 * (`while n: server.handle_request(); n -= 1`) is not evidence of computing.
 */
function loopCallees(ctx: RuleContext): Map<string, string[]> {
  return memoised(ctx, 'cl301-loop-callees', () => {
    const out = new Map<string, string[]>();
    for (const type of ['for_statement', 'while_statement'] as const) {
      for (const loop of ctx.model.nodesOfType(type)) {
        const scope = ctx.model.scopeAt(loop);
        const callees = new Set<string>();
        for (const call of loop.descendantsOfType('call')) {
          if (!call || ctx.model.scopeAt(call) !== scope) continue;
          const fn = call.childForFieldName('function');
          const q = ctx.resolver.qualifiedName(fn);
          if (q && !q.startsWith('builtins.')) callees.add(q);
          else if (!q && fn?.type === 'attribute' && madeByNativeCall(ctx, fn.childForFieldName('object'))) callees.add(NATIVE);
        }
        if (callees.size) out.set(`${loop.startIndex}:${loop.endIndex}`, [...callees]);
      }
    }
    return out;
  });
}

export const cpuBoundThread: Rule = {
  meta: {
    code: 'CL301',
    name: 'cpu-bound-work-in-thread',
    family: 'threads',
    summary: 'A CPU-bound function runs in a thread, where the GIL keeps threads from computing in parallel',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    // In a free-threaded build (3.13t/3.14t) threads do run Python code in parallel.
    if (ctx.settings.freeThreaded) return;
    const all = memoised(ctx, 'parallel-dispatches', () => findDispatches(ctx));
    // (What the checks need of every loop and comprehension is gathered only for a file that runs code in threads.)
    if (!all.some((d) => d.runsIn === 'thread')) return;
    const file = ctx.file;
    const callees = loopCallees(ctx);
    // Comprehensions (`sum(i * i for i in range(n))`) the classifier does not read yet.
    const comprehensions = memoised(ctx, 'comprehension-evidence', () => comprehensionEvidenceByFunction(ctx.model, ctx.resolver));
    for (const d of all) {
      if (d.runsIn !== 'thread') continue;
      const target = targetOf(ctx, d.fn);
      if (target.kind !== 'name') continue;
      const qname = target.qname;
      const span = { start: d.fn.startIndex, end: d.fn.endIndex };
      const dispatchEvidence = d.evidence;
      // The fix is prepared now, while the tree is here; the workspace confirms it later.
      let swap: SwapResult | undefined;
      let noFix: string | undefined;
      if (d.origin?.family === 'executor' && d.origin.kind === 'thread') {
        swap = swapExecutor({ model: ctx.model, resolver: ctx.resolver, origin: d.origin, to: 'ProcessPoolExecutor', checkCallable: (fn) => moduleFunctionCheck(ctx, unwrapPartial(ctx, fn)) });
      } else noFix = noFixFor(d, displayFunction(qname));
      ctx.defer(cpuBoundThreadCheck(qname, span, file, dispatchEvidence, swap, noFix, comprehensions, callees));
    }
  },
};

/** CL301 once the project is indexed: is the function run in a thread CPU-bound (plain data only: see RuleContext.defer). */
function cpuBoundThreadCheck(qname: string, span: Span, file: string, dispatchEvidence: string[], swap: SwapResult | undefined, noFix: string | undefined, comprehensions: ReadonlyMap<string, Evidence[]>, callees: ReadonlyMap<string, string[]>): DeferredCheck {
  return (ws, report) => {
    const summary = ws.function(qname);
    if (!summary || summary.isAsync) return;
    const workload = ws.workload(qname);
    const extra = (q: string) => (comprehensions.get(q) ?? []).map((e) => ({ ...e, file }));
    const supplement = workload.verdict === 'unknown' ? [...extra(summary.qname), ...summary.calls.flatMap((c) => extra(ws.function(c.callee)?.qname ?? ''))] : [];
    if (workload.verdict !== 'cpu' && supplement.length === 0) return;
    // The deciding loop must be in the function or one call away.
    const cpu = [...supplement, ...nearEvidence(ws, summary, 'cpu', 1)].filter((e) => {
      const inner = e.file === file ? callees.get(`${e.span.start}:${e.span.end}`) : undefined;
      return !inner?.some((q) => {
        if (q === NATIVE) return true;
        const f = ws.function(q);
        if (!f) return ws.isClass(q.slice(0, q.lastIndexOf('.'))); // an inherited method we cannot see
        return f.qname !== summary.qname && ws.workload(f.qname).verdict !== 'cpu';
      });
    });
    if (cpu.length === 0) return;
    const name = displayFunction(summary.qname);
    const finding: Omit<Finding, 'severity'> = {
      code: 'CL301',
      message: `CPU-bound \`${name}()\` runs in a thread, where the GIL lets only one thread compute at a time`,
      span,
      evidence: [`\`${name}()\` is CPU-bound: ${describe(ws, summary, cpu[0], file)}`, ...dispatchEvidence],
      related: relatedFor(ws, summary, cpu, file, 'CPU-bound'),
      suggestion: 'a `ProcessPoolExecutor` or `multiprocessing.Pool`, which run the work in parallel processes',
    };
    if (swap && 'edits' in swap) {
      const unconfirmed = swap.verify.find((q) => !verifyModuleFunction(ws, q));
      if (unconfirmed) finding.noFixReason = `\`${displayFunction(unconfirmed)}\` is not known to be a module-level function, so it may not pickle`;
      else {
        finding.fix = { title: 'Use `ProcessPoolExecutor` instead of `ThreadPoolExecutor`', applicability: 'unsafe', edits: swap.edits };
        finding.noFixReason = UNSAFE;
      }
    } else finding.noFixReason = swap?.reason ?? noFix;
    report(finding);
  };
}
