// "Fix all": apply every safe fix, re-lint, repeat until nothing changes. Each pass takes the
// fixes whose edits do not collide; the rest are picked up by the next pass on the new text
// (for example two fixes that both insert `import asyncio` at the same place).
import { applyEdits, type Finding, type TextEdit } from '../core/index';
import { selectFixes } from '../core/fixes/apply';

export const MAX_FIX_PASSES = 8;

/** The edits of the safe fixes that can be applied together in one pass (the same choice `--fix` makes). */
export function pickSafeEdits(findings: readonly Finding[]): TextEdit[] {
  return selectFixes(findings, 'safe').edits;
}

export interface FixAllResult {
  text: string;
  /** Passes that changed the text. */
  passes: number;
}

/** Applies safe fixes until a fixed point (or `maxPasses`). `lint` re-lints a text. */
export function fixAllText(text: string, lint: (text: string) => readonly Finding[], maxPasses = MAX_FIX_PASSES): FixAllResult {
  let passes = 0;
  let current = text;
  while (passes < maxPasses) {
    const edits = pickSafeEdits(lint(current));
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next === current) break;
    current = next;
    passes++;
  }
  return { text: current, passes };
}

/** One edit turning `before` into `after`: the differing middle, so the cursor and undo stay sane. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Do not split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { start, end: endBefore, content: after.slice(start, endAfter) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
