// The Ruff-shaped JSON array of DESIGN §4: rows and columns 1-based, columns in code points,
// `filename` absolute (Ruff's convention), end positions exclusive.
import { ruleUrl, type Finding } from '../../core/types';
import { position, type FileReport, type Position } from '../report';

export interface JsonEdit {
  content: string;
  location: Position;
  end_location: Position;
}

export interface JsonFinding {
  code: string;
  message: string;
  severity: string;
  filename: string;
  location: Position;
  end_location: Position;
  fix: null | { message: string; applicability: string; edits: JsonEdit[] };
  url: string;
}

export function toJsonFinding(r: FileReport, f: Finding): JsonFinding {
  return {
    code: f.code,
    message: f.message,
    severity: f.severity,
    filename: r.path,
    location: position(r, f.span.start),
    end_location: position(r, f.span.end),
    fix: f.fix
      ? {
          message: f.fix.title,
          applicability: f.fix.applicability,
          edits: [...f.fix.edits]
            .sort((a, b) => a.start - b.start || a.end - b.end)
            .map((e) => ({ content: e.content, location: position(r, e.start), end_location: position(r, e.end) })),
        }
      : null,
    url: ruleUrl(f.code),
  };
}

export function formatJson(reports: readonly FileReport[]): string {
  const all = reports.flatMap((r) => r.findings.map((f) => toJsonFinding(r, f)));
  return `${JSON.stringify(all, null, 2)}\n`;
}
