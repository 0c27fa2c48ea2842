// Bundles the CLI, the extension (node and web) and, with --tests, the unit tests.
// web-tree-sitter's runtime wasm is copied next to the bundles; the grammar wasm is
// read from grammars/ (checked in, see grammars/VERSION) and copied to dist/ too, so an
// installed VSIX, the CLI and the tests all load the same files from dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isBuiltin } from 'node:module';

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

// The web build (dist/web/extension.js, the manifest's "browser" entry) runs in the web
// worker extension host: no Node. web-tree-sitter's Node branches (import('module'),
// import('fs/promises'), require('fs')) are only reached when `process.versions.node`
// exists, so they stay external and unevaluated; any other Node built-in on the web path
// fails the build. The wasm is passed as bytes (src/extension/grammar-source.ts), so
// emscripten's script URL only has to be a valid URL.
const NODE_ONLY_IN_WEB_TREE_SITTER = /^(node:)?(module|fs|fs\/promises|path|url)$/;
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:|[a-z_]+$|[a-z_]+\/)/ }, (args) => {
      const builtin = args.path.startsWith('node:') || isBuiltin(args.path);
      if (!builtin) return undefined;
      if (NODE_ONLY_IN_WEB_TREE_SITTER.test(args.path) && /node_modules[\\/]web-tree-sitter[\\/]/.test(args.importer)) {
        return { path: args.path, external: true };
      }
      return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer} on the web path` }] };
    });
  },
};

// Modules of src/extension with a web variant beside them (`<name>.web.ts`): the web build
// takes that one (idle-gc.ts asks Node's V8 for collections; a web worker cannot).
const WEB_VARIANTS = new Set(['./idle-gc']);
const webVariants = {
  name: 'web-variants',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) => {
      if (!WEB_VARIANTS.has(args.path) || !/src[\\/]extension$/.test(args.resolveDir)) return undefined;
      return { path: join(args.resolveDir, `${args.path.slice(2)}.web.ts`) };
    });
  },
};

const web = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['browser', 'module', 'main'],
  define: { 'import.meta.url': '"file:///concurrency-lens/dist/web/extension.js"' },
  banner: {},
  plugins: [webVariants, noNodeBuiltins],
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
    // Tests of editor code get a small stand-in for the `vscode` module (the real API is
    // tested in VS Code: test/e2e, test/vscode).
    alias: { vscode: './test/unit/extension/fake-vscode.ts' },
  });
} else {
  copyAssets('dist');
  builds.push(
    // dist/cli-worker.js: the parse worker threads of `conclens check` (src/cli/pipeline.ts).
    { ...common, entryPoints: { cli: 'src/cli/main.ts', 'cli-worker': 'src/cli/worker.ts' }, outdir: 'dist' },
    { ...common, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist', external: ['vscode'] },
    { ...web, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist/web' },
  );
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
