// A status bar item with the number of findings in the workspace (open documents and the
// files of the workspace index); clicking it opens the Problems view.
import * as vscode from 'vscode';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('conclens.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Concurrency Lens';
    this.item.command = 'workbench.actions.view.problems';
    this.update(0);
    this.item.show();
  }

  update(count: number): void {
    this.item.text = count === 0 ? '$(pulse) Concurrency' : `$(pulse) Concurrency: ${count}`;
    this.item.tooltip = `Concurrency Lens: ${count === 0 ? 'no findings' : count === 1 ? '1 finding' : `${count} findings`} in the workspace's Python files. Click to open the Problems view.`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
