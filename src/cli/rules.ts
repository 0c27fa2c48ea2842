// `conclens rules [--format json]`: the rule catalogue.
import { ruleUrl, type RuleMeta } from '../core/types';

export interface RuleListing {
  code: string;
  name: string;
  summary: string;
  severity: string;
  fixable: boolean;
  url: string;
}

export function listRules(metas: readonly RuleMeta[]): RuleListing[] {
  return [...metas]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((m) => ({ code: m.code, name: m.name, summary: m.summary, severity: m.severity, fixable: m.fixable, url: ruleUrl(m.code) }));
}

export function formatRules(metas: readonly RuleMeta[], format: 'text' | 'json'): string {
  const rows = listRules(metas);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return 'No rules are registered.\n';
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const sevWidth = Math.max(...rows.map((r) => r.severity.length));
  return rows
    .map((r) => `${r.code}  ${r.name.padEnd(nameWidth)}  ${r.severity.padEnd(sevWidth)}  ${r.fixable ? 'fix' : '   '}  ${r.summary}\n`)
    .join('');
}
