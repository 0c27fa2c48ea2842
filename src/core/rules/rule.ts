// What a rule is: its metadata (code, name, severity, docs) and a check over a FileModel.
import type { Settings } from '../config/settings';
import type { BlockingEntry } from '../knowledge/blocking-calls';
import type { FileModel } from '../semantics/model';
import type { Resolver } from '../semantics/resolve';
import type { Workspace } from '../semantics/workspace';
import type { Finding, RuleMeta } from '../types';

export interface RuleContext {
  readonly model: FileModel;
  readonly resolver: Resolver;
  readonly settings: Settings;
  /** The project index (this file's summary is already in it). Cross-file questions go here. */
  readonly workspace: Workspace;
  /** Path of the file being linted, as given to the linter. */
  readonly file: string;
  /** User additions to the blocking-call catalogue (extend-blocking-calls). */
  readonly extraBlocking: ReadonlyMap<string, BlockingEntry>;
  /** Per-file memo shared by rules that build on the same analysis. */
  readonly memo: Map<string, unknown>;
  report(finding: Omit<Finding, 'severity'>): void;
  /**
   * Runs a check that needs the whole project's index. In the editor (and for a file linted
   * alone) it runs at once; in a project-wide CLI run it runs after every file is indexed,
   * when this file's tree is already gone. So the callback must use only plain data
   * captured beforehand (spans, names, fixes) — never a node, and not the context: it
   * reports through its `report` argument. A closure made where `ctx` is in scope can keep
   * the file's whole model alive until the end of the run (V8 shares one context object
   * among a function's closures), so make it in a module-level function that gets only
   * the plain data (see DeferredCheck).
   */
  defer(check: DeferredCheck): void;
}

/** A cross-file check, run against the complete index; it reports through `report`. */
export type DeferredCheck = (workspace: Workspace, report: (finding: Omit<Finding, 'severity'>) => void) => void;

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function memoised<T>(ctx: RuleContext, key: string, compute: () => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = compute();
  ctx.memo.set(key, value);
  return value;
}
