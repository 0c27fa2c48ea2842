// Reading, decoding and parsing one file, up to the tree's arrays: the part of a lint a
// parse worker of `conclens check` does (pipeline.ts). Only the grammar and the tree reader
// are imported, so the worker's bundle stays small and starts quickly.
import { NotParsedError, PyDocument } from '../core/parse/document';
import type { Grammar } from '../core/parse/grammar';
import type { ArrayViews } from '../core/parse/syntax';
import { readRegularFile } from './read-file';
import { decodeSource, type SourceText } from './source';

/**
 * A file read, decoded, parsed and its tree read into arrays, ready for the lint (a parse
 * worker of `conclens check` makes these; the arrays' buffers travel transferred); or why
 * it cannot be linted. Plain data.
 */
export type PreparedFile =
  | { kind: 'parsed'; source: SourceText; arrays: ArrayViews }
  | { kind: 'skipped'; reason: string }
  | { kind: 'unreadable'; code?: string; message: string; errorKind?: string }
  | { kind: 'failed'; message: string; stack?: string };

/** Reads, decodes and parses one file (the part of a lint before the analysis). */
export function prepareFile(grammar: Grammar, filename: string): PreparedFile {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(filename);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { kind?: string };
    return { kind: 'unreadable', code: e?.code, message: e instanceof Error ? e.message : String(err), errorKind: e?.kind };
  }
  return prepareBytes(grammar, bytes, filename);
}

/** Decodes and parses a file's bytes into the tree's arrays, or says why it cannot be linted. */
export function prepareBytes(grammar: Grammar, bytes: Uint8Array, filename: string): Exclude<PreparedFile, { kind: 'unreadable' }> {
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
  try {
    const doc = new PyDocument(grammar, decoded.source.text, filename);
    try {
      return { kind: 'parsed', source: decoded.source, arrays: doc.syntax.arrays() };
    } finally {
      doc.dispose();
    }
  } catch (err) {
    // Input on which tree-sitter's error recovery crawls: reported, not an engine failure.
    if (err instanceof NotParsedError) return { kind: 'skipped', reason: `${err.reason}; skipped` };
    const e = err instanceof Error ? err : new Error(String(err));
    return { kind: 'failed', message: e.message, stack: e.stack };
  }
}
