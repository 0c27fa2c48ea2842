// The workspace index: summaries of every analysed file, joined into a function table and
// a call graph. Answers "does this sync function block, and through which calls?" and
// "is this function CPU-bound, I/O-bound or both?" across files. Files are replaced one
// at a time (an edit, a save, a delete); derived answers are memoised until the next change.
import type { Span } from '../types';
import { at, type Evidence, type FileSummary, type FunctionSummary } from './summary';

export interface Hop {
  /** The function the hop is in, and the call it makes (to the next function, or the blocking call). */
  function: FunctionSummary;
  file: string;
  span: Span;
  /** 1-based line of the call in `file`. */
  line: number;
  /** "`fetch_all()` calls `download()`", "`download()` calls `requests.get()`". */
  text: string;
}

export interface BlockingChain {
  hops: Hop[];
  /** The catalogue call at the end of the chain. */
  qname: string;
  code: string;
}

export type Verdict = 'cpu' | 'io' | 'mixed' | 'native' | 'unknown';

export interface Workload {
  verdict: Verdict;
  /** The loops and calls that decided it, across the functions followed. */
  evidence: (Evidence & { file: string })[];
}

const MAX_DEPTH = 8;

function short(qname: string): string {
  return qname.replace(/\.<locals>/g, '').split('.').slice(-1)[0];
}

export class Workspace {
  private readonly files = new Map<string, FileSummary>();
  private readonly functions = new Map<string, FunctionSummary>();
  /** Qualified names of classes, with the file that defines each. */
  private readonly classes = new Map<string, string>();
  private readonly reexports = new Map<string, string>();
  private chains = new Map<string, BlockingChain | null>();
  private workloads = new Map<string, Workload>();
  private leads = new Map<string, boolean>();
  /** Bumped on every change. */
  version = 0;

  update(summary: FileSummary): void {
    this.remove(summary.file, false);
    this.files.set(summary.file, summary);
    for (const f of summary.functions) this.functions.set(f.qname, f);
    for (const c of summary.classes) this.classes.set(c, summary.file);
    for (const [name, target] of summary.reexports) this.reexports.set(`${summary.moduleName}.${name}`, target);
    this.changed();
  }

  remove(file: string, notify = true): void {
    const old = this.files.get(file);
    if (!old) return;
    this.files.delete(file);
    for (const f of old.functions) if (this.functions.get(f.qname)?.file === file) this.functions.delete(f.qname);
    for (const c of old.classes) if (this.classes.get(c) === file) this.classes.delete(c);
    for (const [name] of old.reexports) this.reexports.delete(`${old.moduleName}.${name}`);
    if (notify) this.changed();
  }

  private changed(): void {
    this.version++;
    this.chains = new Map();
    this.workloads = new Map();
    this.leads = new Map();
  }

  get fileCount(): number {
    return this.files.size;
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  /** Follows re-exports (`from .impl import fetch` in a package `__init__`). */
  canonical(qname: string): string {
    let q = qname;
    for (let i = 0; i < 5 && !this.functions.has(q) && !this.classes.has(q); i++) {
      const target = this.reexports.get(q);
      if (!target) {
        // A method reached through a re-exported class: pkg.Client.get -> pkg.impl.Client.get
        const dot = q.lastIndexOf('.');
        const owner = dot > 0 ? this.reexports.get(q.slice(0, dot)) : undefined;
        if (!owner) break;
        q = `${owner}${q.slice(dot)}`;
        continue;
      }
      q = target;
    }
    return q;
  }

  function(qname: string): FunctionSummary | undefined {
    return this.functions.get(this.canonical(qname));
  }

  /**
   * Whether a qualified name is a class of the project; `notIn`: leave out the classes of
   * that file (a file being linted knows its own from its model, and the workspace still
   * holds its last summary: a class renamed since would answer for the old name).
   */
  isClass(qname: string, notIn?: string): boolean {
    const file = this.classes.get(this.canonical(qname));
    return file !== undefined && file !== notIn;
  }

  /** How a sync function blocks, through its own calls or the functions it calls (shortest chain). */
  blockingChain(qname: string): BlockingChain | undefined {
    const fn = this.function(qname);
    if (!fn || fn.isAsync) return undefined;
    return this.chainFrom(fn, new Set(), 0) ?? undefined;
  }

  private chainFrom(fn: FunctionSummary, visiting: Set<string>, depth: number): BlockingChain | null {
    const memo = this.chains.get(fn.qname);
    if (memo !== undefined) return memo;
    if (visiting.has(fn.qname) || depth > MAX_DEPTH) return null;
    visiting.add(fn.qname);
    let best: BlockingChain | null = null;
    const direct = fn.blocking[0];
    if (direct) {
      best = {
        hops: [{ function: fn, file: fn.file, span: at(fn, direct.span), line: direct.line, text: `\`${short(fn.qname)}()\` calls \`${direct.qname.replace(/^builtins\./, '')}()\`` }],
        qname: direct.qname,
        code: direct.code,
      };
    } else {
      for (const call of fn.calls) {
        const callee = this.function(call.callee);
        if (!callee || callee.isAsync || call.awaited) continue;
        const rest = this.chainFrom(callee, visiting, depth + 1);
        if (rest && (!best || rest.hops.length + 1 < best.hops.length)) {
          best = {
            hops: [{ function: fn, file: fn.file, span: at(fn, call.span), line: call.line, text: `\`${short(fn.qname)}()\` calls \`${short(callee.qname)}()\`` }, ...rest.hops],
            qname: rest.qname,
            code: rest.code,
          };
        }
      }
    }
    visiting.delete(fn.qname);
    // Only complete answers are memoised; a cut-off by `visiting` may differ from another entry point.
    if (best || depth === 0) this.chains.set(fn.qname, best);
    return best;
  }

  /**
   * Whether a call of the function can add to its caller's blocking chain or workload: a
   * plain function (the chains and workloads do not go into coroutines) that blocks, or
   * whose workload has evidence.
   */
  leadsSomewhere(qname: string): boolean {
    const memo = this.leads.get(qname);
    if (memo !== undefined) return memo;
    // (Any depth: a superset of what the chains and workloads, cut at MAX_DEPTH, reach.)
    let found = false;
    const seen = new Set<string>();
    const queue = [qname];
    while (queue.length > 0 && !found) {
      const fn = this.function(queue.pop() as string);
      if (!fn || fn.isAsync || seen.has(fn.qname)) continue;
      seen.add(fn.qname);
      if (fn.blocking.length > 0 || fn.evidence.length > 0) found = true;
      for (const c of fn.calls) queue.push(c.callee);
    }
    this.leads.set(qname, found);
    return found;
  }

  /** The workload of a function, following the project functions it calls. */
  workload(qname: string): Workload {
    const fn = this.function(qname);
    if (!fn) return { verdict: 'unknown', evidence: [] };
    const memo = this.workloads.get(fn.qname);
    if (memo) return memo;
    const evidence: (Evidence & { file: string })[] = [];
    const seen = new Set<string>();
    const visit = (f: FunctionSummary, depth: number) => {
      if (seen.has(f.qname) || depth > MAX_DEPTH) return;
      seen.add(f.qname);
      for (const e of f.evidence) evidence.push({ ...e, span: at(f, e.span), file: f.file });
      for (const c of f.calls) {
        const callee = this.function(c.callee);
        if (callee && !callee.isAsync) visit(callee, depth + 1);
      }
    };
    visit(fn, 0);
    const has = (k: Evidence['kind']) => evidence.some((e) => e.kind === k);
    let verdict: Verdict = 'unknown';
    if (has('cpu')) verdict = has('io') ? 'mixed' : 'cpu';
    else if (has('io')) verdict = 'io';
    else if (has('gil-release')) verdict = 'native';
    const result = { verdict, evidence };
    this.workloads.set(fn.qname, result);
    return result;
  }

  /** All functions, for code lenses and tests. */
  allFunctions(): IterableIterator<FunctionSummary> {
    return this.functions.values();
  }
}
