// Turning the workload classifier's evidence into what a finding shows: lines for the
// hover ("`resize()` is CPU-bound: nested loops at line 12 compute without waiting") and
// related locations that point at the loops and calls that decided it, naming the helper
// function and file when the evidence sits outside the function handed over.
import type { RelatedInfo } from '../types';
import { at, type Evidence, type FunctionSummary } from './summary';
import type { Workload, Workspace } from './workspace';

type Located = Evidence & { file: string };

function short(qname: string): string {
  return qname.replace(/\.<locals>/g, '').split('.').slice(-1)[0];
}

function baseName(file: string): string {
  return file.replace(/\\/g, '/').split('/').slice(-1)[0];
}

/** The function whose body holds the evidence. */
function holder(ws: Workspace, e: Located): FunctionSummary | undefined {
  let best: FunctionSummary | undefined;
  for (const f of ws.allFunctions()) {
    if (f.file !== e.file || f.span.start > e.span.start || f.span.end < e.span.end) continue;
    if (!best || f.span.start >= best.span.start) best = f;
  }
  return best;
}

/** "nested loops at line 12 computes without waiting (in `helper()`, imaging.py)". */
export function describe(ws: Workspace, target: FunctionSummary, e: Located, file: string): string {
  const h = holder(ws, e);
  const where: string[] = [];
  if (h && h.qname !== target.qname) where.push(`in \`${short(h.qname)}()\``);
  if (e.file !== file) where.push(baseName(e.file));
  return where.length ? `${e.text} (${where.join(', ')})` : e.text;
}

/**
 * Evidence of one kind found in the function itself or in the project functions it calls
 * at most `maxDepth` calls away. A verdict reached only through long chains of calls
 * (into parsing or container helpers of a large code base) is too weak to report on.
 */
export function nearEvidence(ws: Workspace, target: FunctionSummary, kind: Evidence['kind'], maxDepth: number): Located[] {
  const out: Located[] = [];
  const seen = new Set<string>();
  let frontier: FunctionSummary[] = [target];
  for (let depth = 0; depth <= maxDepth && frontier.length; depth++) {
    const next: FunctionSummary[] = [];
    for (const f of frontier) {
      if (seen.has(f.qname)) continue;
      seen.add(f.qname);
      for (const e of f.evidence) if (e.kind === kind) out.push({ ...e, span: at(f, e.span), file: f.file });
      for (const c of f.calls) {
        const callee = ws.function(c.callee);
        if (callee && !callee.isAsync && !seen.has(callee.qname)) next.push(callee);
      }
    }
    frontier = next;
  }
  return out;
}

export function evidenceOfKind(w: Workload, kind: Evidence['kind']): Located[] {
  return w.evidence.filter((e) => e.kind === kind);
}

/** Related locations for the hover and the Problems panel, at most `max`. */
export function relatedFor(ws: Workspace, target: FunctionSummary, items: readonly Located[], file: string, label: string, max = 3): RelatedInfo[] {
  // An inner loop of nested loops says nothing its outer loop does not.
  const outer = items.filter((e) => !items.some((o) => o !== e && o.file === e.file && o.span.start <= e.span.start && o.span.end >= e.span.end && (o.span.start < e.span.start || o.span.end > e.span.end)));
  return outer.slice(0, max).map((e) => {
    const r: RelatedInfo = { message: `${label}: ${describe(ws, target, e, file)}`, span: e.span };
    if (e.file !== file) r.file = e.file;
    return r;
  });
}
