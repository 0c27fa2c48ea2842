// The grammar's two wasm files (web-tree-sitter's runtime and tree-sitter-python), read as
// bytes from the installed extension (dist/ of the VSIX). One path for every extension
// host: desktop and remote (Node) read the files through vscode.workspace.fs; in the web
// worker extension host (vscode.dev, code-server's browser-only extensions) an extension
// URI may have no file system provider there, and the worker's `fetch` is the way in (VS Code
// maps `file:`/`vscode-remote:` URLs to browser URLs for it).
import * as vscode from 'vscode';
import type { GrammarSource } from '../core/index';

export const WASM_FILES = { runtimeWasm: 'tree-sitter.wasm', grammarWasm: 'tree-sitter-python.wasm' } as const;

export interface LoadedWasm {
  source: GrammarSource & { runtimeWasm: Uint8Array; grammarWasm: Uint8Array };
  /** How each file was read, for the log. */
  how: string;
}

async function readBytes(uri: vscode.Uri): Promise<{ bytes: Uint8Array; via: string }> {
  let fsError: unknown;
  try {
    return { bytes: await vscode.workspace.fs.readFile(uri), via: 'workspace.fs' };
  } catch (err) {
    fsError = err;
  }
  try {
    const response = await fetch(uri.toString(true));
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), via: 'fetch' };
  } catch (err) {
    throw new Error(`cannot read ${uri.toString(true)}: workspace.fs: ${String(fsError)}; fetch: ${String(err)}`);
  }
}

export async function readGrammarWasm(extensionUri: vscode.Uri): Promise<LoadedWasm> {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const [runtime, grammar] = await Promise.all([
    readBytes(vscode.Uri.joinPath(dist, WASM_FILES.runtimeWasm)),
    readBytes(vscode.Uri.joinPath(dist, WASM_FILES.grammarWasm)),
  ]);
  const kb = (b: Uint8Array) => `${Math.round(b.byteLength / 1024)} KB`;
  return {
    source: { runtimeWasm: runtime.bytes, grammarWasm: grammar.bytes },
    how: `${WASM_FILES.runtimeWasm} (${kb(runtime.bytes)}, ${runtime.via}) and ${WASM_FILES.grammarWasm} (${kb(grammar.bytes)}, ${grammar.via}) from ${dist.toString(true)}`,
  };
}

/** Which extension host runs this bundle: Node (desktop, remote) or a browser web worker. */
export function extensionHostKind(): 'node' | 'web worker' {
  const p = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof p?.versions?.node === 'string' ? 'node' : 'web worker';
}
