// `# noqa` and `# noqa: CL101, CL102` comments, by row. Case-insensitive like Ruff.
import type { Node } from '../parse/syntax';

/** row -> codes suppressed on it; `'all'` for a bare `# noqa`. */
export type NoqaMap = Map<number, Set<string> | 'all'>;

const NOQA = /#\s*noqa(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/i;

export function parseNoqa(comment: Node, into: NoqaMap): void {
  const m = NOQA.exec(comment.text);
  if (!m) return;
  const row = comment.startPosition.row;
  if (!m[1]) {
    into.set(row, 'all');
    return;
  }
  const prev = into.get(row);
  if (prev === 'all') return;
  const set = prev ?? new Set<string>();
  for (const code of m[1].split(/[\s,]+/)) if (code) set.add(code.toUpperCase());
  into.set(row, set);
}

export function isSuppressed(noqa: NoqaMap, rows: readonly number[], code: string): boolean {
  for (const row of rows) {
    const entry = noqa.get(row);
    if (entry === 'all' || entry?.has(code)) return true;
  }
  return false;
}
