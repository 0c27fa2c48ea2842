// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
import type { Severity } from '../../core/types';
import { position, posixPath, type FileReport } from '../report';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

// Escaping as the Actions runner expects: data escapes %, CR, LF; property values also : and ,.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(reports: readonly FileReport[]): string {
  let out = '';
  for (const r of reports) {
    const file = escapeProperty(posixPath(r.displayPath));
    for (const f of r.findings) {
      const start = position(r, f.span.start);
      const end = position(r, f.span.end);
      out +=
        `::${LEVEL[f.severity]} file=${file},line=${start.row},col=${start.column},` +
        `endLine=${end.row},endColumn=${end.column},title=${escapeProperty(f.code)}::` +
        `${escapeData(f.message)}\n`;
    }
  }
  return out;
}
