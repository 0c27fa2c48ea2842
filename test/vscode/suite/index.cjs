// Runs inside the VS Code extension host started by test/vscode/run.mjs: the same checks as
// the e2e specs, through the API (diagnostics, hover, quick fix, settings).
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const Mocha = require('mocha');

const ws = process.env.CONCLENS_TEST_WORKSPACE;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code));

async function diagnosticsFor(uri, predicate, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let ds = [];
  while (Date.now() < deadline) {
    ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'conclens');
    if (predicate(ds)) return ds;
    await sleep(100);
  }
  throw new Error(`diagnostics did not reach the expected state: ${JSON.stringify(ds.map((d) => [d.range.start.line + 1, codeOf(d)]))}`);
}

async function open(name) {
  const doc = await vscode.workspace.openTextDocument(path.join(ws, name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function suite() {
  describe('Concurrency Lens in desktop VS Code', function () {
    this.timeout(60_000);

    it('reports CL101 for time.sleep in async def', async () => {
      const doc = await open('a.py');
      const ds = await diagnosticsFor(doc.uri, (d) => d.length > 0);
      assert.deepEqual(ds.map((d) => [d.range.start.line + 1, codeOf(d)]), [[4, 'CL101']]);
    });

    it('explains the finding in a hover', async () => {
      const doc = await open('hover.py');
      await diagnosticsFor(doc.uri, (d) => d.length > 0);
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(5, 10));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /CL101/);
      assert.match(text, /event loop/i);
    });

    it('quick fix rewrites time.sleep(1) to await asyncio.sleep(1)', async () => {
      const doc = await open('quickfix.py');
      const [d] = await diagnosticsFor(doc.uri, (ds) => ds.length > 0);
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => /asyncio\.sleep/.test(a.title));
      assert.ok(fix, `offered: ${actions.map((a) => a.title).join(', ')}`);
      if (fix.edit) await vscode.workspace.applyEdit(fix.edit);
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const text = doc.getText();
      assert.match(text, /^import asyncio$/m);
      assert.match(text, /^ {4}await asyncio\.sleep\(1\)$/m);
      await diagnosticsFor(doc.uri, (ds) => ds.length === 0);
    });

    it('conclens.ignore turns a rule off', async () => {
      const doc = await open('ignored.py');
      await diagnosticsFor(doc.uri, (ds) => ds.length > 0);
      const cfg = vscode.workspace.getConfiguration('conclens', doc.uri);
      await cfg.update('ignore', ['CL101'], vscode.ConfigurationTarget.Workspace);
      try {
        await diagnosticsFor(doc.uri, (ds) => ds.length === 0);
      } finally {
        await cfg.update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await diagnosticsFor(doc.uri, (ds) => ds.length > 0);
    });
  });
}

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  suite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
};
