// `npm run fuzz`: bundles test/fuzz/main.ts with esbuild (next to the wasm files it needs),
// then runs it with the command line arguments. `npm run build` runs first (the CLI part
// spawns dist/cli.js).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const outdir = join('out', 'fuzz');
mkdirSync(outdir, { recursive: true });
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', join(outdir, 'tree-sitter.wasm'));
copyFileSync('grammars/tree-sitter-python.wasm', join(outdir, 'tree-sitter-python.wasm'));
await esbuild.build({
  entryPoints: { main: 'test/fuzz/main.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  loader: { '.md': 'text' },
  logLevel: 'warning',
  define: { 'import.meta.url': '__conclens_import_meta_url' },
  banner: { js: "const __conclens_import_meta_url = require('url').pathToFileURL(__filename).href;" },
});
const require = createRequire(import.meta.url);
process.setSourceMapsEnabled?.(true);
const { main } = require(join(process.cwd(), outdir, 'main.js'));
process.exitCode = await main(process.argv.slice(2));
