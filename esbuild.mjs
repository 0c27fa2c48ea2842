// Bundles the CLI, the extension (node) and, with --tests, the unit tests.
// web-tree-sitter's runtime wasm is copied next to the bundles; the grammar wasm is
// read from grammars/ (checked in, see grammars/VERSION) and copied to dist/ too, so an
// installed VSIX, the CLI and the tests all load the same files from dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  loader: { '.md': 'text' },
  logLevel: 'warning',
  // web-tree-sitter's ESM build asks import.meta.url for createRequire; in a CJS bundle
  // that is this file's URL.
  define: { 'import.meta.url': '__conclens_import_meta_url' },
  banner: { js: "const __conclens_import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

function copyAssets(outdir) {
  mkdirSync(outdir, { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', join(outdir, 'tree-sitter.wasm'));
  copyFileSync('grammars/tree-sitter-python.wasm', join(outdir, 'tree-sitter-python.wasm'));
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const builds = [];
if (args.has('--tests')) {
  // Each test bundle looks for the wasm files in its own folder.
  const tests = findTests('test/unit');
  for (const dir of new Set(tests.map((t) => dirname(t).replace(/^test\/unit/, 'out/test/unit')))) copyAssets(dir);
  builds.push({
    ...common,
    entryPoints: tests,
    outdir: 'out/test/unit',
    outbase: 'test/unit',
    sourcemap: 'inline',
  });
} else {
  copyAssets('dist');
  builds.push(
    { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
    { ...common, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist', external: ['vscode'] },
  );
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
