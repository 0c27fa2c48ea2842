// Code lenses: which functions get one, and what it says. A function gets a lens when it is
// `async` or when some file of the project hands it to a thread, a process or an executor;
// the lens shows the workload verdict with the evidence that decided it ("CPU-bound:
// nested loops at line 12"). Editor-free: the extension turns these into vscode.CodeLens.
import type { Span } from '../types';
import { findDispatches, targetOf, type FileFacts } from './dispatch';
import type { PoolKind } from './origin';
import type { Evidence, FunctionSummary } from './summary';
import type { Verdict, Workload, Workspace } from './workspace';

/** A place that hands a function of the project to a thread or a process. */
export interface DispatchSite {
  /** The callable's qualified name as resolved in the dispatching file (before re-exports). */
  qname: string;
  runsIn: PoolKind;
  /** "`ThreadPoolExecutor.submit()`", "`threading.Thread()`". */
  api: string;
  file: string;
  span: Span;
  /** 1-based line of the dispatching call. */
  line: number;
}

/** Every callable this file hands to a thread or a process that resolves to a name. */
export function dispatchSites(facts: FileFacts, file: string): DispatchSite[] {
  const out: DispatchSite[] = [];
  for (const d of findDispatches(facts)) {
    const target = targetOf(facts, d.fn);
    if (target.kind !== 'name') continue;
    out.push({
      qname: target.qname,
      runsIn: d.runsIn,
      api: d.api,
      file,
      span: { start: d.call.startIndex, end: d.call.endIndex },
      line: d.call.startPosition.row + 1,
    });
  }
  return out;
}

/**
 * Dispatch sites of every file of a project, replaced a file at a time (as the workspace
 * index is). `byTarget` answers "who runs this function in a thread or a process?".
 */
export class DispatchIndex {
  private readonly files = new Map<string, DispatchSite[]>();
  /** Bumped on every change, so answers derived from it can be cached. */
  version = 0;

  /** Records a file's sites; returns whether they differ from what was recorded. */
  set(file: string, sites: readonly DispatchSite[]): boolean {
    const old = this.files.get(file);
    if (old && sameSites(old, sites)) return false;
    if (!old && sites.length === 0) return false;
    if (sites.length === 0) this.files.delete(file);
    else this.files.set(file, [...sites]);
    this.version++;
    return true;
  }

  remove(file: string): boolean {
    if (!this.files.delete(file)) return false;
    this.version++;
    return true;
  }

  clear(): void {
    this.files.clear();
    this.version++;
  }

  sitesIn(file: string): readonly DispatchSite[] {
    return this.files.get(file) ?? [];
  }

  /** Sites by the canonical name of the function they run (re-exports followed by `canonical`). */
  byTarget(canonical: (qname: string) => string = (q) => q): Map<string, DispatchSite[]> {
    const out = new Map<string, DispatchSite[]>();
    for (const sites of this.files.values()) {
      for (const s of sites) {
        const q = canonical(s.qname);
        const list = out.get(q);
        if (list) list.push(s);
        else out.set(q, [s]);
      }
    }
    return out;
  }
}

function sameSites(a: readonly DispatchSite[], b: readonly DispatchSite[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.qname !== y.qname || x.runsIn !== y.runsIn || x.api !== y.api || x.line !== y.line || x.span.start !== y.span.start || x.span.end !== y.span.end) return false;
  }
  return true;
}

/** One line of the evidence list a lens opens. */
export interface LensItem {
  kind: Evidence['kind'] | 'runs-in';
  /** "nested loops at line 12 compute without waiting", "`ThreadPoolExecutor.submit()` at line 20 runs it in a thread". */
  text: string;
  /** Where it is: the file (as the engine names files) and the span in it. */
  file: string;
  span: Span;
  /** 1-based line, when known. */
  line?: number;
  /** The function the evidence sits in, when it is not the lens's own function: "`helper()`". */
  inFunction?: string;
}

export interface FunctionLens {
  qname: string;
  /** The function's name as written (`crunch`, `run`). */
  name: string;
  file: string;
  /** The `def`'s name: where the lens goes. */
  nameSpan: Span;
  line: number;
  isAsync: boolean;
  /** Where it runs: 'event loop' for an `async def`, or the kinds of its dispatch sites. */
  runsIn: ('event loop' | PoolKind)[];
  verdict: Verdict;
  /** The lens text: "CPU-bound: nested loops at line 12". */
  title: string;
  /** Hover text of the lens: every piece of evidence, then where it runs. */
  tooltip: string;
  /** The evidence, then the dispatch sites: what clicking the lens lists. */
  items: LensItem[];
}

const VERDICT_LABEL: Record<Verdict, string> = {
  cpu: 'CPU-bound',
  io: 'I/O-bound',
  mixed: 'Mixed',
  native: 'Native (releases the GIL)',
  unknown: 'Workload unknown',
};

/** What the verdict rests on, as a short phrase: the evidence text without its explanation. */
export function shortEvidence(text: string): string {
  return text
    .replace(/ computes? without waiting$/, '')
    .replace(/ waits for I\/O$/, '')
    .replace(/ runs native code that releases the GIL$/, '');
}

function baseName(file: string): string {
  return file.replace(/\\/g, '/').split('/').slice(-1)[0];
}

function display(qname: string): string {
  return qname.replace(/\.<locals>/g, '').split('.').slice(-1)[0];
}

function lineOf(text: string): number | undefined {
  const m = /\bline (\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Finds the function of `file` whose body holds `span` (innermost). */
export type HolderLookup = (file: string, span: Span) => FunctionSummary | undefined;

/** A HolderLookup that scans the workspace (fine for tests and small projects). */
export function scanningHolder(workspace: Workspace): HolderLookup {
  return (file, span) => innermost([...workspace.allFunctions()].filter((f) => f.file === file), span);
}

export function innermost(functions: Iterable<FunctionSummary>, span: Span): FunctionSummary | undefined {
  let best: FunctionSummary | undefined;
  for (const f of functions) {
    if (f.span.start > span.start || f.span.end < span.end) continue;
    if (!best || f.span.start >= best.span.start) best = f;
  }
  return best;
}

/** "nested loops at line 12 (in `helper()`, imaging.py)": the short phrase and where it is, seen from `fn`. */
function phrase(item: LensItem, fn: FunctionSummary): string {
  const where: string[] = [];
  if (item.inFunction) where.push(`in ${item.inFunction}`);
  if (item.file !== fn.file) where.push(baseName(item.file));
  const short = shortEvidence(item.text);
  return where.length ? `${short} (${where.join(', ')})` : short;
}

function evidenceItems(fn: FunctionSummary, workload: Workload, holder: HolderLookup): LensItem[] {
  const items: LensItem[] = [];
  const seen = new Set<string>();
  for (const e of workload.evidence) {
    // The same text in the same file is the same fact (the summary may see an `await`
    // both as the expression and as its keyword).
    const key = `${e.file}|${e.kind}|${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: LensItem = { kind: e.kind, text: e.text, file: e.file, span: e.span, line: lineOf(e.text) };
    const h = e.file === fn.file && e.span.start >= fn.span.start && e.span.end <= fn.span.end ? undefined : holder(e.file, e.span);
    // Evidence inside a function nested in `fn` still counts as `fn`'s own body here.
    if (h && h.qname !== fn.qname) item.inFunction = `\`${display(h.qname)}()\``;
    items.push(item);
  }
  // The verdict's own kind first (for a mixed verdict, CPU then I/O), then the rest.
  const rank = (k: LensItem['kind']) => (workload.verdict === 'io' ? (k === 'io' ? 0 : 1) : workload.verdict === 'native' ? (k === 'gil-release' ? 0 : 1) : k === 'cpu' ? 0 : k === 'io' ? 1 : 2);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.kind) - rank(b.item.kind) || a.i - b.i)
    .map(({ item }) => item);
}

/** Inside the function itself before evidence found by following calls; calls before `await`. */
function headline(items: readonly LensItem[], kind: Evidence['kind']): LensItem | undefined {
  const ofKind = items.filter((i) => i.kind === kind);
  const score = (i: LensItem) => (i.inFunction ? 2 : 0) + (/^`await`/.test(i.text) ? 1 : 0);
  return ofKind.reduce<LensItem | undefined>((best, i) => (!best || score(i) < score(best) ? i : best), undefined);
}

/** "CPU-bound: nested loops at line 12", "Mixed: `while` loop at line 3 · `requests.get()` at line 9". */
export function lensTitle(fn: FunctionSummary, verdict: Verdict, items: readonly LensItem[]): string {
  const label = VERDICT_LABEL[verdict];
  const parts: LensItem[] = [];
  if (verdict === 'cpu' || verdict === 'mixed') {
    const cpu = headline(items, 'cpu');
    if (cpu) parts.push(cpu);
  }
  if (verdict === 'io' || verdict === 'mixed') {
    const io = headline(items, 'io');
    if (io) parts.push(io);
  }
  if (verdict === 'native') {
    const native = headline(items, 'gil-release');
    if (native) parts.push(native);
  }
  if (parts.length === 0) return label;
  const evidenceCount = items.filter((i) => i.kind !== 'runs-in').length;
  const more = evidenceCount - parts.length;
  return `${label}: ${parts.map((p) => phrase(p, fn)).join(' · ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

function runsInText(site: DispatchSite, fn: FunctionSummary): string {
  const where = site.runsIn === 'thread' ? 'a thread' : 'another process';
  const file = site.file !== fn.file ? ` of ${baseName(site.file)}` : '';
  return `${site.api} at line ${site.line}${file} runs it in ${where}`;
}

export interface LensOptions {
  /** Sites by canonical target name (`DispatchIndex.byTarget(q => workspace.canonical(q))`). */
  dispatched: ReadonlyMap<string, readonly DispatchSite[]>;
  /** Finds the function holding a piece of evidence; defaults to scanning the workspace. */
  holder?: HolderLookup;
}

/** The lens of one function, or undefined when it gets none (neither async nor dispatched). */
export function functionLens(fn: FunctionSummary, workspace: Workspace, options: LensOptions): FunctionLens | undefined {
  const sites = options.dispatched.get(fn.qname) ?? [];
  if (!fn.isAsync && sites.length === 0) return undefined;
  const workload = workspace.workload(fn.qname);
  const items = evidenceItems(fn, workload, options.holder ?? scanningHolder(workspace));
  const runsIn: FunctionLens['runsIn'] = fn.isAsync ? ['event loop'] : [];
  for (const s of sites) if (!runsIn.includes(s.runsIn)) runsIn.push(s.runsIn);
  const title = lensTitle(fn, workload.verdict, items);
  for (const s of sites) items.push({ kind: 'runs-in', text: runsInText(s, fn), file: s.file, span: s.span, line: s.line });
  const where = fn.isAsync ? 'Runs on the event loop (`async def`).' : '';
  const tooltipLines = [
    `${VERDICT_LABEL[workload.verdict]}${workload.verdict === 'unknown' ? ': no loop that computes, blocking call or GIL-releasing call found' : ''}`,
    ...items.filter((i) => i.kind !== 'runs-in').slice(0, 12).map((i) => `• ${phrase(i, fn)}`),
    ...(where ? [where] : []),
    ...items.filter((i) => i.kind === 'runs-in').slice(0, 6).map((i) => `• ${i.text}`),
    'Click to list the evidence.',
  ];
  return {
    qname: fn.qname,
    name: display(fn.qname),
    file: fn.file,
    nameSpan: fn.nameSpan,
    line: fn.line,
    isAsync: fn.isAsync,
    runsIn,
    verdict: workload.verdict,
    title,
    tooltip: tooltipLines.join('\n'),
    items,
  };
}

/** Lenses for the functions of one file, in source order. */
export function fileLenses(functions: readonly FunctionSummary[], workspace: Workspace, options: LensOptions): FunctionLens[] {
  const out: FunctionLens[] = [];
  for (const fn of functions) {
    const lens = functionLens(fn, workspace, options);
    if (lens) out.push(lens);
  }
  return out.sort((a, b) => a.nameSpan.start - b.nameSpan.start);
}
