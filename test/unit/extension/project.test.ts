// The editor-free parts of the background index: files to read, package layout and module
// names, the import graph that decides what to re-lint, decoding, line tables, time slices.
import { strict as assert } from 'node:assert';
import { Workspace } from '../../../src/core/semantics/workspace';
import { ModuleGraph, referencedNames } from '../../../src/extension/module-graph';
import { ExcludeMatcher, PackageLayout, excludeGlob, inSkippedFolder, underAny, withoutShadowedStubs } from '../../../src/extension/project-files';
import { LineTable, decodeSource } from '../../../src/extension/source-text';
import { TimeSlicer } from '../../../src/extension/time-slice';
import type { FileSummary } from '../../../src/core/semantics/summary';
import { getLinter } from '../helpers';

const project: Record<string, string> = {
  '/w/src/app/__init__.py': 'from .api import handler\n',
  '/w/src/app/api.py': 'from app.service import load\nasync def handler():\n    return load()\n',
  '/w/src/app/service.py': 'from app import db\ndef load():\n    return db.query()\n',
  '/w/src/app/db.py': 'import sqlite3\ndef query():\n    return sqlite3.connect("x").execute("select 1")\n',
  '/w/src/app/unrelated.py': 'def alone():\n    return 1\n',
  '/w/scripts/run.py': 'import app.api\n',
};

async function summaries(): Promise<{ layout: PackageLayout; byFile: Map<string, FileSummary> }> {
  const linter = await getLinter();
  const layout = new PackageLayout();
  for (const f of Object.keys(project)) layout.add(f);
  const ws = new Workspace();
  const byFile = new Map<string, FileSummary>();
  for (const [file, text] of Object.entries(project)) {
    const r = linter.lintText(text, file, {}, { ...layout.identity(file), workspace: ws });
    byFile.set(file, r.summary!);
  }
  return { layout, byFile };
}

describe('background index helpers', () => {
  it('names modules from the package layout (src/ layouts, scripts)', () => {
    const layout = new PackageLayout();
    for (const f of Object.keys(project)) layout.add(f);
    assert.deepEqual(layout.identity('/w/src/app/api.py'), { moduleName: 'app.api', isPackage: false });
    assert.deepEqual(layout.identity('/w/src/app/__init__.py'), { moduleName: 'app', isPackage: true });
    assert.deepEqual(layout.identity('/w/scripts/run.py'), { moduleName: 'run', isPackage: false });
    assert.equal(layout.remove('/w/src/app/__init__.py'), true);
    assert.equal(layout.remove('/w/src/app/api.py'), false);
    assert.deepEqual(layout.identity('/w/src/app/api.py'), { moduleName: 'api', isPackage: false });
  });

  it('works with Windows paths and URI strings', () => {
    const layout = new PackageLayout();
    layout.add('C:\\w\\pkg\\__init__.py');
    assert.equal(layout.identity('C:\\w\\pkg\\mod.py').moduleName, 'pkg.mod');
    layout.add('vscode-vfs://github/o/r/pkg/__init__.py');
    assert.equal(layout.identity('vscode-vfs://github/o/r/pkg/mod.py').moduleName, 'pkg.mod');
  });

  it('finds the files that depend on a changed module, transitively', async () => {
    const { byFile } = await summaries();
    const graph = new ModuleGraph();
    for (const s of byFile.values()) graph.setFile(s);
    assert.ok(referencedNames(byFile.get('/w/src/app/service.py')!).has('app.db.query'));
    assert.deepEqual(graph.dependents(['/w/src/app/db.py']).sort(), ['/w/scripts/run.py', '/w/src/app/__init__.py', '/w/src/app/api.py', '/w/src/app/service.py']);
    assert.deepEqual(graph.dependents(['/w/src/app/db.py'], { maxDepth: 1 }), ['/w/src/app/service.py']);
    assert.equal(graph.dependents(['/w/src/app/db.py'], { cap: 2 }).length, 2);
    assert.deepEqual(graph.dependents(['/w/src/app/unrelated.py']), []);
    // A removed file: its module name is given, since the graph forgot it.
    graph.removeFile('/w/src/app/db.py');
    assert.deepEqual(graph.dependents([], {}, ['app.db'])[0], '/w/src/app/service.py');
  });

  it('builds the exclude glob for findFiles without nesting groups', () => {
    const glob = excludeGlob(['**/.DS_Store', '**/*.{tmp,bak}']);
    assert.match(glob, /^\{\*\*\/\.git\/\*\*,/);
    assert.ok(glob.includes('**/node_modules/**') && glob.includes('**/.venv/**') && glob.includes('**/__pycache__/**'));
    assert.ok(glob.includes('**/.DS_Store'));
    assert.ok(!glob.includes('tmp,bak'));
    assert.equal(inSkippedFolder('a/node_modules/x.py'), true);
    assert.equal(inSkippedFolder('venv.py'), false);
    assert.equal(underAny('/w/env/lib/x.py', new Set(['/w/env'])), true);
    assert.equal(underAny('/w/envy/x.py', new Set(['/w/env'])), false);
  });

  it('leaves out a stub whose source is indexed (same module, empty bodies)', () => {
    assert.deepEqual(withoutShadowedStubs(['/w/a.py', '/w/a.pyi', '/w/b.pyi', '/w/c.py'], (p) => p), ['/w/a.py', '/w/b.pyi', '/w/c.py']);
  });

  it('applies [tool.conclens] exclude relative to the pyproject.toml folder', () => {
    const m = new ExcludeMatcher('/w', ['migrations/', 'legacy_*.py']);
    assert.equal(m.excludes('/w/app/migrations/0001.py'), true);
    assert.equal(m.excludes('/w/app/legacy_io.py'), true);
    assert.equal(m.excludes('/w/app/io.py'), false);
    assert.equal(m.excludes('/other/legacy_io.py'), false);
  });

  it('decodes UTF-8 (with a BOM too) and refuses binary or other encodings', () => {
    const enc = new TextEncoder();
    assert.deepEqual(decodeSource(enc.encode('x = "é"\n')), { ok: true, text: 'x = "é"\n' });
    assert.deepEqual(decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, 0x78])), { ok: true, text: 'x' });
    assert.equal(decodeSource(new Uint8Array([0x78, 0, 0x79])).ok, false);
    assert.equal(decodeSource(new Uint8Array([0x78, 0xe9, 0x0a])).ok, false);
  });

  it('places offsets on lines without keeping the text', () => {
    const t = new LineTable('a\r\nbc\rd\n\ne');
    assert.equal(t.lineCount, 5);
    assert.deepEqual(t.position(0), { line: 0, character: 0 });
    assert.deepEqual(t.position(4), { line: 1, character: 1 });
    assert.deepEqual(t.position(6), { line: 2, character: 0 });
    assert.deepEqual(t.position(9), { line: 4, character: 0 });
  });

  it('yields to the event loop once the slice is spent', async () => {
    let now = 0;
    const slicer = new TimeSlicer(10, () => now);
    await slicer.yield();
    assert.equal(slicer.yields, 0);
    now = 12;
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    await slicer.yield();
    assert.equal(slicer.yields, 1);
    assert.equal(timerRan, true);
  });
});
