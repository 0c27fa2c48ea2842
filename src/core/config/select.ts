// Which rules run: select/ignore by code or prefix (`CL1`, `CL101`, `ALL`), Ruff-style:
// the longest matching prefix wins, so `select = ["CL1"]`, `ignore = ["CL101"]` keeps CL102.
import type { Settings } from './settings';

function matchLength(code: string, patterns: readonly string[] | undefined): number {
  let best = -1;
  for (const raw of patterns ?? []) {
    const p = raw.trim().toUpperCase();
    if (p === 'ALL') best = Math.max(best, 0);
    else if (p && code.startsWith(p)) best = Math.max(best, p.length);
  }
  return best;
}

export function isEnabled(code: string, settings: Settings): boolean {
  const selected = settings.select && settings.select.length > 0 ? matchLength(code, settings.select) : 0;
  // Disabled unless selected more specifically than it is ignored (a tie goes to ignore).
  return selected >= 0 && matchLength(code, settings.ignore) < selected;
}
