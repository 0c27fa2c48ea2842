// Quick fixes and fix-all. Fixes were computed when linting and stored per diagnostic
// (FindingsStore); this provider only looks them up, so a lightbulb costs no re-lint.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/index';
import { suppressEdit, isNoopEdit } from '../core/fixes/suppress';
import type { FindingsStore } from './findings-store';
import { diagnosticKey } from './findings-store';
import { SOURCE } from './diagnostics';
import type { Linting } from './linting';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('conclens');
export const FIX_ALL_TITLE = 'Fix all auto-fixable Concurrency Lens problems';

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

function toWorkspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.content);
  return we;
}

export class CodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly store: FindingsStore,
    private readonly linting: Linting,
  ) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] | Promise<vscode.CodeAction[]> {
    const only = context.only;
    // `source.fixAll` (on save, or the Source Action menu) is the one request that re-lints.
    if (only?.contains(FIX_ALL_KIND)) return this.fixAll(document);
    if (only && !only.contains(vscode.CodeActionKind.QuickFix)) return [];
    return this.quickFixes(document, context.diagnostics);
  }

  private quickFixes(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    const fixes: vscode.CodeAction[] = [];
    const suppressions: vscode.CodeAction[] = [];
    const suppressed = new Set<string>();
    const uri = document.uri.toString();
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const code = diagnosticCode(diagnostic);
      if (!code) continue;
      const stored = this.store.get(uri, document.version, diagnosticKey(code, diagnostic.range, diagnostic.message));
      if (!stored) continue; // stale: the document changed since it was linted
      const fix = this.fixAction(document, diagnostic, stored.finding);
      if (fix) fixes.push(fix);
      const line = diagnostic.range.start.line;
      if (!suppressed.has(`${code}:${line}`)) {
        suppressed.add(`${code}:${line}`);
        const suppress = this.suppressAction(document, diagnostic, code, line);
        if (suppress) suppressions.push(suppress);
      }
    }
    // Fixes first, then "fix all" when there is more than this one, suppressions last.
    const all = this.fixAllQuickFix(document);
    return [...fixes, ...(all && fixes.length > 0 ? [all] : []), ...suppressions];
  }

  // Offered in the lightbulb as a command, so the menu opens without re-linting; the command
  // computes the edit when chosen.
  private fixAllQuickFix(document: vscode.TextDocument): vscode.CodeAction | undefined {
    const safe = this.store.all(document.uri.toString(), document.version).filter((s) => s.finding.fix?.applicability === 'safe');
    if (safe.length < 2) return undefined;
    const action = new vscode.CodeAction(FIX_ALL_TITLE, vscode.CodeActionKind.QuickFix);
    action.command = { command: 'conclens.fixAll', title: FIX_ALL_TITLE, arguments: [document.uri] };
    return action;
  }

  private fixAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: Finding): vscode.CodeAction | undefined {
    if (!finding.fix || finding.fix.edits.length === 0) return undefined;
    const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = toWorkspaceEdit(document, finding.fix.edits);
    action.isPreferred = finding.fix.applicability === 'safe';
    return action;
  }

  private suppressAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, code: string, line: number): vscode.CodeAction | undefined {
    const edit = suppressEdit(document.getText(), line, code);
    if (isNoopEdit(edit)) return undefined;
    const action = new vscode.CodeAction(`Suppress ${code} on this line`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = toWorkspaceEdit(document, [edit]);
    return action;
  }

  private async fixAll(document: vscode.TextDocument): Promise<vscode.CodeAction[]> {
    const edit = await this.linting.fixAllEdit(document);
    if (!edit) return [];
    const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.set(document.uri, [edit]);
    return [action];
  }
}
