// The engine's side of `npm run bench`, bundled by bench/run.mjs into
// bench/.cache/build/engine.js and run as a fresh process per measurement:
//
//   engine.js edits  FILE N SEED OUT.json  one-letter edits spread over FILE, as offsets valid in turn
//   engine.js cold   FILE                  load the grammar and lint FILE once (cold start)
//   engine.js editor FILE EDITS.json       per-edit latency: tree-sitter's incremental re-parse alone,
//                                          then the extension's path (PyDocument.update + lintDocument)
//   engine.js memory FILE EDITS.json [S]   RSS and wasm heap before and after the edits (lints within S seconds)
//   engine.js edit-loop FILE EDITS.json N  the extension's path alone over N edits (to profile)
//   engine.js lint-all FILELIST            every file linted in this thread, as the CLI's first pass does (bench/scaling.mjs)
//
// Each mode prints one JSON object on stdout. The paths are those of src/extension/linting.ts:
// `new PyDocument(grammar, text, file)`, `doc.update([{start, deleted, text}])`,
// `linter.lintDocument(doc, settings)` with every rule on and no workspace.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Point, Tree } from 'web-tree-sitter';
import type { Settings } from '../src/core/config/settings';
import { Linter } from '../src/core/linter';
import { PyDocument } from '../src/core/parse/document';
import { Workspace } from '../src/core/semantics/workspace';
import { IdleCollector } from '../src/extension/idle-gc';

// The bundle sits in bench/.cache/build beside the wasm files (bench/run.mjs copies them).
const WASM_DIR = __dirname;
const SETTINGS: Settings = { select: ['ALL'] };

export interface Edit {
  start: number;
  text: string;
}

let created: Linter | undefined;

async function linter(): Promise<Linter> {
  // The linter initialises web-tree-sitter itself (as the CLI and the extension do), so it
  // keeps its fast tree walk (see src/core/parse/syntax.ts).
  created ??= await Linter.create({ wasmDir: WASM_DIR });
  return created;
}

function wasmHeapBytes(): number {
  return created?.grammar.wasmHeapBytes() ?? 0;
}

/** A small seeded generator (mulberry32), so every run makes the same edits. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * N edits that each type one letter into a name chosen at random over the whole file (as
 * someone renaming or typing does). `q` is in no Python keyword, so a name never turns
 * into one and the file keeps parsing; each offset is valid after the edits before it.
 */
async function makeEdits(file: string, n: number, seed: number): Promise<Edit[]> {
  const l = await linter();
  const text = readFileSync(file, 'utf8');
  const doc = new PyDocument(l.grammar, text, file);
  const names: { start: number; length: number }[] = [];
  const visit = (node: Node) => {
    if (node.type === 'identifier') names.push({ start: node.startIndex, length: node.endIndex - node.startIndex });
    for (const c of node.children) if (c) visit(c);
  };
  visit(doc.tree.rootNode);
  doc.dispose();
  const rnd = random(seed);
  const edits: Edit[] = [];
  for (let k = 0; k < n; k++) {
    const j = Math.floor(rnd() * names.length);
    const name = names[j];
    const at = name.start + Math.floor(rnd() * (name.length + 1));
    edits.push({ start: at, text: 'q' });
    name.length++;
    for (let i = j + 1; i < names.length; i++) names[i].start++;
  }
  return edits;
}

function percentiles(ms: number[]): { p50: number; p95: number; max: number; mean: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]), mean: round(s.reduce((a, b) => a + b, 0) / s.length), n: s.length };
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

async function cold(file: string): Promise<object> {
  // performance.now() counts from the start of the process (node's own start-up included).
  const startedAt = performance.now();
  const text = readFileSync(file, 'utf8');
  const l = await linter();
  const grammarLoaded = performance.now();
  const doc = new PyDocument(l.grammar, text, file);
  const result = l.lintDocument(doc, SETTINGS);
  const done = performance.now();
  return {
    lines: text.split('\n').length - 1,
    findings: result.findings.length,
    processStartToDiagnosticsMs: done,
    scriptStartToDiagnosticsMs: done - startedAt,
    grammarLoadMs: grammarLoaded - startedAt,
    firstLintMs: done - grammarLoaded,
  };
}

/**
 * tree-sitter alone over the editor's edits: tree.edit + incremental parse (positions
 * computed outside the timing). A process of its own: the 1,000 texts and trees it leaves
 * behind (~180 MB of dead strings in V8's large-object space, the wasm heap's arenas) made
 * the lints measured after it in the same process slower (p95 +1.5–2 ms in probes).
 */
async function editorBaseline(file: string, edits: Edit[]): Promise<object> {
  const l = await linter();
  const text0 = readFileSync(file, 'utf8');
  const parser = l.grammar.newParser();
  let tree = parser.parse(text0) as Tree;
  let text = text0;
  for (let warm = 0; warm < 3; warm++) (parser.parse(text, tree) as Tree).delete();
  const ts: number[] = [];
  for (const e of edits) {
    const startPosition = pointAt(text, e.start);
    const newEndPosition = { row: startPosition.row, column: startPosition.column + e.text.length };
    const next = text.slice(0, e.start) + e.text + text.slice(e.start);
    const t0 = performance.now();
    tree.edit({ startIndex: e.start, oldEndIndex: e.start, newEndIndex: e.start + e.text.length, startPosition, oldEndPosition: startPosition, newEndPosition });
    const fresh = parser.parse(next, tree) as Tree;
    ts.push(performance.now() - t0);
    tree.delete();
    tree = fresh;
    text = next;
  }
  tree.delete();
  parser.delete();
  return { edits: edits.length, treeSitterIncrementalMs: percentiles(ts), finalTextLength: text.length };
}

async function editor(file: string, edits: Edit[]): Promise<object> {
  const l = await linter();
  const text0 = readFileSync(file, 'utf8');

  // The extension's path: PyDocument.update (incremental re-parse) + lintDocument. Warmed
  // up first, as Ruff's re-check is: the same path (edit, then lint) over the first 100
  // edits on a separate copy, so the JIT has compiled the update code too, not only the lint.
  // Between edits, as the extension does once a lint has published (src/extension/idle-gc.ts),
  // the young generation is collected when it has too little room left for the next lint:
  // outside the timed span, and reported (idleCollections) with its time.
  const collector = IdleCollector.create();
  const warm = new PyDocument(l.grammar, text0, file);
  l.lintDocument(warm, SETTINGS);
  for (const e of edits.slice(0, 100)) {
    collector?.lintStarted();
    warm.update([{ start: e.start, deleted: 0, text: e.text }]);
    l.lintDocument(warm, SETTINGS);
    collector?.lintFinished();
    collector?.collectIfNeeded();
  }
  warm.dispose();
  const doc = new PyDocument(l.grammar, text0, file);
  const first = l.lintDocument(doc, SETTINGS);
  const lens: number[] = [];
  const parseOnly: number[] = [];
  const idle: number[] = [];
  // Which lints re-analysed a unit, and why the others linted the whole file (names in backquotes elided).
  const whole = new Map<string, number>();
  let incremental = 0;
  let findings = first.findings.length;
  for (const e of edits) {
    collector?.lintStarted();
    const t0 = performance.now();
    doc.update([{ start: e.start, deleted: 0, text: e.text }]);
    const t1 = performance.now();
    findings = l.lintDocument(doc, SETTINGS).findings.length;
    const t2 = performance.now();
    lens.push(t2 - t0);
    parseOnly.push(t1 - t0);
    if (l.lastUnit) incremental++;
    else {
      const why = (l.lastWhy ?? '?').replace(/`[^`]*`/g, '`…`');
      whole.set(why, (whole.get(why) ?? 0) + 1);
    }
    collector?.lintFinished();
    const t3 = performance.now();
    if (collector?.collectIfNeeded()) idle.push(performance.now() - t3);
  }
  const finalText = doc.text;
  doc.dispose();
  return {
    lines: text0.split('\n').length - 1,
    edits: edits.length,
    findingsBefore: first.findings.length,
    findingsAfter: findings,
    finalTextLength: finalText.length,
    conclensEditToDiagnosticsMs: percentiles(lens),
    conclensUpdateOnlyMs: percentiles(parseOnly),
    incrementalLints: { count: incremental, wholeFileReasons: Object.fromEntries([...whole].sort((a, b) => b[1] - a[1])) },
    idleCollections: { available: collector !== undefined, count: idle.length, totalMs: idle.reduce((a, b) => a + b, 0), ms: idle.length ? percentiles(idle) : undefined },
  };
}

/**
 * RSS and wasm heap before and after all the edits, each applied with PyDocument.update.
 * The document is linted after every edit when that fits in `budgetS` seconds; otherwise
 * after every k-th edit (k reported), so a slow engine still finishes in bounded time and
 * leaks of both kinds (per re-parse and per lint) still show.
 */
async function memory(file: string, edits: Edit[], budgetS: number): Promise<object> {
  const l = await linter();
  const text0 = readFileSync(file, 'utf8');
  // Settle: the process reaches its working size (code, V8's heap and the allocator's
  // arenas, the wasm heap) on a separate copy of the document, through the first 1,000 edits
  // and a lint after each, before the measured run starts on a fresh copy. (Ten lints, as
  // before, left the heap short of its working size, so growth to it counted as growth.)
  const warm = new PyDocument(l.grammar, text0, file);
  const settleEdits = edits.slice(0, Math.min(1000, edits.length));
  const settleStart = performance.now();
  for (const e of settleEdits) {
    warm.update([{ start: e.start, deleted: 0, text: e.text }]);
    l.lintDocument(warm, SETTINGS);
  }
  const lintMs = (performance.now() - settleStart) / Math.max(1, settleEdits.length);
  warm.dispose();
  const doc = new PyDocument(l.grammar, text0, file);
  l.lintDocument(doc, SETTINGS);
  const every = Math.max(1, Math.ceil((edits.length * lintMs) / (budgetS * 1000)));
  const gc = (globalThis as { gc?: () => void }).gc;
  const round = (x: number) => Math.round(x * 10) / 10;
  // Full collections with pauses between them, so V8's background sweeping and the freeing
  // of array buffers are done before RSS is read (else it swings by tens of MB with the GC's timing).
  const snapshot = async () => {
    for (let k = 0; k < 3; k++) {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const m = process.memoryUsage();
    return { rssMB: round(m.rss / 2 ** 20), heapUsedMB: round(m.heapUsed / 2 ** 20), externalMB: round(m.external / 2 ** 20), wasmHeapMB: round(wasmHeapBytes() / 2 ** 20) };
  };
  const before = await snapshot();
  const samples: { edits: number; rssMB: number; heapUsedMB: number; wasmHeapMB: number }[] = [];
  const t0 = performance.now();
  let lints = 0;
  edits.forEach((e, i) => {
    doc.update([{ start: e.start, deleted: 0, text: e.text }]);
    if ((i + 1) % every === 0 || i === edits.length - 1) {
      l.lintDocument(doc, SETTINGS);
      lints++;
    }
    if ((i + 1) % Math.ceil(edits.length / 10) === 0) {
      const m = process.memoryUsage();
      samples.push({ edits: i + 1, rssMB: round(m.rss / 2 ** 20), heapUsedMB: round(m.heapUsed / 2 ** 20), wasmHeapMB: round(wasmHeapBytes() / 2 ** 20) });
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  const after = await snapshot();
  doc.dispose();
  return {
    edits: edits.length,
    lints,
    lintEvery: every,
    settleLintMs: round(lintMs),
    seconds: round(seconds),
    gcExposed: !!gc,
    before,
    after,
    samples,
    rssGrowthMB: round(after.rssMB - before.rssMB),
    heapUsedGrowthMB: round(after.heapUsedMB - before.heapUsedMB),
    wasmHeapGrowthMB: round(after.wasmHeapMB - before.wasmHeapMB),
  };
}

/**
 * A large file through the extension's path for large documents: the first parse, then the
 * lint in slices (Linter.lintSteps, a turn of the event loop whenever a slice reaches
 * SLICE_MS, as src/extension/linting.ts does), then one edit and the same again. Reports
 * the longest time the event loop is held.
 */
async function large(file: string): Promise<object> {
  const SLICE_MS = 15;
  const l = await linter();
  const text = readFileSync(file, 'utf8');
  const sliced = (doc: PyDocument) => {
    const slices: number[] = [];
    const t0 = performance.now();
    let sliceStart = t0;
    const steps = l.lintSteps(doc, SETTINGS);
    for (;;) {
      const step = steps.next();
      const now = performance.now();
      if (step.done) {
        slices.push(now - sliceStart);
        return { totalMs: round3(now - t0), slices: slices.length, longestSliceMs: round3(Math.max(...slices)), findings: step.value.findings.length };
      }
      if (now - sliceStart >= SLICE_MS) {
        slices.push(now - sliceStart);
        sliceStart = performance.now();
      }
    }
  };
  // The first parse in slices too (PyDocument.openSteps), as the extension opens a large document.
  const openSlices: number[] = [];
  const t0 = performance.now();
  const opening = PyDocument.openSteps(l.grammar, text, file, SLICE_MS);
  let doc: PyDocument;
  for (let s0 = performance.now(); ; s0 = performance.now()) {
    const step = opening.next();
    openSlices.push(performance.now() - s0);
    if (step.done) {
      doc = step.value;
      break;
    }
  }
  const parseMs = performance.now() - t0;
  const first = sliced(doc);
  const mid = text.indexOf('\n', text.length >> 1) + 1 || text.length >> 1;
  const t1 = performance.now();
  doc.update([{ start: mid, deleted: 0, text: '#' }]);
  const updateMs = performance.now() - t1;
  const afterEdit = sliced(doc);
  const t2 = performance.now();
  l.lintDocument(doc, SETTINGS);
  const wholeLintMs = performance.now() - t2;
  doc.dispose();
  return { lines: text.split('\n').length - 1, bytes: Buffer.byteLength(text), openParseMs: round3(parseMs), openLongestSliceMs: round3(Math.max(...openSlices)), openSlices: openSlices.length, firstLint: first, editUpdateMs: round3(updateMs), afterEdit, wholeLintMs: round3(wholeLintMs) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Only the extension's path over the edits (for --cpu-prof). */
async function editLoop(file: string, edits: Edit[]): Promise<object> {
  const l = await linter();
  const doc = new PyDocument(l.grammar, readFileSync(file, 'utf8'), file);
  l.lintDocument(doc, SETTINGS);
  const t0 = performance.now();
  for (const e of edits) {
    doc.update([{ start: e.start, deleted: 0, text: e.text }]);
    l.lintDocument(doc, SETTINGS);
  }
  const ms = performance.now() - t0;
  doc.dispose();
  return { edits: edits.length, meanMs: ms / edits.length };
}

/** The engine's work on a run of files without the CLI around it: read, parse, lint (first pass), in one thread. */
async function lintAll(files: string[]): Promise<object> {
  const l = await linter();
  const workspace = new Workspace();
  const t0 = performance.now();
  let findings = 0;
  for (const f of files) findings += l.lintText(readFileSync(f, 'utf8'), f, SETTINGS, { workspace, deferCrossFile: true }).findings.length;
  return { files: files.length, findings, lintMs: performance.now() - t0 };
}

async function main(): Promise<void> {
  const [mode, file, ...rest] = process.argv.slice(2);
  let out: object;
  switch (mode) {
    case 'edits': {
      const [n, seed, outFile] = rest;
      const edits = await makeEdits(file, Number(n), Number(seed));
      writeFileSync(outFile, JSON.stringify(edits));
      out = { edits: edits.length };
      break;
    }
    case 'cold':
      out = await cold(file);
      break;
    case 'editor':
      out = await editor(file, JSON.parse(readFileSync(rest[0], 'utf8')) as Edit[]);
      break;
    case 'editor-baseline':
      out = await editorBaseline(file, JSON.parse(readFileSync(rest[0], 'utf8')) as Edit[]);
      break;
    case 'memory':
      out = await memory(file, JSON.parse(readFileSync(rest[0], 'utf8')) as Edit[], Number(rest[1] ?? 60));
      break;
    case 'large':
      out = await large(file);
      break;
    case 'lint-all':
      out = await lintAll(readFileSync(file, 'utf8').split('\n').filter(Boolean));
      break;
    case 'edit-loop':
      out = await editLoop(file, (JSON.parse(readFileSync(rest[0], 'utf8')) as Edit[]).slice(0, Number(rest[1] ?? 200)));
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
