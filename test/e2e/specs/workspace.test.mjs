// The workspace index in the real workbench (code-server + Chromium, the packaged VSIX), on
// the small package in test/e2e/workspace-project/: findings that follow calls into files
// that are not open, diagnostics of files never opened, the workload code lens, the status
// bar count and the indexing log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_DIR, HARNESS_DIR, normalise, startWorkbench } from '../harness.mjs';

const T = { timeout: 120_000 };
let wb;
let failed = false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function step(name, body) {
  try {
    await body();
  } catch (e) {
    failed = true;
    try {
      const dir = path.join(HARNESS_DIR, 'failed-runs', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await wb?.page?.screenshot({ path: path.join(dir, `workspace-${name}.png`) });
    } catch { /* best effort */ }
    throw e;
  }
}

const finding = (file, code) => (p) => p.file === file && p.code === code;

/** The code lenses of the active editor, as their texts, top to bottom. */
async function codeLenses() {
  const items = await wb.editor().locator('.codelens-decoration').evaluateAll((els) =>
    els.map((el) => ({ top: el.getBoundingClientRect().top, text: el.textContent ?? '' })));
  items.sort((a, b) => a.top - b.top);
  return items.map((i) => normalise(i.text));
}

async function waitForLens(re, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let lenses = [];
  while (Date.now() < deadline) {
    lenses = await codeLenses();
    if (lenses.some((l) => re.test(l))) return lenses;
    await sleep(200);
  }
  throw new Error(`no code lens matches ${re}; the editor shows ${JSON.stringify(lenses)}`);
}

/** Rows of the open quick pick, as their labels and descriptions. */
async function pickRows() {
  const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(150);
  return (await rows.evaluateAll((els) => els.map((el) => ({
    label: el.querySelector('.label-name')?.textContent ?? el.getAttribute('aria-label') ?? '',
    description: el.querySelector('.label-description')?.textContent ?? '',
  })))).map((r) => ({ label: normalise(r.label).trim(), description: normalise(r.description).trim() }));
}

describe('the workspace index (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    wb = await startWorkbench({ workspaceSource: path.join(E2E_DIR, 'workspace-project') });
  }, { timeout: 180_000 });

  after(async () => {
    await wb?.close(failed);
  }, { timeout: 60_000 });

  it('opening only the coroutine shows CL109 with the chain into the helper\'s module', T, () => step('chain', async () => {
    await wb.openFile('handlers.py');
    await wb.waitForSquiggles(1);
    const problems = await wb.waitForProblems((ps) => ps.some(finding('handlers.py', 'CL109')));
    const cl109 = problems.find(finding('handlers.py', 'CL109'));
    assert.equal(cl109.line, 5);
    assert.equal(cl109.column, 14);
    assert.match(cl109.message, /`load_orders\(\)` blocks the event loop: it calls `requests.get\(\)`/);
    const hover = await wb.hoverAt(5, 'load_orders');
    assert.match(hover, /CL109/, hover);
    assert.match(hover, /`?load_orders\(\)`? calls `?requests\.get\(\)`?/, hover);
    assert.match(hover, /storage\.py/, hover);
    await wb.press('Escape');
  }));

  it('files never opened have their findings in the Problems panel, and the status bar counts them', T, () => step('closed-files', async () => {
    const problems = await wb.waitForProblems((ps) => ps.some(finding('reports.py', 'CL101')) && ps.some(finding('workers.py', 'CL301')));
    const cl101 = problems.find(finding('reports.py', 'CL101'));
    assert.equal(cl101.line, 5);
    assert.equal(cl101.column, 5);
    const cl301 = problems.find(finding('workers.py', 'CL301'));
    assert.equal(cl301.line, 7);
    assert.match(cl301.message, /CPU-bound `crunch_totals\(\)` runs in a thread/);
    // Neither file was opened: no tab for them.
    assert.equal(await wb.page.locator('.tabs-container .tab[aria-label^="reports.py"]').count(), 0);
    assert.equal(await wb.page.locator('.tabs-container .tab[aria-label^="workers.py"]').count(), 0);
    const ours = problems.filter((p) => /^CL\d{3}$/.test(p.code));
    assert.deepEqual(ours.map((p) => `${p.file}:${p.line}:${p.code}`).sort(), ['handlers.py:5:CL109', 'reports.py:5:CL101', 'workers.py:7:CL301']);
    const status = wb.page.locator('.statusbar-item', { hasText: 'Concurrency' }).first();
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((el) => /Concurrency: 3\b/.test(el.textContent ?? '')), null, { timeout: 15_000 });
    assert.match(normalise(await status.innerText()), /Concurrency: 3/);
  }));

  it('a code lens above a function run in a thread shows its verdict; clicking it lists the evidence', T, () => step('code-lens', async () => {
    const t0 = Date.now();
    const tick = (what) => process.env.CONCLENS_E2E_VERBOSE && console.error(`[e2e] ${what} at ${Date.now() - t0} ms`);
    await wb.hidePanel();
    tick('panel hidden');
    await wb.openFile('jobs.py');
    tick('jobs.py open');
    const lenses = await waitForLens(/^CPU-bound/);
    tick('lens on screen');
    assert.deepEqual(lenses, ['CPU-bound: `for` loop over `range()` at line 3']);
    // The lens sits above `def crunch_totals` (line 1).
    const lens = wb.editor().locator('.codelens-decoration a', { hasText: 'CPU-bound' }).first();
    const lensBox = await lens.boundingBox();
    // (Not wb.textBox: its click at the top of the text lands on the lens.)
    const defTop = await wb.editor().evaluate((ed) => {
      const n = [...ed.parentElement.querySelectorAll('.margin-view-overlays .line-numbers')].find((el) => el.textContent?.trim() === '1');
      return n ? n.getBoundingClientRect().top : null;
    });
    assert.ok(defTop !== null && lensBox.y < defTop, `lens at y=${lensBox.y}, line 1 at y=${defTop}`);
    tick('lens found');
    await wb.screenshot('code-lens', { part: '.part.editor', height: 220 });
    tick('screenshot');

    // Move the mouse onto the lens before clicking (an invisible layer swallows clicks until the mouse moves).
    await wb.page.mouse.move(lensBox.x + 2, lensBox.y + lensBox.height / 2);
    await wb.page.mouse.move(lensBox.x + Math.min(lensBox.width / 2, 40), lensBox.y + lensBox.height / 2, { steps: 3 });
    await wb.page.mouse.click(lensBox.x + Math.min(lensBox.width / 2, 40), lensBox.y + lensBox.height / 2);
    const rows = await pickRows();
    tick('quick pick');
    assert.deepEqual(rows.map((r) => r.label), [
      '`for` loop over `range()` at line 3 computes without waiting',
      '`threading.Thread()` at line 7 of workers.py runs it in a thread',
    ]);
    assert.deepEqual(rows.map((r) => r.description), ['jobs.py:3', 'workers.py:7']);
    // Choosing the dispatch site opens workers.py at the Thread(...) call.
    const row = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'workers.py' }).first();
    const b = await row.boundingBox();
    await wb.page.mouse.move(b.x + 10, b.y + b.height / 2);
    await wb.page.mouse.move(b.x + b.width / 3, b.y + b.height / 2, { steps: 3 });
    await row.click();
    await wb.page.locator('.tabs-container .tab.active[aria-label^="workers.py"]').waitFor({ timeout: 10_000 });
    const selection = await wb.page.locator('.editor-group-container.active .monaco-editor .selected-text').count();
    assert.ok(selection > 0, 'the Thread(...) call is selected');
  }));

  it('the coroutine gets a lens too, with evidence found in the helper\'s module', T, () => step('async-lens', async () => {
    await wb.openFile('handlers.py');
    const lenses = await waitForLens(/^I\/O-bound/);
    assert.deepEqual(lenses, ['I/O-bound: `requests.get()` at line 5 (in `load_orders()`, storage.py)']);
  }));

  it('editing the helper (not saved) updates the coroutine\'s finding; reverting brings it back', T, () => step('live', async () => {
    await wb.openFile('storage.py');
    await wb.gotoLine(5);
    await wb.press('Home');
    await wb.press('Shift+End');
    await wb.typeText('response = None');
    await wb.waitForText((t) => t.includes('response = None'));
    await wb.waitForProblems((ps) => !ps.some(finding('handlers.py', 'CL109')) && ps.some(finding('reports.py', 'CL101')));
    await wb.command('File: Revert File');
    await wb.waitForText((t) => t.includes('requests.get('));
    await wb.waitForProblems((ps) => ps.some(finding('handlers.py', 'CL109')));
  }));

  it('closing every editor keeps the findings, now read from disk', T, () => step('closed', async () => {
    await wb.command('View: Close All Editors');
    await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await sleep(1000);
    const problems = await wb.waitForProblems((ps) => ps.some(finding('handlers.py', 'CL109')) && ps.some(finding('reports.py', 'CL101')) && ps.some(finding('workers.py', 'CL301')));
    assert.deepEqual(problems.filter((p) => /^CL\d{3}$/.test(p.code)).map((p) => `${p.file}:${p.line}:${p.code}`).sort(), ['handlers.py:5:CL109', 'reports.py:5:CL101', 'workers.py:7:CL301']);
  }));

  it('a file created on disk is indexed and linted without being opened', T, () => step('created', async () => {
    fs.writeFileSync(wb.file('shop/late.py'), 'import subprocess\n\n\nasync def rebuild():\n    subprocess.run(["make"])\n');
    const problems = await wb.waitForProblems((ps) => ps.some(finding('late.py', 'CL103')));
    assert.equal(problems.find(finding('late.py', 'CL103')).line, 5);
    fs.rmSync(wb.file('shop/late.py'));
    await wb.waitForProblems((ps) => !ps.some((p) => p.file === 'late.py'));
  }));

  it('the output channel logs the indexing with its file count and time, and no error', T, () => step('log', async () => {
    const log = wb.outputChannelLog('Concurrency Lens');
    assert.match(log, /indexing \d+ Python file\(s\) in \S+ \(found in \d+ ms\)/, log);
    assert.match(log, /indexed \S+: \d+ file\(s\) read and linted in \d+ ms, cross-file checks in \d+ ms, \d+ ms in all/, log);
    assert.doesNotMatch(log, /\[error\]/, log);
  }));
});
