// Extension entry point (bundled to dist/extension.js; the wasm files sit beside it).
import * as vscode from 'vscode';
import { Linter, allRules } from '../core/index';
import { createLog } from './log';
import { Ctx } from './ctx';
import { errorText } from './guard';
import { commands } from './commands';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog();
  context.subscriptions.push(log);
  const started = performance.now();
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  log.info(`Concurrency Lens ${version} activating (VS Code ${vscode.version}, ${vscode.env.appHost}, ${context.extensionMode === vscode.ExtensionMode.Production ? 'production' : 'development'} mode)`);
  try {
    const wasmDir = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
    const linter = await Linter.create({ wasmDir });
    ctx = new Ctx(context, log, linter);
    context.subscriptions.push(ctx);
    ctx.start();
    log.info(`activated in ${(performance.now() - started).toFixed(0)} ms with ${allRules.length} rule(s)`);
  } catch (err) {
    log.error(`activation failed: ${errorText(err)}`);
    // Keep the contributed commands answering, so a click does not say "command not found".
    for (const name of Object.keys(commands)) {
      context.subscriptions.push(vscode.commands.registerCommand(`conclens.${name}`, () => log.show(true)));
    }
    // Not awaited: activation must not wait for the user to dismiss a notification.
    void vscode.window.showErrorMessage('Concurrency Lens could not start. The "Concurrency Lens" output has the details.', 'Show Output').then((choice) => {
      if (choice) log.show(true);
    });
  }
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
