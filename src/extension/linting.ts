// Lints open Python documents: on open, on change (debounced, incremental re-parse), on
// config change; clears on close. One PyDocument per open editor document.
import * as vscode from 'vscode';
import { PyDocument, type Finding, type Linter, type Settings } from '../core/index';
import type { Config } from './config';
import type { Log } from './log';
import { Debouncer } from './debounce';
import { DocumentSync, type SyncKind } from './sync';
import { FindingsStore, type StoredFinding } from './findings-store';
import { isLintable } from './eligible';
import { errorText } from './guard';
import { locatorFor, noOtherFiles, relatedFiles, toDiagnostic, type OtherFileLocator } from './diagnostics';
import { fixAllText, minimalEdit } from './fix-all';

interface Tracked {
  sync: DocumentSync;
  /** Config source last logged for this document, so it is logged when it changes. */
  source?: string;
}

const SLOW_LINT_MS = 200;

export function isLintableDocument(document: vscode.TextDocument): boolean {
  return isLintable(document.languageId, document.uri.scheme);
}

/** Length of the document in UTF-16 code units, without building its text. */
function textLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

function filenameOf(document: vscode.TextDocument): string {
  return document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString();
}

function shortName(document: vscode.TextDocument): string {
  const path = document.uri.path;
  return path.slice(path.lastIndexOf('/') + 1) || document.uri.toString();
}

export class Linting implements vscode.Disposable {
  private tracked = new Map<string, Tracked>();
  private debouncer = new Debouncer<string>();
  /** Documents skipped for size, so the skip is logged once. */
  private tooLarge = new Set<string>();
  private disposed = false;
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  /** Fires when the set of findings changed (lint finished, document closed). */
  readonly onDidChangeFindings = this.changedEmitter.event;

  constructor(
    private readonly linter: Linter,
    private readonly config: Config,
    private readonly log: Log,
    readonly collection: vscode.DiagnosticCollection,
    readonly store: FindingsStore,
  ) {}

  opened(document: vscode.TextDocument): void {
    if (isLintableDocument(document)) this.lintSafely(document);
  }

  changed(event: vscode.TextDocumentChangeEvent): void {
    const { document } = event;
    if (!isLintableDocument(document) || event.contentChanges.length === 0) return;
    const key = document.uri.toString();
    // Buffer the edits now (cheap); the re-parse happens once, when the debounced lint runs.
    this.tracked.get(key)?.sync.onChange(document.version, event.contentChanges);
    const delay = this.config.options(document).lintDelay;
    this.debouncer.schedule(key, delay, () => this.lintSafely(document));
  }

  closed(document: vscode.TextDocument): void {
    this.forget(document.uri);
    this.tooLarge.delete(document.uri.toString());
  }

  /** Re-lints every open Python document (config changed, restart). */
  relintAll(): void {
    for (const document of vscode.workspace.textDocuments) this.opened(document);
  }

  /** Drops every document's state and diagnostics, then lints them again from scratch. */
  restart(): void {
    for (const key of [...this.tracked.keys()]) this.forget(vscode.Uri.parse(key));
    this.collection.clear();
    this.store.clear();
    this.tooLarge.clear();
    this.changedEmitter.fire();
    this.relintAll();
  }

  lintSafely(document: vscode.TextDocument): void {
    this.lint(document).catch((err: unknown) => {
      this.log.error(`linting ${filenameOf(document)} failed: ${errorText(err)}`);
      // Start this document afresh next time rather than trust a half-updated tree.
      this.forget(document.uri);
    });
  }

  async lint(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    this.debouncer.cancel(key);
    if (this.disposed || document.isClosed || !isLintableDocument(document)) return;
    const options = this.config.options(document);
    if (!options.enable) {
      this.forget(document.uri);
      return;
    }
    const length = textLength(document);
    if (length > options.maxFileSize) {
      if (!this.tooLarge.has(key)) {
        this.tooLarge.add(key);
        this.log.info(`skipping ${filenameOf(document)}: ${length} characters is over conclens.maxFileSize (${options.maxFileSize})`);
      }
      this.forget(document.uri);
      return;
    }
    this.tooLarge.delete(key);

    const { settings, source } = await this.config.settingsFor(document);
    if (this.disposed || document.isClosed) return;

    // From here to publishing nothing awaits (unless findings point into other files), so
    // the tree, the findings and `document.positionAt` all see the same version.
    const started = performance.now();
    let tracked = this.tracked.get(key);
    let kind: SyncKind;
    if (!tracked) {
      tracked = { sync: new DocumentSync(new PyDocument(this.linter.grammar, document.getText(), filenameOf(document)), document.version) };
      this.tracked.set(key, tracked);
      kind = 'full';
    } else {
      kind = tracked.sync.sync(document.version, length, () => document.getText());
    }
    const parsed = performance.now();
    const result = this.linter.lintDocument(tracked.sync.doc, settings);
    const done = performance.now();
    if (tracked.source !== source) {
      tracked.source = source;
      this.log.info(`${filenameOf(document)}: config from ${source}`);
    }

    const version = document.version;
    const files = relatedFiles(result.findings);
    const locate = files.length > 0 ? await locatorFor(document, files) : noOtherFiles;
    // A change while related files were read: the scheduled lint of the new version publishes.
    if (this.disposed || document.isClosed || document.version !== version) return;
    this.publish(document, result.findings, settings, locate);
    const summary =
      `${shortName(document)} v${version}: ${result.findings.length} finding(s), ${result.syntaxErrors.length} syntax error(s); ` +
      `${kind} parse ${(parsed - started).toFixed(1)} ms, rules ${(done - parsed).toFixed(1)} ms`;
    // Timings are debug detail, unless a lint is slow enough for a user to feel it.
    if (done - started > SLOW_LINT_MS) this.log.info(`slow lint: ${summary}`);
    else this.log.debug(summary);
  }

  private publish(document: vscode.TextDocument, findings: readonly Finding[], settings: Settings, locate: OtherFileLocator): void {
    const diagnostics: vscode.Diagnostic[] = [];
    const stored: StoredFinding[] = [];
    for (const finding of findings) {
      const d = toDiagnostic(document, finding, settings, locate);
      diagnostics.push(d);
      stored.push({ finding, range: d.range });
    }
    this.collection.set(document.uri, diagnostics);
    this.store.set(document.uri.toString(), document.version, stored);
    this.changedEmitter.fire();
  }

  /**
   * The edit that applies every safe fix (re-linting between passes until nothing changes),
   * or undefined when there is nothing to fix.
   */
  async fixAllEdit(document: vscode.TextDocument): Promise<vscode.TextEdit | undefined> {
    if (!isLintableDocument(document)) return undefined;
    const { settings } = await this.config.settingsFor(document);
    const before = document.getText();
    const filename = filenameOf(document);
    const started = performance.now();
    const { text, passes } = fixAllText(before, (t) => this.linter.lintText(t, filename, settings).findings);
    const edit = minimalEdit(before, text);
    this.log.debug(`fix all ${shortName(document)}: ${passes} pass(es) in ${(performance.now() - started).toFixed(1)} ms`);
    if (!edit) return undefined;
    return vscode.TextEdit.replace(new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.content);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    const tracked = this.tracked.get(key);
    if (tracked) {
      this.tracked.delete(key);
      tracked.sync.doc.dispose();
    }
    const hadFindings = this.collection.has(uri);
    this.collection.delete(uri);
    this.store.delete(key);
    if (hadFindings) this.changedEmitter.fire();
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.dispose();
    for (const t of this.tracked.values()) t.sync.doc.dispose();
    this.tracked.clear();
    this.changedEmitter.dispose();
  }
}
