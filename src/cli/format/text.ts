// `path:row:col: CODE [*] message`, one line per finding, then a summary line.
import type { Severity } from '../../core/types';
import { fixApplies } from '../fix';
import { position, type FileReport, type RunSummary } from '../report';
import type { Palette } from './color';

function severityColor(p: Palette, s: Severity): (x: string) => string {
  if (s === 'error') return (x) => p.bold(p.red(x));
  if (s === 'warning') return (x) => p.bold(p.yellow(x));
  return (x) => p.bold(p.cyan(x));
}

export function formatText(reports: readonly FileReport[], summary: RunSummary, p: Palette, cwd?: string): string {
  // Steps in other files name them by path: shorten to the working directory, as the finding lines are.
  const shorten = (e: string) => (cwd ? e.split(`${cwd.replace(/\/$/, '')}/`).join('') : e);
  let out = '';
  for (const r of reports) {
    for (const f of r.findings) {
      const pos = position(r, f.span.start);
      const marker = fixApplies(f.fix, summary.fixLevel) ? ` ${p.cyan('[*]')}` : '';
      out += `${p.bold(r.displayPath)}${p.dim(':')}${pos.row}${p.dim(':')}${pos.column}${p.dim(':')} ${severityColor(p, f.severity)(f.code)}${marker} ${f.message}\n`;
      // A chain (CL109) or the loop behind an inference: one indented line per step.
      for (const e of f.evidence ?? []) out += `    ${p.dim('↳')} ${shorten(e)}\n`;
    }
  }
  return out;
}

const plural = (n: number) => `${n} finding${n === 1 ? '' : 's'}`;

export function summaryLine(reports: readonly FileReport[], summary: RunSummary, p: Palette): string {
  const findings = reports.flatMap((r) => r.findings);
  // "All checks passed!" would be a lie when a path was missing or the config was broken.
  const passed = summary.hadErrors ? 'No findings, but errors were reported above.' : p.green('All checks passed!');
  if (summary.fixed !== undefined) {
    const total = summary.fixed + findings.length;
    if (total === 0) return `${passed}\n`;
    return `Found ${plural(total)} (${summary.fixed} fixed, ${findings.length} remaining).\n`;
  }
  if (findings.length === 0) return `${passed}\n`;
  const fixable = findings.filter((f) => fixApplies(f.fix, summary.fixLevel)).length;
  const unsafeOnly = summary.fixLevel === 'safe' ? findings.filter((f) => f.fix && f.fix.applicability === 'unsafe').length : 0;
  const parts: string[] = [];
  if (fixable) parts.push(`${fixable} fixable with --fix${summary.fixLevel === 'unsafe' ? ' --unsafe-fixes' : ''}`);
  if (unsafeOnly) parts.push(`${unsafeOnly} more with --fix --unsafe-fixes`);
  return `Found ${plural(findings.length)}${parts.length ? ` (${parts.join('; ')})` : ''}.\n`;
}
