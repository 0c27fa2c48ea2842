// Commands by name; each is registered as `conclens.<name>` and contributed in package.json.
// Adding a command is one entry here plus its manifest entry.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { isLintableDocument } from './linting';
import { chooseModel } from './choose-model';
import { showWorkload } from './code-lens';

type Handler = (...args: unknown[]) => unknown;

export const commands: Record<string, (ctx: Ctx) => Handler> = {
  // From the palette: the active editor. From the lightbulb: the document's URI as argument.
  fixAll: (ctx) => async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg.toString() : undefined;
    const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isLintableDocument(document)) {
      void vscode.window.showInformationMessage('Concurrency Lens: open a Python file to fix.');
      return;
    }
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

  chooseModel: (ctx) => () => chooseModel(ctx.log),

  restart: (ctx) => () => {
    ctx.log.info('restart: re-reading config, re-indexing the workspace and re-linting open documents');
    ctx.config.invalidate();
    ctx.linting.restart();
    ctx.index.restart('restart command');
  },

  // A code lens's click: the evidence of a workload verdict (hidden from the palette).
  showWorkload: () => (arg?: unknown) => showWorkload(arg),
};
