// Findings (with their fixes) kept per document version, keyed the way a diagnostic can be
// recognised when VS Code hands it back to the code-action provider. Fixes are computed
// when linting; code actions and hovers only look them up.
import type { Finding } from '../core/index';

export interface RangeLike {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** VS Code passes copies of our diagnostics back, so identity is by code, range and message. */
export function diagnosticKey(code: string, range: RangeLike, message: string): string {
  const { start, end } = range;
  return `${code}|${start.line}:${start.character}-${end.line}:${end.character}|${message}`;
}

export interface StoredFinding {
  finding: Finding;
  range: RangeLike;
}

interface Entry {
  version: number;
  byKey: Map<string, StoredFinding>;
}

export class FindingsStore {
  private docs = new Map<string, Entry>();

  set(uri: string, version: number, items: readonly StoredFinding[]): void {
    const byKey = new Map<string, StoredFinding>();
    for (const item of items) byKey.set(diagnosticKey(item.finding.code, item.range, item.finding.message), item);
    this.docs.set(uri, { version, byKey });
  }

  /** Undefined when the document changed since it was linted: the offsets would be wrong. */
  get(uri: string, version: number, key: string): StoredFinding | undefined {
    const entry = this.docs.get(uri);
    return entry && entry.version === version ? entry.byKey.get(key) : undefined;
  }

  /** Every finding of the document at `version` whose range touches `range`. */
  at(uri: string, version: number, line: number, character: number): StoredFinding[] {
    const entry = this.docs.get(uri);
    if (!entry || entry.version !== version) return [];
    return [...entry.byKey.values()].filter((s) => contains(s.range, line, character));
  }

  all(uri: string, version: number): StoredFinding[] {
    const entry = this.docs.get(uri);
    return entry && entry.version === version ? [...entry.byKey.values()] : [];
  }

  delete(uri: string): void {
    this.docs.delete(uri);
  }

  clear(): void {
    this.docs.clear();
  }

  /** Findings across every stored document (the status bar count). */
  get total(): number {
    let n = 0;
    for (const entry of this.docs.values()) n += entry.byKey.size;
    return n;
  }
}

function before(a: { line: number; character: number }, line: number, character: number): boolean {
  return a.line < line || (a.line === line && a.character <= character);
}

function contains(range: RangeLike, line: number, character: number): boolean {
  return before(range.start, line, character) && (range.end.line > line || (range.end.line === line && range.end.character >= character));
}
