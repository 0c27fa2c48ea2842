// A workspace that writes down what a file's first pass asked it, so that a run split over
// worker threads gives exactly the answers of a run in one thread.
//
// In one thread, files are linted in sorted order into one growing workspace: the first
// pass of file i sees the summaries of files 0..i-1 (and, once summarised, its own). A
// worker sees only the files it linted itself. Each worker therefore records every
// question its file asked (`isClass`, `function`, ...) and the answer; the main thread
// replays the questions in file order against the one-thread state and re-lints the rare
// file that would have got another answer. Answers are compared as fingerprints (JSON).
import type { FileSummary } from '../core/semantics/summary';
import { Workspace } from '../core/semantics/workspace';

/** [phase, method, arguments, answer]: phase 0 before the file's own summary was stored, 1 after. */
export type Query = [0 | 1, string, string, string];

const NOT_RECORDED = new Set(['constructor', 'update', 'remove']);

const fingerprints = new WeakMap<object, string>();

/** A stable text for an answer; objects are fingerprinted once (summaries are not changed after they are stored). */
export function fingerprint(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let f = fingerprints.get(value);
  if (f === undefined) fingerprints.set(value, (f = JSON.stringify(value)));
  return f;
}

function isIterator(v: unknown): v is IterableIterator<unknown> {
  return !!v && typeof v === 'object' && typeof (v as { next?: unknown }).next === 'function' && Symbol.iterator in v;
}

/** Every public question of Workspace (methods and getters), found on its prototype so new ones are covered too. */
function questions(): { name: string; getter: boolean }[] {
  const out: { name: string; getter: boolean }[] = [];
  for (const name of Object.getOwnPropertyNames(Workspace.prototype)) {
    if (NOT_RECORDED.has(name)) continue;
    const d = Object.getOwnPropertyDescriptor(Workspace.prototype, name);
    if (d?.get) out.push({ name, getter: true });
    else if (typeof d?.value === 'function') out.push({ name, getter: false });
  }
  return out;
}

export class RecordingWorkspace extends Workspace {
  log: Query[] = [];
  /** Summaries stored since the last `begin` (the linter stores the file's own once). */
  stored: FileSummary[] = [];
  private phase: 0 | 1 = 0;
  private depth = 0;

  constructor() {
    super();
    for (const q of questions()) {
      const proto = Workspace.prototype as unknown as Record<string, unknown>;
      if (q.getter) {
        const get = Object.getOwnPropertyDescriptor(Workspace.prototype, q.name)?.get as () => unknown;
        Object.defineProperty(this, q.name, { get: () => this.record(q.name, [], () => get.call(this)) });
      } else {
        const fn = proto[q.name] as (...args: unknown[]) => unknown;
        Object.defineProperty(this, q.name, { value: (...args: unknown[]) => this.record(q.name, args, () => fn.apply(this, args)) });
      }
    }
  }

  /** Starts a new file. */
  begin(): void {
    this.log = [];
    this.stored = [];
    this.phase = 0;
  }

  override update(summary: FileSummary): void {
    this.depth++;
    try {
      super.update(summary);
    } finally {
      this.depth--;
    }
    this.stored.push(summary);
    this.phase = 1;
  }

  private record(name: string, args: unknown[], call: () => unknown): unknown {
    // Only the outermost question counts: the workspace asks itself on the way.
    if (this.depth > 0) return call();
    this.depth++;
    try {
      let answer = call();
      let shown = answer;
      if (isIterator(answer)) {
        shown = [...answer];
        answer = (shown as unknown[])[Symbol.iterator]();
      }
      this.log.push([this.phase, name, JSON.stringify(args), fingerprint(shown)]);
      return answer;
    } finally {
      this.depth--;
    }
  }
}

/** Asks `ws` the logged questions of one phase; true when every answer is the same. */
export function sameAnswers(ws: Workspace, log: readonly Query[], phase: 0 | 1): boolean {
  const target = ws as unknown as Record<string, unknown>;
  for (const [p, name, args, answer] of log) {
    if (p !== phase) continue;
    const member = target[name];
    let value: unknown = typeof member === 'function' ? (member as (...a: unknown[]) => unknown).apply(ws, JSON.parse(args) as unknown[]) : member;
    if (isIterator(value)) value = [...value];
    if (fingerprint(value) !== answer) return false;
  }
  return true;
}
