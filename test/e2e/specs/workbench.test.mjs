// End-to-end tests in the real VS Code workbench (code-server) with the packaged VSIX
// installed, driven through headless Chromium. Each test asserts what a user sees.
// Run with `npm run test:e2e` (after `npm run package` and scripts/e2e-setup.sh).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HARNESS_DIR, startWorkbench } from '../harness.mjs';

const T = { timeout: 90_000 };
let wb;
let failed = false;

/** Runs a test body; on failure keeps a screenshot of the window next to the kept logs. */
async function step(name, body) {
  try {
    await body();
  } catch (e) {
    failed = true;
    try {
      const dir = path.join(HARNESS_DIR, 'failed-runs', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await wb?.page?.screenshot({ path: path.join(dir, `${name}.png`) });
      console.error(`[e2e] screenshot of the failure: ${path.relative(process.cwd(), path.join(dir, `${name}.png`))}`);
    } catch { /* best effort */ }
    throw e;
  }
}

/** `# expect: CL101, CL102` markers of a workspace file, as [{line, code}]. */
function expectations(text) {
  const out = [];
  text.split('\n').forEach((l, i) => {
    const m = /#\s*expect:\s*([A-Z0-9, ]+)/.exec(l);
    if (m) for (const code of m[1].split(',').map((c) => c.trim()).filter(Boolean)) out.push({ line: i + 1, code });
  });
  return out;
}

const ours = (file) => (p) => p.file === file && /^CL\d{3}$/.test(p.code);
const key = (p) => `${p.line}:${p.code}`;

describe('Concurrency Lens in VS Code (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    wb = await startWorkbench();
  }, { timeout: 180_000 });

  after(async () => {
    await wb?.close(failed);
  }, { timeout: 60_000 });

  it('opening a file shows its findings as squiggles and in the Problems panel', T, () => step('problems', async () => {
    await wb.openFile('a.py');
    await wb.waitForSquiggles(1);
    const problems = await wb.waitForProblems((ps) => ps.some(ours('a.py')));
    const mine = problems.filter(ours('a.py'));
    assert.deepEqual(mine.map(key), ['4:CL101'], JSON.stringify(mine));
    assert.equal(mine[0].column, 5);
    assert.equal(mine[0].severity, 'warning');
    assert.match(mine[0].source, /conclens/);
    assert.match(mine[0].message, /time\.sleep/);

    // a file with several rules: exactly the marked codes, on the marked lines
    await wb.openFile('several.py');
    const want = expectations(fs.readFileSync(wb.file('several.py'), 'utf8')).map(key).sort();
    const got = await wb.waitForProblems((ps) => ps.filter(ours('several.py')).length >= want.length);
    assert.deepEqual(got.filter(ours('several.py')).map(key).sort(), want);
    await wb.waitForSquiggles(want.length);
  }));

  it('hovering a squiggle explains the finding', T, () => step('hover', async () => {
    await wb.openFile('hover.py');
    await wb.command('View: Close Other Editors in Group');
    await wb.hidePanel();
    await wb.waitForSquiggles(1);
    const text = await wb.hoverAt(6, 'time.sleep');
    assert.match(text, /CL101/);
    assert.match(text, /event loop/i, text);
    assert.match(text, /asyncio\.sleep/, text);
    await wb.screenshot('hover', { part: '.part.editor', height: 470 });
    await wb.press('Escape');
  }));

  it('Ctrl+. offers the quick fix and applying it rewrites the call', T, () => step('quick-fix', async () => {
    await wb.openFile('quickfix.py');
    await wb.command('View: Close Other Editors in Group');
    await wb.hidePanel();
    await wb.waitForSquiggles(1);
    await wb.clickAt(5, 'sleep');
    const items = await wb.openQuickFix();
    assert.ok(items.some((l) => /asyncio\.sleep/.test(l)), `quick fixes offered: ${JSON.stringify(items)}`);
    await wb.screenshot('quick-fix', { part: '.part.editor', height: 300 });
    await wb.chooseQuickFix(/asyncio\.sleep/);
    const text = await wb.waitForText((t) => t.includes('await asyncio.sleep(1)'));
    assert.match(text, /^import asyncio$/m);
    assert.match(text, /^ {4}await asyncio\.sleep\(1\)$/m);
    assert.doesNotMatch(text, /time\.sleep/);
    await wb.waitForSquiggles(0, { exact: true });
    await wb.save();
  }));

  it('fix-all on save (editor.codeActionsOnSave: source.fixAll.conclens) fixes the file', T, () => step('fix-all-on-save', async () => {
    await wb.setSetting('editor.codeActionsOnSave', { 'source.fixAll.conclens': 'explicit' });
    try {
      await wb.openFile('fixall.py');
      await wb.waitForSquiggles(2);
      await wb.gotoLine(1);
      await wb.press('Home');
      await wb.typeText('# saved by a user\n');
      await wb.save();
      const text = await wb.waitForText((t) => !t.includes('time.sleep'));
      assert.match(text, /^ {4}await asyncio\.sleep\(1\)$/m);
      assert.match(text, /^ {4}await asyncio\.sleep\(2\)$/m);
      assert.match(text, /^import asyncio$/m);
      const deadline = Date.now() + 10_000;
      let disk = '';
      while (Date.now() < deadline) {
        disk = fs.readFileSync(wb.file('fixall.py'), 'utf8');
        if (!disk.includes('time.sleep')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.doesNotMatch(disk, /time\.sleep/, `on disk after save:\n${disk}`);
      assert.match(disk, /await asyncio\.sleep\(2\)/);
      await wb.waitForSquiggles(0, { exact: true });
    } finally {
      await wb.setSetting('editor.codeActionsOnSave', undefined);
    }
  }));

  it('typing time.sleep(1) into an async def produces a new diagnostic', T, () => step('typing', async () => {
    await wb.openFile('typing.py');
    await wb.waitForSquiggles(0, { exact: true });
    await wb.gotoLine(5);
    await wb.press('End');
    await wb.press('Enter');
    await wb.typeText('time.sleep(1)');
    const text = await wb.editorText();
    assert.match(text, /^ {4}time\.sleep\(1\)$/m, text);
    await wb.waitForSquiggles(1, { exact: true });
    const problems = await wb.waitForProblems((ps) => ps.some(ours('typing.py')));
    assert.deepEqual(problems.filter(ours('typing.py')).map(key), ['6:CL101']);
    await wb.save();
  }));

  it('turning a rule off in settings (conclens.ignore) removes its diagnostics', T, () => step('settings', async () => {
    await wb.openFile('ignored.py');
    await wb.waitForSquiggles(1, { exact: true });
    await wb.setSetting('conclens.ignore', ['CL101']);
    try {
      await wb.waitForSquiggles(0, { exact: true });
      const problems = await wb.waitForProblems((ps) => !ps.some((p) => p.code === 'CL101'));
      assert.equal(problems.filter((p) => p.code === 'CL101').length, 0);
    } finally {
      await wb.setSetting('conclens.ignore', undefined);
    }
    // and back on again
    await wb.waitForSquiggles(1, { exact: true });
    await wb.waitForProblems((ps) => ps.some((p) => ours('ignored.py')(p) && p.code === 'CL101'));
  }));

  it('a file with a syntax error still shows findings for what parses', T, () => step('syntax-error', async () => {
    await wb.openFile('syntax_error.py');
    await wb.waitForSquiggles(1);
    const problems = await wb.waitForProblems((ps) => ps.some(ours('syntax_error.py')));
    assert.deepEqual(problems.filter(ours('syntax_error.py')).map(key), ['5:CL101']);
  }));

  it('the "Concurrency Lens" output channel shows the activation and no errors', T, () => step('output', async () => {
    // on screen: the channel exists, is shown and has text, none of it an error
    const shown = await wb.readOutputChannel('Concurrency Lens');
    assert.ok(shown.trim().length > 0, 'the output channel shows nothing');
    const isError = (l) => /\[error\]|\b\w*Error\b:|\bexception\b|\bfailed\b/i.test(l);
    assert.deepEqual(shown.split('\n').filter(isError), [], `error lines in the output channel:\n${shown}`);
    // all of it, from the file the channel is written to
    const text = wb.outputChannelLog('Concurrency Lens');
    assert.match(text, /activat/i, `the output channel does not show the activation:\n${text}`);
    assert.deepEqual(text.split('\n').filter(isError), [], `error lines in the output channel:\n${text}`);
    // the extension host's own log: activation must not have failed
    const hostLogs = wb.logFiles((p) => /exthost/.test(p));
    const hostErrors = hostLogs.flatMap((f) => f.text.split('\n'))
      .filter((l) => /conclens/i.test(l) && /\[error\]|failed/i.test(l));
    assert.deepEqual(hostErrors, []);
    assert.deepEqual(wb.pageErrors.filter((e) => /conclens/i.test(e)), []);
  }));
});
