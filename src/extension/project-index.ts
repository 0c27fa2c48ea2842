// The workspace index in the editor: one core `Workspace` per workspace folder, filled in
// the background with every Python file of the folder, and kept current.
//
// - On activation (and restart, config change, folder change): find the folder's `*.py` /
//   `*.pyi` files (skipping VCS folders, dependencies, virtual environments, `files.exclude`
//   and `[tool.conclens] exclude`, at most `conclens.indexMaxFiles`), then read and lint each
//   one that is not open — parse once: the file's summary goes into the index and its
//   cross-file checks wait — and, once every file is in, finish those checks and publish the
//   diagnostics of the files that are not open. Time-sliced (the extension host keeps
//   answering), cancellable (a restart cancels), with progress in the status bar.
// - Open documents: their summaries come from their live lint (linting.ts asks `target()`
//   for the folder's index and the module name); when a summary changes, the open
//   documents that depend on it are linted again (debounced).
// - Files that are not open are linted again when they change on disk (saved, created,
//   deleted, renamed, or changed outside the editor) and when a file they depend on
//   (through imports, up to 8 hops, at most 500 files) changes on disk. Typing in an open
//   document re-lints the open dependents only; the closed ones follow on save.
import * as vscode from 'vscode';
import { NotParsedError, Workspace, type FileSummary, type Finding, type Linter, type Settings } from '../core/index';
import { completeLint, type LintResult } from '../core/linter';
import { DispatchIndex, dispatchSites, innermost, type DispatchSite, type LensOptions } from '../core/semantics/code-lens';
import type { Config, DocumentSettings, ProjectConfig } from './config';
import type { Log } from './log';
import type { Linting, LintSnapshot, ProjectHooks, ProjectTarget } from './linting';
import { isLintableDocument } from './linting';
import { fileKey } from './eligible';
import { errorText } from './guard';
import { toDiagnostic, type OtherFileLocator } from './diagnostics';
import { ModuleGraph } from './module-graph';
import { ExcludeMatcher, PYTHON_GLOB, PackageLayout, excludeGlob, inSkippedFolder, underAny, withoutShadowedStubs } from './project-files';
import { LineTable, decodeSource } from './source-text';
import { TimeSlicer } from './time-slice';
import { Debouncer } from './debounce';

/** How long to wait after a change before re-linting the open documents that depend on it. */
const DEPENDENTS_DELAY_MS = 300;
/** At most this many files not open are re-linted for one change. */
const CLOSED_DEPENDENTS_CAP = 500;
/** Reads in flight while indexing (a remote or virtual file system answers slowly one at a time). */
const READ_AHEAD = 8;
const SLICE_MS = 10;
const FILE_EVENT_DELAY_MS = 150;

interface FileEntry {
  uri: vscode.Uri;
  /** The summary now in the index, as a string (live or from disk). */
  key?: string;
  /** The summary last read from disk, as passed on to the files that depend on it. */
  diskKey?: string;
  /** Line starts of the text last read from disk: places findings of a file that is not open. */
  lines?: LineTable;
}

type FolderState = 'off' | 'indexing' | 'ready';

export class FolderIndex {
  readonly workspace = new Workspace();
  readonly dispatch = new DispatchIndex();
  readonly graph = new ModuleGraph();
  readonly layout = new PackageLayout();
  readonly files = new Map<string, FileEntry>();
  readonly summaries = new Map<string, FileSummary>();
  /** The package layout is known (the folder's files were found). */
  discovered = false;
  state: FolderState = 'indexing';
  /** Files that changed on disk before the folder was ready; linted when it is. */
  readonly waiting = new Map<string, vscode.Uri>();
  /** The cap was hit (logged once). */
  capped = false;
  /** Virtual environments (folders with a pyvenv.cfg), as `/`-separated paths in the engine's file naming. */
  venvs = new Set<string>();
  /** Before the files are listed (or with the index off): which folders hold an `__init__.py`, asked of the file system. */
  readonly probed = new Map<string, Promise<boolean>>();
  maxFiles = 0;
  private byTarget?: { key: string; map: Map<string, DispatchSite[]> };

  constructor(readonly folder: vscode.WorkspaceFolder) {}

  get key(): string {
    return this.folder.uri.toString();
  }

  /** The code lens inputs: dispatch sites by the function they run, and where evidence sits. */
  lensOptions(): LensOptions {
    const key = `${this.workspace.version}:${this.dispatch.version}`;
    if (this.byTarget?.key !== key) this.byTarget = { key, map: this.dispatch.byTarget((q) => this.workspace.canonical(q)) };
    return { dispatched: this.byTarget.map, holder: (file, span) => innermost(this.summaries.get(file)?.functions ?? [], span) };
  }

  drop(file: string): void {
    this.workspace.remove(file);
    this.summaries.delete(file);
    this.graph.removeFile(file);
    this.dispatch.remove(file);
    const entry = this.files.get(file);
    if (entry) this.layout.remove(file);
    this.files.delete(file);
  }
}

interface IndexCounts {
  read: number;
  skipped: number;
  open: number;
  /** The slowest file (the longest the extension host is busy at once while indexing). */
  longest: number;
  longestFile: string;
}

interface Pending {
  uri: vscode.Uri;
  result: LintResult;
  settings: Settings;
}

function isPythonPath(path: string): boolean {
  return /\.pyi?$/i.test(path);
}

function isInside(child: vscode.Uri, root: vscode.Uri): boolean {
  if (child.scheme !== root.scheme || child.authority !== root.authority) return false;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return child.path === root.path || child.path.startsWith(base);
}

function relativePath(uri: vscode.Uri, root: vscode.Uri): string {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

function display(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function posix(path: string): string {
  return path.replace(/\\/g, '/');
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}

export class ProjectIndex implements vscode.Disposable, ProjectHooks {
  private folders = new Map<string, FolderIndex>();
  private run?: vscode.CancellationTokenSource;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  /** Fires when diagnostics of files that are not open, or what code lenses show, changed. */
  readonly onDidChange = this.changedEmitter.event;
  /** Files not open to lint again (changed on disk, or a dependency did), processed in time slices. */
  private readonly closedQueue = new Map<string, { folder: FolderIndex; uri: vscode.Uri }>();
  private draining = false;
  private readonly fileEvents = new Debouncer<string>();
  private readonly deletedPaths = new Map<string, vscode.Uri>();
  private deletedTimer?: ReturnType<typeof setTimeout>;
  private restartTimer?: ReturnType<typeof setTimeout>;
  private kickTimer?: ReturnType<typeof setTimeout>;
  /** Matchers for `[tool.conclens] exclude`, by pyproject.toml. */
  private readonly excludeMatchers = new Map<string, ExcludeMatcher>();
  private disposed = false;

  constructor(
    private readonly linter: Linter,
    private readonly config: Config,
    private readonly log: Log,
    private readonly collection: vscode.DiagnosticCollection,
    private readonly linting: Linting,
    private readonly guard: <A extends unknown[]>(label: string, fn: (...args: A) => unknown) => (...args: A) => unknown,
  ) {
    const ws = vscode.workspace;
    const watcher = this.push(ws.createFileSystemWatcher(PYTHON_GLOB));
    const onFile = (uri: vscode.Uri) => this.fileChanged(uri);
    this.push(watcher.onDidCreate(this.guard('index: file created', onFile)));
    this.push(watcher.onDidChange(this.guard('index: file changed', onFile)));
    this.push(watcher.onDidDelete(this.guard('index: file deleted', onFile)));
    // A folder deleted outside the editor comes as one event for the folder.
    const anyDelete = this.push(ws.createFileSystemWatcher('**/*', true, true, false));
    this.push(anyDelete.onDidDelete(this.guard('index: path deleted', (uri: vscode.Uri) => this.pathDeleted(uri))));
    this.push(ws.onDidCreateFiles(this.guard('index: files created', (e: vscode.FileCreateEvent) => e.files.forEach(onFile))));
    this.push(ws.onDidDeleteFiles(this.guard('index: files deleted', (e: vscode.FileDeleteEvent) => e.files.forEach(onFile))));
    this.push(
      ws.onDidRenameFiles(
        this.guard('index: files renamed', (e: vscode.FileRenameEvent) => {
          for (const { oldUri, newUri } of e.files) {
            onFile(oldUri);
            onFile(newUri);
          }
        }),
      ),
    );
    this.push(ws.onDidSaveTextDocument(this.guard('index: saved', (d: vscode.TextDocument) => this.saved(d))));
    this.push(ws.onDidChangeWorkspaceFolders(this.guard('index: folders changed', () => this.restart('workspace folders changed'))));
  }

  private push<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** Builds the index of every workspace folder in the background. */
  start(): void {
    this.reset();
    this.kick();
  }

  /** Cancels the current indexing, forgets everything, and indexes again. */
  restart(reason: string): void {
    if (this.disposed) return;
    this.log.info(`re-indexing the workspace: ${reason}`);
    this.reset();
    // Settings are often changed a few times in a row (typing in settings.json): index once.
    clearTimeout(this.kickTimer);
    this.kickTimer = setTimeout(() => this.kick(), 250);
  }

  private reset(): void {
    this.run?.cancel();
    this.run?.dispose();
    this.run = undefined;
    for (const folder of this.folders.values()) {
      for (const entry of folder.files.values()) if (!this.isOpen(entry.uri)) this.collection.delete(entry.uri);
    }
    this.closedQueue.clear();
    this.excludeMatchers.clear();
    this.folders = new Map();
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const folder = new FolderIndex(f);
      this.folders.set(folder.key, folder);
    }
    this.changedEmitter.fire();
  }

  private kick(): void {
    const cts = new vscode.CancellationTokenSource();
    this.run = cts;
    this.indexAll(cts.token).catch((err: unknown) => this.log.error(`indexing failed: ${errorText(err)}`));
  }

  private alive(folder: FolderIndex): boolean {
    return !this.disposed && this.folders.get(folder.key) === folder;
  }

  folderOf(uri: vscode.Uri): FolderIndex | undefined {
    const f = vscode.workspace.getWorkspaceFolder(uri);
    return f ? this.folders.get(f.uri.toString()) : undefined;
  }

  /** Whether the editor has the file open (then its live lint owns the diagnostics and the summary). */
  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && isLintableDocument(d));
  }

  private openDocuments(folder: FolderIndex, files?: ReadonlySet<string>): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter(
      (d) => isLintableDocument(d) && this.folderOf(d.uri) === folder && (!files || files.has(fileKey(d.uri))),
    );
  }

  // ---- ProjectHooks (linting.ts) ----

  async target(document: vscode.TextDocument): Promise<ProjectTarget | undefined> {
    const folder = this.folderOf(document.uri);
    if (!folder) return undefined;
    const file = fileKey(document.uri);
    // A stub beside its indexed source stands alone: in the index it would hide the source.
    if (file.endsWith('.pyi') && folder.files.has(file.slice(0, -1))) return undefined;
    const identity = folder.discovered ? folder.layout.identity(file) : await this.probeIdentity(folder, document.uri);
    return { workspace: folder.workspace, ...identity };
  }

  /** Module name before the folder's files are listed: ask the file system for `__init__.py` above the file. */
  private async probeIdentity(folder: FolderIndex, uri: vscode.Uri): Promise<{ moduleName: string; isPackage: boolean }> {
    const layout = new PackageLayout();
    let dir = vscode.Uri.joinPath(uri, '..');
    for (let i = 0; i < 32 && isInside(dir, folder.folder.uri); i++) {
      const init = vscode.Uri.joinPath(dir, '__init__.py');
      const key = init.toString();
      let exists = folder.probed.get(key);
      if (!exists) {
        exists = Promise.resolve(vscode.workspace.fs.stat(init)).then(() => true, () => false);
        folder.probed.set(key, exists);
      }
      if (!(await exists)) break;
      layout.add(fileKey(init));
      const parent = vscode.Uri.joinPath(dir, '..');
      if (parent.path === dir.path) break;
      dir = parent;
    }
    return layout.identity(fileKey(uri));
  }

  linted(document: vscode.TextDocument, snapshot: LintSnapshot): void {
    const folder = this.folderOf(document.uri);
    if (!folder || snapshot.workspace !== folder.workspace) return;
    const file = snapshot.filename;
    let entry = folder.files.get(file);
    if (!entry) {
      entry = { uri: document.uri };
      folder.files.set(file, entry);
      const indexable = folder.state !== 'off' && !inSkippedFolder(relativePath(document.uri, folder.folder.uri)) && !underAny(posix(file), folder.venvs);
      if (folder.layout.add(file) && folder.discovered && indexable) this.layoutChanged(folder, file);
    }
    this.recorded(folder, file, snapshot.summary, snapshot.sites, false);
  }

  closed(document: vscode.TextDocument): boolean {
    const folder = this.folderOf(document.uri);
    if (!folder) return false;
    const file = fileKey(document.uri);
    const entry = folder.files.get(file);
    if (!entry) return false;
    // Without the index the folder's workspace holds open files only; a file the index
    // would not read (a dependency, a virtual environment) leaves with its editor.
    if (folder.state === 'off' || inSkippedFolder(relativePath(document.uri, folder.folder.uri)) || underAny(posix(file), folder.venvs)) {
      const module = folder.graph.moduleOf(file);
      folder.drop(file);
      if (module) this.relintOpenDependents(folder, [], [module]);
      this.changedEmitter.fire();
      return false;
    }
    // The buffer may have had unsaved edits: the file on disk is what the index keeps.
    this.enqueueClosed(folder, [document.uri]);
    return true;
  }

  // ---- code lenses ----

  lensOptions(snapshot: LintSnapshot, document: vscode.TextDocument): LensOptions | undefined {
    const folder = this.folderOf(document.uri);
    if (!folder || folder.workspace !== snapshot.workspace) return undefined;
    return folder.lensOptions();
  }

  // ---- recording summaries, and what depends on them ----

  /**
   * A file's summary and dispatch sites are in the index (its lint updated the workspace).
   * Re-lints what depends on it when it changed: open documents at once (debounced), files
   * not open only for changes read from disk.
   */
  private recorded(folder: FolderIndex, file: string, summary: FileSummary, sites: DispatchSite[], fromDisk: boolean, quiet = false): void {
    const entry = folder.files.get(file);
    if (!entry) return;
    const key = JSON.stringify(summary);
    folder.summaries.set(file, summary);
    folder.graph.setFile(summary);
    const sitesChanged = folder.dispatch.set(file, sites);
    const changed = key !== entry.key;
    entry.key = key;
    if (fromDisk) {
      const diskChanged = key !== entry.diskKey;
      entry.diskKey = key;
      if (diskChanged && !quiet && folder.state === 'ready') this.relintClosedDependents(folder, [file]);
    }
    if (quiet) return;
    if (changed) this.relintOpenDependents(folder, [file]);
    if (changed || sitesChanged) this.changedEmitter.fire();
  }

  private relintOpenDependents(folder: FolderIndex, files: string[], modules: string[] = []): void {
    const deps = new Set(folder.graph.dependents(files, {}, modules));
    if (deps.size === 0) return;
    this.linting.relintLater(this.openDocuments(folder, deps), DEPENDENTS_DELAY_MS);
  }

  private relintClosedDependents(folder: FolderIndex, files: string[], modules: string[] = []): void {
    const deps = folder.graph.dependents(files, { cap: CLOSED_DEPENDENTS_CAP + 1 }, modules);
    if (deps.length > CLOSED_DEPENDENTS_CAP) {
      this.log.info(`${deps.length}+ files depend on ${files.join(', ') || modules.join(', ')}; re-linting the first ${CLOSED_DEPENDENTS_CAP} that are not open`);
      deps.length = CLOSED_DEPENDENTS_CAP;
    }
    const uris: vscode.Uri[] = [];
    for (const file of deps) {
      const entry = folder.files.get(file);
      if (entry && !this.isOpen(entry.uri)) uris.push(entry.uri);
    }
    this.enqueueClosed(folder, uris);
  }

  /** An `__init__.py` came or went: module names below it change, so the index is built again. */
  private layoutChanged(folder: FolderIndex, file: string): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => this.restart(`package layout changed (${file})`), 500);
    void folder;
  }

  // ---- initial indexing ----

  private async indexAll(token: vscode.CancellationToken): Promise<void> {
    for (const folder of [...this.folders.values()]) {
      if (token.isCancellationRequested || !this.alive(folder)) return;
      await this.indexFolder(folder, token);
    }
  }

  private async indexFolder(folder: FolderIndex, token: vscode.CancellationToken): Promise<void> {
    const name = folder.folder.name;
    const options = this.config.options(folder.folder.uri);
    folder.maxFiles = options.indexMaxFiles;
    if (options.indexMaxFiles === 0 || !options.enable) {
      folder.state = 'off';
      this.log.info(`${name}: workspace index off (${options.enable ? 'conclens.indexMaxFiles is 0' : 'conclens.enable is false'}); open files are linted on their own`);
      return;
    }
    const started = performance.now();
    const uris = await this.discover(folder, options.indexMaxFiles, token);
    if (!uris || token.isCancellationRequested || !this.alive(folder)) return;
    for (const uri of uris) {
      const file = fileKey(uri);
      if (!folder.files.has(file)) folder.files.set(file, { uri });
      folder.layout.add(file);
    }
    folder.discovered = true;
    const found = performance.now();
    this.log.info(`indexing ${uris.length} Python file(s) in ${name} (found in ${(found - started).toFixed(0)} ms)`);
    // Open documents were linted before the package layout was known: again, with module names.
    this.linting.relintLater(this.openDocuments(folder), 0);

    const pending: Pending[] = [];
    const counts: IndexCounts = { read: 0, skipped: 0, open: 0, longest: 0, longestFile: '' };
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Concurrency Lens: indexing ${uris.length} files` },
      (progress) => this.indexFiles(folder, uris, pending, counts, progress, token),
    );
    if (token.isCancellationRequested || !this.alive(folder)) return;
    const indexed = performance.now();
    folder.state = 'ready';
    this.linting.relintLater(this.openDocuments(folder), 0);

    let findings = 0;
    let withFindings = 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Concurrency Lens: checking ${pending.length} files` },
      async (progress) => {
        const slicer = new TimeSlicer(SLICE_MS);
        let reported = performance.now();
        for (let i = 0; i < pending.length; i++) {
          if (token.isCancellationRequested || !this.alive(folder)) return;
          const p = pending[i];
          pending[i] = undefined as unknown as Pending; // let the pending checks go
          if (this.isOpen(p.uri)) continue;
          const done = completeLint(p.result, folder.workspace);
          const n = this.publishClosed(folder, p.uri, done.findings, p.settings);
          findings += n;
          if (n) withFindings++;
          if (performance.now() - reported > 200) {
            reported = performance.now();
            progress.report({ message: `${i + 1}/${pending.length}` });
          }
          await slicer.yield();
        }
      },
    );
    if (token.isCancellationRequested || !this.alive(folder)) return;
    this.changedEmitter.fire();
    this.log.info(
      `indexed ${name}: ${counts.read} file(s) read and linted in ${(indexed - found).toFixed(0)} ms, cross-file checks in ${ms(indexed)}, ` +
        `${ms(started)} in all; ${counts.open} open, ${counts.skipped} skipped; ${findings} finding(s) in ${withFindings} file(s) that are not open` +
        (counts.longestFile ? `; slowest file ${counts.longest.toFixed(0)} ms (${counts.longestFile})` : ''),
    );
    const waiting = [...folder.waiting.values()];
    folder.waiting.clear();
    this.enqueueClosed(folder, waiting);
  }

  /** The folder's Python files to index, sorted; undefined when cancelled. */
  private async discover(folder: FolderIndex, max: number, token: vscode.CancellationToken): Promise<vscode.Uri[] | undefined> {
    const root = folder.folder;
    const filesExclude = vscode.workspace.getConfiguration('files', root.uri).get<Record<string, unknown>>('exclude') ?? {};
    const extra = Object.entries(filesExclude).filter(([, on]) => on === true).map(([p]) => p);
    const exclude = excludeGlob(extra);
    // Virtual environments under any name: the folders holding a pyvenv.cfg.
    const venvs = folder.venvs;
    for (const cfg of await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/pyvenv.cfg'), exclude, 1000, token)) {
      venvs.add(posix(fileKey(vscode.Uri.joinPath(cfg, '..'))));
    }
    if (token.isCancellationRequested) return undefined;
    let uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, PYTHON_GLOB), exclude, max + 1, token);
    if (token.isCancellationRequested) return undefined;
    uris.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    uris = withoutShadowedStubs(uris, (u) => u.path);
    if (uris.length > max) {
      folder.capped = true;
      this.log.warn(`${root.name} has more than ${max} Python files: indexing ${max} (conclens.indexMaxFiles); files beyond them are linted when opened`);
      uris = uris.slice(0, max);
    }
    const kept: vscode.Uri[] = [];
    let excluded = 0;
    for (const uri of uris) {
      const file = fileKey(uri);
      if (inSkippedFolder(relativePath(uri, root.uri)) || underAny(posix(file), venvs)) continue;
      if (await this.excluded(uri)) {
        excluded++;
        continue;
      }
      kept.push(uri);
    }
    if (excluded) this.log.info(`${root.name}: ${excluded} file(s) excluded by [tool.conclens] exclude`);
    return kept;
  }

  /** Whether `[tool.conclens] exclude` of the nearest pyproject.toml excludes the file. */
  private async excluded(uri: vscode.Uri, settings?: DocumentSettings): Promise<boolean> {
    const s = settings ?? (await this.config.settingsForUri(uri));
    const project = s.project;
    const patterns = s.settings.exclude;
    if (!project || !patterns?.length) return false;
    return this.matcherFor(project, patterns).excludes(fileKey(uri));
  }

  private matcherFor(project: ProjectConfig, patterns: readonly string[]): ExcludeMatcher {
    const key = `${project.file}\n${patterns.join('\n')}`;
    let m = this.excludeMatchers.get(key);
    if (!m) this.excludeMatchers.set(key, (m = new ExcludeMatcher(fileKey(project.dir), patterns)));
    return m;
  }

  private async indexFiles(
    folder: FolderIndex,
    uris: readonly vscode.Uri[],
    pending: Pending[],
    counts: IndexCounts,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const slicer = new TimeSlicer(SLICE_MS);
    const reads: (Promise<Uint8Array | Error> | undefined)[] = [];
    let next = 0;
    const startRead = (i: number) => {
      reads[i] = this.isOpen(uris[i])
        ? Promise.resolve(new Error('open'))
        : Promise.resolve(vscode.workspace.fs.readFile(uris[i])).then(
            (b) => b,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          );
    };
    let reported = performance.now();
    for (let i = 0; i < uris.length; i++) {
      while (next < uris.length && next < i + READ_AHEAD) startRead(next++);
      if (token.isCancellationRequested || !this.alive(folder)) return;
      const uri = uris[i];
      const file = fileKey(uri);
      const bytes = await reads[i];
      reads[i] = undefined;
      if (token.isCancellationRequested || !this.alive(folder)) return;
      if (this.isOpen(uri)) {
        counts.open++;
        continue; // its live lint keeps its summary
      }
      if (!(bytes instanceof Uint8Array)) {
        this.log.info(`${display(uri)}: cannot read (${bytes?.message ?? 'unknown error'}); skipped`);
        counts.skipped++;
        folder.drop(file);
        continue;
      }
      const before = performance.now();
      const done = await this.lintFromDisk(folder, uri, bytes, true);
      const took = performance.now() - before;
      if (took > counts.longest) {
        counts.longest = took;
        counts.longestFile = relativePath(uri, folder.folder.uri);
      }
      if (done) {
        counts.read++;
        pending.push({ uri, result: done.result, settings: done.settings });
      } else counts.skipped++;
      if (performance.now() - reported > 200) {
        reported = performance.now();
        progress.report({ message: `${i + 1}/${uris.length}` });
      }
      await slicer.yield();
    }
  }

  /**
   * Decodes and lints a file read from disk into the folder's index. `deferred`: cross-file
   * checks wait (initial indexing). Undefined when the file is skipped (logged).
   */
  private async lintFromDisk(
    folder: FolderIndex,
    uri: vscode.Uri,
    bytes: Uint8Array,
    deferred: boolean,
  ): Promise<{ result: LintResult; settings: Settings } | undefined> {
    const file = fileKey(uri);
    const max = this.config.options(uri).maxFileSize;
    if (bytes.length > max) {
      this.log.info(`${display(uri)}: ${bytes.length} bytes is over conclens.maxFileSize (${max}); not indexed`);
      folder.drop(file);
      return undefined;
    }
    const decoded = decodeSource(bytes);
    if (!decoded.ok) {
      this.log.info(`${display(uri)}: ${decoded.reason}; not indexed`);
      folder.drop(file);
      return undefined;
    }
    const { settings } = await this.config.settingsForUri(uri);
    if (!this.alive(folder) || this.isOpen(uri)) return undefined;
    let entry = folder.files.get(file);
    if (!entry) {
      entry = { uri };
      folder.files.set(file, entry);
      folder.layout.add(file);
    }
    let sites: DispatchSite[] = [];
    let result: LintResult;
    try {
      result = this.linter.lintText(decoded.text, file, settings, {
        ...folder.layout.identity(file),
        workspace: folder.workspace,
        deferCrossFile: deferred,
        inspect: (facts) => {
          sites = dispatchSites(facts, file);
        },
      });
    } catch (err) {
      if (!(err instanceof NotParsedError)) throw err;
      this.log.info(`${display(uri)}: ${err.reason}; not indexed`);
      folder.drop(file);
      return undefined;
    }
    entry.lines = new LineTable(decoded.text);
    if (result.summary) this.recorded(folder, file, result.summary, sites, true, deferred);
    return { result, settings };
  }

  // ---- files that are not open ----

  private enqueueClosed(folder: FolderIndex, uris: readonly vscode.Uri[]): void {
    for (const uri of uris) this.closedQueue.set(uri.toString(), { folder, uri });
    if (uris.length) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const slicer = new TimeSlicer(SLICE_MS);
    try {
      while (this.closedQueue.size > 0 && !this.disposed) {
        const [key, item] = this.closedQueue.entries().next().value as [string, { folder: FolderIndex; uri: vscode.Uri }];
        this.closedQueue.delete(key);
        if (!this.alive(item.folder)) continue;
        if (item.folder.state !== 'ready') {
          item.folder.waiting.set(key, item.uri);
          continue;
        }
        try {
          await this.relintClosed(item.folder, item.uri);
        } catch (err) {
          this.log.error(`linting ${display(item.uri)} failed: ${errorText(err)}`);
        }
        await slicer.yield();
      }
    } finally {
      this.draining = false;
    }
  }

  /** Reads a file that is not open from disk, lints it against the complete index, publishes. */
  private async relintClosed(folder: FolderIndex, uri: vscode.Uri): Promise<void> {
    if (this.isOpen(uri)) return;
    const file = fileKey(uri);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      if (folder.files.has(file)) this.removeFile(folder, file, uri);
      return;
    }
    if (!this.alive(folder) || this.isOpen(uri)) return;
    if (await this.excluded(uri)) {
      if (folder.files.has(file)) this.removeFile(folder, file, uri);
      else this.clearDiagnostics(uri);
      return;
    }
    const done = await this.lintFromDisk(folder, uri, bytes, false);
    if (!done) {
      if (!folder.files.has(file)) this.clearDiagnostics(uri);
      return;
    }
    if (!this.alive(folder) || this.isOpen(uri)) return;
    this.publishClosed(folder, uri, done.result.findings, done.settings);
    this.changedEmitter.fire();
  }

  private clearDiagnostics(uri: vscode.Uri): void {
    if (this.isOpen(uri) || !this.collection.has(uri)) return;
    this.collection.delete(uri);
    this.changedEmitter.fire();
  }

  /** Diagnostics of a file that is not open; returns how many. */
  private publishClosed(folder: FolderIndex, uri: vscode.Uri, findings: readonly Finding[], settings: Settings): number {
    const lines = folder.files.get(fileKey(uri))?.lines;
    if (!lines || this.isOpen(uri)) return 0;
    if (findings.length === 0) {
      this.collection.delete(uri);
      return 0;
    }
    const source = {
      uri,
      positionAt: (offset: number) => {
        const p = lines.position(offset);
        return new vscode.Position(p.line, p.character);
      },
    };
    const locate = this.locator(folder);
    this.collection.set(uri, findings.map((f) => toDiagnostic(source, f, settings, locate)));
    return findings.length;
  }

  /** Places related information in other files: open documents, else the index's line tables. */
  private locator(folder: FolderIndex): OtherFileLocator {
    return (file, span) => {
      const entry = folder.files.get(file);
      if (!entry) return undefined;
      const key = entry.uri.toString();
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (open) return new vscode.Location(entry.uri, new vscode.Range(open.positionAt(span.start), open.positionAt(span.end)));
      const lines = entry.lines;
      if (!lines) return undefined;
      const a = lines.position(span.start);
      const b = lines.position(span.end);
      return new vscode.Location(entry.uri, new vscode.Range(a.line, a.character, b.line, b.character));
    };
  }

  private removeFile(folder: FolderIndex, file: string, uri: vscode.Uri): void {
    const module = folder.graph.moduleOf(file);
    const wasInit = PackageLayout.isInit(file);
    folder.drop(file);
    this.clearDiagnostics(uri);
    if (wasInit) {
      this.layoutChanged(folder, file);
      return;
    }
    const modules = module ? [module] : [];
    this.relintOpenDependents(folder, [], modules);
    if (folder.state === 'ready') this.relintClosedDependents(folder, [], modules);
    this.changedEmitter.fire();
  }

  // ---- file events ----

  private fileChanged(uri: vscode.Uri): void {
    if (this.disposed) return;
    const key = uri.toString();
    if (PackageLayout.isInit(uri.path)) this.folderOf(uri)?.probed.clear();
    this.fileEvents.schedule(key, FILE_EVENT_DELAY_MS, () => {
      this.refresh(uri).catch((err: unknown) => this.log.error(`index: ${display(uri)}: ${errorText(err)}`));
    });
  }

  /** Brings one path up to date with the disk: a Python file (new, changed, gone) or a folder. */
  private async refresh(uri: vscode.Uri): Promise<void> {
    const folder = this.folderOf(uri);
    if (!folder || folder.state === 'off' || !folder.discovered) return;
    if (inSkippedFolder(relativePath(uri, folder.folder.uri))) return;
    const file = fileKey(uri);
    let stat: vscode.FileStat | undefined;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      stat = undefined;
    }
    if (!this.alive(folder)) return;
    if (!stat) {
      if (folder.files.has(file)) this.removeFile(folder, file, uri);
      else this.pathDeleted(uri);
      return;
    }
    if (stat.type & vscode.FileType.Directory) {
      await this.addDirectory(folder, uri);
      return;
    }
    if (!isPythonPath(uri.path)) return;
    if (uri.path.endsWith('.pyi') && (await this.exists(uri.with({ path: uri.path.slice(0, -1) })))) return; // the source wins
    if (await this.excluded(uri)) {
      if (folder.files.has(file)) this.removeFile(folder, file, uri);
      return;
    }
    if (!folder.files.has(file)) {
      if (folder.files.size >= folder.maxFiles) {
        if (!folder.capped) this.log.warn(`${folder.folder.name}: conclens.indexMaxFiles (${folder.maxFiles}) reached; ${display(uri)} is not indexed`);
        folder.capped = true;
        return;
      }
      folder.files.set(file, { uri });
      if (folder.layout.add(file)) {
        this.layoutChanged(folder, file);
        return;
      }
    }
    if (this.isOpen(uri)) return; // the live lint has it; saving passes it on (saved())
    this.enqueueClosed(folder, [uri]);
  }

  private async exists(uri: vscode.Uri): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(uri);
      return true;
    } catch {
      return false;
    }
  }

  private async addDirectory(folder: FolderIndex, dir: vscode.Uri): Promise<void> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(dir, PYTHON_GLOB), excludeGlob());
    for (const uri of uris) this.fileChanged(uri);
  }

  /** A path was deleted that may have been a folder of indexed files (batched: a folder delete is a burst). */
  private pathDeleted(uri: vscode.Uri): void {
    if (isPythonPath(uri.path)) return; // the Python watcher has it
    this.deletedPaths.set(uri.toString(), uri);
    clearTimeout(this.deletedTimer);
    this.deletedTimer = setTimeout(() => {
      const paths = new Map(this.deletedPaths);
      this.deletedPaths.clear();
      for (const folder of this.folders.values()) {
        for (const [file, entry] of [...folder.files]) {
          for (let d = vscode.Uri.joinPath(entry.uri, '..'); isInside(d, folder.folder.uri); d = vscode.Uri.joinPath(d, '..')) {
            if (paths.has(d.toString())) {
              this.fileChanged(entry.uri);
              break;
            }
            if (d.path === folder.folder.uri.path || d.path === '/') break;
          }
          void file;
        }
      }
    }, 300);
  }

  private async saved(document: vscode.TextDocument): Promise<void> {
    if (!isLintableDocument(document)) return;
    const folder = this.folderOf(document.uri);
    if (!folder || folder.state !== 'ready') return;
    const snapshot = await this.linting.snapshot(document);
    const entry = folder.files.get(fileKey(document.uri));
    if (!snapshot || !entry || !this.alive(folder) || snapshot.workspace !== folder.workspace) return;
    const key = JSON.stringify(snapshot.summary);
    if (key === entry.diskKey) return;
    entry.diskKey = key;
    this.relintClosedDependents(folder, [snapshot.filename]);
  }

  /** Number of diagnostics across the workspace (open and indexed files). */
  get findingCount(): number {
    let n = 0;
    this.collection.forEach((_uri, diagnostics) => {
      n += diagnostics.length;
    });
    return n;
  }

  dispose(): void {
    this.disposed = true;
    this.run?.cancel();
    this.run?.dispose();
    this.fileEvents.dispose();
    clearTimeout(this.deletedTimer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.kickTimer);
    this.closedQueue.clear();
    for (const d of this.disposables.reverse()) d.dispose();
    this.disposables.length = 0;
    this.changedEmitter.dispose();
  }
}
