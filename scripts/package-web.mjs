#!/usr/bin/env node
// Builds dist/concurrency-lens-web.vsix: the same extension with only the "browser" entry
// (no "main"), so that a workbench runs it in its web worker extension host as vscode.dev
// would. Used by the e2e test of the web build (test/e2e/specs/web.test.mjs); not for
// publishing. Expects a build in dist/ (`npm run package:web` builds first).
//
// The files are staged in a temporary folder with the manifest minus "main" (and minus the
// CLI's "bin"), then packaged there by the project's vsce.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'concurrency-lens-web.vsix');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

const files = ['README.md', 'LICENSE', 'CHANGELOG.md', 'images/icon.png', '.vscodeignore', 'dist/web/extension.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm'];
for (const f of files) {
  if (!existsSync(join(root, f))) {
    console.error(`package-web: ${f} is missing (run npm run build first)`);
    process.exit(2);
  }
}

const stage = mkdtempSync(join(tmpdir(), 'conclens-web-vsix-'));
try {
  for (const f of files) {
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    copyFileSync(join(root, f), join(stage, f));
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.main;
  delete manifest.bin;
  delete manifest.scripts;
  delete manifest.devDependencies;
  if (!manifest.browser) throw new Error('package.json has no "browser" entry');
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', out], { cwd: stage, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
