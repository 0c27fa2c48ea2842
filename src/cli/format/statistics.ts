// `--statistics`: how many findings per code, most frequent first.
import type { RuleMeta } from '../../core/types';
import { fixApplies, type FixLevel } from '../fix';
import type { FileReport } from '../report';

export interface CodeCount {
  code: string;
  name: string;
  count: number;
  fixable: boolean;
}

export function countByCode(reports: readonly FileReport[], lookup: (code: string) => RuleMeta | undefined, level: FixLevel): CodeCount[] {
  const counts = new Map<string, CodeCount>();
  for (const r of reports) {
    for (const f of r.findings) {
      let c = counts.get(f.code);
      if (!c) {
        c = { code: f.code, name: lookup(f.code)?.name ?? '', count: 0, fixable: false };
        counts.set(f.code, c);
      }
      c.count++;
      if (fixApplies(f.fix, level)) c.fixable = true;
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

export function formatStatistics(counts: readonly CodeCount[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(counts, null, 2)}\n`;
  const width = Math.max(1, ...counts.map((c) => String(c.count).length));
  return counts.map((c) => `${String(c.count).padStart(width)}\t${c.code}\t${c.fixable ? '[*] ' : '    '}${c.name}\n`).join('');
}
