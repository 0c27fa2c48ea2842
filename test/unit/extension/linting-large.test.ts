// The editor's lint of a document (src/extension/linting.ts), with `vscode` replaced by
// test/unit/extension/fake-vscode.ts: a small document is linted in one go; a large one is
// opened with its first parse in slices and linted in slices, and its findings published
// all the same; an edit while it opens hands over to the next lint.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { editorParseBudget, Linting, SLICE_ABOVE_CHARS } from '../../../src/extension/linting';
import { FindingsStore } from '../../../src/extension/findings-store';
import { DEFAULT_EDITOR_OPTIONS } from '../../../src/extension/options';
import type { Config } from '../../../src/extension/config';
import type { Log } from '../../../src/extension/log';
import { getLinter } from '../helpers';

const SLEEPY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';

/** The parts of a TextDocument the lint reads. */
function textDocument(path: string, text: string): vscode.TextDocument & { version: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const rowOf = (offset: number) => {
    let row = 0;
    while (row + 1 < starts.length && starts[row + 1] <= offset) row++;
    return row;
  };
  const doc = {
    uri: vscode.Uri.file(path),
    languageId: 'python',
    version: 1,
    isClosed: false,
    lineCount: starts.length,
    getText: () => text,
    lineAt: (line: number) => ({ range: { end: new vscode.Position(line, (line + 1 < starts.length ? starts[line + 1] - 1 : text.length) - starts[line]) } }),
    offsetAt: (p: vscode.Position) => starts[p.line] + p.character,
    positionAt: (offset: number) => {
      const row = rowOf(offset);
      return new vscode.Position(row, offset - starts[row]);
    },
  };
  return doc as unknown as vscode.TextDocument & { version: number };
}

/** The lint with a faked config and diagnostics collection; `infos`/`errors` collect what it logs. */
async function harness(): Promise<{ linting: Linting; published: Map<string, vscode.Diagnostic[]>; infos: string[]; errors: string[] }> {
  const linter = await getLinter();
  const infos: string[] = [];
  const errors: string[] = [];
  const log = { info: (m: string) => infos.push(m), debug: () => undefined, warn: () => undefined, error: (m: string) => errors.push(m) } as unknown as Log;
  const config = { options: () => ({ ...DEFAULT_EDITOR_OPTIONS }), settingsFor: async () => ({ settings: {}, source: 'test' }) } as unknown as Config;
  const published = new Map<string, vscode.Diagnostic[]>();
  const collection = {
    set: (uri: vscode.Uri, d: vscode.Diagnostic[]) => published.set(uri.toString(), d),
    delete: (uri: vscode.Uri) => published.delete(uri.toString()),
    has: (uri: vscode.Uri) => published.has(uri.toString()),
  } as unknown as vscode.DiagnosticCollection;
  return { linting: new Linting(linter, config, log, collection, new FindingsStore()), published, infos, errors };
}

const codes = (d: vscode.Diagnostic[] | undefined) => (d ?? []).map((x) => (typeof x.code === 'object' ? x.code.value : x.code));

describe('editor lint of small and large documents (vscode faked)', function () {
  this.timeout(60_000);

  it('publishes the findings of a small document', async () => {
    const { linting, published } = await harness();
    const doc = textDocument('/w/small.py', SLEEPY);
    await linting.lint(doc);
    assert.deepEqual(codes(published.get(doc.uri.toString())), ['CL101']);
    linting.dispose();
  });

  it('opens and lints a large document in slices, and publishes its findings', async () => {
    const { linting, published } = await harness();
    let text = '';
    for (let i = 0; text.length <= SLICE_ABOVE_CHARS * 3; i++) text += `def f_${i}(x):\n    return [y * y for y in range(x)]\n\n\n`;
    const doc = textDocument('/w/large.py', text + SLEEPY);
    let turns = 0;
    let lintDone = false;
    const probe = () => {
      if (lintDone) return;
      turns++;
      setTimeout(probe, 0);
    };
    setTimeout(probe, 0);
    await linting.lint(doc);
    lintDone = true;
    assert.deepEqual(codes(published.get(doc.uri.toString())), ['CL101']);
    assert.ok(turns >= 2, `the event loop had ${turns} turns while the large document was linted`);
    linting.dispose();
  });

  it('an edit while a large document opens: that lint stops, the next one publishes', async () => {
    const { linting, published } = await harness();
    let text = '';
    for (let i = 0; text.length <= SLICE_ABOVE_CHARS * 3; i++) text += `def f_${i}(x):\n    return [y * y for y in range(x)]\n\n\n`;
    const doc = textDocument('/w/edited.py', text + SLEEPY);
    const first = linting.lint(doc);
    // An edit arrives while the first parse runs in slices (its text is the same here).
    setTimeout(() => {
      doc.version = 2;
    }, 0);
    await first;
    assert.equal(published.has(doc.uri.toString()), false, 'the stale lint published nothing');
    await linting.lint(doc);
    assert.deepEqual(codes(published.get(doc.uri.toString())), ['CL101']);
    linting.dispose();
  });
});

describe('editor lint of a document tree-sitter cannot parse in time (vscode faked)', function () {
  this.timeout(60_000);

  it('stops the parse at its budget, logs why, and leaves the document alone until it is reopened', async () => {
    const { linting, published, infos, errors } = await harness();
    // UTF-16 text shown as UTF-8 (a NUL between every character): tree-sitter's error
    // recovery on 60,000 such characters runs for over a second.
    const python = 'import asyncio\n\nasync def main(x):\n    await asyncio.sleep(x)\n    return [y for y in range(x) if y % 2]\n'.repeat(400);
    const garbage = new TextDecoder().decode(Buffer.from(python.slice(0, 30_000), 'utf16le'));
    assert.ok(garbage.length < SLICE_ABOVE_CHARS);
    const doc = textDocument('/w/garbage.py', garbage);
    const started = performance.now();
    linting.lintSafely(doc);
    for (let i = 0; i < 400 && !infos.some((m) => m.includes('not linted')); i++) await new Promise((r) => setTimeout(r, 10));
    const ms = performance.now() - started;
    assert.ok(infos.some((m) => m.includes('garbage.py') && m.includes('did not finish parsing')), `logged: ${infos.join(' | ')}`);
    assert.deepEqual(errors, []);
    assert.ok(ms < editorParseBudget(garbage.length) + 2000, `stopped after ${ms.toFixed(0)} ms`);
    // Further edits do not parse it again (each would stall the editor again).
    doc.version = 2;
    await linting.lint(doc);
    assert.equal(linting.isTracked(doc.uri), false, 'no document state was built for it');
    assert.equal(published.has(doc.uri.toString()), false);
    assert.equal(await linting.snapshot(doc), undefined);
    // Closed and reopened with ordinary code: linted again.
    linting.closed(doc);
    const fixed = textDocument('/w/garbage.py', SLEEPY);
    await linting.lint(fixed);
    assert.deepEqual(codes(published.get(fixed.uri.toString())), ['CL101']);
    linting.dispose();
  });
});
