// Mutations of real Python: what an editor sees while someone types, what a broken checkout
// or a hostile file holds. Every mutation draws from the case's own Rng, so a case is rebuilt
// exactly from (seed, index).
import type { TextChange } from '../../src/core/parse/document';
import type { Rng } from './rng';

/** Tokens inserted at random points: keywords, brackets, quotes, odd characters. */
export const TOKENS = [
  'async ', 'await ', 'def ', 'async def ', 'with ', 'async with ', 'for ', 'async for ', 'lambda: ', 'yield ', 'return ',
  ':', '(', ')', '[', ']', '{', '}', '((', '))', '[(', ')]', ',', '.', ';', '=', ':=', '->', '@', '*', '**', '\\', '\\\n',
  '"', "'", '"""', "'''", 'f"', 'f"{', 'rb"', '#', '# noqa', '# noqa: CL101', '# noqa: XYZ123, CL1', '# NOQA:CL201,cl104', '# type: ignore',
  'import ', 'from ', ' as ', 'class ', 'global ', 'nonlocal ', 'try:', 'except:', 'finally:', 'else:', 'elif ', 'if ', 'while ', 'del ',
  'match x:\n    case 1:\n        pass\n', 'pass', '...', 'None', '_', '__name__', 'self.', 'print(', 'type X = int\n',
  '\t', '\n', '\r', '\r\n', '\n\n', '    ', '\x00', '\x0c', '\x1b', '\u00a0', '\u2028', '\ufeff', '\u{1F600}', 'é', 'ß', '\ud800', '\udc00',
  'time.sleep(1)', 'await asyncio.sleep(0)', 'asyncio.create_task(f())', 'asyncio.run(main())', 'lock.acquire()', 'open(p)',
  'requests.get(u)', 'subprocess.run(c)', 'threading.Thread(target=lambda: 0)', 'pool.submit(lambda: 1)', 'fut.result()',
];

/** Lines inserted with the indentation of their neighbour: concurrency code for the rules (and their fixes) to see. */
export const SNIPPETS = [
  'import time', 'import asyncio', 'import trio', 'import anyio', 'import threading', 'import subprocess', 'import requests',
  'from time import sleep', 'from asyncio import sleep as asleep, create_task', 'from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor',
  'import multiprocessing as mp', 'import sqlite3', 'import os, shutil', 'from pathlib import Path',
  'time.sleep(1)', 'sleep(0.5)', 'time.sleep(delay * 2)', 'await asyncio.sleep(1)', 'asyncio.create_task(work())', 'task = asyncio.ensure_future(work())',
  'asyncio.get_event_loop().create_task(work())', '_ = asyncio.create_task(work())', 'work()', 'if work():\n    pass',
  'requests.get(url, timeout=5)', 'session = requests.Session()\nsession.get(url)', 'urllib.request.urlopen(url).read()',
  'subprocess.run(["ls", "-l"], check=True)', 'subprocess.check_output("ls", shell=True)', 'os.system("ls")', 'os.popen("ls").read()',
  'with open(path) as f:\n    data = f.read()', 'data = open(path).read()', 'Path(path).read_text()', 'os.path.exists(path)', 'shutil.rmtree(path)',
  'conn = sqlite3.connect("db")\nconn.execute("select 1").fetchall()', 'input("name? ")', 'sys.stdin.readline()',
  'lock = threading.Lock()', 'with lock:\n    counter += 1', 'lock.acquire()', 'lock.acquire()\ntry:\n    pass\nfinally:\n    lock.release()',
  'event.wait()', 'q = queue.Queue()\nq.get()', 'fut.result()', 'thread.join()', 'asyncio.run(main())', 'loop = asyncio.get_event_loop()',
  'loop.run_until_complete(main())', 'await loop.run_in_executor(None, time.sleep, 1)', 'await asyncio.to_thread(time.sleep, 1)',
  'threading.Thread(target=crunch).start()', 'ThreadPoolExecutor().submit(crunch, 10)', 'asyncio.to_thread(crunch)',
  'with ProcessPoolExecutor() as pool:\n    pool.submit(lambda: 1)', 'mp.Process(target=work).start()', 'pool = mp.Pool()\npool.map(str, range(3))',
  'with mp.Pool() as p:\n    p.map(download, urls)', 'for i in range(10**7):\n    total += i * i', 'while not done:\n    await asyncio.sleep(0.1)',
  'global counter\ncounter += 1', 'self.count += 1', 'for u in urls:\n    results.append(await fetch(u))', 'return await asyncio.gather(*tasks)',
  'async with session.get(url) as r:\n    return await r.text()', 'if __name__ == "__main__":\n    main()', 'await trio.sleep(1)',
  'async def handler(request):\n    time.sleep(1)\n    return requests.get(request.url)', 'def crunch(n):\n    return sum(i * i for i in range(n))',
  'x = (time.sleep(1) for _ in range(3))', 'f"{time.sleep(1)}"', 'lambda: time.sleep(1)', '@decorator(time.sleep(1))\ndef g(): pass',
];

export interface Mutated {
  text: string;
  label: string;
}

/** Sizes of the big mutations: the long run uses the real ones, the unit test's short run small ones. */
export interface Limits {
  longLineBytes: number;
  nestingDepths: readonly number[];
  /** Longest window of a corpus file a case starts from (lines); whole files now and then when undefined. */
  windowLines?: number;
}

export const FULL_LIMITS: Limits = { longLineBytes: 1 << 20, nestingDepths: [50, 100, 500, 1000, 5000, 10000] };
export const QUICK_LIMITS: Limits = { longLineBytes: 4096, nestingDepths: [20, 50, 100, 200], windowLines: 150 };

type TextMutation = (text: string, rng: Rng, corpus: readonly string[], limits: Limits) => Mutated;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A random offset, biased towards places where tokens meet (after spaces, brackets, line ends). */
export function randomOffset(text: string, rng: Rng): number {
  if (text.length === 0) return 0;
  const at = rng.int(text.length + 1);
  if (rng.chance(0.5)) return at;
  const boundary = /[\s()[\]{}:,.=]/g;
  boundary.lastIndex = at;
  const m = boundary.exec(text);
  return m ? m.index + (rng.chance(0.5) ? 1 : 0) : at;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function reindent(block: string, indent: string): string {
  return block
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

const insertToken: TextMutation = (text, rng) => {
  const n = rng.range(1, 4);
  let t = text;
  const used: string[] = [];
  for (let i = 0; i < n; i++) {
    const tok = rng.pick(TOKENS);
    const at = randomOffset(t, rng);
    t = t.slice(0, at) + tok + t.slice(at);
    used.push(JSON.stringify(tok));
  }
  return { text: t, label: `insert ${used.join(' ')}` };
};

const deleteRange: TextMutation = (text, rng) => {
  const at = randomOffset(text, rng);
  const len = rng.chance(0.7) ? rng.range(1, 3) : rng.range(1, 200);
  return { text: text.slice(0, at) + text.slice(at + len), label: `delete ${len} at ${at}` };
};

const truncate: TextMutation = (text, rng) => {
  const at = rng.int(text.length + 1);
  return { text: text.slice(0, at), label: `truncate at ${at}` };
};

const deleteLines: TextMutation = (text, rng) => {
  const lines = splitLines(text);
  const at = rng.int(lines.length);
  const n = rng.chance(0.7) ? 1 : rng.range(2, 20);
  lines.splice(at, n);
  return { text: lines.join('\n'), label: `delete lines ${at + 1}+${n}` };
};

const duplicateLines: TextMutation = (text, rng) => {
  const lines = splitLines(text);
  const at = rng.int(lines.length);
  const n = rng.range(1, 10);
  const to = rng.int(lines.length + 1);
  lines.splice(to, 0, ...lines.slice(at, at + n));
  return { text: lines.join('\n'), label: `duplicate lines ${at + 1}+${n} to ${to + 1}` };
};

const swapLines: TextMutation = (text, rng) => {
  const lines = splitLines(text);
  const a = rng.int(lines.length);
  const b = rng.int(lines.length);
  [lines[a], lines[b]] = [lines[b], lines[a]];
  return { text: lines.join('\n'), label: `swap lines ${a + 1} ${b + 1}` };
};

const indentation: TextMutation = (text, rng) => {
  const lines = splitLines(text);
  const n = rng.range(1, 8);
  for (let i = 0; i < n; i++) {
    const at = rng.int(lines.length);
    const line = lines[at];
    switch (rng.int(5)) {
      case 0:
        lines[at] = ' '.repeat(rng.range(1, 8)) + line;
        break;
      case 1:
        lines[at] = line.replace(/^[ \t]{1,4}/, '');
        break;
      case 2:
        lines[at] = '\t' + line;
        break;
      case 3:
        lines[at] = line.replace(/^( {4})+/, (m) => '\t'.repeat(m.length / 4)); // tabs where spaces were
        break;
      default:
        lines[at] = line.trimStart();
    }
  }
  return { text: lines.join('\n'), label: `indentation x${n}` };
};

const insertSnippet: TextMutation = (text, rng) => {
  const lines = splitLines(text);
  const n = rng.range(1, 4);
  const used: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = rng.int(lines.length + 1);
    // Indent like the line below (or above), so the snippet usually lands inside a body.
    const near = lines[at] ?? lines[at - 1] ?? '';
    const snippet = rng.pick(SNIPPETS);
    lines.splice(at, 0, reindent(snippet, indentOf(near)));
    used.push(`${JSON.stringify(snippet.split('\n')[0])}@${at + 1}`);
  }
  return { text: lines.join('\n'), label: `snippets ${used.join(' ')}` };
};

/** Makes sync code coroutine code: `def` -> `async def`, or a block wrapped in an `async def`. */
const asyncify: TextMutation = (text, rng) => {
  if (rng.chance(0.5)) {
    let count = 0;
    const p = rng.next();
    const out = text.replace(/(^|\n)([ \t]*)def /g, (m, nl: string, ind: string) => {
      if (rng.next() > p) return m;
      count++;
      return `${nl}${ind}async def `;
    });
    return { text: out, label: `async def x${count}` };
  }
  const lines = splitLines(text);
  const at = rng.int(lines.length);
  const n = rng.range(1, 40);
  const block = lines.slice(at, at + n);
  const ind = indentOf(block[0] ?? '');
  lines.splice(at, n, `${ind}async def _fuzz_coroutine():`, ...block.map((l) => (l.trim() ? `    ${l}` : l)));
  return { text: lines.join('\n'), label: `wrap lines ${at + 1}+${n} in async def` };
};

/** A chunk of another corpus file, pasted at a random line. */
const splice: TextMutation = (text, rng, corpus) => {
  const other = splitLines(rng.pick(corpus));
  const from = rng.int(other.length);
  const chunk = other.slice(from, from + rng.range(1, 60));
  const lines = splitLines(text);
  const at = rng.int(lines.length + 1);
  lines.splice(at, 0, ...chunk);
  return { text: lines.join('\n'), label: `splice ${chunk.length} lines at ${at + 1}` };
};

const lineEndings: TextMutation = (text, rng) => {
  switch (rng.int(3)) {
    case 0:
      return { text: text.replace(/\r?\n/g, '\r\n'), label: 'CRLF' };
    case 1:
      return { text: text.replace(/\r?\n/g, '\r'), label: 'CR' };
    default:
      return { text: text.replace(/\n/g, () => (rng.chance(0.3) ? '\r\n' : '\n')), label: 'mixed line endings' };
  }
};

export const LONG_LINE_BYTES = 1 << 20;

/** A line of about 1 MB, of one of several shapes. */
export function longLine(rng: Rng, size = LONG_LINE_BYTES): { line: string; kind: string } {
  const kinds: [string, () => string][] = [
    ['string', () => `x = "${'a'.repeat(size)}"`],
    ['comment', () => `# ${'é'.repeat(size / 2)}`],
    ['identifier', () => `${'a'.repeat(size)} = 1`],
    ['list', () => `x = [${'1, '.repeat(size / 3)}]`],
    ['attribute chain', () => `x = a${'.b'.repeat(size / 2)}`],
    ['statements', () => 'time.sleep(0); '.repeat(size / 15)],
    ['sum', () => `x = ${'a + '.repeat(size / 4)}1`],
    ['calls', () => `x = ${'f(1), '.repeat(size / 6)}`],
    ['unterminated string', () => `x = "${'b'.repeat(size)}`],
    ['dict', () => `d = {${'"k": 1, '.repeat(size / 8)}}`],
  ];
  const [kind, make] = rng.pick(kinds);
  return { line: make(), kind };
}

const veryLongLine: TextMutation = (text, rng, _corpus, limits) => {
  const lines = splitLines(text);
  const at = rng.int(lines.length + 1);
  const { line, kind } = longLine(rng, limits.longLineBytes);
  lines.splice(at, 0, indentOf(lines[at] ?? '') + line);
  const size = limits.longLineBytes >= 1 << 20 ? `${limits.longLineBytes >> 20} MB` : `${limits.longLineBytes >> 10} KB`;
  return { text: lines.join('\n'), label: `${size} line (${kind}) at ${at + 1}` };
};

/** `depth` nested brackets of one of several shapes (balanced or not). */
export function deepNesting(rng: Rng, depth: number): { code: string; kind: string } {
  const kinds: [string, () => string][] = [
    ['parens', () => `x = ${'('.repeat(depth)}1${')'.repeat(depth)}`],
    ['lists', () => `x = ${'['.repeat(depth)}${']'.repeat(depth)}`],
    ['dicts', () => `x = ${'{"k": '.repeat(depth)}1${'}'.repeat(depth)}`],
    ['calls', () => `x = ${'f('.repeat(depth)}${')'.repeat(depth)}`],
    ['subscripts', () => `x = a${'[b'.repeat(depth)}${']'.repeat(depth)}`],
    ['unclosed', () => `x = ${rng.pick(['(', '[', '{', 'f(']).repeat(depth)}`],
    ['unopened', () => `x = 1${rng.pick([')', ']', '}']).repeat(depth)}`],
    ['mixed', () => {
      const open: string[] = [];
      let s = 'x = ';
      for (let i = 0; i < depth; i++) {
        const b = rng.pick(['(', '[', '{']);
        open.push(b);
        s += b;
      }
      return s + open.reverse().map((b) => (b === '(' ? ')' : b === '[' ? ']' : '}')).join('');
    }],
    ['not', () => `x = ${'not '.repeat(depth)}y`],
    ['unary', () => `x = ${'-'.repeat(depth)}1`],
    ['lambdas', () => `f = ${'lambda: '.repeat(depth)}1`],
    ['awaits', () => `async def f():\n    ${'await '.repeat(depth)}g()`],
    ['indentation', () => {
      const levels = Math.min(depth, 2000);
      let s = '';
      for (let i = 0; i < levels; i++) s += `${' '.repeat(i)}if x:\n`;
      return s + ' '.repeat(levels) + 'pass';
    }],
  ];
  const [kind, make] = rng.pick(kinds);
  return { code: make(), kind };
}

const deepNest: TextMutation = (text, rng, _corpus, limits) => {
  const depth = rng.pick(limits.nestingDepths);
  const { code, kind } = deepNesting(rng, depth);
  const lines = splitLines(text);
  const at = rng.int(lines.length + 1);
  const near = lines[at] ?? '';
  lines.splice(at, 0, reindent(code, indentOf(near)));
  return { text: lines.join('\n'), label: `${depth} nested ${kind} at ${at + 1}` };
};

export const TEXT_MUTATIONS: readonly (readonly [TextMutation, number, string])[] = [
  [insertToken, 20, 'insert'],
  [deleteRange, 8, 'delete'],
  [truncate, 6, 'truncate'],
  [deleteLines, 8, 'delete lines'],
  [duplicateLines, 6, 'duplicate lines'],
  [swapLines, 4, 'swap lines'],
  [indentation, 8, 'indentation'],
  [insertSnippet, 18, 'snippets'],
  [asyncify, 14, 'asyncify'],
  [splice, 6, 'splice'],
  [lineEndings, 3, 'line endings'],
  [veryLongLine, 0.5, 'long line'],
  [deepNest, 1.5, 'deep nesting'],
];

export function mutateText(text: string, rng: Rng, corpus: readonly string[], count: number, limits: Limits = FULL_LIMITS): Mutated {
  let t = text;
  const labels: string[] = [];
  const table = TEXT_MUTATIONS.map(([m, w]) => [m, w] as const);
  for (let i = 0; i < count; i++) {
    const m = rng.weighted(table);
    const r = m(t, rng, corpus, limits);
    t = r.text;
    labels.push(r.label);
  }
  return { text: t, label: labels.join('; ') };
}

/** Byte-level damage for the CLI's read path: bit flips, invalid UTF-8, NUL bytes, a BOM, a coding line. */
export function mutateBytes(bytes: Buffer, rng: Rng): { bytes: Buffer; label: string } {
  let b: Buffer = Buffer.from(bytes);
  const kind = rng.int(8);
  switch (kind) {
    case 0: {
      const n = rng.range(1, 8);
      for (let i = 0; i < n && b.length; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return { bytes: b, label: `${n} bit flips` };
    }
    case 1: {
      const bad = rng.pick([[0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xfe, 0xff]]);
      const at = rng.int(b.length + 1);
      b = Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]);
      return { bytes: b, label: `invalid UTF-8 ${bad.map((x) => x.toString(16)).join(' ')} at byte ${at}` };
    }
    case 2: {
      const at = rng.chance(0.5) ? rng.int(Math.min(b.length + 1, 8192)) : rng.int(b.length + 1);
      b = Buffer.concat([b.subarray(0, at), Buffer.from([0]), b.subarray(at)]);
      return { bytes: b, label: `NUL byte at ${at}` };
    }
    case 3:
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), label: 'BOM' };
    case 4: {
      const enc = rng.pick(['latin-1', 'utf-8', 'cp1252', 'ascii', 'utf-8-sig', 'koi8-r', 'euc-jp', 'bogus-codec', 'utf-16']);
      return { bytes: Buffer.concat([Buffer.from(`# -*- coding: ${enc} -*-\n`), b]), label: `coding: ${enc}` };
    }
    case 5: {
      // Latin-1 bytes (invalid UTF-8) after a latin-1 declaration: decodable.
      return { bytes: Buffer.concat([Buffer.from('# coding: latin-1\n'), b, Buffer.from('\n# caf\xe9\n', 'latin1')]), label: 'latin-1 with declaration' };
    }
    case 6: {
      const at = rng.int(b.length + 1);
      return { bytes: b.subarray(0, at), label: `byte truncation at ${at}` };
    }
    default: {
      // UTF-16, as some Windows editors save.
      const le = Buffer.from(b.toString('utf8'), 'utf16le');
      return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]), label: 'UTF-16LE' };
    }
  }
}

/**
 * A session of editor changes starting from `text`: each batch is one change event (one or
 * more changes, applied one after another as VS Code orders them). Typing a snippet char by
 * char, deleting, pasting, undoing.
 */
export function editSession(text: string, rng: Rng, corpus: readonly string[]): { batches: TextChange[][]; final: string; label: string } {
  const batches: TextChange[][] = [];
  let cur = text;
  const history: { change: TextChange; removed: string }[] = [];
  const apply = (c: TextChange) => {
    const removed = cur.slice(c.start, c.start + c.deleted);
    cur = cur.slice(0, c.start) + c.text + cur.slice(c.start + c.deleted);
    history.push({ change: c, removed });
    return c;
  };
  const n = rng.range(3, 25);
  const kinds: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rng.weighted([
      ['type', 5],
      ['token', 5],
      ['delete', 4],
      ['replace', 3],
      ['paste', 2],
      ['undo', 2],
      ['multi', 2],
      ['line', 3],
    ] as const);
    kinds.push(kind);
    switch (kind) {
      case 'type': {
        const s = rng.pick([...SNIPPETS, ...TOKENS]);
        let at = randomOffset(cur, rng);
        for (const ch of s) {
          batches.push([apply({ start: at, deleted: 0, text: ch })]);
          at += ch.length;
        }
        break;
      }
      case 'token': {
        batches.push([apply({ start: randomOffset(cur, rng), deleted: 0, text: rng.pick(TOKENS) })]);
        break;
      }
      case 'delete': {
        const at = randomOffset(cur, rng);
        const len = Math.min(cur.length - at, rng.chance(0.6) ? 1 : rng.range(1, 300));
        batches.push([apply({ start: at, deleted: Math.max(0, len), text: '' })]);
        break;
      }
      case 'replace': {
        const at = randomOffset(cur, rng);
        const len = Math.min(cur.length - at, rng.range(0, 40));
        batches.push([apply({ start: at, deleted: Math.max(0, len), text: rng.pick([...TOKENS, ...SNIPPETS]) })]);
        break;
      }
      case 'paste': {
        const other = rng.pick(corpus);
        const from = rng.int(other.length);
        batches.push([apply({ start: randomOffset(cur, rng), deleted: 0, text: other.slice(from, from + rng.range(1, 2000)) })]);
        break;
      }
      case 'undo': {
        const last = history.pop();
        if (!last) break;
        const c = last.change;
        const undo = { start: c.start, deleted: c.text.length, text: last.removed };
        cur = cur.slice(0, undo.start) + undo.text + cur.slice(undo.start + undo.deleted);
        batches.push([undo]);
        break;
      }
      case 'multi': {
        // Several changes in one event (multi-cursor, rename): VS Code lists them from the end
        // of the document backwards, so each applies in the coordinates left by the previous.
        const k = rng.range(2, 5);
        const points = Array.from({ length: k }, () => randomOffset(cur, rng)).sort((a, b) => b - a);
        const tok = rng.pick(TOKENS);
        const batch: TextChange[] = [];
        let prev = Infinity;
        for (const p of points) {
          if (p >= prev) continue;
          const len = Math.min(rng.range(0, 3), prev - p, cur.length - p);
          batch.push(apply({ start: p, deleted: Math.max(0, len), text: tok }));
          prev = p;
        }
        batches.push(batch);
        break;
      }
      default: {
        // Enter + indentation, or delete a whole line.
        const starts = lineStarts(cur);
        const row = rng.int(starts.length);
        const start = starts[row];
        const end = row + 1 < starts.length ? starts[row + 1] : cur.length;
        if (rng.chance(0.5)) batches.push([apply({ start: end, deleted: 0, text: '\n' + indentOf(cur.slice(start, end)) })]);
        else batches.push([apply({ start, deleted: end - start, text: '' })]);
      }
    }
  }
  return { batches, final: cur, label: `${batches.length} edit events (${kinds.join(',')})` };
}
