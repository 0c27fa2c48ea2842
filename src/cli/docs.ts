// Hidden `conclens docs --write DIR` (npm run docs): writes docs/rules/ from the rule
// sources, removing pages of rules that no longer exist. `--check` only compares.
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleMeta } from '../core/types';
import { renderRuleDocs } from '../core/rules/docs';

const GENERATED = /^CL\d+\.md$|^README\.md$/;

/** File names that differ between `dir` and what the rules generate (missing, stale, or extra). */
export function docsDrift(dir: string, metas: readonly RuleMeta[]): string[] {
  const want = renderRuleDocs(metas);
  const drift: string[] = [];
  for (const [name, text] of want) {
    let have: string | undefined;
    try {
      have = readFileSync(join(dir, name), 'utf8');
    } catch {
      have = undefined;
    }
    if (have !== text) drift.push(name);
  }
  for (const name of existing(dir)) if (!want.has(name)) drift.push(name);
  return drift.sort();
}

export function writeDocs(dir: string, metas: readonly RuleMeta[]): string[] {
  mkdirSync(dir, { recursive: true });
  const want = renderRuleDocs(metas);
  const changed = docsDrift(dir, metas);
  for (const name of changed) {
    const text = want.get(name);
    if (text === undefined) unlinkSync(join(dir, name));
    else writeFileSync(join(dir, name), text);
  }
  return changed;
}

function existing(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => GENERATED.test(n));
  } catch {
    return [];
  }
}
