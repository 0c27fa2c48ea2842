// Finding -> vscode.Diagnostic. Offsets are UTF-16 code units, which is what
// `TextDocument.positionAt` takes, so no conversion is needed beyond that.
import * as vscode from 'vscode';
import { LineIndex, ruleUrl, type Finding, type RelatedInfo, type Settings, type Severity } from '../core/index';

export const SOURCE = 'conclens';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Converts offsets of a file other than the linted one (related information across files). */
export type OtherFileLocator = (file: string, span: { start: number; end: number }) => vscode.Location | undefined;

/** What placing a finding needs: an open document, or a file of the index that is not open. */
export interface PositionSource {
  readonly uri: vscode.Uri;
  positionAt(offset: number): vscode.Position;
}

export function toDiagnostic(document: PositionSource, finding: Finding, settings: Settings, locate: OtherFileLocator): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(finding.span.start), document.positionAt(finding.span.end));
  // The engine applies `severity` overrides too; repeating it here keeps the editor right
  // whichever layer the override reached.
  const severity = settings.severity?.[finding.code] ?? finding.severity;
  const d = new vscode.Diagnostic(range, finding.message, SEVERITY[severity] ?? vscode.DiagnosticSeverity.Warning);
  d.source = SOURCE;
  d.code = { value: finding.code, target: vscode.Uri.parse(ruleUrl(finding.code)) };
  if (finding.related && finding.related.length > 0) {
    d.relatedInformation = finding.related
      .map((r) => relatedInfo(document, r, locate))
      .filter((r): r is vscode.DiagnosticRelatedInformation => r !== undefined);
  }
  return d;
}

function relatedInfo(document: PositionSource, r: RelatedInfo, locate: OtherFileLocator): vscode.DiagnosticRelatedInformation | undefined {
  const location = r.file === undefined
    ? new vscode.Location(document.uri, new vscode.Range(document.positionAt(r.span.start), document.positionAt(r.span.end)))
    : locate(r.file, r.span);
  return location ? new vscode.DiagnosticRelatedInformation(location, r.message) : undefined;
}

/** Files (other than the linted one) that related information points into. */
export function relatedFiles(findings: readonly Finding[]): string[] {
  const files = new Set<string>();
  for (const f of findings) for (const r of f.related ?? []) if (r.file !== undefined) files.add(r.file);
  return [...files];
}

/**
 * Builds a locator for related files: open documents answer directly; others are read once.
 * `file` is a path as the engine reports it, resolved against the linted document's folder
 * when relative.
 */
export async function locatorFor(document: { readonly uri: vscode.Uri }, files: readonly string[]): Promise<OtherFileLocator> {
  const indexes = new Map<string, { uri: vscode.Uri; at: (offset: number) => vscode.Position }>();
  for (const file of files) {
    const uri = resolveFile(document.uri, file);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      indexes.set(file, { uri, at: (o) => open.positionAt(o) });
      continue;
    }
    try {
      const lines = new LineIndex(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      indexes.set(file, { uri, at: (o) => { const p = lines.position(o); return new vscode.Position(p.row, p.column); } });
    } catch {
      // An unreadable file just loses its related entry; the diagnostic itself stays.
    }
  }
  return (file, span) => {
    const idx = indexes.get(file);
    return idx ? new vscode.Location(idx.uri, new vscode.Range(idx.at(span.start), idx.at(span.end))) : undefined;
  };
}

export function resolveFile(base: vscode.Uri, file: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return vscode.Uri.parse(file);
  if (file.startsWith('/') || /^[a-z]:[\\/]/i.test(file)) return vscode.Uri.file(file);
  return vscode.Uri.joinPath(base, '..', file.replace(/\\/g, '/'));
}

export const noOtherFiles: OtherFileLocator = () => undefined;
