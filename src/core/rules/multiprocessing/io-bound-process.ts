// CL403: an I/O-bound function is sent to a process pool. It spends its time waiting, which
// threads or asyncio do just as well, while a process costs a fresh interpreter and every
// argument and result crosses a pipe as a pickle. A hint, and only when the evidence is
// clear: the classifier found waiting calls and nothing that computes.
import type { Node } from '../../parse/syntax';
import docs from './io-bound-process.md';
import { lookupBlocking } from '../../knowledge/blocking-calls';
import { swapExecutor, type SwapResult } from '../../fixes/executor-swap';
import { displayFunction, findDispatches, targetOf, unwrapPartial } from '../../semantics/dispatch';
import { probableWait } from '../../semantics/waits';
import type { Scope } from '../../semantics/scope';
import type { Workspace } from '../../semantics/workspace';
import { describe, evidenceOfKind, relatedFor } from '../../semantics/workload-evidence';
import type { Finding, Span } from '../../types';
import { memoised, type DeferredCheck, type Rule, type RuleContext } from '../rule';

/** Library calls that compute (parsing, regular expressions, sorting): their presence makes the verdict unclear. */
const COMPUTING = [/^json\.loads?$/, /^pickle\.loads?$/, /^marshal\.loads?$/, /^re\./, /^xml\./, /^lxml\./, /^ast\.parse$/, /^builtins\.(sorted|compile|eval|exec)$/, /^bs4\./, /^html\.parser\./, /^csv\./, /^statistics\./];

const UNSAFE =
  'The fix is marked unsafe: in threads the functions share this program\'s memory, so module globals they change are now shared rather than private copies, and `max_workers` now counts threads, whose default differs.';

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);

/** The parts of a loop that run on every iteration (a `for` evaluates its iterable once). */
function repeated(loop: Node): Node[] {
  const parts: (Node | null)[] =
    loop.type === 'for_statement'
      ? [loop.childForFieldName('body')]
      : loop.type === 'while_statement'
        ? [loop.childForFieldName('condition'), loop.childForFieldName('body')]
        : [loop.childForFieldName('body'), ...loop.namedChildren.filter((c) => c?.type === 'if_clause')];
  return parts.filter((p): p is Node => !!p);
}

/** A loop in `scope` that does arithmetic without waiting, or such a comprehension: work the classifier may not count. */
function computesLocally(ctx: RuleContext, scope: Scope): boolean {
  const body = scope.node.childForFieldName('body');
  if (!body) return false;
  for (const loop of body.descendantsOfType(['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension'])) {
    if (!loop || ctx.model.scopeAt(loop) !== scope) continue;
    const parts = repeated(loop);
    const calls = parts.flatMap((p) => (p.type === 'call' ? [p] : [])).concat(parts.flatMap((p) => p.descendantsOfType('call').filter((c): c is Node => !!c)));
    const waits = calls.some((c) => {
      const q = ctx.resolver.qualifiedName(c.childForFieldName('function'));
      return (q && lookupBlocking(q, ctx.extraBlocking)) || probableWait(ctx.resolver, c);
    });
    if (waits) continue;
    const arithmetic = parts.some(
      (p) =>
        p.type === 'augmented_assignment' ||
        p.descendantsOfType('augmented_assignment').length > 0 ||
        [p, ...p.descendantsOfType('binary_operator')].some((b) => b?.type === 'binary_operator' && ARITHMETIC.has(b.childForFieldName('operator')?.type ?? '')),
    );
    if (arithmetic) return true;
  }
  return false;
}

/** The clear-evidence test, against the complete workspace. */
function clearlyIoBound(ws: Workspace, qname: string): boolean {
  const summary = ws.function(qname);
  if (!summary || summary.isAsync) return false;
  const w = ws.workload(summary.qname);
  if (w.verdict !== 'io') return false;
  if (w.evidence.some((e) => e.kind === 'gil-release')) return false;
  // Waiting calls from the catalogue, not just awaits.
  if (!w.evidence.some((e) => e.kind === 'io' && !e.text.startsWith('`await`'))) return false;
  // Computing library calls anywhere in the functions followed.
  const seen = new Set<string>();
  const visit = (q: string, depth: number): boolean => {
    const f = ws.function(q);
    if (!f || seen.has(f.qname) || depth > 6) return false;
    seen.add(f.qname);
    return f.calls.some((c) => COMPUTING.some((re) => re.test(c.callee)) || visit(c.callee, depth + 1));
  };
  return !visit(summary.qname, 0);
}

export const ioBoundProcess: Rule = {
  meta: {
    code: 'CL403',
    name: 'io-bound-work-in-process-pool',
    family: 'multiprocessing',
    summary: 'An I/O-bound function is sent to a process pool; threads or asyncio wait just as well for less',
    severity: 'hint',
    fixable: true,
    docs,
  },
  check(ctx) {
    const file = ctx.file;
    for (const d of memoised(ctx, 'parallel-dispatches', () => findDispatches(ctx))) {
      // A pool's workers live on; a single Process is a different trade-off.
      if (d.runsIn !== 'process' || d.origin?.family === 'process') continue;
      const target = targetOf(ctx, d.fn);
      // Lambdas cannot reach a process at all (CL402).
      if (target.kind !== 'name' || target.through === 'lambda') continue;
      const local = ctx.model.functions.get(target.qname);
      if (local && computesLocally(ctx, local)) continue;
      const qname = target.qname;
      const span = { start: d.fn.startIndex, end: d.fn.endIndex };
      const dispatchEvidence = d.evidence;
      let swap: SwapResult | undefined;
      let noFix: string | undefined;
      if (d.origin?.family === 'executor' && d.origin.kind === 'process') {
        swap = swapExecutor({
          model: ctx.model,
          resolver: ctx.resolver,
          origin: d.origin,
          to: 'ThreadPoolExecutor',
          checkCallable: (fn) => {
            const t = targetOf(ctx, unwrapPartial(ctx, fn));
            if (t.kind !== 'name' || t.through === 'lambda') return { reason: `\`${fn.text}\` is not a function the fix can check` };
            const scope = ctx.model.functions.get(t.qname);
            if (scope && computesLocally(ctx, scope)) return { reason: `\`${displayFunction(t.qname)}\` also computes` };
            return { verify: t.qname };
          },
        });
      } else if (d.origin?.family === 'pool') {
        noFix = '`multiprocessing.pool.ThreadPool` has the same methods as `multiprocessing.Pool` and runs them in threads; switch to it by hand';
      } else {
        noFix = 'the process pool is not created in this file';
      }
      ctx.defer(ioBoundProcessCheck(qname, span, file, dispatchEvidence, swap, noFix));
    }
  },
};

/** CL403 once the project is indexed: is the function run in a process pool clearly I/O-bound (plain data only: see RuleContext.defer). */
function ioBoundProcessCheck(qname: string, span: Span, file: string, dispatchEvidence: string[], swap: SwapResult | undefined, noFix: string | undefined): DeferredCheck {
  return (ws, report) => {
    if (!clearlyIoBound(ws, qname)) return;
    const summary = ws.function(qname)!;
    const workload = ws.workload(summary.qname);
    const io = evidenceOfKind(workload, 'io');
    const name = displayFunction(summary.qname);
    const finding: Omit<Finding, 'severity'> = {
      code: 'CL403',
      message: `I/O-bound \`${name}()\` runs in a process pool; it mostly waits, which threads or asyncio do without starting processes or pickling data`,
      span,
      evidence: [`\`${name}()\` is I/O-bound: ${describe(ws, summary, io[0], file)}`, 'no loop or call that computes was found', ...dispatchEvidence],
      related: relatedFor(ws, summary, io, file, 'I/O'),
      suggestion: 'a `ThreadPoolExecutor`, or asyncio with an async client for many slow requests',
    };
    if (swap && 'edits' in swap) {
      const notIo = swap.verify.find((q) => !clearlyIoBound(ws, q));
      if (notIo) finding.noFixReason = `the same executor also runs \`${displayFunction(notIo)}()\`, which is not clearly I/O-bound`;
      else {
        finding.fix = { title: 'Use `ThreadPoolExecutor` instead of `ProcessPoolExecutor`', applicability: 'unsafe', edits: swap.edits };
        finding.noFixReason = UNSAFE;
      }
    } else finding.noFixReason = swap?.reason ?? noFix;
    report(finding);
  };
}
