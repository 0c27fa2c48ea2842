// Finds the Python files to lint under the paths given on the command line.
//
// Directories are walked recursively for `*.py` and `*.pyi`, skipping version-control and
// tool folders, virtual environments (any folder holding `pyvenv.cfg`), `exclude` patterns
// from the config and `.gitignore`d paths (nested .gitignore files too, and those of parent
// folders up to the repository root). As in Ruff, a file named explicitly on the command
// line is linted whatever its extension and even if excluded, unless `--force-exclude`.
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { readRegularFile } from './read-file';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface DiscoverOptions {
  cwd: string;
  /** Gitignore-syntax patterns, each set relative to its own folder (config file's, or cwd for flags). */
  exclude: readonly { patterns: readonly string[]; base: string }[];
  respectGitignore: boolean;
  /** Apply excludes to explicitly named files too. */
  forceExclude: boolean;
}

export interface Discovery {
  /** Absolute paths, deduplicated, in a stable order. */
  files: string[];
  /** Command-line paths that do not exist. */
  missing: string[];
  /** One-line messages about folders that could not be read. */
  warnings: string[];
}

const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', '.bzr', '.jj',
  'node_modules', '__pycache__', '__pypackages__', 'site-packages',
  '.venv', 'venv', '.tox', '.nox', '.eggs',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.pytype', '.ipynb_checkpoints',
]);
const PY_EXTENSIONS = new Set(['.py', '.pyi']);
const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

interface Matcher {
  base: string;
  ig: Ignore;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** `undefined` when `path` is not strictly inside `base`. */
function relInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || resolve(base, rel) !== path || /^[a-zA-Z]:/.test(rel)) return undefined;
  return toPosix(rel);
}

function loadGitignore(dir: string): Matcher | undefined {
  let text: string;
  try {
    text = readRegularFile(join(dir, '.gitignore')).toString('utf8');
  } catch {
    return undefined;
  }
  return { base: dir, ig: ignore({ ignorecase: IGNORE_CASE }).add(text) };
}

/**
 * Git semantics: the deepest .gitignore with a matching rule decides; a negation (`!x`) in
 * a deeper file re-includes what a shallower one excluded.
 */
function gitignored(chain: readonly Matcher[], path: string, isDir: boolean): boolean {
  for (let i = chain.length - 1; i >= 0; i--) {
    const rel = relInside(chain[i].base, path);
    if (rel === undefined) continue;
    const r = chain[i].ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

export class FileFilter {
  private readonly excludeMatchers: Matcher[];

  constructor(private readonly opts: DiscoverOptions) {
    this.excludeMatchers = opts.exclude
      .filter((e) => e.patterns.length > 0)
      .map((e) => ({ base: e.base, ig: ignore({ ignorecase: IGNORE_CASE }).add([...e.patterns]) }));
  }

  excluded(path: string, isDir: boolean): boolean {
    for (const m of this.excludeMatchers) {
      const rel = relInside(m.base, path);
      if (rel !== undefined && m.ig.ignores(isDir ? `${rel}/` : rel)) return true;
    }
    return false;
  }

  /**
   * .gitignore files of the folders above `dir`: up to the repository root inside a git
   * repository, else up to the working directory (never from unrelated folders above it).
   */
  parentGitignores(dir: string): Matcher[] {
    if (!this.opts.respectGitignore) return [];
    const chain: Matcher[] = [];
    let repoFound = existsSync(join(dir, '.git'));
    for (let cur = dirname(dir), prev = dir; !repoFound && cur !== prev; prev = cur, cur = dirname(cur)) {
      const m = loadGitignore(cur);
      if (m) chain.unshift(m);
      if (existsSync(join(cur, '.git'))) repoFound = true;
    }
    if (repoFound) return chain;
    const cwd = this.opts.cwd;
    return chain.filter((m) => m.base === cwd || relInside(cwd, m.base) !== undefined);
  }

  /** For an explicitly named path: does --force-exclude drop it? */
  explicitlyExcluded(path: string, isDir: boolean): boolean {
    if (!this.opts.forceExclude) return false;
    if (this.excluded(path, isDir)) return true;
    return this.opts.respectGitignore && gitignored(this.parentGitignores(path), path, isDir);
  }

  get respectGitignore(): boolean {
    return this.opts.respectGitignore;
  }
}

export function discoverFiles(paths: readonly string[], opts: DiscoverOptions): Discovery {
  const filter = new FileFilter(opts);
  const seen = new Set<string>();
  const out: Discovery = { files: [], missing: [], warnings: [] };
  const add = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      out.files.push(p);
    }
  };

  for (const given of paths) {
    const abs = resolve(opts.cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (err) {
      if (isNotFound(err)) out.missing.push(given);
      else add(abs); // exists but cannot be stat'ed: reading it reports why
      continue;
    }
    if (filter.explicitlyExcluded(abs, isDir)) continue;
    if (!isDir) add(abs);
    else walk(abs, filter, add, out.warnings);
  }
  return out;
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function walk(root: string, filter: FileFilter, add: (p: string) => void, warnings: string[]): void {
  // Depth-first with an explicit stack; each entry carries its .gitignore chain.
  const rootChain = filter.parentGitignores(root);
  // The root was named explicitly: parent rules that exclude it as a whole do not apply.
  const chainForRoot = gitignored(rootChain, root, true) ? [] : rootChain;
  const stack: { dir: string; chain: Matcher[] }[] = [{ dir: root, chain: chainForRoot }];
  while (stack.length) {
    const { dir, chain: parentChain } = stack.pop() as { dir: string; chain: Matcher[] };
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      warnings.push(`${dir}: cannot read folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped`);
      continue;
    }
    let chain = parentChain;
    if (filter.respectGitignore && entries.some((e) => e.name === '.gitignore')) {
      const m = loadGitignore(dir);
      if (m) chain = [...parentChain, m];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        // Linked files are linted; linked folders are not followed (no cycles, no escaping the tree).
        try {
          const st = statSync(p);
          isFile = st.isFile();
          isDir = false;
        } catch {
          isFile = PY_EXTENSIONS.has(extname(e.name)); // dangling: reading it reports why
        }
      }
      if (isDir) {
        if (SKIP_DIRS.has(e.name) || existsSync(join(p, 'pyvenv.cfg'))) continue;
        if (filter.excluded(p, true) || gitignored(chain, p, true)) continue;
        subdirs.push(p);
      } else if (isFile && PY_EXTENSIONS.has(extname(e.name))) {
        if (filter.excluded(p, false) || gitignored(chain, p, false)) continue;
        add(p);
      }
    }
    // Reverse so the stack pops folders in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], chain });
  }
}
