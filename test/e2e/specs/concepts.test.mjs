// Concept hovers and the model guide in the real workbench (code-server + Chromium, the
// packaged VSIX), on the files of test/e2e/workspace-concepts/. Also renders the guide's
// diagram (docs/images/model-guide.svg) to the PNG the README shows, in the same browser.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_DIR, HARNESS_DIR, ROOT, SCREENSHOT_DIR, normalise, startWorkbench } from '../harness.mjs';

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
      await wb?.page?.screenshot({ path: path.join(dir, `concepts-${name}.png`) });
    } catch { /* best effort */ }
    throw e;
  }
}

/** Rows of the open quick pick, as their labels. */
async function pickRows() {
  const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(150);
  return (await rows.evaluateAll((els) => els.map((el) => el.querySelector('.label-name')?.textContent ?? el.getAttribute('aria-label') ?? '')))
    .map(normalise);
}

/** Waits until the quick pick asks `prompt` (its placeholder; a RegExp or the exact text). */
async function waitForPrompt(prompt) {
  const source = prompt instanceof RegExp ? prompt.source : `^${prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  await wb.page.waitForFunction((src) => new RegExp(src).test(
    document.querySelector('.quick-input-widget .quick-input-box input')?.getAttribute('placeholder') ?? ''), source, { timeout: 10_000 });
}

/**
 * Opens concepts.py alone in the editor, panel hidden, once its squiggle is there. (The lines
 * hovered stay in the first screenful: the harness clicks the top of the text area, which a
 * scrolled editor hides under the tabs.)
 */
async function openConcepts() {
  await wb.press('Escape');
  await wb.openFile('concepts.py');
  await wb.command('View: Close Other Editors in Group');
  await wb.hidePanel();
  await wb.waitForSquiggles(1);
}

/** Chooses the quick-pick row whose label starts with `label` (the mouse moves onto it first). */
async function choose(label) {
  const page = wb.page;
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  const b = await row.boundingBox();
  await page.mouse.move(b.x + 10, b.y + b.height / 2);
  await page.mouse.move(b.x + b.width / 3, b.y + b.height / 2, { steps: 3 });
  await row.click();
}

/** The modal dialog: its message, detail and button labels. */
async function dialog() {
  const box = wb.page.locator('.monaco-dialog-box');
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  const message = normalise(await box.locator('.dialog-message-text').innerText());
  const detail = normalise(await box.locator('.dialog-message-detail').innerText().catch(() => ''));
  const buttons = (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map(normalise);
  return { box, message, detail, buttons };
}

async function pressDialogButton(label) {
  const button = wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first();
  const b = await button.boundingBox();
  await wb.page.mouse.move(b.x + 5, b.y + b.height / 2);
  await button.click();
  await wb.page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 10_000 });
}

/** Moves the mouse onto `needle` on `line`, waits, and returns the visible hover text ('' if none). */
async function hoverTextOrNothing(line, needle, waitMs = 2_000) {
  const box = await wb.textBox(line, needle);
  await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height + 40);
  await wb.page.mouse.move(box.x + Math.min(box.width / 2, 12), box.y + box.height / 2, { steps: 4 });
  await sleep(waitMs);
  const hover = wb.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
  return (await hover.count()) > 0 && (await hover.last().isVisible()) ? normalise(await hover.last().innerText()) : '';
}

describe('concept hovers and the model guide (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    wb = await startWorkbench({ workspaceSource: path.join(E2E_DIR, 'workspace-concepts') });
  }, { timeout: 180_000 });

  after(async () => {
    await wb?.close(failed);
  }, { timeout: 60_000 });

  it('hovering aio.create_task (import asyncio as aio) shows the concept note with its link', T, () => step('create-task', async () => {
    await openConcepts();
    const text = await wb.hoverAt(7, 'create_task');
    assert.match(text, /asyncio\.create_task\(\) — concurrency concept/, text);
    assert.match(text, /schedules it to start/, text);
    assert.match(text, /Read more: `?await`? versus `?asyncio\.create_task\(\)`?/, text);
    assert.match(text, /Choose a concurrency model/, text);
    await wb.screenshot('concept-hover', { part: '.part.editor', height: 300 });
    await wb.press('Escape');
  }));

  it('hovering the async of an async def and an aliased ProcessPoolExecutor explain them', T, () => step('async-def', async () => {
    await openConcepts();
    const asyncText = await wb.hoverAt(6, 'async');
    assert.match(asyncText, /async def — concurrency concept/, asyncText);
    assert.match(asyncText, /coroutine function/, asyncText);
    await wb.press('Escape');
    const ppe = await wb.hoverAt(13, 'PPE');
    assert.match(ppe, /ProcessPoolExecutor — concurrency concept/, ppe);
    assert.match(ppe, /own interpreter, memory and GIL/, ppe);
    await wb.press('Escape');
  }));

  it('beside a diagnostic the concept is one line under the explanation, not a second essay', T, () => step('with-diagnostic', async () => {
    await openConcepts();
    const text = await wb.hoverAt(8, 'time.sleep');
    assert.match(text, /CL101/, text);
    assert.match(text, /Concept: time\.sleep\(\) — The Global Interpreter Lock/, text);
    assert.doesNotMatch(text, /The OS keeps the time and the thread releases the GIL/, text);
    assert.doesNotMatch(text, /concurrency concept/, text);
    await wb.press('Escape');
  }));

  it('conclens.conceptHovers: false turns the notes off (diagnostic hovers stay)', T, () => step('setting', async () => {
    await openConcepts();
    await wb.setSetting('conclens.conceptHovers', false);
    try {
      assert.equal(await hoverTextOrNothing(6, 'async'), '');
      await wb.press('Escape');
      const withDiagnostic = await wb.hoverAt(8, 'time.sleep');
      assert.match(withDiagnostic, /CL101/);
      assert.doesNotMatch(withDiagnostic, /Concept:/);
      await wb.press('Escape');
    } finally {
      await wb.setSetting('conclens.conceptHovers', undefined);
    }
    const back = await wb.hoverAt(6, 'async');
    assert.match(back, /async def — concurrency concept/);
    await wb.press('Escape');
  }));

  it('Choose a Concurrency Model: I/O-bound, slow and many, async libraries -> asyncio, snippet inserted at the cursor', T, () => step('guide-insert', async () => {
    await wb.openFile('guide.py');
    await wb.command('View: Close Other Editors in Group');
    await wb.hidePanel();
    await wb.gotoLine(2);
    await wb.command('Concurrency Lens: Choose a Concurrency Model');

    await waitForPrompt('Where does the work spend its time?');
    assert.deepEqual(await pickRows(), ['Computing (CPU-bound)', 'Waiting (I/O-bound)', 'Both: mostly waiting, with heavy computing steps']);
    await wb.screenshot('model-guide-pick', { part: '.monaco-workbench', height: 360 });
    await choose('Waiting (I/O-bound)');
    await waitForPrompt('What are the waits like?');
    assert.deepEqual(await pickRows(), ['Fast, and not too many at once', 'Slow, and many at once']);
    await choose('Slow, and many at once');
    await waitForPrompt(/^Can every wait be awaited/);
    await choose('Yes');

    const d = await dialog();
    assert.match(d.message, /Recommended: asyncio/);
    assert.match(d.detail, /one event loop keeps thousands of them in flight/);
    assert.match(d.detail, /Your answers: I\/O-bound → slow, many → yes/);
    assert.ok(d.buttons.includes('Insert Snippet at Cursor'), JSON.stringify(d.buttons));
    assert.ok(d.buttons.includes('Open Snippet in New Editor'), JSON.stringify(d.buttons));
    await wb.screenshot('model-guide-recommendation', { part: '.monaco-workbench', height: 640 });
    await pressDialogButton('Insert Snippet at Cursor');

    const text = await wb.waitForText((t) => t.includes('asyncio.run(main())'));
    assert.match(text, /^# Snippets from the model guide land below\.$/m);
    assert.match(text, /^import asyncio$/m);
    assert.match(text, /^ {4}results = await asyncio\.gather\(/m);
    // the snippet is clean Python under every rule: no squiggle once it is linted
    await sleep(1_000);
    await wb.waitForSquiggles(0, { exact: true });
    await wb.command('View: Revert and Close Editor').catch(() => {});
  }));

  it('Choose a Concurrency Model with no editor open: CPU-bound -> processes, snippet in a new editor', T, () => step('guide-new-editor', async () => {
    await wb.command('View: Close All Editors');
    await wb.command('Concurrency Lens: Choose a Concurrency Model');
    await waitForPrompt('Where does the work spend its time?');
    await choose('Computing (CPU-bound)');
    const d = await dialog();
    assert.match(d.message, /Recommended: Processes \(ProcessPoolExecutor\)/);
    assert.match(d.detail, /own interpreter and GIL/);
    assert.ok(!d.buttons.includes('Insert Snippet at Cursor'), JSON.stringify(d.buttons));
    await pressDialogButton('Open Snippet in New Editor');
    await wb.page.locator('.tabs-container .tab.active').waitFor({ timeout: 10_000 });
    const text = await wb.waitForText((t) => t.includes('ProcessPoolExecutor'));
    assert.match(text, /^if __name__ == "__main__":$/m);
    await wb.command('View: Revert and Close Editor').catch(() => {});
  }));

  it('the output channel shows no error', T, () => step('output', async () => {
    const text = wb.outputChannelLog('Concurrency Lens');
    assert.match(text, /model guide: I\/O-bound → slow, many → yes -> asyncio/, text);
    assert.doesNotMatch(text, /\[error\]/, text);
  }));

  it('renders the model guide diagram (docs/images/model-guide.svg) to the PNG the README shows', T, () => step('diagram', async () => {
    const svg = fs.readFileSync(path.join(ROOT, 'docs', 'images', 'model-guide.svg'), 'utf8');
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg);
    const page = await wb.browser.newPage({ viewport: { width: Number(w), height: Number(h) }, deviceScaleFactor: 1 });
    try {
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      const file = path.join(SCREENSHOT_DIR, 'model-guide.png');
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.locator('svg').screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 10_000);
    } finally {
      await page.close();
    }
  }));
});
