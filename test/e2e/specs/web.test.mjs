// The web build (dist/web/extension.js, the manifest's "browser" entry) in the real
// workbench's web worker extension host, as vscode.dev runs it. The VSIX installed here is
// built by scripts/package-web.mjs from the current dist/ (npm run package first): the same
// extension without "main", so code-server's workbench cannot run it in its Node extension
// host and runs it in the browser, in a web worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { HARNESS_DIR, ROOT, startWorkbench } from '../harness.mjs';

const T = { timeout: 120_000 };
const WEB_VSIX = process.env.CONCLENS_E2E_WEB_VSIX ?? path.join(ROOT, 'dist', 'concurrency-lens-web.vsix');
let wb;
let failed = false;

async function step(name, body) {
  try {
    await body();
  } catch (e) {
    failed = true;
    try {
      const dir = path.join(HARNESS_DIR, 'failed-runs', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await wb?.page?.screenshot({ path: path.join(dir, `web-${name}.png`) });
    } catch { /* best effort */ }
    throw e;
  }
}

describe('the web build in the web worker extension host (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    if (!process.env.CONCLENS_E2E_WEB_VSIX) {
      // Package the browser-only variant of what `npm run package` just built.
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package-web.mjs')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `scripts/package-web.mjs failed:\n${r.stdout}\n${r.stderr}`);
    }
    const manifest = JSON.parse(unzipText(WEB_VSIX, 'extension/package.json'));
    assert.equal(manifest.main, undefined, 'the web VSIX must not declare "main"');
    assert.equal(manifest.browser, './dist/web/extension.js');
    // The bundle asks for nothing a web worker lacks: `vscode`, plus web-tree-sitter's Node-only
    // branches, which run only when `process.versions.node` exists.
    const bundle = unzipText(WEB_VSIX, 'extension/dist/web/extension.js');
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    const imported = new Set([...bundle.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]));
    assert.deepEqual([...required].filter((m) => !['vscode', 'fs', 'path', 'url'].includes(m)), [], 'unexpected require() in the web bundle');
    assert.deepEqual([...imported].filter((m) => !['module', 'fs/promises'].includes(m)), [], 'unexpected import() in the web bundle');
    wb = await startWorkbench({ vsix: WEB_VSIX });
  }, { timeout: 240_000 });

  after(async () => {
    await wb?.close(failed);
  }, { timeout: 60_000 });

  it('opening a.py (time.sleep in an async def) shows CL101 in the Problems panel', T, () => step('problems', async () => {
    await wb.openFile('a.py');
    await wb.waitForSquiggles(1, { timeout: 60_000 });
    const problems = await wb.waitForProblems((ps) => ps.some((p) => p.file === 'a.py' && p.code === 'CL101'), { timeout: 60_000 });
    const mine = problems.filter((p) => p.file === 'a.py' && /^CL\d{3}$/.test(p.code));
    assert.deepEqual(mine.map((p) => `${p.line}:${p.column}:${p.code}`), ['4:5:CL101']);
    assert.match(mine[0].source, /conclens/);
  }));

  it('hovering the squiggle shows the explanation, and a construct its concept note', T, () => step('hover', async () => {
    await wb.hidePanel();
    const text = await wb.hoverAt(4, 'time.sleep');
    assert.match(text, /CL101/, text);
    assert.match(text, /Concept: time\.sleep\(\)/, text);
    await wb.press('Escape');
    const note = await wb.hoverAt(3, 'async');
    assert.match(note, /async def — concurrency concept/, note);
    await wb.press('Escape');
  }));

  it('it ran in the web worker: the output channel says so and shows no error', T, () => step('output', async () => {
    // The Output view wraps long lines; a log line starts with its timestamp.
    const lines = [];
    for (const l of (await wb.readOutputChannel('Concurrency Lens')).split('\n')) {
      if (/^\d{4}-\d\d-\d\d /.test(l) || lines.length === 0) lines.push(l);
      else lines[lines.length - 1] += l;
    }
    const shown = lines.join('\n');
    // What the web worker did to start, for the record (its log lives in the browser, not on disk).
    console.log(lines.filter((l) => /activating|read |grammar loaded|activated/.test(l)).join('\n'));
    assert.match(shown, /web\s*worker\s*extension\s*host/, `the output channel does not show a web worker activation:\n${shown}`);
    assert.match(shown, /activated\s*in\s*\d+\s*ms/, shown);
    assert.doesNotMatch(shown, /\[error\]|activation failed/i, shown);
  }));
});

/** One file of a zip (stored or deflated), read with Node alone. */
function unzipText(file, name) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    if (buf.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
      const data = buf.subarray(start, start + compressed);
      return (method === 0 ? data : zlib.inflateRawSync(data)).toString('utf8');
    }
    p += 46 + skip;
  }
  throw new Error(`${name} is not in ${file}`);
}
