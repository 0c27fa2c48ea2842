// Lints open Python documents: on open, on change (debounced, incremental re-parse), on
// config change; clears on close. One PyDocument per open editor document.
import * as vscode from 'vscode';
import { defaultParseBudgetMs, NotParsedError, PyDocument, Workspace, type FileSummary, type Finding, type Linter, type LintResult, type Settings } from '../core/index';
import { dispatchSites, type DispatchSite } from '../core/semantics/code-lens';
import type { Config } from './config';
import type { Log } from './log';
import { Debouncer } from './debounce';
import { IdleCollector } from './idle-gc';
import { DocumentSync, type SyncKind } from './sync';
import { FindingsStore, type StoredFinding } from './findings-store';
import { fileKey, isLintable } from './eligible';
import { errorText } from './guard';
import { locatorFor, noOtherFiles, relatedFiles, toDiagnostic, type OtherFileLocator } from './diagnostics';
import { fixAllText, minimalEdit } from './fix-all';
import { runSliced, yieldToEventLoop } from './slicing';

interface Tracked {
  sync: DocumentSync;
  /** Config source last logged for this document, so it is logged when it changes. */
  source?: string;
  /** The index of a document outside every workspace folder: it stands alone. */
  own?: Workspace;
  /** What the last lint saw (code lenses read it). */
  last?: LintSnapshot;
}

/** The state of a document as of its last lint: its summary, where it dispatches work, the index it is in. */
export interface LintSnapshot {
  version: number;
  filename: string;
  summary: FileSummary;
  sites: DispatchSite[];
  workspace: Workspace;
  /** True when the document is not part of a workspace folder's index. */
  standalone: boolean;
}

/** Where a document belongs in the project: the folder's index and the document's module. */
export interface ProjectTarget {
  workspace: Workspace;
  moduleName: string;
  isPackage: boolean;
}

/** The workspace index, as the linting of open documents sees it (project-index.ts). */
export interface ProjectHooks {
  target(document: vscode.TextDocument): Promise<ProjectTarget | undefined>;
  /** A document was linted into the target's index. */
  linted(document: vscode.TextDocument, snapshot: LintSnapshot): void;
  /** The document closed; true when the index keeps its diagnostics (it re-lints the file from disk). */
  closed(document: vscode.TextDocument): boolean;
}

const SLOW_LINT_MS = 200;
/** How long after a lint has published the young generation may be collected (idle-gc.ts). */
const IDLE_COLLECT_MS = 20;
/**
 * Documents this long (UTF-16 code units, ~2,500 lines of typical Python) are linted in
 * slices: the extension host gets a turn every SLICE_MS, so other extensions and VS Code's
 * requests are not held up while a large file is analysed.
 */
export const SLICE_ABOVE_CHARS = 100_000;
const SLICE_MS = 15;

/**
 * The editor's parse budget. A document under SLICE_ABOVE_CHARS parses on the extension
 * host's thread (ordinary code: a few milliseconds), so its budget is tighter than the
 * command line's; a larger one parses in slices and gets the default.
 */
export function editorParseBudget(chars: number): number {
  return chars < SLICE_ABOVE_CHARS ? 250 + chars / 250 : defaultParseBudgetMs(chars);
}

export function isLintableDocument(document: vscode.TextDocument): boolean {
  return isLintable(document.languageId, document.uri.scheme);
}

/** Length of the document in UTF-16 code units, without building its text. */
function textLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

function filenameOf(document: vscode.TextDocument): string {
  return fileKey(document.uri);
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
  /** Documents tree-sitter could not parse within its budget: not linted until reopened or restarted. */
  private tooSlow = new Set<string>();
  private disposed = false;
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  /** Fires when the set of findings changed (lint finished, document closed). */
  readonly onDidChangeFindings = this.changedEmitter.event;
  private readonly lintedEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a document was linted (code lenses refresh). */
  readonly onDidLint = this.lintedEmitter.event;
  /** Waiting for the lint of a document version (code lenses asked before the debounced lint ran). */
  private waiters = new Map<string, { version: number; resolve: (s: LintSnapshot | undefined) => void }[]>();
  /** The workspace index, once there is one. */
  project?: ProjectHooks;
  /** The sliced lint running per document: a newer lint of the document replaces it. */
  private readonly inflight = new Map<string, object>();
  /** The settings each open document was last linted with (hovers read them synchronously). */
  private readonly lastSettings = new Map<string, Settings>();
  /** Collects V8's young generation between lints (Node hosts only; see idle-gc.ts). */
  private readonly collector = IdleCollector.create();
  private idleTimer?: ReturnType<typeof setTimeout>;

  settingsOf(uri: vscode.Uri): Settings | undefined {
    return this.lastSettings.get(uri.toString());
  }

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
    const kept = isLintableDocument(document) && this.project !== undefined && this.project.closed(document);
    this.forget(document.uri, kept);
    this.tooLarge.delete(document.uri.toString());
    this.tooSlow.delete(document.uri.toString());
  }

  /** Whether the document is open and linted (its diagnostics are the live ones). */
  isTracked(uri: vscode.Uri): boolean {
    return this.tracked.has(uri.toString());
  }

  /** Re-lints these open documents after `delayMs` (their dependencies changed). */
  relintLater(documents: readonly vscode.TextDocument[], delayMs: number): void {
    for (const document of documents) {
      if (document.isClosed || !isLintableDocument(document)) continue;
      this.debouncer.schedule(document.uri.toString(), delayMs, () => this.lintSafely(document));
    }
  }

  /**
   * The document as of its lint at its current version; waits (up to `timeoutMs`) when that
   * lint is still to come. Undefined when the document is not linted (disabled, too large).
   */
  snapshot(document: vscode.TextDocument, timeoutMs = 3000): Promise<LintSnapshot | undefined> {
    const key = document.uri.toString();
    const last = this.tracked.get(key)?.last;
    if (last && last.version === document.version) return Promise.resolve(last);
    if (!isLintableDocument(document) || this.tooLarge.has(key) || this.tooSlow.has(key) || !this.config.options(document).enable) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      const entry = { version: document.version, resolve };
      list.push(entry);
      this.waiters.set(key, list);
      setTimeout(() => {
        const l = this.waiters.get(key);
        const i = l?.indexOf(entry) ?? -1;
        if (l && i >= 0) {
          l.splice(i, 1);
          if (l.length === 0) this.waiters.delete(key);
        }
        resolve(this.tracked.get(key)?.last);
      }, timeoutMs);
    });
  }

  private settle(key: string, snapshot: LintSnapshot | undefined): void {
    const list = this.waiters.get(key);
    if (!list) return;
    const keep = list.filter((w) => snapshot !== undefined && w.version > snapshot.version);
    for (const w of list) if (!keep.includes(w)) w.resolve(snapshot);
    if (keep.length) this.waiters.set(key, keep);
    else this.waiters.delete(key);
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
    this.tooSlow.clear();
    this.changedEmitter.fire();
    this.relintAll();
  }

  lintSafely(document: vscode.TextDocument): void {
    this.lint(document).catch((err: unknown) => {
      if (err instanceof NotParsedError) {
        // Garbage on which tree-sitter's error recovery crawls: trying again on every edit
        // would stall the editor each time.
        this.tooSlow.add(document.uri.toString());
        this.log.info(`${err.message}. It stays unlinted until it is reopened or Concurrency Lens is restarted.`);
        this.forget(document.uri);
        return;
      }
      this.log.error(`linting ${filenameOf(document)} failed: ${errorText(err)}`);
      // Start this document afresh next time rather than trust a half-updated tree.
      this.forget(document.uri);
    });
  }

  async lint(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    this.debouncer.cancel(key);
    if (this.disposed || document.isClosed || !isLintableDocument(document) || this.tooSlow.has(key)) return;
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
    this.lastSettings.set(key, settings);
    const target = await this.project?.target(document);
    if (this.disposed || document.isClosed) return;

    // A small document is parsed and linted without awaiting, so the tree and `document` see
    // the same version. A large one is opened and linted in slices (the steps work on a
    // snapshot of the tree); a change meanwhile buffers in DocumentSync, and the lint it
    // schedules publishes.
    const started = performance.now();
    this.collector?.lintStarted();
    let tracked = this.tracked.get(key);
    let kind: SyncKind;
    if (!tracked && length >= SLICE_ABOVE_CHARS) {
      // A large document's first parse goes in slices too. Edits meanwhile: this lint gives
      // way to the one they scheduled (which parses the new text).
      const openedAt = document.version;
      const edited = () => document.version !== openedAt;
      const doc = await this.runInSlices(key, document, PyDocument.openSteps(this.linter.grammar, document.getText(), filenameOf(document), SLICE_MS, { parseBudget: editorParseBudget }), 0, edited);
      if (!doc) return;
      if (edited() || this.disposed || document.isClosed || this.tracked.has(key)) {
        doc.dispose();
        return;
      }
      tracked = { sync: new DocumentSync(doc, openedAt) };
      this.tracked.set(key, tracked);
      kind = 'full';
    } else if (!tracked) {
      tracked = { sync: new DocumentSync(new PyDocument(this.linter.grammar, document.getText(), filenameOf(document), undefined, { parseBudget: editorParseBudget }), document.version) };
      this.tracked.set(key, tracked);
      kind = 'full';
    } else {
      kind = tracked.sync.sync(document.version, length, () => document.getText());
    }
    const version = document.version;
    const parsed = performance.now();
    const filename = filenameOf(document);
    const workspace = target?.workspace ?? (tracked.own ??= new Workspace());
    let sites: DispatchSite[] = [];
    const lintOptions = {
      moduleName: target?.moduleName,
      isPackage: target?.isPackage,
      workspace,
      inspect: (facts: Parameters<typeof dispatchSites>[0]) => {
        sites = dispatchSites(facts, filename);
      },
    };
    let result: LintResult | undefined;
    if (length < SLICE_ABOVE_CHARS) {
      result = this.linter.lintDocument(tracked.sync.doc, settings, lintOptions);
    } else {
      result = await this.runInSlices(key, document, this.linter.lintSteps(tracked.sync.doc, settings, lintOptions), SLICE_MS);
      if (!result || this.disposed || document.isClosed) return;
    }
    const done = performance.now();
    this.collector?.lintFinished();
    if (result.summary) {
      const snapshot: LintSnapshot = { version, filename, summary: result.summary, sites, workspace, standalone: !target };
      tracked.last = snapshot;
      if (target) this.project?.linted(document, snapshot);
      this.settle(key, snapshot);
      this.lintedEmitter.fire(document);
    }
    if (tracked.source !== source) {
      tracked.source = source;
      this.log.info(`${filenameOf(document)}: config from ${source}`);
    }

    const files = relatedFiles(result.findings);
    const locate = files.length > 0 ? await locatorFor(document, files) : noOtherFiles;
    // A change while related files were read: the scheduled lint of the new version publishes.
    if (this.disposed || document.isClosed || document.version !== version) return;
    this.publish(document, result.findings, settings, locate);
    this.collectWhenIdle();
    const summary =
      `${shortName(document)} v${version}: ${result.findings.length} finding(s), ${result.syntaxErrors.length} syntax error(s); ` +
      `${kind} parse ${(parsed - started).toFixed(1)} ms, rules ${(done - parsed).toFixed(1)} ms`;
    // Timings are debug detail, unless a lint is slow enough for a user to feel it.
    if (done - started > SLOW_LINT_MS) this.log.info(`slow lint: ${summary}`);
    else this.log.debug(summary);
  }

  /**
   * Soon after a lint has published, while the user is between keystrokes: a minor
   * collection if the young generation has too little room left for the next lint, so that
   * lint does not pay for it (idle-gc.ts).
   */
  private collectWhenIdle(): void {
    if (!this.collector || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.disposed) return;
      try {
        this.collector?.collectIfNeeded();
      } catch {
        // (Nothing to do: the collection V8 runs by itself happens later instead.)
      }
    }, IDLE_COLLECT_MS);
  }

  /**
   * Runs `steps` as the document's one sliced job, a turn of the event loop first and then
   * whenever `budgetMs` of work has run. Undefined when it stopped early: a newer job for the
   * document, the document closed, the extension disposed, or `stale()`.
   */
  private async runInSlices<T>(key: string, document: vscode.TextDocument, steps: Generator<unknown, T, void>, budgetMs: number, stale: () => boolean = () => false): Promise<T | undefined> {
    const token = {};
    this.inflight.set(key, token);
    const cancelled = () => this.disposed || document.isClosed || this.inflight.get(key) !== token || stale();
    try {
      await yieldToEventLoop();
      if (cancelled()) {
        steps.return(undefined as T);
        return undefined;
      }
      return await runSliced(steps, { budgetMs, cancelled });
    } finally {
      if (this.inflight.get(key) === token) this.inflight.delete(key);
    }
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

  /** Drops a document's state; its diagnostics too unless `keepDiagnostics` (the index re-lints it from disk). */
  private forget(uri: vscode.Uri, keepDiagnostics = false): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    this.lastSettings.delete(key);
    const tracked = this.tracked.get(key);
    if (tracked) {
      this.tracked.delete(key);
      tracked.sync.doc.dispose();
    }
    this.settle(key, undefined);
    const hadFindings = this.collection.has(uri);
    if (!keepDiagnostics) this.collection.delete(uri);
    this.store.delete(key);
    if (hadFindings) this.changedEmitter.fire();
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.dispose();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const t of this.tracked.values()) t.sync.doc.dispose();
    this.tracked.clear();
    for (const list of this.waiters.values()) for (const w of list) w.resolve(undefined);
    this.waiters.clear();
    this.changedEmitter.dispose();
    this.lintedEmitter.dispose();
  }
}
