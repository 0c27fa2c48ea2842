// A small stand-in for the `vscode` module, enough to run the workspace index
// (src/extension/project-index.ts) in mocha: URIs, events, cancellation, diagnostics, and a
// workspace whose folders, files and file system a test sets up (`fake`). The unit-test build
// (esbuild.mjs --tests) resolves `vscode` to this file; the real API is tested in VS Code
// (test/e2e, test/vscode).

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}

  static file(path: string): Uri {
    return new Uri('file', '', path.replace(/\\/g, '/'));
  }

  static parse(value: string): Uri {
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(.*)$/i.exec(value);
    return m ? new Uri(m[1], m[2], m[3] || '/') : new Uri('file', '', value);
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    const parts = base.path.split('/');
    for (const s of segments.join('/').split('/')) {
      if (s === '..') parts.pop();
      else if (s && s !== '.') parts.push(s);
    }
    return new Uri(base.scheme, base.authority, parts.join('/') || '/');
  }

  get fsPath(): string {
    return this.path;
  }

  get query(): string {
    return '';
  }

  get fragment(): string {
    return '';
  }

  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  code?: unknown;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
}

export class RelativePattern {
  constructor(
    readonly base: { uri: Uri } | Uri,
    readonly pattern: string,
  ) {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

/** What a test controls: the folders, the files (path -> text) and how reads behave. */
export const fake = {
  folders: [] as { uri: Uri; name: string; index: number }[],
  files: new Map<string, string>(),
  /** Every readFile call, in order (paths). */
  reads: [] as string[],
  /** Called before each read resolves (a test can cancel or count there). */
  onRead: (_path: string): void => undefined,
  reset(): void {
    this.folders = [];
    this.files = new Map();
    this.reads = [];
    this.onRead = () => undefined;
  },
};

const noEvent = (): Disposable => new Disposable();

function under(path: string, base: string): boolean {
  return path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

export const workspace = {
  get workspaceFolders() {
    return fake.folders;
  },
  textDocuments: [] as unknown[],
  getWorkspaceFolder(uri: Uri) {
    return fake.folders.find((f) => under(uri.path, f.uri.path));
  },
  getConfiguration() {
    return { get: () => undefined, inspect: () => undefined };
  },
  createFileSystemWatcher() {
    return { onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose: () => undefined };
  },
  onDidCreateFiles: noEvent,
  onDidDeleteFiles: noEvent,
  onDidRenameFiles: noEvent,
  onDidSaveTextDocument: noEvent,
  onDidChangeWorkspaceFolders: noEvent,
  onDidChangeConfiguration: noEvent,
  async findFiles(pattern: RelativePattern, _exclude?: unknown, max?: number): Promise<Uri[]> {
    const base = pattern.base instanceof Uri ? pattern.base : pattern.base.uri;
    const suffix = /\*\*\/\*\.\{?py/.test(pattern.pattern) ? /\.pyi?$/ : new RegExp(`/${pattern.pattern.replace('**/', '').replace(/\./g, '\\.')}$`);
    const out = [...fake.files.keys()].filter((p) => under(p, base.path) && suffix.test(p)).map((p) => Uri.file(p));
    return max === undefined ? out : out.slice(0, max);
  },
  fs: {
    async readFile(uri: Uri): Promise<Uint8Array> {
      fake.reads.push(uri.path);
      // A file system answers later, not within the caller's turn.
      await new Promise((r) => setImmediate(r));
      fake.onRead(uri.path);
      const text = fake.files.get(uri.path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${uri.path}`), { code: 'FileNotFound' });
      return new TextEncoder().encode(text);
    },
    async stat(uri: Uri) {
      if (fake.files.has(uri.path)) return { type: FileType.File, size: fake.files.get(uri.path)!.length, ctime: 0, mtime: 0 };
      if ([...fake.files.keys()].some((p) => under(p, uri.path))) return { type: FileType.Directory, size: 0, ctime: 0, mtime: 0 };
      throw Object.assign(new Error(`ENOENT: ${uri.path}`), { code: 'FileNotFound' });
    },
  },
};

export const window = {
  async withProgress<T>(_options: unknown, task: (progress: { report(value: unknown): void }) => Promise<T>): Promise<T> {
    return task({ report: () => undefined });
  },
};

export const languages = {};
export const commands = {};
