// Choosing and applying fixes, shared by `--fix`, the editor's fix-all and the tests.
import { applyEdits } from '../text';
import type { Finding, Fix, TextEdit } from '../types';

export type FixLevel = 'safe' | 'unsafe';

export function fixApplies(fix: Fix | undefined, level: FixLevel): fix is Fix {
  return !!fix && fix.edits.length > 0 && (fix.applicability === 'safe' || level === 'unsafe');
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.content === b.content;
}

function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  // Two insertions (or an insertion and a replacement) at the same point: order would be a guess.
  return a.start === b.start;
}

/**
 * Picks fixes whose edits do not touch each other. An edit identical to one already taken
 * (two fixes both adding `import asyncio` at the top) is shared, not a conflict. The rest
 * wait for the next pass, after re-linting the changed text.
 */
export function selectFixes(findings: readonly Finding[], level: FixLevel): { edits: TextEdit[]; count: number } {
  const candidates = findings
    .map((f) => f.fix)
    .filter((fix): fix is Fix => fixApplies(fix, level))
    .map((fix) => ({ fix, start: Math.min(...fix.edits.map((e) => e.start)) }))
    .sort((a, b) => a.start - b.start);
  const taken: TextEdit[] = [];
  let count = 0;
  for (const { fix } of candidates) {
    const fresh: TextEdit[] = [];
    let ok = true;
    for (const e of fix.edits) {
      if (taken.some((t) => sameEdit(t, e)) || fresh.some((t) => sameEdit(t, e))) continue;
      if (taken.some((t) => conflicts(t, e))) {
        ok = false;
        break;
      }
      fresh.push(e);
    }
    if (!ok) continue;
    taken.push(...fresh);
    count++;
  }
  return { edits: taken, count };
}

export interface LintSnapshot {
  findings: readonly Finding[];
  /** False when the text has syntax errors. */
  parses: boolean;
}

export interface FixLoopResult {
  text: string;
  fixed: number;
  /** Set when a pass was rolled back because it broke the syntax (a bug in a fix). */
  rolledBack: boolean;
  last: LintSnapshot;
}

/**
 * Applies every non-conflicting fix, re-lints, and repeats until nothing applies (at most
 * `maxPasses`). `transform` lets the caller adapt edits (line endings) before applying.
 */
export function runFixLoop(
  text: string,
  first: LintSnapshot,
  lint: (text: string) => LintSnapshot,
  level: FixLevel,
  transform: (edits: TextEdit[]) => TextEdit[] = (e) => e,
  maxPasses = 10,
): FixLoopResult {
  let current = text;
  let result = first;
  let fixed = 0;
  let rolledBack = false;
  for (let pass = 0; pass < maxPasses; pass++) {
    const { edits, count } = selectFixes(result.findings, level);
    if (count === 0) break;
    const next = applyEdits(current, transform(edits));
    if (next === current) break;
    const after = lint(next);
    if (result.parses && !after.parses) {
      rolledBack = true;
      break;
    }
    current = next;
    result = after;
    fixed += count;
  }
  return { text: current, fixed, rolledBack, last: result };
}
