// Bytes of a workspace file -> text, for files the editor does not have open (the
// background index). Only UTF-8 (with or without a BOM): anything else is skipped with a
// reason, as a file we cannot read with certainty should not be linted as garbage. Plus a
// compact table of line starts, to place findings without keeping the text. No `vscode`.

export type DecodedSource = { ok: true; text: string } | { ok: false; reason: string };

const SNIFF = 8192;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.subarray(0, SNIFF).includes(0)) return { ok: false, reason: 'contains NUL bytes (binary, or UTF-16)' };
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'is not valid UTF-8' };
  }
}

/** Offsets (UTF-16 code units) where each line starts; `\n`, `\r\n` and `\r` end lines. */
export class LineTable {
  private readonly starts: Uint32Array;

  constructor(text: string) {
    const starts: number[] = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = Uint32Array.from(starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line and UTF-16 character of an offset. */
  position(offset: number): { line: number; character: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.max(0, offset - s[lo]) };
  }
}
