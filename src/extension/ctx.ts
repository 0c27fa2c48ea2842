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
import { ProjectIndex } from './project-index';
import { CodeLenses } from './code-lens';

const PYTHON: vscode.DocumentSelector = { language: 'python' };

export class Ctx implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly config: Config;
  readonly store = new FindingsStore();
  readonly linting: Linting;
  readonly index: ProjectIndex;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: Log,
    readonly linter: Linter,
  ) {
    this.config = new Config(log);
    const collection = this.push(vscode.languages.createDiagnosticCollection(SECTION));
    this.linting = this.push(new Linting(linter, this.config, log, collection, this.store));
    this.index = this.push(new ProjectIndex(linter, this.config, log, collection, this.linting, (label, fn) => this.guard(label, fn, undefined)));
    this.linting.project = this.index;
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
    const lenses = this.push(new CodeLenses(linting, this.index, config));
    this.push(ws.onDidOpenTextDocument(this.guard('on open', (d) => linting.opened(d), undefined)));
    this.push(ws.onDidChangeTextDocument(this.guard('on change', (e) => linting.changed(e), undefined)));
    this.push(ws.onDidCloseTextDocument(this.guard('on close', (d) => linting.closed(d), undefined)));
    this.push(
      ws.onDidChangeConfiguration(
        this.guard('on config change', (e: vscode.ConfigurationChangeEvent) => {
          const ours = e.affectsConfiguration(SECTION);
          if (!ours && !e.affectsConfiguration('files.exclude')) return;
          config.invalidate();
          // Lenses, hovers and the lint delay do not change what the index holds.
          const viewOnly = ['codeLens', 'conceptHovers', 'lintDelay'].map((k) => `${SECTION}.${k}`);
          const indexAffected = !ours || this.affectsOtherThan(e, viewOnly);
          if (indexAffected) this.index.restart('settings changed');
          this.log.info('conclens.* settings changed: re-linting open documents');
          linting.relintAll();
          lenses.refresh();
        }, undefined),
      ),
    );

    // pyproject.toml edits change the config of every document below them.
    const watcher = this.push(ws.createFileSystemWatcher('**/pyproject.toml'));
    const onProjectFile = this.guard('on pyproject.toml change', (uri: vscode.Uri) => {
      this.log.info(`${uri.scheme === 'file' ? uri.fsPath : uri.toString()} changed: re-reading config`);
      config.invalidate();
      this.index.restart('pyproject.toml changed');
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
      new ConceptHovers(
        this.linter.grammar,
        (d) => config.options(d).conceptHovers,
        (d) => config.options(d).maxFileSize,
        (d) => linting.settingsOf(d.uri)?.freeThreaded === true,
      ),
    );
    this.push(ws.onDidCloseTextDocument(this.guard('concept hovers: on close', (d) => concepts.forget(d.uri), undefined)));
    const hovers = new Hovers([diagnosticHover(this.store), concepts.source]);
    this.push(vscode.languages.registerHoverProvider(PYTHON, { provideHover: this.guard('hover', hovers.provideHover.bind(hovers), undefined) }));

    const status = this.push(new StatusItem());
    // Counting every diagnostic is a walk over the collection: once per burst of changes.
    let statusTimer: ReturnType<typeof setTimeout> | undefined;
    const updateStatus = this.guard('status', () => {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(this.guard('status', () => status.update(this.index.findingCount), undefined), 100);
    }, undefined);
    this.push({ dispose: () => clearTimeout(statusTimer) });
    this.push(linting.onDidChangeFindings(updateStatus));
    this.push(this.index.onDidChange(updateStatus));

    this.push(linting.onDidLint(this.guard('code lens refresh', () => lenses.refresh(), undefined)));
    this.push(this.index.onDidChange(this.guard('code lens refresh', () => lenses.refresh(), undefined)));
    this.push(
      vscode.languages.registerCodeLensProvider(PYTHON, {
        onDidChangeCodeLenses: lenses.onDidChangeCodeLenses,
        provideCodeLenses: this.guard<[vscode.TextDocument, vscode.CancellationToken], vscode.ProviderResult<vscode.CodeLens[]>>(
          'code lenses',
          (document, token) => lenses.provideCodeLenses(document, token),
          [],
        ),
      }),
    );

    for (const [name, factory] of Object.entries(commands)) {
      this.push(vscode.commands.registerCommand(`conclens.${name}`, this.guard(`command conclens.${name}`, factory(this), undefined)));
    }

    linting.relintAll();
    this.index.start();
  }

  /** Whether the change touches a `conclens.*` setting other than `keys`. */
  private affectsOtherThan(e: vscode.ConfigurationChangeEvent, keys: readonly string[]): boolean {
    const all = (this.extension.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } } } | undefined)
      ?.contributes?.configuration?.properties;
    const names = all ? Object.keys(all) : [];
    if (names.length === 0) return true;
    return names.some((k) => !keys.includes(k) && e.affectsConfiguration(k));
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
