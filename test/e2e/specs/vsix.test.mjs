// The packaged VSIX (npm run package) holds what the extension needs and nothing else:
// the bundles, the wasm files, README, LICENSE, CHANGELOG, the icon and package.json
// (plus the two files every VSIX has), under 3 MB.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { DEFAULT_VSIX } from '../harness.mjs';

const vsix = process.env.CONCLENS_E2E_VSIX ?? DEFAULT_VSIX;
const MAX_BYTES = 3 * 1024 * 1024;

/** Entries of a zip file, read from its central directory: [{name, size, compressed, method, offset}]. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed, method, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function readEntry(buf, e) {
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const data = buf.subarray(start, start + e.compressed);
  return e.method === 0 ? data : inflateRawSync(data);
}

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/images\/icon\.png$/,
  /^extension\/dist\/(web\/)?[\w.-]+\.(js|wasm)$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/images/icon.png',
  'extension/dist/extension.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-python.wasm',
];

describe('the packaged VSIX', () => {
  it('exists (npm run package)', () => {
    assert.ok(fs.existsSync(vsix), `no VSIX at ${vsix}: run npm run package`);
  });

  it('holds only the bundles, wasm files, README, LICENSE, CHANGELOG, icon and package.json, under 3 MB', () => {
    const buf = fs.readFileSync(vsix);
    const entries = zipEntries(buf);
    const names = entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
    const listing = entries.map((e) => `${String(e.size).padStart(9)}  ${e.name}`).join('\n');
    console.log(`${vsix}: ${buf.length} bytes, ${names.length} files\n${listing}`);
    const extra = names.filter((n) => !ALLOWED.some((re) => re.test(n)));
    assert.deepEqual(extra, [], `files that do not belong in the VSIX:\n${extra.join('\n')}`);
    const lower = new Set(names.map((n) => n.toLowerCase()));
    const missing = REQUIRED.filter((n) => !lower.has(n.toLowerCase()));
    assert.deepEqual(missing, [], `files missing from the VSIX:\n${missing.join('\n')}`);
    assert.ok(buf.length < MAX_BYTES, `the VSIX is ${buf.length} bytes, over ${MAX_BYTES}`);
    assert.ok(!names.some((n) => n.endsWith('.map')), 'source maps in the VSIX');
  });

  it('has a manifest whose entry point and icon are in the package', () => {
    const buf = fs.readFileSync(vsix);
    const entries = zipEntries(buf);
    const pkgEntry = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(pkgEntry, 'no extension/package.json');
    const pkg = JSON.parse(readEntry(buf, pkgEntry).toString('utf8'));
    const names = new Set(entries.map((e) => e.name));
    const main = `extension/${pkg.main.replace(/^\.\//, '')}`;
    assert.ok(names.has(main) || names.has(`${main}.js`), `main ${pkg.main} is not in the VSIX`);
    if (pkg.browser) {
      const browser = `extension/${pkg.browser.replace(/^\.\//, '')}`;
      assert.ok(names.has(browser) || names.has(`${browser}.js`), `browser ${pkg.browser} is not in the VSIX`);
    }
    assert.equal(pkg.icon, 'images/icon.png');
    assert.ok(names.has('extension/images/icon.png'));
    assert.equal(pkg.license, 'MIT');
    // the bundle is the production build: minified, no source map reference
    const ext = readEntry(buf, entries.find((e) => e.name === main || e.name === `${main}.js`)).toString('utf8');
    assert.doesNotMatch(ext, /sourceMappingURL=/, 'the bundled extension points to a source map');
  });
});
