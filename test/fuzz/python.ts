// CPython as a second parser: a fixed text must still compile where the original did.
// Runs one `python3` process per batch; skipped (with a note) when python3 is missing.
import { spawnSync } from 'node:child_process';
import type { FixedPair } from './properties';

const SCRIPT = `
import json, sys, warnings
warnings.simplefilter("ignore")
def ok(src):
    try:
        compile(src, "<fuzz>", "exec", 1024, dont_inherit=True)  # ast.PyCF_ONLY_AST
        return None
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        return "%s: %s (line %s)" % (type(e).__name__, e.msg if hasattr(e, "msg") else e, getattr(e, "lineno", "?"))
out = []
for i, p in enumerate(json.load(sys.stdin)):
    if ok(p["before"]) is None:
        err = ok(p["after"])
        if err is not None:
            out.append({"index": i, "error": err})
json.dump(out, sys.stdout)
`;

let available: boolean | undefined;
export function pythonVersion(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' });
  available = r.status === 0;
  return available ? r.stdout.trim() : undefined;
}

export interface CpythonResult {
  checked: number;
  skipped?: string;
  broken: { label: string; error: string }[];
}

export function checkWithCpython(pairs: readonly FixedPair[]): CpythonResult {
  if (available === undefined) pythonVersion();
  if (!available) return { checked: 0, skipped: 'python3 not found', broken: [] };
  // Texts CPython cannot see as source (lone surrogates do not survive JSON as UTF-8) are left out.
  const usable = pairs.filter((p) => p.before.length + p.after.length < 4_000_000 && !/[\ud800-\udfff]/u.test(p.before + p.after));
  if (usable.length === 0) return { checked: 0, broken: [] };
  const r = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(usable.map(({ before, after }) => ({ before, after }))),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.status !== 0) return { checked: 0, skipped: `python3 failed: ${(r.stderr || String(r.error)).split('\n').slice(-2).join(' ')}`, broken: [] };
  const out = JSON.parse(r.stdout) as { index: number; error: string }[];
  return { checked: usable.length, broken: out.map((o) => ({ label: usable[o.index].label, error: o.error })) };
}
