// Module names of project files, found the way Python finds packages: a directory with an
// `__init__.py` is a package, and the first directory above a file that is not one is the
// source root (so `src/` layouts and plain script folders both work without configuration).
import { moduleNameOf } from './model';

export interface ModuleIdentity {
  moduleName: string;
  isPackage: boolean;
}

function splitPath(path: string): { dir: string; base: string } {
  const p = path.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i === -1 ? { dir: '', base: p } : { dir: p.slice(0, i), base: p.slice(i + 1) };
}

/**
 * `hasInit(dir)` tells whether `dir/__init__.py` exists; `roots` (absolute, optional) are
 * configured source roots that win over the package walk.
 */
export function moduleIdentity(path: string, hasInit: (dir: string) => boolean, roots: readonly string[] = []): ModuleIdentity {
  const norm = path.replace(/\\/g, '/');
  for (const root of roots) {
    const r = root.replace(/\\/g, '/').replace(/\/$/, '');
    if (norm.startsWith(`${r}/`)) return moduleNameOf(norm.slice(r.length + 1));
  }
  let { dir, base } = splitPath(norm);
  const parts = [base];
  for (let i = 0; i < 64 && dir && hasInit(dir); i++) {
    const up = splitPath(dir);
    parts.unshift(up.base);
    dir = up.dir;
  }
  return moduleNameOf(parts.join('/'));
}
