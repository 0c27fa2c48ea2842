// Which files of a project depend on which: the names each file imports or calls (from its
// summary), indexed by every dotted prefix, so "who uses module `pkg.helpers`?" is one
// lookup. When a file's summary changes, the files that (transitively) depend on its
// module are the ones whose cross-file findings may change. No `vscode` here.
import type { FileSummary } from '../core/index';

/** Qualified names a file refers to: its imports and the project functions it calls. */
export function referencedNames(summary: FileSummary): Set<string> {
  const out = new Set<string>();
  for (const [, target] of summary.reexports) out.add(target);
  for (const fn of summary.functions) for (const call of fn.calls) out.add(call.callee);
  return out;
}

function prefixes(qname: string): string[] {
  const parts = qname.split('.');
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

export interface DependentsOptions {
  /** How many import hops to follow (a CL109 chain is followed this deep). */
  maxDepth?: number;
  /** Stop after this many files. */
  cap?: number;
}

export class ModuleGraph {
  private readonly moduleOfFile = new Map<string, string>();
  private readonly prefixesOfFile = new Map<string, string[]>();
  /** Dotted prefix of a referenced name -> files referring to it. */
  private readonly users = new Map<string, Set<string>>();

  get size(): number {
    return this.moduleOfFile.size;
  }

  setFile(summary: FileSummary): void {
    this.removeFile(summary.file);
    this.moduleOfFile.set(summary.file, summary.moduleName);
    const all = new Set<string>();
    for (const name of referencedNames(summary)) for (const p of prefixes(name)) all.add(p);
    const list = [...all];
    this.prefixesOfFile.set(summary.file, list);
    for (const p of list) {
      let set = this.users.get(p);
      if (!set) this.users.set(p, (set = new Set()));
      set.add(summary.file);
    }
  }

  removeFile(file: string): void {
    this.moduleOfFile.delete(file);
    for (const p of this.prefixesOfFile.get(file) ?? []) {
      const set = this.users.get(p);
      set?.delete(file);
      if (set?.size === 0) this.users.delete(p);
    }
    this.prefixesOfFile.delete(file);
  }

  moduleOf(file: string): string | undefined {
    return this.moduleOfFile.get(file);
  }

  /** Files that refer to `module` or to a name inside it. */
  usersOf(module: string): ReadonlySet<string> {
    return this.users.get(module) ?? new Set();
  }

  /**
   * Files whose findings may change when `changed` change: those that refer to the changed
   * files' modules, then those that refer to theirs, up to `maxDepth` hops. Extra
   * `modules` (a file that was removed, whose module the graph no longer knows) count as
   * changed too. The changed files themselves are not in the answer.
   */
  dependents(changed: Iterable<string>, options: DependentsOptions = {}, modules: Iterable<string> = []): string[] {
    const maxDepth = options.maxDepth ?? 8;
    const cap = options.cap ?? Infinity;
    const seeds = new Set(changed);
    const out: string[] = [];
    const seen = new Set<string>(seeds);
    let frontier = new Set<string>(modules);
    for (const f of seeds) {
      const m = this.moduleOfFile.get(f);
      if (m) frontier.add(m);
    }
    for (let depth = 0; depth < maxDepth && frontier.size > 0; depth++) {
      const next = new Set<string>();
      for (const module of frontier) {
        for (const user of this.usersOf(module)) {
          if (seen.has(user)) continue;
          seen.add(user);
          out.push(user);
          if (out.length >= cap) return out;
          const m = this.moduleOfFile.get(user);
          if (m) next.add(m);
        }
      }
      frontier = next;
    }
    return out;
  }
}
