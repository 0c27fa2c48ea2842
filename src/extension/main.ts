// Extension entry point, bundled twice: dist/extension.js for Node extension hosts (desktop,
// remote) and dist/web/extension.js for the browser's web worker extension host (vscode.dev).
// Both read the wasm files beside the bundles in dist/ as bytes (grammar-source.ts).
import * as vscode from 'vscode';
import { Linter, allRules } from '../core/index';
import { createLog } from './log';
import { Ctx } from './ctx';
import { errorText } from './guard';
import { commands } from './commands';
import { chooseModel } from './choose-model';
import { extensionHostKind, readGrammarWasm } from './grammar-source';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog();
  context.subscriptions.push(log);
  const started = performance.now();
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  const mode = context.extensionMode === vscode.ExtensionMode.Production ? 'production' : 'development';
  log.info(`Concurrency Lens ${version} activating (VS Code ${vscode.version}, ${vscode.env.appHost}, ${extensionHostKind()} extension host, ${mode} mode)`);
  try {
    const wasm = await readGrammarWasm(context.extensionUri);
    const read = performance.now();
    log.info(`read ${wasm.how} in ${(read - started).toFixed(0)} ms`);
    const linter = await Linter.create(wasm.source);
    log.info(`grammar loaded in ${(performance.now() - read).toFixed(0)} ms`);
    ctx = new Ctx(context, log, linter);
    context.subscriptions.push(ctx);
    ctx.start();
    log.info(`activated in ${(performance.now() - started).toFixed(0)} ms with ${allRules.length} rule(s)`);
  } catch (err) {
    log.error(`activation failed: ${errorText(err)}`);
    // Keep the contributed commands answering, so a click does not say "command not found".
    // The model guide needs no parser, so it keeps working.
    for (const name of Object.keys(commands)) {
      const handler = name === 'chooseModel' ? () => chooseModel(log) : () => log.show(true);
      context.subscriptions.push(vscode.commands.registerCommand(`conclens.${name}`, handler));
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
