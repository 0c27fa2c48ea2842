#!/usr/bin/env node
// Writes the generated guide docs from the knowledge sources (part of `npm run docs`):
//   docs/model-guide.md, docs/images/model-guide.svg, docs/concepts/README.md
// rendered by src/core/knowledge/guide-docs.ts. `--check` only compares and exits 1 on drift
// (test/unit/model-guide.test.ts makes the same comparison).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

// The renderer is TypeScript: bundle it in memory and import the result.
const built = await esbuild.build({
  entryPoints: [join(root, 'src/core/knowledge/guide-docs.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  logLevel: 'warning',
});
const code = built.outputFiles[0].text;
const { renderGuideDocs } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

const stale = [];
for (const [rel, text] of renderGuideDocs()) {
  const file = join(root, rel);
  let have;
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    have = undefined;
  }
  if (have === text) continue;
  stale.push(rel);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
if (check && stale.length > 0) {
  console.error(`stale generated docs: ${stale.join(', ')}; run npm run docs`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'guide docs up to date' : `wrote ${stale.join(', ')}`);
