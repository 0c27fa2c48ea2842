#!/usr/bin/env node
// `npm run bench`: Concurrency Lens against the parser floor and Ruff's WebAssembly build,
// on the CPython standard library shipped in the npm package `pyodide`, in one run.
//
//   npm run bench                   bundle, then measure (a few minutes on 2 idle cores)
//   node bench/run.mjs --reps 5     repetitions of the cold runs (default 3; the median is reported)
//   node bench/run.mjs --quick      1 repetition, 2,000 edits for the memory run (a smoke test)
//   node bench/run.mjs --no-profile skip the CPU profiles (node --cpu-prof) of the CLI and the editor path
//   --memory-budget S               seconds the memory run may spend linting (default 60): the
//                                   document is linted after every edit if that fits, else after every k-th
//
// Prints a table and writes bench/results.json (raw numbers, ratios against the baselines
// measured in this run, the targets of issue 6 with pass/fail, machine info). Every cold
// measurement is a fresh `node` process, timed from spawn to exit; repetitions go round-robin
// over the tools so that a busy moment hits them alike, and the median is reported.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, availableParallelism, platform, arch, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { zipEntries } from './zip.mjs';
import { formatSummary, summarize } from './profile.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
const CACHE = join(BENCH, '.cache');
const BUILD = join(CACHE, 'build');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? Number(argv[i + 1]) : dflt;
};
const QUICK = flag('--quick');
const REPS = option('--reps', QUICK ? 1 : 3);
const PROFILE = !flag('--no-profile');
const MEMORY_BUDGET_S = option('--memory-budget', 60);
const EDITOR_EDITS = 1000;
const MEMORY_EDITS = option('--memory-edits', QUICK ? 2000 : 10000);
const EDITOR_LINES = 5000;
const COLD_LINES = 1000;

const TARGETS = {
  coldVsRuff: 1.5,
  coldVsParse: 1.0,
  editorP95Ms: 10,
  editorVsTreeSitterP95: 1.5,
  editorVsRuffRecheck: 3,
  coldStartMs: 300,
  rssGrowthMB: 20,
};

function log(msg) {
  process.stderr.write(`${msg}\n`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 10 ** digits) / 10 ** digits);

// ---------------------------------------------------------------------------------------
// Inputs

/**
 * The CLI (with its worker) and bench/engine.ts, bundled with the settings of esbuild.mjs
 * (`npm run build`) into bench/.cache/build with the wasm files: what is measured cannot be
 * swapped by a concurrent `npm run build` or `npm run package`, and the bundles keep the
 * `// src/...` module comments that bench/profile.mjs maps CPU profiles with.
 */
async function bundle() {
  mkdirSync(BUILD, { recursive: true });
  copyFileSync(join(ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'), join(BUILD, 'tree-sitter.wasm'));
  copyFileSync(join(ROOT, 'grammars', 'tree-sitter-python.wasm'), join(BUILD, 'tree-sitter-python.wasm'));
  await esbuild.build({
    entryPoints: { cli: join(ROOT, 'src', 'cli', 'main.ts'), 'cli-worker': join(ROOT, 'src', 'cli', 'worker.ts'), engine: join(BENCH, 'engine.ts') },
    outdir: BUILD,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    loader: { '.md': 'text' },
    logLevel: 'warning',
    // The same wasm-loading banner as esbuild.mjs.
    define: { 'import.meta.url': '__conclens_import_meta_url' },
    banner: { js: "const __conclens_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
}

/** python_stdlib.zip from the pyodide package, extracted once into bench/.cache/stdlib-VERSION. */
function corpus() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'pyodide', 'package.json'), 'utf8'));
  const dir = join(CACHE, `stdlib-${pkg.version}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    log(`extracting python_stdlib.zip (pyodide ${pkg.version}) into ${relative(ROOT, dir)}`);
    rmSync(dir, { recursive: true, force: true });
    const zip = readFileSync(join(ROOT, 'node_modules', 'pyodide', 'python_stdlib.zip'));
    let n = 0;
    for (const e of zipEntries(zip)) {
      if (!e.name.endsWith('.py') || e.name.includes('..') || e.name.startsWith('/')) continue;
      const out = join(dir, e.name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, e.read());
      n++;
    }
    writeFileSync(marker, `${n}\n`);
  }
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.py')) files.push(p);
    }
  };
  walk(dir);
  files.sort();
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const b = readFileSync(f);
    bytes += b.length;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
  }
  const list = join(CACHE, 'files.txt');
  writeFileSync(list, `${files.join('\n')}\n`);
  return { dir, version: pkg.version, files, lines, bytes, list };
}

/**
 * A file of exactly `target` lines made of whole stdlib modules with coroutines (asyncio
 * first), cut and padded with comment lines as cutAt does.
 */
function asyncFile(files, target, name) {
  const withAsync = files.filter((f) => /^\s*async def /m.test(readFileSync(f, 'utf8')));
  withAsync.sort((a, b) => Number(!a.includes('/asyncio/')) - Number(!b.includes('/asyncio/')) || a.localeCompare(b));
  const lines = [];
  for (const f of withAsync) {
    if (lines.length >= target) break;
    const text = readFileSync(f, 'utf8').replace(/\r\n?/g, '\n');
    lines.push(`# --- ${relative(CACHE, f)}`, ...text.split('\n'));
  }
  const out = cutAt(lines, target);
  const path = join(CACHE, name);
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

/**
 * The first `target` lines, cut before a line that starts a top-level statement or a method
 * (a `def`, `class` or decorator at the top level or one indent in), so nothing is cut in
 * half, then padded with comment lines to `target`. (Cutting at top-level statements only
 * left the 1,000-line file with 585 lines of padding inside one long class: a run of comment
 * lines that long makes tree-sitter-python's scanner read the rest of the run again for each
 * line, ~100 times the file's text, which no real file asks of it.)
 */
function cutAt(lines, target) {
  let cut = Math.min(target, lines.length);
  while (cut > 0 && !/^((    )?(def |async def |class |@)|import |from |[A-Za-z_][\w.]* =)/.test(lines[cut] ?? '')) cut--;
  const out = lines.slice(0, cut);
  while (out.length < target) out.push('# (padding)');
  return out;
}

/** `target` lines of whole stdlib modules (in file order), cut as cutAt does. */
function bigFile(files, target, name) {
  const lines = [];
  for (const f of files) {
    if (lines.length >= target) break;
    lines.push(...readFileSync(f, 'utf8').replace(/\r\n?/g, '\n').split('\n'));
  }
  const out = cutAt(lines, target);
  const path = join(CACHE, name);
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

/** One line of 1 MB: a list display of numbers and names. */
function oneLineFile(name) {
  const items = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const item = i % 3 === 0 ? `f(${i})` : i % 3 === 1 ? `x${i}` : String(i);
    items.push(item);
    size += item.length + 2;
  }
  const path = join(CACHE, name);
  writeFileSync(path, `data = [${items.join(', ')}]\n`);
  return path;
}

// ---------------------------------------------------------------------------------------
// Running things

/** Runs `node [nodeArgs] script args` as a fresh process; wall time from spawn to exit, and its CPU time. */
function runNode(nodeArgs, script, args, { json = true, stdout = 'pipe' } = {}) {
  const usageFile = join(CACHE, 'usage.json');
  rmSync(usageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeArgs, '-r', join(BENCH, 'usage.cjs'), script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1', FORCE_COLOR: '', CONCLENS_DEBUG: '' },
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${relative(ROOT, script)} ${args.slice(0, 3).join(' ')} ... exited ${r.status}: ${r.stderr}`);
  const usage = existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) : {};
  return { wallMs, cpuMs: (usage.userMs ?? 0) + (usage.systemMs ?? 0), maxRssMB: usage.maxRssMB, stdout: r.stdout ?? '', out: json && r.stdout ? JSON.parse(r.stdout.trim().split('\n').pop()) : undefined };
}

function conclensArgs(files, threads) {
  const args = ['check', '--no-config', '--select', 'ALL', '--exit-zero', '--format', 'json'];
  if (threads !== undefined) args.push('--threads', String(threads));
  return [...args, ...files];
}

// ---------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  mkdirSync(CACHE, { recursive: true });
  await bundle();
  if (flag('--build-only')) return;
  const engine = join(BUILD, 'engine.js');
  const cli = join(BUILD, 'cli.js');
  const load = [loadavg()[0]];

  const stdlib = corpus();
  log(`corpus: ${stdlib.files.length} files, ${stdlib.lines} lines, ${(stdlib.bytes / 2 ** 20).toFixed(1)} MB (pyodide ${stdlib.version} python_stdlib.zip)`);
  const editorFile = asyncFile(stdlib.files, EDITOR_LINES, `editor-${EDITOR_LINES}.py`);
  const coldFile = asyncFile(stdlib.files, COLD_LINES, `cold-${COLD_LINES}.py`);
  const editsFile = join(CACHE, `edits-${EDITOR_EDITS}.json`);
  const memEditsFile = join(CACHE, `edits-${MEMORY_EDITS}.json`);
  runNode([], engine, ['edits', editorFile, String(EDITOR_EDITS), '1', editsFile]);
  runNode([], engine, ['edits', editorFile, String(MEMORY_EDITS), '2', memEditsFile]);

  // 1. Whole cold processes over the corpus, round-robin.
  const cores = availableParallelism();
  const runs = { parseOnly: [], conclens1: [], conclensAll: [], ruffCold: [] };
  let findings1;
  let findingsAll;
  for (let rep = 0; rep < REPS; rep++) {
    log(`cold runs ${rep + 1}/${REPS}: parse-only, conclens --threads 1, conclens (all ${cores} cores), ruff-wasm`);
    runs.parseOnly.push(runNode([], join(BENCH, 'parse-only.mjs'), [stdlib.list, BUILD]));
    const one = runNode([], cli, conclensArgs(stdlib.files, 1), { json: false });
    const all = runNode([], cli, conclensArgs(stdlib.files), { json: false });
    runs.conclens1.push(one);
    runs.conclensAll.push(all);
    runs.ruffCold.push(runNode([], join(BENCH, 'ruff.mjs'), ['cold', stdlib.list]));
    findings1 ??= one.stdout;
    findingsAll ??= all.stdout;
    if (one.stdout !== findings1 || all.stdout !== findings1) throw new Error('conclens printed other findings with worker threads than in one thread (or from run to run)');
  }
  const conclensFindings = JSON.parse(findings1).length;

  // 2. Ruff warmed up, in one process.
  log('ruff-wasm warmed up');
  const ruffWarm = runNode([], join(BENCH, 'ruff.mjs'), ['warm', stdlib.list, String(REPS)]).out;

  // 3. Editor: the same edits through tree-sitter alone, the extension's path, and Ruff.
  log(`editor latency: ${EDITOR_EDITS} edits on a ${EDITOR_LINES}-line file`);
  // (tree-sitter's baseline in a process of its own: what it leaves behind slowed the lints
  // measured after it in the same process.)
  const baseline = runNode([], engine, ['editor-baseline', editorFile, editsFile]).out;
  const editor = runNode([], engine, ['editor', editorFile, editsFile]).out;
  if (baseline.finalTextLength !== editor.finalTextLength) throw new Error('the editor run and its tree-sitter baseline ended with other texts');
  const ruffEdits = runNode([], join(BENCH, 'ruff.mjs'), ['edits', editorFile, editsFile]).out;
  const ruffRecheck = percentiles(ruffEdits.recheckMs);

  // 4. Cold start: load grammar + first diagnostics of a 1,000-line file, fresh processes.
  log('cold start');
  const coldRuns = [];
  for (let rep = 0; rep < Math.max(REPS, 5); rep++) coldRuns.push(runNode([], engine, ['cold', coldFile]));

  // 5. Large inputs: a 50,000-line file and a 1 MB line, in the CLI and the editor's path.
  log('large inputs');
  const largeFiles = { lines50k: bigFile(stdlib.files, 50_000, 'large-50k.py'), line1MB: oneLineFile('large-1mb-line.py') };
  const large = {};
  for (const [k, f] of Object.entries(largeFiles)) {
    const cliRun = runNode([], cli, [...conclensArgs([f], 1)], { json: false });
    large[k] = { cliWallMs: round(cliRun.wallMs, 0), cliCpuMs: round(cliRun.cpuMs, 0), editor: runNode([], engine, ['large', f]).out };
  }

  // 6. Memory over many edits.
  log(`memory: ${MEMORY_EDITS} edits`);
  const mem = runNode(['--expose-gc'], engine, ['memory', editorFile, memEditsFile, String(MEMORY_BUDGET_S)]).out;
  load.push(loadavg()[0]);

  // 6. Where the time goes: CPU profiles of the CLI (one thread) and of the editor path.
  let profile;
  if (PROFILE) {
    log('profiles (node --cpu-prof)');
    const dir = join(CACHE, 'profiles');
    rmSync(dir, { recursive: true, force: true });
    const newest = (sub) => {
      const d = join(dir, sub);
      return join(d, readdirSync(d).filter((f) => f.endsWith('.cpuprofile')).sort()[0]);
    };
    runNode(['--cpu-prof', `--cpu-prof-dir=${join(dir, 'cli')}`], cli, conclensArgs(stdlib.files, 1), { json: false });
    runNode(['--cpu-prof', `--cpu-prof-dir=${join(dir, 'editor')}`], engine, ['edit-loop', editorFile, editsFile, '100']);
    runNode(['--cpu-prof', `--cpu-prof-dir=${join(dir, 'cold')}`], engine, ['cold', coldFile]);
    profile = { cli1Thread: summarize(newest('cli')), editor100Edits: summarize(newest('editor')), coldStart: summarize(newest('cold')) };
  }

  // ---------------------------------------------------------------------------------------
  const klps = (ms) => stdlib.lines / ms; // lines per ms = klines/s
  const cold = (list) => ({ medianWallMs: round(median(list.map((r) => r.wallMs)), 0), medianCpuMs: round(median(list.map((r) => r.cpuMs)), 0), wallMs: list.map((r) => round(r.wallMs, 0)), cpuMs: list.map((r) => round(r.cpuMs, 0)), maxRssMB: round(median(list.map((r) => r.maxRssMB ?? 0)), 0) });
  const parseCold = cold(runs.parseOnly);
  const c1 = cold(runs.conclens1);
  const cAll = cold(runs.conclensAll);
  const rCold = cold(runs.ruffCold);
  const ruffWarmMs = median(ruffWarm.passesMs);
  const parseInProcessMs = median(runs.parseOnly.map((r) => r.out.parseMs));
  const throughput = {
    parseOnlyCold: klps(parseCold.medianWallMs),
    parseOnlyParsingOnly: klps(parseInProcessMs),
    conclensCold1Thread: klps(c1.medianWallMs),
    conclensColdAllCores: klps(cAll.medianWallMs),
    ruffCold: klps(rCold.medianWallMs),
    ruffWarm: klps(ruffWarmMs),
  };
  const coldStart = {
    processStartToDiagnosticsMs: round(median(coldRuns.map((r) => r.out.processStartToDiagnosticsMs))),
    grammarLoadMs: round(median(coldRuns.map((r) => r.out.grammarLoadMs))),
    firstLintMs: round(median(coldRuns.map((r) => r.out.firstLintMs))),
    wholeProcessWallMs: round(median(coldRuns.map((r) => r.wallMs))),
    lines: coldRuns[0].out.lines,
    findings: coldRuns[0].out.findings,
  };
  const ours = editor.conclensEditToDiagnosticsMs;
  const ts = baseline.treeSitterIncrementalMs;
  const ratios = {
    coldAllCoresVsRuffCold: throughput.conclensColdAllCores / throughput.ruffCold,
    coldAllCoresVsParseOnlyCold: throughput.conclensColdAllCores / throughput.parseOnlyCold,
    cold1ThreadVsRuffCold: throughput.conclensCold1Thread / throughput.ruffCold,
    cold1ThreadVsParseOnlyCold: throughput.conclensCold1Thread / throughput.parseOnlyCold,
    coldAllCoresVsRuffWarm: throughput.conclensColdAllCores / throughput.ruffWarm,
    workerSpeedup: c1.medianWallMs / cAll.medianWallMs,
    // By CPU time (robust against other load; for the threaded run, CPU summed over threads).
    cpu1ThreadVsRuffCold: rCold.medianCpuMs / c1.medianCpuMs,
    cpu1ThreadVsParseOnlyCold: parseCold.medianCpuMs / c1.medianCpuMs,
    cpuAllCoresOver1Thread: cAll.medianCpuMs / c1.medianCpuMs,
    editorP95VsTreeSitterP95: ours.p95 / ts.p95,
    ruffRecheckP95VsEditorP95: ruffRecheck.p95 / ours.p95,
    ruffRecheckP50VsEditorP50: ruffRecheck.p50 / ours.p50,
  };
  const targets = [
    target('cold CLI (all cores) vs cold Ruff-wasm, throughput', ratios.coldAllCoresVsRuffCold, '>=', TARGETS.coldVsRuff, '×'),
    target('cold CLI (all cores) vs cold parse-only, throughput', ratios.coldAllCoresVsParseOnlyCold, '>=', TARGETS.coldVsParse, '×'),
    target('editor p95, edit to diagnostics', ours.p95, '<=', TARGETS.editorP95Ms, ' ms'),
    target('editor p95 / tree-sitter incremental p95', ratios.editorP95VsTreeSitterP95, '<=', TARGETS.editorVsTreeSitterP95, '×'),
    target('warmed Ruff-wasm re-check p95 / editor p95', ratios.ruffRecheckP95VsEditorP95, '>=', TARGETS.editorVsRuffRecheck, '×'),
    target('cold start to first diagnostics (1,000 lines)', coldStart.processStartToDiagnosticsMs, '<=', TARGETS.coldStartMs, ' ms'),
    target(`RSS growth over ${mem.edits} edits${mem.lintEvery > 1 ? ` (linted after every ${nth(mem.lintEvery)})` : ''}`, mem.rssGrowthMB, '<=', TARGETS.rssGrowthMB, ' MB'),
  ];

  const cpuList = cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpuList.length,
      availableParallelism: cores,
      model: cpuList[0]?.model,
      memoryGB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${platform()} ${release()} ${arch()}`,
      loadAverage1m: { start: round(load[0], 2), end: round(load[1], 2) },
    },
    versions: { conclens: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version, ruffWasm: ruffWarm.version, pyodide: stdlib.version, webTreeSitter: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'web-tree-sitter', 'package.json'), 'utf8')).version },
    corpus: { files: stdlib.files.length, lines: stdlib.lines, bytes: stdlib.bytes, editorFile: { lines: editor.lines, edits: editor.edits }, coldStartFile: { lines: coldStart.lines } },
    repetitions: REPS,
    coldProcesses: { parseOnly: parseCold, conclens1Thread: c1, conclensAllCores: cAll, ruffWasm: rCold, parseOnlyInProcessParseMs: round(parseInProcessMs, 0) },
    ruffWarm: { passesMs: ruffWarm.passesMs.map((x) => round(x, 0)), medianMs: round(ruffWarmMs, 0), warmupMs: round(ruffWarm.warmupMs, 0) },
    throughputKlinesPerSec: Object.fromEntries(Object.entries(throughput).map(([k, v]) => [k, round(v, 1)])),
    findings: { conclens: conclensFindings, ruffWasm: ruffWarm.diagnostics, identicalAcrossThreads: true },
    editor: { treeSitterIncrementalMs: ts, conclensEditToDiagnosticsMs: ours, conclensUpdateOnlyMs: editor.conclensUpdateOnlyMs, incrementalLints: editor.incrementalLints, idleCollections: editor.idleCollections, ruffWarmRecheckMs: ruffRecheck, findingsBefore: editor.findingsBefore, findingsAfter: editor.findingsAfter },
    coldStart,
    memory: mem,
    large,
    ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v, 2)])),
    targets,
    profile,
    benchSeconds: round((performance.now() - started) / 1000, 0),
  };
  writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(table(results));
  if (profile) {
    process.stdout.write(`\n${formatSummary('Profile: conclens check --threads 1 over the corpus', profile.cli1Thread, 8)}`);
    process.stdout.write(`\n${formatSummary('Profile: editor path, 100 edits', profile.editor100Edits, 8)}`);
    process.stdout.write(`\n${formatSummary('Profile: cold start', profile.coldStart, 5)}`);
  }
  log(`wrote bench/results.json (${results.benchSeconds} s)`);
}

function percentiles(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: round(at(0.5), 3), p95: round(at(0.95), 3), max: round(s[s.length - 1], 3), mean: round(s.reduce((a, b) => a + b, 0) / s.length, 3), n: s.length };
}

function target(name, value, op, limit, unit) {
  const pass = op === '>=' ? value >= limit : value <= limit;
  return { name, value: round(value, 2), op, limit, unit: unit.trim(), pass };
}

function table(r) {
  const rows = [];
  const line = (a, b, c = '') => rows.push(`${a.padEnd(46)} ${String(b).padStart(14)}  ${c}`);
  const t = r.throughputKlinesPerSec;
  const cp = r.coldProcesses;
  rows.push(`Concurrency Lens benchmark — ${r.corpus.files} files, ${r.corpus.lines} lines (CPython stdlib, pyodide ${r.versions.pyodide})`);
  rows.push(`${r.machine.cpus} × ${r.machine.model}, ${r.machine.memoryGB} GB, node ${r.machine.node}; load ${r.machine.loadAverage1m.start} → ${r.machine.loadAverage1m.end}; median of ${r.repetitions}`);
  rows.push('');
  line('Throughput (whole cold processes)', 'klines/s', 'wall ms (cpu ms)');
  line('  parse-only, web-tree-sitter, 1 thread', t.parseOnlyCold, `${cp.parseOnly.medianWallMs} (${cp.parseOnly.medianCpuMs})`);
  line('  conclens check, every rule, --threads 1', t.conclensCold1Thread, `${cp.conclens1Thread.medianWallMs} (${cp.conclens1Thread.medianCpuMs})`);
  line(`  conclens check, every rule, ${r.machine.availableParallelism} threads`, t.conclensColdAllCores, `${cp.conclensAllCores.medianWallMs} (${cp.conclensAllCores.medianCpuMs})`);
  line(`  ruff-wasm ${r.versions.ruffWasm} (ASYNC,RUF006,RUF029,PLE1142)`, t.ruffCold, `${cp.ruffWasm.medianWallMs} (${cp.ruffWasm.medianCpuMs})`);
  line('  ruff-wasm, warmed up (in process)', t.ruffWarm, `${r.ruffWarm.medianMs}`);
  line('  parse-only, parsing alone (in process)', t.parseOnlyParsingOnly, `${cp.parseOnlyInProcessParseMs}`);
  rows.push('');
  const e = r.editor;
  const pct = (p) => `${p.p50} / ${p.p95} / ${p.max}`;
  line(`Editor, ${r.corpus.editorFile.edits} edits, ${r.corpus.editorFile.lines} lines`, 'p50/p95/max ms');
  line('  tree-sitter incremental re-parse', pct(e.treeSitterIncrementalMs));
  line('  conclens edit -> diagnostics', pct(e.conclensEditToDiagnosticsMs));
  line('    of which PyDocument.update', pct(e.conclensUpdateOnlyMs));
  if (e.idleCollections?.count) line(`  idle young-generation collections between edits (untimed): ${e.idleCollections.count}`, pct(e.idleCollections.ms));
  if (e.incrementalLints) line(`  lints that re-analysed one function (and its dependents): ${e.incrementalLints.count} of ${r.corpus.editorFile.edits}`, Object.entries(e.incrementalLints.wholeFileReasons).map(([k, n]) => `${k}: ${n}`).join('; '));
  line('  ruff-wasm re-check (warm)', pct(e.ruffWarmRecheckMs));
  rows.push('');
  line('Cold start, 1,000 lines: process start -> diagnostics', `${r.coldStart.processStartToDiagnosticsMs} ms`, `grammar ${r.coldStart.grammarLoadMs} ms, first lint ${r.coldStart.firstLintMs} ms`);
  line(`Memory, ${r.memory.edits} edits: RSS`, `${r.memory.before.rssMB} -> ${r.memory.after.rssMB} MB`, `wasm heap ${r.memory.before.wasmHeapMB} -> ${r.memory.after.wasmHeapMB} MB, JS heap used ${r.memory.before.heapUsedMB} -> ${r.memory.after.heapUsedMB} MB`);
  if (r.memory.lintEvery > 1) line(`  (linted after every ${nth(r.memory.lintEvery)} edit: ${r.memory.lints} lints fit the ${MEMORY_BUDGET_S} s budget)`, '');
  rows.push('');
  for (const [k, x] of Object.entries(r.large ?? {})) {
    const ed = x.editor;
    line(`Large input ${k} (${ed.lines} lines, ${(ed.bytes / 2 ** 20).toFixed(1)} MB): CLI`, `${x.cliWallMs} ms`, `cpu ${x.cliCpuMs} ms`);
    line('  editor: open (parse), longest slice / lint, longest slice', `${ed.openLongestSliceMs} / ${ed.firstLint.longestSliceMs} ms`, `parse ${ed.openParseMs} ms in ${ed.openSlices} slices, lint ${ed.firstLint.totalMs} ms in ${ed.firstLint.slices} slices`);
    line('  editor after an edit: update / longest slice', `${ed.editUpdateMs} / ${ed.afterEdit.longestSliceMs} ms`, `lint ${ed.afterEdit.totalMs} ms in ${ed.afterEdit.slices} slices`);
  }
  rows.push('');
  line('Ratios', '');
  for (const [k, v] of Object.entries(r.ratios)) line(`  ${k}`, `${v}×`);
  rows.push('');
  line('Targets (issue 6)', 'value', 'target');
  for (const x of r.targets) line(`  ${x.pass ? 'PASS' : 'FAIL'} ${x.name}`, `${x.value}${x.unit === '×' ? '×' : ` ${x.unit}`}`, `${x.op} ${x.limit}${x.unit === '×' ? '×' : ` ${x.unit}`}`);
  return `${rows.join('\n')}\n`;
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

/** 2 -> 2nd, 3 -> 3rd, 11 -> 11th. */
function nth(n) {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
