// Typed settings for a document: `conclens.*` from VS Code over `[tool.conclens]` from the
// nearest pyproject.toml inside the document's workspace folder. A VS Code setting wins only
// where the user set it; defaults from the manifest never hide the file's values.
import * as vscode from 'vscode';
import { mergeSettings } from '../core/config/merge';
import { parsePyproject } from '../core/config/pyproject';
import type { Settings } from '../core/index';
import { readEditorOptions, readLintSettings, type EditorOptions, type SettingReader } from './options';
import type { Log } from './log';

export const SECTION = 'conclens';

export interface ProjectConfig {
  /** The pyproject.toml the values came from (path or URI, for the log). */
  file: string;
  /** Its folder: `exclude` patterns are relative to it. */
  dir: vscode.Uri;
  settings: Settings;
}

export interface DocumentSettings {
  settings: Settings;
  /** Where the settings came from, in words, for the log. */
  source: string;
  /** The pyproject.toml with `[tool.conclens]` that applies, if any. */
  project?: ProjectConfig;
}

function reader(cfg: vscode.WorkspaceConfiguration): SettingReader {
  return (key) => {
    const i = cfg.inspect(key);
    const explicit =
      i !== undefined &&
      [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue].some(
        (v) => v !== undefined,
      );
    return { value: cfg.get(key), explicit };
  };
}

function display(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function isInside(child: vscode.Uri, root: vscode.Uri): boolean {
  if (child.scheme !== root.scheme || child.authority !== root.authority) return false;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return child.path === root.path || child.path.startsWith(base);
}

export class Config {
  /** Nearest pyproject.toml with a `[tool.conclens]` table, by folder URI. */
  private projects = new Map<string, Promise<ProjectConfig | undefined>>();
  /** Messages already logged, so a broken setting is reported once, not on every keystroke. */
  private reported = new Set<string>();

  constructor(private readonly log: Log) {}

  options(scope?: vscode.ConfigurationScope): EditorOptions {
    return readEditorOptions(reader(vscode.workspace.getConfiguration(SECTION, scope)));
  }

  settingsFor(document: vscode.TextDocument): Promise<DocumentSettings> {
    return this.settingsForUri(document.uri, document.isUntitled);
  }

  /** Settings for a file by its URI (files of the workspace that are not open, too). */
  async settingsForUri(uri: vscode.Uri, untitled = false): Promise<DocumentSettings> {
    const { settings: editor, errors } = readLintSettings(reader(vscode.workspace.getConfiguration(SECTION, uri)));
    for (const e of errors) this.reportOnce(e);
    const project = await this.projectFor(uri, untitled);
    const editorKeys = Object.keys(editor);
    const fromEditor = editorKeys.length > 0 ? `conclens.* settings (${editorKeys.join(', ')})` : '';
    const fromFile = project ? `[tool.conclens] in ${project.file}` : '';
    const source = [fromEditor, fromFile].filter(Boolean).join(' over ') || 'defaults (no conclens.* settings, no [tool.conclens])';
    return { settings: project ? mergeSettings(project.settings, editor) : editor, source, project };
  }

  /** Forgets cached pyproject.toml reads (a pyproject.toml changed) and logged messages. */
  invalidate(): void {
    this.projects.clear();
    this.reported.clear();
  }

  private reportOnce(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
  }

  private projectFor(uri: vscode.Uri, untitled: boolean): Promise<ProjectConfig | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? (untitled ? vscode.workspace.workspaceFolders?.[0] : undefined);
    if (!folder) return Promise.resolve(undefined);
    const start = isInside(uri, folder.uri) ? vscode.Uri.joinPath(uri, '..') : folder.uri;
    return this.lookup(start, folder.uri);
  }

  // Walks up from `dir` to the workspace folder root; each folder's answer is cached.
  private lookup(dir: vscode.Uri, root: vscode.Uri): Promise<ProjectConfig | undefined> {
    const key = dir.toString();
    let found = this.projects.get(key);
    if (!found) {
      found = this.readProject(dir).then((project) => {
        if (project) return project;
        const parent = vscode.Uri.joinPath(dir, '..');
        if (parent.path === dir.path || !isInside(parent, root)) return undefined;
        return this.lookup(parent, root);
      });
      this.projects.set(key, found);
    }
    return found;
  }

  private async readProject(dir: vscode.Uri): Promise<ProjectConfig | undefined> {
    const uri = vscode.Uri.joinPath(dir, 'pyproject.toml');
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined; // no pyproject.toml here
    }
    const file = display(uri);
    const { settings, errors, hasTable } = parsePyproject(new TextDecoder().decode(bytes), file);
    for (const e of errors) this.reportOnce(e);
    // A pyproject.toml that does not parse stops the walk: using a parent's config instead
    // would silently apply settings the user did not mean for this project.
    if (!hasTable && errors.length === 0) return undefined;
    this.log.info(`using [tool.conclens] from ${file}${errors.length ? ` (${errors.length} problem(s), see above)` : ''}`);
    return { file, dir, settings };
  }
}
