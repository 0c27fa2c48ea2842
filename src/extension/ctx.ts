// Owns everything the extension creates: every disposable is pushed here and released in
// `dispose()`. Every event handler and provider is wrapped by `guard`, so an error is
// logged to the output channel and never surfaces in VS Code as an unhandled exception.
import * as vscode from 'vscode';
import type { Linter } from '../core/index';
import { Config, SECTION } from './config';
import type { Log } from './log';
import { guard } from './guard';
import { FindingsStore } from './findings-store';
import { Linting } from './linting';
import { CodeActions } from './code-actions';
import { Hovers, diagnosticHover } from './hover';
import { ConceptHovers } from './concept-hover';
import { StatusItem } from './status';
import { commands } from './commands';

const PYTHON: vscode.DocumentSelector = { language: 'python' };

export class Ctx implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly config: Config;
  readonly store = new FindingsStore();
  readonly linting: Linting;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: Log,
    readonly linter: Linter,
  ) {
    this.config = new Config(log);
    const collection = this.push(vscode.languages.createDiagnosticCollection(SECTION));
    this.linting = this.push(new Linting(linter, this.config, log, collection, this.store));
  }

  push<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** Wraps a callback so that its errors (sync or async) are logged, not thrown. */
  guard<A extends unknown[], R>(label: string, fn: (...args: A) => R, fallback: R): (...args: A) => R {
    return guard(this.log, label, fn, fallback);
  }

  start(): void {
    const { linting, config } = this;
    const ws = vscode.workspace;
    this.push(ws.onDidOpenTextDocument(this.guard('on open', (d) => linting.opened(d), undefined)));
    this.push(ws.onDidChangeTextDocument(this.guard('on change', (e) => linting.changed(e), undefined)));
    this.push(ws.onDidCloseTextDocument(this.guard('on close', (d) => linting.closed(d), undefined)));
    this.push(
      ws.onDidChangeConfiguration(
        this.guard('on config change', (e: vscode.ConfigurationChangeEvent) => {
          if (!e.affectsConfiguration(SECTION)) return;
          this.log.info('conclens.* settings changed: re-linting open documents');
          config.invalidate();
          linting.relintAll();
        }, undefined),
      ),
    );

    // pyproject.toml edits change the config of every document below them.
    const watcher = this.push(ws.createFileSystemWatcher('**/pyproject.toml'));
    const onProjectFile = this.guard('on pyproject.toml change', (uri: vscode.Uri) => {
      this.log.info(`${uri.scheme === 'file' ? uri.fsPath : uri.toString()} changed: re-reading config`);
      config.invalidate();
      linting.relintAll();
    }, undefined);
    this.push(watcher.onDidChange(onProjectFile));
    this.push(watcher.onDidCreate(onProjectFile));
    this.push(watcher.onDidDelete(onProjectFile));

    const actions = new CodeActions(this.store, linting);
    this.push(
      vscode.languages.registerCodeActionsProvider(
        PYTHON,
        { provideCodeActions: this.guard('code actions', actions.provideCodeActions.bind(actions), []) },
        CodeActions.metadata,
      ),
    );
    const concepts = this.push(
      new ConceptHovers(this.linter.grammar, (d) => config.options(d).conceptHovers, (d) => config.options(d).maxFileSize),
    );
    this.push(ws.onDidCloseTextDocument(this.guard('concept hovers: on close', (d) => concepts.forget(d.uri), undefined)));
    const hovers = new Hovers([diagnosticHover(this.store), concepts.source]);
    this.push(vscode.languages.registerHoverProvider(PYTHON, { provideHover: this.guard('hover', hovers.provideHover.bind(hovers), undefined) }));

    const status = this.push(new StatusItem());
    this.push(linting.onDidChangeFindings(this.guard('status', () => status.update(this.store.total), undefined)));

    for (const [name, factory] of Object.entries(commands)) {
      this.push(vscode.commands.registerCommand(`conclens.${name}`, this.guard(`command conclens.${name}`, factory(this), undefined)));
    }

    linting.relintAll();
  }

  dispose(): void {
    // Reverse order: providers and listeners go before the state they use.
    for (const d of this.disposables.reverse()) {
      try {
        d.dispose();
      } catch (err) {
        this.log.error(`dispose: ${String(err)}`);
      }
    }
    this.disposables.length = 0;
  }
}
