// The fuzz corpus: real Python to mutate. The CPython standard library (from the npm package
// `pyodide`'s python_stdlib.zip, or the copy `npm run bench` extracted into bench/.cache/),
// the annotated fixtures and the examples, plus any folders given with --corpus (files from
// outside the repository: `--no-stdlib --no-repo --corpus DIR` mutates only those).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readZip } from './zip';

export interface CorpusFile {
  /** Where it came from: `stdlib:asyncio/tasks.py`, `test/fixtures/...`. */
  name: string;
  bytes: Buffer;
}

export interface CorpusOptions {
  root: string;
  /** Include the standard library (default true). */
  stdlib?: boolean;
  /** Include the repository's Python: test/fixtures and examples (default true). */
  repo?: boolean;
  /** Extra folders of Python files. */
  extra?: readonly string[];
}

export function pyFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name === '.git') continue;
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) visit(p);
      else if (st.isFile() && (name.endsWith('.py') || name.endsWith('.pyi'))) out.push(p);
    }
  };
  visit(dir);
  return out;
}

export const STDLIB_ZIP = 'node_modules/pyodide/python_stdlib.zip';

/**
 * The standard library's .py files, in name order: from the folder `npm run bench` extracted
 * (bench/.cache/stdlib-VERSION, once complete), else straight from the same zip. Either way
 * the same files in the same order, so a seed means the same cases.
 */
export function stdlibFiles(root: string): { files: CorpusFile[]; from: string } {
  const zip = join(root, STDLIB_ZIP);
  let version = '';
  try {
    version = (JSON.parse(readFileSync(join(root, 'node_modules', 'pyodide', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // no pyodide package
  }
  const cache = join(root, 'bench', '.cache', `stdlib-${version}`);
  let files: CorpusFile[];
  let from: string;
  if (version && existsSync(join(cache, '.complete'))) {
    files = pyFilesUnder(cache)
      .filter((f) => f.endsWith('.py'))
      .map((f) => ({ name: `stdlib:${relative(cache, f).split(sep).join('/')}`, bytes: readFileSync(f) }));
    from = relative(root, cache);
  } else if (existsSync(zip)) {
    files = readZip(readFileSync(zip), (n) => n.endsWith('.py')).map((e) => ({ name: `stdlib:${e.name}`, bytes: e.data }));
    from = STDLIB_ZIP;
  } else {
    return { files: [], from: `(none: ${STDLIB_ZIP} missing; run npm ci)` };
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, from: `${from} (pyodide ${version})` };
}

export function loadCorpus(opts: CorpusOptions): { files: CorpusFile[]; sources: string[] } {
  const files: CorpusFile[] = [];
  const sources: string[] = [];
  if (opts.stdlib !== false) {
    const std = stdlibFiles(opts.root);
    files.push(...std.files);
    sources.push(`${std.files.length} stdlib files from ${std.from}`);
  }
  for (const dir of [...(opts.repo !== false ? ['test/fixtures', 'examples'] : []), ...(opts.extra ?? [])]) {
    const abs = resolve(opts.root, dir);
    const found = existsSync(abs) ? pyFilesUnder(abs) : [];
    for (const f of found) {
      const inside = relative(opts.root, f);
      files.push({ name: inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : f, bytes: readFileSync(f) });
    }
    sources.push(`${found.length} files from ${dir}`);
  }
  return { files, sources };
}
