// Shared test helpers: one Linter per test process (the wasm files sit next to the bundle).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { completeLint, Linter } from '../../src/core/linter';
import { Workspace } from '../../src/core/semantics/workspace';
import type { Finding } from '../../src/core/types';

let linter: Promise<Linter> | undefined;
export function getLinter(): Promise<Linter> {
  linter ??= Linter.create();
  return linter;
}

/** A small seeded generator (mulberry32): the same sequence on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

export interface Source {
  file: string;
  moduleName: string;
  text: string;
}

/** Lints every file once to fill the index, then again for the findings. */
export function lintProject(linter: Linter, sources: readonly Source[]): Map<string, Finding[]> {
  const workspace = new Workspace();
  for (const s of sources) linter.lintText(s.text, s.file, {}, { moduleName: s.moduleName, workspace });
  const out = new Map<string, Finding[]>();
  for (const s of sources) out.set(s.file, linter.lintText(s.text, s.file, {}, { moduleName: s.moduleName, workspace }).findings);
  return out;
}

/** One pass with the cross-file checks deferred until every file is in the index (as the CLI runs). */
export function lintDeferred(linter: Linter, sources: readonly Source[]): Map<string, Finding[]> {
  const workspace = new Workspace();
  const results = sources.map((s) => ({ s, r: linter.lintText(s.text, s.file, {}, { moduleName: s.moduleName, workspace, deferCrossFile: true }) }));
  return new Map(results.map(({ s, r }) => [s.file, completeLint(r, workspace).findings]));
}
