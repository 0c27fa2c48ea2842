// Ruff's WebAssembly build (@astral-sh/ruff-wasm-nodejs) on the same files, with the rules
// closest to Concurrency Lens: ASYNC, RUF006, RUF029, PLE1142 (preview on: RUF029 is a
// preview rule and would not run otherwise).
//   node bench/ruff.mjs cold FILELIST             a fresh process: load, check every file once
//   node bench/ruff.mjs warm FILELIST REPS        warm-up pass, then REPS timed passes
//   node bench/ruff.mjs edits FILE EDITS.json     re-check of FILE after each edit (warmed up)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const t0 = performance.now();
const ruff = require('@astral-sh/ruff-wasm-nodejs');
const workspace = new ruff.Workspace({ lint: { preview: true, select: ['ASYNC', 'RUF006', 'RUF029', 'PLE1142'] } }, ruff.PositionEncoding.Utf16);
const loadMs = performance.now() - t0;

const [mode, input, arg] = process.argv.slice(2);
const out = { version: ruff.Workspace.version(), loadMs };

function pass(texts) {
  let diagnostics = 0;
  const t = performance.now();
  for (const text of texts) diagnostics += workspace.check(text).length;
  return { ms: performance.now() - t, diagnostics };
}

if (mode === 'cold') {
  const files = readFileSync(input, 'utf8').split('\n').filter(Boolean);
  const t = performance.now();
  let diagnostics = 0;
  for (const f of files) diagnostics += workspace.check(readFileSync(f, 'utf8')).length;
  Object.assign(out, { files: files.length, diagnostics, checkMs: performance.now() - t });
} else if (mode === 'warm') {
  const texts = readFileSync(input, 'utf8').split('\n').filter(Boolean).map((f) => readFileSync(f, 'utf8'));
  const warmup = pass(texts);
  const passes = [];
  for (let i = 0; i < Number(arg); i++) passes.push(pass(texts).ms);
  Object.assign(out, { files: texts.length, diagnostics: warmup.diagnostics, warmupMs: warmup.ms, passesMs: passes });
} else if (mode === 'edits') {
  let text = readFileSync(input, 'utf8');
  const edits = JSON.parse(readFileSync(arg, 'utf8'));
  for (let i = 0; i < 5; i++) workspace.check(text);
  const ms = [];
  for (const e of edits) {
    text = text.slice(0, e.start) + e.text + text.slice(e.start);
    const t = performance.now();
    workspace.check(text);
    ms.push(performance.now() - t);
  }
  Object.assign(out, { edits: edits.length, recheckMs: ms });
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
