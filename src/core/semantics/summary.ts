// Per-file summaries for the workspace index: each function's own blocking calls, the
// project functions it calls, and the local evidence of its workload. Small and plain
// data, so the index keeps them for every file without keeping trees.
import type { Node } from '../parse/syntax';
import { lookupBlocking } from '../knowledge/blocking-calls';
import type { Span } from '../types';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { loopEvidence, isGilReleasing } from './workload';
import { comprehensionEvidence, outermostComprehensions } from './comprehension-evidence';
import { calleesOf } from './origin';

export interface CallRef {
  span: Span;
  /** 1-based line of the call. */
  line: number;
  /** Resolved qualified name of the callee. */
  callee: string;
  awaited: boolean;
}

export interface BlockingRef {
  span: Span;
  line: number;
  qname: string;
  code: string;
}

export type EvidenceKind = 'cpu' | 'io' | 'gil-release';

export interface Evidence {
  kind: EvidenceKind;
  span: Span;
  /** "loop at line 12 computes without waiting", "`requests.get()` at line 5". */
  text: string;
}

/**
 * One function's summary. The spans of its `blocking`, `calls` and `evidence` are counted
 * from the start of the function (`span.start`): an edit before it moves only `span` and
 * `nameSpan` (see incremental.ts); `at` gives their place in the file.
 */
export interface FunctionSummary {
  qname: string;
  file: string;
  isAsync: boolean;
  /** Defined inside another function: cannot be pickled for a process pool. */
  nested: boolean;
  span: Span;
  nameSpan: Span;
  /** 1-based line of the `def`. */
  line: number;
  /** Decorator names, last dotted part without call arguments (`lru_cache`, `asynccontextmanager`). */
  decorators: string[];
  /** An `async def` that yields: calling it makes an async generator, not a coroutine. */
  isAsyncGenerator: boolean;
  blocking: BlockingRef[];
  calls: CallRef[];
  evidence: Evidence[];
}

export interface FileSummary {
  file: string;
  moduleName: string;
  functions: FunctionSummary[];
  classes: string[];
  /** Module-level names bound by import (re-exports: `from .impl import fetch`). */
  reexports: [string, string][];
}

function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

/** Where a span of a function's `blocking`, `calls` or `evidence` lies in its file. */
export function at(f: FunctionSummary, span: Span): Span {
  return { start: f.span.start + span.start, end: f.span.start + span.end };
}

/** A span counted from `base`. */
function from(base: number, s: Span): Span {
  return { start: s.start - base, end: s.end - base };
}

/** A node's span in its function's bucket (counted from the function's start: see FunctionSummary). */
function within(b: Bucket, n: Node): Span {
  return { start: n.startIndex - b.base, end: n.endIndex - b.base };
}

function decoratorNames(def: Node): string[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  const out: string[] = [];
  for (const d of parent.namedChildren) {
    if (d?.type !== 'decorator') continue;
    let expr: Node | null | undefined = d.firstNamedChild;
    if (expr?.type === 'call') expr = expr.childForFieldName('function');
    const text = expr?.text ?? '';
    out.push(text.slice(text.lastIndexOf('.') + 1));
  }
  return out;
}

/**
 * What a summary keeps per function: the index reads the first blocking call (the chain it
 * reports), each callee once, and shows a few pieces of evidence. A generated function with
 * 70,000 `time.sleep` calls gets a summary of the same size as one with three.
 */
export const MAX_BLOCKING_REFS = 4;
export const MAX_EVIDENCE_PER_KIND = 12;

interface Bucket {
  /** The function's start: the spans below are counted from it. */
  base: number;
  blocking: BlockingRef[];
  calls: CallRef[];
  evidence: Evidence[];
  /** `callee` + awaited flag of the calls kept. */
  callKeys: Set<string>;
  counts: Record<EvidenceKind, number>;
}

/** Loops and comprehensions give CPU evidence only: none is looked for once it is full. */
function cpuEvidenceFull(b: Bucket): boolean {
  return b.counts.cpu >= MAX_EVIDENCE_PER_KIND;
}

/** Room for one more piece of evidence of this kind (counts it). */
function roomFor(b: Bucket, kind: EvidenceKind): boolean {
  return b.counts[kind]++ < MAX_EVIDENCE_PER_KIND;
}

/**
 * The summaries of the functions of a model; of a view (`FileModel.within`: an incremental
 * lint's ranges, see incremental.ts), those of the functions defined in its ranges only.
 */
export function summarize(model: FileModel, resolver: Resolver, file: string): FileSummary {
  const only = model.ranges;
  const byScope = new Map<Scope, Bucket>();
  const bucket = (s: Scope) => {
    let b = byScope.get(s);
    if (!b) byScope.set(s, (b = { base: s.node.startIndex, blocking: [], calls: [], evidence: [], callKeys: new Set(), counts: { cpu: 0, io: 0, 'gil-release': 0 } }));
    return b;
  };
  const callees = calleesOf(model, resolver);
  for (let i = 0; i < model.calls.length; i++) {
    const call = model.calls[i];
    const scope = model.scopeAt(call);
    if (scope.kind !== 'function') continue;
    const qname = callees.qnames[i];
    if (!qname) continue;
    const b = bucket(scope);
    const hit = lookupBlocking(qname);
    if (hit && hit.entry.code !== 'CL110') {
      const line = call.startPosition.row + 1;
      if (b.blocking.length < MAX_BLOCKING_REFS) b.blocking.push({ span: within(b, call), line, qname: hit.name, code: hit.entry.code });
      if (roomFor(b, 'io')) b.evidence.push({ kind: 'io', span: within(b, call), text: `\`${qname.replace(/^builtins\./, '')}()\` at line ${line} waits for I/O` });
    } else if (isGilReleasing(qname)) {
      // `hashlib.sha256(data).hexdigest()`: the constructor call speaks for the chain.
      const fn = call.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('object')?.type === 'call') continue;
      if (roomFor(b, 'gil-release')) b.evidence.push({ kind: 'gil-release', span: within(b, call), text: `\`${qname}()\` at line ${call.startPosition.row + 1} runs native code that releases the GIL` });
    } else if (!hit) {
      const awaited = call.parent?.type === 'await';
      const key = awaited ? `${qname} await` : qname;
      if (!b.callKeys.has(key)) {
        b.callKeys.add(key);
        b.calls.push({ span: within(b, call), line: call.startPosition.row + 1, callee: qname, awaited });
      }
    }
  }
  for (const type of ['await'] as const) {
    for (const n of model.nodesOfType(type)) {
      const scope = model.scopeAt(n);
      if (scope.kind !== 'function') continue;
      const b = bucket(scope);
      if (roomFor(b, 'io')) b.evidence.push({ kind: 'io', span: within(b, n), text: `\`await\` at line ${n.startPosition.row + 1}` });
    }
  }
  for (const type of ['for_statement', 'while_statement'] as const) {
    for (const loop of model.nodesOfType(type)) {
      const scope = model.scopeAt(loop);
      if (scope.kind !== 'function') continue;
      const b = bucket(scope);
      if (cpuEvidenceFull(b)) continue;
      const ev = loopEvidence(model, resolver, loop);
      if (ev && roomFor(b, ev.kind)) b.evidence.push({ ...ev, span: from(b.base, ev.span) });
    }
  }
  // `sum(i * i for i in range(n))` computes as surely as a loop does.
  for (const comp of outermostComprehensions(model)) {
    const scope = model.scopeAt(comp);
    if (scope.kind !== 'function') continue;
    const b = bucket(scope);
    if (cpuEvidenceFull(b)) continue;
    const ev = comprehensionEvidence(model, resolver, comp);
    if (ev && roomFor(b, ev.kind)) b.evidence.push({ ...ev, span: from(b.base, ev.span) });
  }
  const functions: FunctionSummary[] = [];
  for (const [qname, scope] of model.functions) {
    const node = scope.node;
    if (only && !only.some((r) => node.startIndex >= r.start && node.startIndex < r.end)) continue;
    const name = node.childForFieldName('name') ?? node;
    // (The bucket's bookkeeping, callKeys and counts, stays out of the summary.)
    const { blocking, calls, evidence } = bucket(scope);
    const b = { blocking, calls, evidence };
    // Recursion with arithmetic is CPU work even without a loop (fib, ackermann).
    if (b.calls.some((c) => c.callee === qname) && node.descendantsOfType('binary_operator').length > 0 && !b.evidence.some((e) => e.kind === 'io')) {
      b.evidence.push({ kind: 'cpu', span: from(node.startIndex, spanOf(name)), text: `\`${name.text}\` calls itself recursively (line ${node.startPosition.row + 1})` });
    }
    functions.push({
      decorators: decoratorNames(node),
      isAsyncGenerator: scope.isAsync && node.descendantsOfType('yield').some((y) => !!y && model.scopeAt(y) === scope),
      qname,
      file,
      isAsync: scope.isAsync,
      nested: scope.parent?.kind === 'function' || scope.parent?.kind === 'lambda',
      span: spanOf(node),
      nameSpan: spanOf(name),
      line: node.startPosition.row + 1,
      ...b,
    });
  }
  const reexports: [string, string][] = [];
  for (const [name, bindings] of model.module.bindings) {
    const b = bindings[0];
    if (bindings.length === 1 && b.kind === 'import') reexports.push([name, b.qname]);
  }
  return { file, moduleName: model.moduleName, functions, classes: [...model.classes.keys()], reexports };
}
