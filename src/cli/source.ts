// Turns a file's bytes into text the way Python would read it: UTF-8 (with or without a
// BOM) unless a PEP 263 coding declaration says otherwise. Anything we cannot decode with
// certainty is skipped with a message rather than linted as garbage.

export type Eol = '\n' | '\r\n' | '\r';

export interface SourceText {
  text: string;
  /** The file started with a UTF-8 byte order mark (stripped from `text`, restored on write). */
  bom: boolean;
  /** `utf-8`, or the name the coding declaration gives. */
  encoding: string;
  /** The first line ending in the file; fix text is written with it. */
  eol: Eol;
}

export type DecodeResult = { ok: true; source: SourceText } | { ok: false; reason: string };

const BINARY_SNIFF_BYTES = 8192;
// PEP 263: on line 1 or 2, a comment containing `coding[:=]name`.
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeSource(bytes: Uint8Array): DecodeResult {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { ok: false, reason: 'contains NUL bytes (a binary file, or UTF-16); skipped' };

  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = codingDeclaration(body);

  if (declared && !bom && !isUtf8Name(declared.name)) {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(whatwgLabel(declared.name), { fatal: true });
    } catch {
      return { ok: false, reason: `declares encoding "${declared.name}" (line ${declared.line}), which this build cannot decode; skipped` };
    }
    try {
      const text = decoder.decode(body);
      return { ok: true, source: { text, bom: false, encoding: declared.name, eol: detectEol(text) } };
    } catch {
      return { ok: false, reason: `is not valid ${declared.name} as its coding declaration (line ${declared.line}) says; skipped` };
    }
  }

  try {
    const text = utf8.decode(body);
    return { ok: true, source: { text, bom, encoding: 'utf-8', eol: detectEol(text) } };
  } catch {
    const bad = firstInvalidUtf8(body);
    const line = lineOfByte(body, bad);
    return {
      ok: false,
      reason: `is not UTF-8 (invalid byte 0x${body[bad]?.toString(16).padStart(2, '0') ?? '??'} on line ${line}) and has no coding declaration; skipped`,
    };
  }
}

function codingDeclaration(bytes: Uint8Array): { name: string; line: number } | undefined {
  // Latin-1 maps bytes 1:1, so the regex sees the raw ASCII of the first two lines.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const lines = head.split(/\r\n|\r|\n/, 2);
  for (let i = 0; i < lines.length; i++) {
    const m = CODING.exec(lines[i]);
    if (m) return { name: m[1], line: i + 1 };
    // Only a comment or blank first line lets the declaration sit on line 2.
    if (!/^[ \t\f]*(#.*)?$/.test(lines[i])) break;
  }
  return undefined;
}

function isUtf8Name(name: string): boolean {
  return /^utf[-_]?8([-_]sig)?$/i.test(name);
}

// Python codec names → WHATWG labels where they differ; TextDecoder knows the rest.
const PY_TO_WHATWG: Record<string, string> = {
  'latin-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'iso-latin-1': 'iso-8859-1',
  cp1252: 'windows-1252',
  cp1251: 'windows-1251',
  cp1250: 'windows-1250',
  cp932: 'shift_jis',
  ascii: 'windows-1252',
  'us-ascii': 'windows-1252',
};

function whatwgLabel(name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  return PY_TO_WHATWG[n] ?? PY_TO_WHATWG[name.toLowerCase()] ?? name;
}

export function detectEol(text: string): Eol {
  const i = text.search(/\r\n|\r|\n/);
  if (i < 0) return '\n';
  if (text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** Offset of the first byte that breaks UTF-8 (only called after the decoder failed). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    if (i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

function lineOfByte(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < b.length; i++) if (b[i] === 10) line++;
  return line;
}

/** Encodes text for writing back; only UTF-8 sources are ever written. */
export function encodeSource(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
