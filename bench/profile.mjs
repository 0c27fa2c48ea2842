// Summarises a V8 .cpuprofile (node --cpu-prof): self time per source module and per
// category (tree-sitter's wasm, web-tree-sitter's JS binding, the engine's file model,
// summaries, rules, GC, ...), and the top functions. Lines of an esbuild bundle are mapped
// to their source module through the `// src/...` comments esbuild puts at module starts.
//   node bench/profile.mjs PROFILE.cpuprofile [TOP]
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundles = new Map();

/** Start lines of the modules in an esbuild bundle, from its `// path` comments. */
function moduleStarts(url) {
  let starts = bundles.get(url);
  if (starts) return starts;
  starts = [];
  let path = url;
  try {
    path = url.startsWith('file:') ? fileURLToPath(url) : url;
  } catch {
    // not a file
  }
  if (existsSync(path)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = /^\/\/ ((?:src|node_modules|bench)\/\S+)$/.exec(l);
      if (m) starts.push({ line: i, module: m[1] });
    });
  }
  bundles.set(url, starts);
  return starts;
}

function moduleOf(frame) {
  const { url, lineNumber, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(${functionName || 'native'})`;
  if (url.startsWith('wasm://')) {
    if (!url.includes('tree-sitter.wasm')) return 'grammar.wasm (lexer, parse tables)';
    // web-tree-sitter's runtime: parsing, or walking the tree for the JS side.
    return /^(ts_tree_cursor|ts_node|ts_tree_root|ts_query|ts_language_field|ts_language_symbol)/.test(functionName) ? 'tree-sitter.wasm (tree walking, node access)' : 'tree-sitter.wasm (parsing, tree edit/free)';
  }
  const starts = moduleStarts(url);
  let found;
  for (const s of starts) {
    if (s.line <= lineNumber) found = s.module;
    else break;
  }
  if (found) return found;
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}

/** Coarse buckets for the report. */
export function category(module) {
  if (module.startsWith('grammar.wasm') || module === 'tree-sitter.wasm (parsing, tree edit/free)') return 'tree-sitter: parsing (wasm)';
  if (module === 'tree-sitter.wasm (tree walking, node access)') return 'tree-sitter: walking the tree, node access (wasm)';
  if (module.startsWith('node_modules/web-tree-sitter')) return 'web-tree-sitter JS binding (node objects, marshalling)';
  if (module === '(garbage collector)') return 'garbage collection';
  if (module === '(idle)') return 'idle (waiting)';
  if (module === '(program)') return 'V8 (compile, runtime)';
  if (module.startsWith('src/core/parse/')) return 'engine: documents (parse/update)';
  if (module === 'src/core/semantics/model.ts' || module === 'src/core/semantics/scope.ts') return 'engine: file model (one pass over the tree)';
  if (module === 'src/core/semantics/summary.ts' || module === 'src/core/semantics/workspace.ts') return 'engine: summaries and workspace';
  if (module === 'src/core/semantics/resolve.ts') return 'engine: name resolution';
  if (module.startsWith('src/core/rules/') || module.startsWith('src/core/fixes/')) return 'engine: rules and fixes';
  if (module.startsWith('src/core/semantics/')) return 'engine: other semantics (rule helpers)';
  if (module.startsWith('src/core/')) return 'engine: other';
  if (module.startsWith('src/cli/')) return 'CLI (files, decoding, output, threads)';
  if (module === 'node internals' || module.startsWith('(')) return 'node internals (I/O, JS<->wasm wrappers)';
  return 'other';
}

export function summarize(file, top = 20) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const perModule = new Map();
  const perCategory = new Map();
  const perFunction = new Map();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    const module = moduleOf(frame);
    const cat = category(module);
    perModule.set(module, (perModule.get(module) ?? 0) + us);
    perCategory.set(cat, (perCategory.get(cat) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} (${module})`;
    perFunction.set(fn, (perFunction.get(fn) ?? 0) + us);
  }
  const idle = perCategory.get('idle (waiting)') ?? 0;
  const busy = total - idle;
  const list = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percentOfBusy: Math.round((1000 * us) / busy) / 10 }));
  return { totalMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), categories: list(perCategory, 50), modules: list(perModule, top), functions: list(perFunction, top) };
}

export function formatSummary(title, s, top = 12) {
  const rows = [`${title}: ${s.busyMs} ms busy (of ${s.totalMs} ms)`];
  for (const c of s.categories) if (c.name !== 'idle (waiting)') rows.push(`  ${String(c.ms).padStart(6)} ms ${String(c.percentOfBusy).padStart(5)}%  ${c.name}`);
  rows.push('  top functions (self time):');
  for (const f of s.functions.slice(0, top)) rows.push(`  ${String(f.ms).padStart(6)} ms ${String(f.percentOfBusy).padStart(5)}%  ${f.name}`);
  return `${rows.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top = '20'] = process.argv.slice(2);
  const s = summarize(file, Number(top));
  process.stdout.write(formatSummary(file, s, Number(top)));
  process.stdout.write('  modules:\n');
  for (const m of s.modules) process.stdout.write(`  ${String(m.ms).padStart(6)} ms ${String(m.percentOfBusy).padStart(5)}%  ${m.name}\n`);
}
