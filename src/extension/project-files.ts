// Which files of a workspace folder the background index reads, and the package layout
// that gives them module names. No `vscode` here: project-index.ts passes URIs as strings.
import ignore, { type Ignore } from 'ignore';
import { moduleIdentity, type ModuleIdentity } from '../core/index';

export const PYTHON_GLOB = '**/*.{py,pyi}';

/** Folders never indexed (the CLI skips the same ones): VCS, dependencies, caches, virtual environments. */
export const SKIPPED_FOLDERS: readonly string[] = [
  '.git', '.hg', '.svn', '.bzr', '.jj',
  'node_modules', '__pycache__', '__pypackages__', 'site-packages',
  '.venv', 'venv', '.tox', '.nox', '.eggs',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.pytype', '.ipynb_checkpoints',
];

/**
 * The exclude glob for `workspace.findFiles`: the skipped folders plus `extra` patterns
 * (`files.exclude`). A given exclude replaces VS Code's default `files.exclude`, so those
 * come in here; patterns with their own `{...}` group are left out (globs do not nest).
 */
export function excludeGlob(extra: readonly string[] = []): string {
  const patterns = SKIPPED_FOLDERS.map((f) => `**/${f}/**`);
  for (const p of extra) if (p && !/[{}]/.test(p) && !patterns.includes(p)) patterns.push(p);
  return `{${patterns.join(',')}}`;
}

function posix(path: string): string {
  return path.replace(/\\/g, '/');
}

function dirOf(path: string): string {
  const p = posix(path);
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

function baseOf(path: string): string {
  const p = posix(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Whether a path (relative to the folder, `/`-separated) passes through a skipped folder. */
export function inSkippedFolder(relativePath: string): boolean {
  const parts = posix(relativePath).split('/');
  parts.pop();
  return parts.some((p) => SKIPPED_FOLDERS.includes(p));
}

/** Whether `path` lies below one of `dirs` (virtual environments found by their pyvenv.cfg). */
export function underAny(path: string, dirs: ReadonlySet<string>): boolean {
  for (let d = dirOf(path); d; d = dirOf(d)) if (dirs.has(d)) return true;
  return false;
}

/**
 * A stub (`mod.pyi`) beside its source (`mod.py`) names the same module with empty bodies:
 * indexing both would let the stub hide what the source does. Keeps the source.
 */
export function withoutShadowedStubs<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  const paths = new Set(items.map(pathOf));
  return items.filter((item) => {
    const p = pathOf(item);
    return !(p.endsWith('.pyi') && paths.has(p.slice(0, -1)));
  });
}

/** `[tool.conclens] exclude` patterns (gitignore syntax), relative to the pyproject.toml's folder. */
export class ExcludeMatcher {
  private readonly ig: Ignore;

  constructor(readonly base: string, patterns: readonly string[]) {
    this.ig = ignore().add([...patterns]);
  }

  /** `path` is absolute (in the same form as `base`); paths outside `base` are never excluded. */
  excludes(path: string): boolean {
    const base = posix(this.base).replace(/\/$/, '');
    const p = posix(path);
    if (!p.startsWith(`${base}/`)) return false;
    const rel = p.slice(base.length + 1);
    return rel !== '' && this.ig.ignores(rel);
  }
}

/**
 * Where the `__init__.py` files are, so each file gets its module name the way Python
 * finds packages (moduleIdentity): `hasInit(dir)` is a set lookup over the indexed files.
 */
export class PackageLayout {
  /** Folder -> number of `__init__.py` / `__init__.pyi` files in it. */
  private readonly inits = new Map<string, number>();

  static isInit(path: string): boolean {
    const b = baseOf(path);
    return b === '__init__.py' || b === '__init__.pyi';
  }

  /** Returns whether the layout changed (the file is an `__init__`). */
  add(path: string): boolean {
    if (!PackageLayout.isInit(path)) return false;
    const d = dirOf(path);
    this.inits.set(d, (this.inits.get(d) ?? 0) + 1);
    return true;
  }

  remove(path: string): boolean {
    if (!PackageLayout.isInit(path)) return false;
    const d = dirOf(path);
    const n = (this.inits.get(d) ?? 0) - 1;
    if (n > 0) this.inits.set(d, n);
    else this.inits.delete(d);
    return true;
  }

  clear(): void {
    this.inits.clear();
  }

  hasInit(dir: string): boolean {
    return this.inits.has(posix(dir));
  }

  identity(path: string): ModuleIdentity {
    return moduleIdentity(path, (d) => this.inits.has(d));
  }
}
