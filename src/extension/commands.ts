// Commands by name; each is registered as `conclens.<name>` and contributed in package.json.
// Adding a command is one entry here plus its manifest entry.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { isLintableDocument } from './linting';

type Handler = (...args: unknown[]) => unknown;

export const commands: Record<string, (ctx: Ctx) => Handler> = {
  fixAll: (ctx) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isLintableDocument(editor.document)) {
      void vscode.window.showInformationMessage('Concurrency Lens: open a Python file to fix.');
      return;
    }
    const document = editor.document;
    const version = document.version;
    const edit = await ctx.linting.fixAllEdit(document);
    if (!edit) {
      vscode.window.setStatusBarMessage('Concurrency Lens: nothing to fix', 3000);
      return;
    }
    if (document.version !== version) return; // the user typed meanwhile; the edit is stale
    const we = new vscode.WorkspaceEdit();
    we.set(document.uri, [edit]);
    await vscode.workspace.applyEdit(we);
  },

  showOutput: (ctx) => () => ctx.log.show(true),

  restart: (ctx) => () => {
    ctx.log.info('restart: re-reading config and re-linting open documents');
    ctx.config.invalidate();
    ctx.linting.restart();
  },
};
