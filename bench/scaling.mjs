// Why a second core helps tree-sitter and not the engine, on this machine: each workload
// run alone and then as two processes side by side (each doing the whole corpus), wall and
// CPU time per process. Not part of `npm run bench`; run `node bench/run.mjs --build-only`
// first (it extracts the corpus and bundles bench/engine.ts).
//   node bench/scaling.mjs [ROUNDS]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cache = join(here, '.cache');
const files = join(cache, 'files.txt');
const build = join(cache, 'build');
if (!existsSync(files) || !existsSync(join(build, 'engine.js'))) {
  console.error('run `node bench/run.mjs --build-only` first');
  process.exit(2);
}
const rounds = Number(process.argv[2] ?? 3);
const workloads = {
  'parse-only (web-tree-sitter)': [join(here, 'parse-only.mjs'), files, build],
  'engine: read, parse, lint every file (first pass, no CLI)': [join(build, 'engine.js'), 'lint-all', files],
};

const tmp = mkdtempSync(join(tmpdir(), 'conclens-scaling-'));
let seq = 0;

/** One process: wall time from spawn to exit, CPU time of all its threads (bench/usage.cjs). */
function run(args) {
  const usageFile = join(tmp, `usage-${seq++}.json`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', join(here, 'usage.cjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_USAGE_FILE: usageFile } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      const u = JSON.parse(readFileSync(usageFile, 'utf8'));
      resolve({ wall, cpu: u.userMs + u.systemMs });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, args] of Object.entries(workloads)) {
  const alone = [];
  const paired = [];
  for (let r = 0; r < rounds; r++) {
    alone.push(await run(args));
    paired.push(...(await Promise.all([run(args), run(args)])));
  }
  const a = median(alone.map((x) => x.wall));
  const p = median(paired.map((x) => x.wall));
  console.log(`${name}\n  alone: ${a.toFixed(0)} ms wall, ${median(alone.map((x) => x.cpu)).toFixed(0)} ms CPU` +
    `\n  two side by side: ${p.toFixed(0)} ms wall each (${(p / a).toFixed(2)}x), ${median(paired.map((x) => x.cpu)).toFixed(0)} ms CPU each`);
}
rmSync(tmp, { recursive: true, force: true });
