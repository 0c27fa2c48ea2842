// Prints bench/results.json as the Markdown tables of docs/benchmarks.md.
//   node bench/markdown.mjs [results.json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'results.json');
const r = JSON.parse(readFileSync(file, 'utf8'));
const t = r.throughputKlinesPerSec;
const cp = r.coldProcesses;
const out = [];
const row = (...cells) => out.push(`| ${cells.join(' | ')} |`);

out.push(`${r.corpus.files} files, ${r.corpus.lines.toLocaleString('en')} lines (CPython stdlib from pyodide ${r.versions.pyodide}); ${r.machine.cpus} × ${r.machine.model}, ${r.machine.memoryGB} GB, node ${r.machine.node}; 1-minute load average ${r.machine.loadAverage1m.start} at the start, ${r.machine.loadAverage1m.end} at the end; ${r.date.slice(0, 16).replace('T', ' ')} UTC; median of ${r.repetitions} cold runs.`);
out.push('');
row('Whole cold process over the corpus', 'klines/s', 'wall ms', 'CPU ms', 'peak RSS MB');
row('---', '---:', '---:', '---:', '---:');
row('parse-only, web-tree-sitter, one thread', t.parseOnlyCold, cp.parseOnly.medianWallMs, cp.parseOnly.medianCpuMs, cp.parseOnly.maxRssMB);
row('`conclens check`, every rule, `--threads 1`', t.conclensCold1Thread, cp.conclens1Thread.medianWallMs, cp.conclens1Thread.medianCpuMs, cp.conclens1Thread.maxRssMB);
row(`\`conclens check\`, every rule, ${r.machine.availableParallelism} worker threads (default)`, t.conclensColdAllCores, cp.conclensAllCores.medianWallMs, cp.conclensAllCores.medianCpuMs, cp.conclensAllCores.maxRssMB);
row(`Ruff-wasm ${r.versions.ruffWasm} (ASYNC, RUF006, RUF029, PLE1142)`, t.ruffCold, cp.ruffWasm.medianWallMs, cp.ruffWasm.medianCpuMs, cp.ruffWasm.maxRssMB);
row('Ruff-wasm warmed up, in process (no start-up)', t.ruffWarm, r.ruffWarm.medianMs, '', '');
row('tree-sitter parsing alone, in process (no start-up)', t.parseOnlyParsingOnly, cp.parseOnlyInProcessParseMs, '', '');
out.push('');
const e = r.editor;
row(`Editor: ${r.corpus.editorFile.edits} one-letter edits, ${r.corpus.editorFile.lines}-line file`, 'p50 ms', 'p95 ms', 'max ms');
row('---', '---:', '---:', '---:');
const p = (x) => [x.p50, x.p95, x.max];
row('tree-sitter incremental re-parse alone', ...p(e.treeSitterIncrementalMs));
row('Concurrency Lens, edit → diagnostics (`PyDocument.update` + `lintDocument`)', ...p(e.conclensEditToDiagnosticsMs));
row('… of which `PyDocument.update` (incremental re-parse)', ...p(e.conclensUpdateOnlyMs));
if (e.idleCollections?.count) row(`between edits, not timed above: ${e.idleCollections.count} young-generation collections when idle (\`src/extension/idle-gc.ts\`)`, ...p(e.idleCollections.ms));
row('Ruff-wasm re-check of the file, warmed up', ...p(e.ruffWarmRecheckMs));
if (e.incrementalLints) out.push('', `${e.incrementalLints.count} of the ${r.corpus.editorFile.edits} lints re-analysed one function (and its dependents); the others linted the whole file: ${Object.entries(e.incrementalLints.wholeFileReasons).map(([k, n]) => `${k} (${n})`).join(', ')}.`);
out.push('');
const c = r.coldStart;
const m = r.memory;
row('Other', 'value');
row('---', '---:');
row(`Cold start: process start → first diagnostics of a ${c.lines}-line file`, `${c.processStartToDiagnosticsMs} ms (grammar ${c.grammarLoadMs} ms, first lint ${c.firstLintMs} ms)`);
row(`Memory: RSS before → after ${m.edits.toLocaleString('en')} edits${m.lintEvery > 1 ? ` (linted after every ${nth(m.lintEvery)}: ${m.lints} lints)` : ''}`, `${m.before.rssMB} → ${m.after.rssMB} MB (${m.rssGrowthMB >= 0 ? '+' : ''}${m.rssGrowthMB} MB)`);
row('Memory: wasm heap before → after', `${m.before.wasmHeapMB} → ${m.after.wasmHeapMB} MB`);
row('Memory: JS heap used before → after', `${m.before.heapUsedMB} → ${m.after.heapUsedMB} MB`);
row('Findings: conclens / Ruff-wasm (different rule sets)', `${r.findings.conclens} / ${r.findings.ruffWasm}`);
out.push('');
if (r.large) {
  row('Large inputs', 'CLI (`--threads 1`)', 'editor: open (parse)', 'editor: lint, longest slice', 'editor: after an edit, update + longest slice');
  row('---', '---:', '---:', '---:', '---:');
  for (const [k, x] of Object.entries(r.large)) {
    const ed = x.editor;
    const name = `${k === 'lines50k' ? `${ed.lines.toLocaleString('en')} lines` : 'one line'}, ${(ed.bytes / 2 ** 20).toFixed(1)} MB`;
    row(name, `${x.cliWallMs} ms`, `${ed.openParseMs} ms${ed.openLongestSliceMs !== undefined ? `, longest slice ${ed.openLongestSliceMs} ms` : ''}`, `${ed.firstLint.totalMs} ms, longest slice ${ed.firstLint.longestSliceMs} ms`, `${ed.editUpdateMs} ms + ${ed.afterEdit.longestSliceMs} ms (lint ${ed.afterEdit.totalMs} ms)`);
  }
  out.push('');
}
row('Target (issue 6)', 'measured', 'target', '');
row('---', '---:', '---:', '---');
for (const x of r.targets) {
  const u = x.unit === '×' ? '×' : ` ${x.unit}`;
  row(x.name, `${x.value}${u}`, `${x.op.replace('>=', '≥').replace('<=', '≤')} ${x.limit}${u}`, x.pass ? '**pass**' : '**fail**');
}
process.stdout.write(`${out.join('\n')}\n`);

/** 2 -> 2nd, 3 -> 3rd, 11 -> 11th. */
function nth(n) {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
