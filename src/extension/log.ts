// The one logger: a LogOutputChannel "Concurrency Lens" (the user picks the level in the
// Output view). Activation, the config used and why, lint timings and errors all go here.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Concurrency Lens', { log: true });
}
