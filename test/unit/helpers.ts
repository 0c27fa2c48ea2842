// Shared test helpers: one Linter per test process (the wasm files sit next to the bundle).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from '../../src/core/linter';

let linter: Promise<Linter> | undefined;
export function getLinter(): Promise<Linter> {
  linter ??= Linter.create();
  return linter;
}

/** test/fixtures, found from the repository root (tests run from it). */
export const FIXTURES = join(process.cwd(), 'test', 'fixtures');

export function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}
