// Which editor documents are linted: Python, in any scheme (file, untitled, vscode-vfs on the
// web, remote), except the read-only copies that source control and diff views open, whose
// diagnostics would duplicate the real file's in the Problems view.
const READ_ONLY_COPY_SCHEMES: ReadonlySet<string> = new Set(['git', 'gitfs', 'vscode-scm', 'conflictResolution', 'output', 'vscode-notebook-cell-output']);

export function isLintable(languageId: string, scheme: string): boolean {
  return languageId === 'python' && !READ_ONLY_COPY_SCHEMES.has(scheme);
}

/** The name the engine knows a file by: its path for `file:` URIs, else the URI itself. */
export function fileKey(uri: { scheme: string; fsPath: string; toString(): string }): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}
