// The offline real-VS-Code harness: code-server (the VS Code workbench and extension host,
// installed by scripts/e2e-setup.sh into test/e2e/.harness/) serves a private copy of
// test/e2e/workspace with the packaged VSIX installed, and Debian's Chromium, driven by
// playwright-core, looks at it as a user would. See test/e2e/README.md.
//
// Everything a run writes lives in test/e2e/.harness/runs/<id>/ (user data, extensions,
// XDG config/data/cache, the workspace copy, logs) plus one short private temp folder for
// TMPDIR/XDG_RUNTIME_DIR (unix socket paths must stay under 108 bytes). Both are removed
// at the end, and code-server's whole process group and every descendant are stopped.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(E2E_DIR, '..', '..');
export const HARNESS_DIR = path.join(E2E_DIR, '.harness');
export const DEFAULT_VSIX = path.join(ROOT, 'dist', 'concurrency-lens.vsix');
export const SCREENSHOT_DIR = process.env.CONCLENS_E2E_SCREENSHOTS ?? path.join(ROOT, 'docs', 'images');
const CODE_SERVER_ENTRY = path.join(HARNESS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CONCLENS_E2E_CHROMIUM ?? '/usr/bin/chromium';
const VERBOSE = !!process.env.CONCLENS_E2E_VERBOSE;

/** Settings that keep the workbench quiet and the editor predictable while it is driven. */
export const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'window.confirmBeforeClose': 'never',
  'editor.minimap.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.parameterHints.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.formatOnType': false,
  'editor.hover.delay': 200,
  'editor.hover.sticky': true,
  'editor.fontSize': 15,
  'editor.cursorBlinking': 'solid',
  'editor.cursorSmoothCaretAnimation': 'off',
  'editor.smoothScrolling': false,
  'workbench.reduceMotion': 'on',
  'workbench.list.smoothScrolling': false,
  'editor.renderWhitespace': 'none',
  'editor.stickyScroll.enabled': false,
  'breadcrumbs.enabled': false,
  'problems.showCurrentInStatus': false,
};

const log = (...a) => { if (VERBOSE) console.error('[e2e]', ...a); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Loads playwright-core from the harness folder (it is not a project dependency). */
function loadPlaywright() {
  const req = createRequire(path.join(HARNESS_DIR, 'package.json'));
  return req('playwright-core');
}

export function harnessInstalled() {
  return fs.existsSync(CODE_SERVER_ENTRY) && fs.existsSync(path.join(HARNESS_DIR, '.setup-stamp'));
}

// ---------------------------------------------------------------------------------------
// processes

/** Every live process id with its parent, read from /proc. */
function processTable() {
  const table = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ... ; comm may contain spaces and parentheses
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(rest[1]), pgid: Number(rest[2]) });
    } catch { /* gone */ }
  }
  return table;
}

function descendantsOf(rootPid, table = processTable()) {
  const out = new Set();
  let frontier = [rootPid];
  while (frontier.length) {
    const next = [];
    for (const p of table) if (frontier.includes(p.ppid) && !out.has(p.pid)) { out.add(p.pid); next.push(p.pid); }
    frontier = next;
  }
  return out;
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Stops a process group and each descendant of its leader (found before any is signalled). */
async function stopTree(leader) {
  const table = processTable();
  const victims = new Set([leader, ...descendantsOf(leader, table)]);
  for (const p of table) if (p.pgid === leader) victims.add(p.pid);
  const signal = (sig) => {
    try { process.kill(-leader, sig); } catch { /* group gone */ }
    for (const pid of victims) { try { process.kill(pid, sig); } catch { /* gone */ } }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && [...victims].some(alive)) await sleep(100);
  // Whatever is left (and anything forked meanwhile) is killed outright.
  for (const pid of descendantsOf(leader)) victims.add(pid);
  signal('SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard && [...victims].some(alive)) await sleep(50);
}

/** Sync variant for process 'exit' handlers: SIGKILL the group and all known descendants. */
function killTreeSync(leader, known) {
  const victims = new Set([...known, ...descendantsOf(leader)]);
  try { process.kill(-leader, 'SIGKILL'); } catch { /* gone */ }
  for (const pid of victims) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

// ---------------------------------------------------------------------------------------
// code-server

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Starts a private code-server with the VSIX installed and the fixture workspace copied in,
 * and a headless Chromium looking at it. Returns a Workbench; call `close()` in `after`.
 */
export async function startWorkbench(opts = {}) {
  const vsix = opts.vsix ?? process.env.CONCLENS_E2E_VSIX ?? DEFAULT_VSIX;
  if (!fs.existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server is not installed in ${HARNESS_DIR}: run scripts/e2e-setup.sh`);
  if (!fs.existsSync(vsix)) throw new Error(`no VSIX at ${vsix}: run npm run package`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/e2e-setup.sh`);

  const id = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${process.pid}`;
  const runDir = path.join(HARNESS_DIR, 'runs', id);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-e2e-'));
  const dirs = {
    run: runDir,
    tmp: tmpDir,
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    xdgConfig: path.join(runDir, 'xdg-config'),
    xdgData: path.join(runDir, 'xdg-data'),
    xdgCache: path.join(runDir, 'xdg-cache'),
    workspace: path.join(runDir, 'workspace'),
    logs: path.join(runDir, 'logs'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  fs.cpSync(opts.workspaceSource ?? path.join(E2E_DIR, 'workspace'), dirs.workspace, { recursive: true });
  // workspace settings exist from the start, so that later changes are edits of a watched file
  writeJson(path.join(dirs.workspace, '.vscode', 'settings.json'), opts.workspaceSettings ?? {});
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  const userSettings = { ...BASE_SETTINGS, ...(opts.settings ?? {}) };
  writeJson(settingsFile, userSettings);

  const env = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: runDir,
    TMPDIR: tmpDir,
    XDG_RUNTIME_DIR: tmpDir,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    CS_DISABLE_FILE_DOWNLOADS: '1',
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  let leader = 0;
  const seen = new Set();
  let poll;
  const onExit = () => { if (leader) killTreeSync(leader, seen); };
  process.on('exit', onExit);
  const onSignal = (sig) => { onExit(); removeDirs(); process.kill(process.pid, sig); };
  const removeDirs = () => {
    for (const d of [tmpDir, runDir]) { try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ } }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const wb = new Workbench({ dirs, settingsFile, userSettings, id });
  wb.workspaceSettings = { ...(opts.workspaceSettings ?? {}) };
  wb._cleanup = async (failed) => {
    clearInterval(poll);
    if (leader) await stopTree(leader);
    leader = 0;
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (failed || process.env.CONCLENS_E2E_KEEP) {
      // keep what explains a failure: the logs, outside the run folder that is removed
      const keep = path.join(HARNESS_DIR, 'failed-runs', id);
      try {
        fs.mkdirSync(keep, { recursive: true });
        fs.cpSync(dirs.logs, path.join(keep, 'logs'), { recursive: true });
        const vsLogs = path.join(dirs.userData, 'logs');
        if (fs.existsSync(vsLogs)) fs.cpSync(vsLogs, path.join(keep, 'vscode-logs'), { recursive: true });
        console.error(`[e2e] logs of the failed run kept in ${path.relative(ROOT, keep)}`);
      } catch { /* best effort */ }
    }
    if (!process.env.CONCLENS_E2E_KEEP) removeDirs();
  };

  try {
    const t0 = Date.now();
    const inst = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...common, '--install-extension', vsix], {
      env, cwd: runDir, encoding: 'utf8', timeout: 120_000,
    });
    fs.writeFileSync(path.join(dirs.logs, 'install-extension.log'), `${inst.stdout}\n${inst.stderr}`);
    if (inst.status !== 0) throw new Error(`installing ${vsix} failed (${inst.status ?? inst.signal}):\n${inst.stdout}\n${inst.stderr}`);
    const installed = fs.readdirSync(dirs.extensions).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
    if (!installed.length) throw new Error(`--install-extension left no extension in ${dirs.extensions}:\n${inst.stdout}\n${inst.stderr}`);
    wb.installedExtensions = installed;
    log(`installed ${installed.join(', ')} in ${Date.now() - t0} ms`);

    const logFile = path.join(dirs.logs, 'code-server.log');
    const logFd = fs.openSync(logFile, 'a');
    // detached: the child calls setsid(), so it leads a new session and process group
    const child = spawn(process.execPath, [
      CODE_SERVER_ENTRY, ...common,
      '--auth', 'none', '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--disable-file-downloads', '--disable-proxy',
      '--ignore-last-opened', '--log', 'info',
      dirs.workspace,
    ], { env, cwd: runDir, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    leader = child.pid;
    wb.pid = leader;
    poll = setInterval(() => { for (const p of descendantsOf(leader)) seen.add(p); }, 500);
    poll.unref();
    let exited = null;
    child.on('exit', (code, sig) => { exited = code ?? sig; });

    const deadline = Date.now() + 60_000;
    let port = 0;
    while (!port) {
      const text = fs.readFileSync(logFile, 'utf8');
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) port = Number(m[1]);
      else if (exited !== null) throw new Error(`code-server exited (${exited}) before listening:\n${text}`);
      else if (Date.now() > deadline) throw new Error(`code-server did not report its port within 60 s:\n${text}`);
      else await sleep(100);
    }
    wb.url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;
    log(`code-server on port ${port} after ${Date.now() - t0} ms`);

    const { chromium } = loadPlaywright();
    wb.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
      env: { ...env, HOME: runDir },
    });
    const context = await wb.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    wb.page = await context.newPage();
    wb.page.on('pageerror', (e) => wb.pageErrors.push(String(e)));
    await wb.load();
    log(`workbench up after ${Date.now() - t0} ms`);
    return wb;
  } catch (e) {
    await wb.close(true);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// the workbench, as a user sees it

const nbsp = /\u00a0/g;
export const normalise = (s) => s.replace(nbsp, ' ').replace(/\u200b/g, '');

export class Workbench {
  constructor({ dirs, settingsFile, userSettings, id }) {
    this.dirs = dirs;
    this.settingsFile = settingsFile;
    this.userSettings = userSettings;
    this.workspaceSettings = {};
    this.id = id;
    this.pageErrors = [];
    this.browser = null;
    this.page = null;
  }

  async close(failed = false) {
    try { if (this.browser) await this.browser.close(); } catch { /* ignore */ }
    this.browser = null;
    if (this._cleanup) await this._cleanup(failed);
    this._cleanup = null;
  }

  /** Opens the workbench, reloading once if it does not come up (as code-server's own tests do). */
  async load() {
    const page = this.page;
    await page.goto(this.url, { waitUntil: 'domcontentloaded' });
    try {
      await page.waitForSelector('div.monaco-workbench', { timeout: 30_000 });
    } catch {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForSelector('div.monaco-workbench', { timeout: 30_000 });
    }
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 30_000 });
  }

  /** Absolute path of a file in the run's workspace copy. */
  file(name) { return path.join(this.dirs.workspace, name); }

  /** Runs a command from the command palette by its label. */
  async command(label) {
    const page = this.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    // the palette closes, or the command opens a picker of its own (its input no longer starts with '>')
    await page.waitForFunction(() => {
      const w = document.querySelector('.quick-input-widget');
      const i = w?.querySelector('.quick-input-box input');
      return !w || getComputedStyle(w).display === 'none' || !i || !i.value.startsWith('>');
    }, null, { timeout: 10_000 }).catch(() => {});
  }

  /** Opens a workspace file from the Explorer (Ctrl+P as fallback) and waits for its editor. */
  async openFile(name) {
    const page = this.page;
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      await row.dblclick();
    } catch {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(name);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
    }
    await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: 15_000 });
    await this.editor().locator('.view-lines').waitFor();
    try {
      await this.editor().locator('.view-lines').click({ position: { x: 2, y: 2 }, timeout: 5_000 });
    } catch {
      // Seen once at start-up: the workbench was still laying out and the page took the
      // click (`<html> intercepts pointer events`). Focus the editor's input directly and
      // put the cursor where the click would have.
      await page.keyboard.press('Escape');
      await this.editor().locator('textarea').first().focus();
      await page.keyboard.press('Control+Home');
    }
  }

  /** The active text editor in the editor area. */
  editor() {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  squiggles() {
    return this.editor().locator('.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint');
  }

  /** Waits until the active editor shows at least `count` squiggles (exactly `count` with exact). */
  async waitForSquiggles(count = 1, { exact = false, timeout = 30_000 } = {}) {
    const loc = this.squiggles();
    const deadline = Date.now() + timeout;
    let n = -1;
    while (Date.now() < deadline) {
      n = await loc.count();
      if (exact ? n === count : n >= count) return n;
      await sleep(100);
    }
    throw new Error(`expected ${exact ? '' : 'at least '}${count} squiggle(s) in the editor, saw ${n}`);
  }

  /** The text of the active editor, as displayed (non-breaking spaces normalised). */
  async editorText() {
    const lines = await this.editor().locator('.view-lines .view-line').evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' })));
    lines.sort((a, b) => a.top - b.top);
    return normalise(lines.map((l) => l.text).join('\n'));
  }

  /** Waits until `predicate(editorText)` holds; returns the text. */
  async waitForText(predicate, { timeout = 15_000 } = {}) {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.editorText();
      if (predicate(text)) return text;
      await sleep(100);
    }
    throw new Error(`editor text did not reach the expected state; it is:\n${text}`);
  }

  /** Shows the Problems panel (Ctrl+Shift+M toggles it, so only when it is hidden). */
  async showProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
  }

  /**
   * Reads the Problems panel: one entry per marker row with its file (from the file row
   * above it), code, line, column, severity and message.
   */
  async readProblems() {
    // Files of the workspace index publish in the background, and the Problems tree re-sorts
    // when markers change: a read that spans such a change mixes two orders. Read until two
    // reads agree.
    let last = JSON.stringify(await this._readProblemsOnce());
    for (let i = 0; i < 5; i++) {
      const next = JSON.stringify(await this._readProblemsOnce());
      if (next === last) break;
      last = next;
    }
    return JSON.parse(last);
  }

  async _readProblemsOnce() {
    await this.showProblems();
    const page = this.page;
    await sleep(300); // let the tree settle after the last marker change
    // The list is virtual: only rows in view exist. Scroll through it and collect every row,
    // keyed by its offset in the list.
    const list = page.locator('.markers-panel .monaco-list').first();
    const seen = new Map();
    const collect = async () => {
      // (Sticky-scroll copies of the file rows above the list are not rows of the list.)
      const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
        els.filter((el) => !el.closest('.monaco-tree-sticky-container')).map((el) => ({
          top: parseFloat(el.style.top) || 0,
          level: Number(el.getAttribute('aria-level') ?? '0'),
          label: el.getAttribute('aria-label') ?? '',
          text: el.textContent ?? '',
          file: el.querySelector('.monaco-icon-label .label-name')?.textContent ?? '',
          code: el.querySelector('.marker-code, .code-link')?.textContent ?? '',
          source: el.querySelector('.marker-source')?.textContent ?? '',
          message: el.querySelector('.marker-message-details .marker-message, .marker-message')?.textContent ?? '',
        })));
      let added = 0;
      for (const r of rows) if (!seen.has(r.top)) { seen.set(r.top, r); added++; }
      return added;
    };
    const box = await list.boundingBox();
    if (box) {
      // One wheel event scrolls a limited distance: page up until the list stops moving.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 100; i++) {
        const before = await this._listOffset(list);
        await page.mouse.wheel(0, -Math.max(40, box.height * 2));
        await sleep(60);
        if ((await this._listOffset(list)) === before) break;
      }
    }
    await collect();
    for (let i = 0; box && i < 50; i++) {
      const before = await this._listOffset(list);
      await page.mouse.wheel(0, Math.max(40, box.height - 40));
      await sleep(80);
      await collect();
      if ((await this._listOffset(list)) === before) break;
    }
    const rows = [...seen.values()];
    rows.sort((a, b) => a.top - b.top);
    const problems = [];
    let file = '';
    for (const r of rows) {
      if (r.level === 1) { file = normalise(r.file || r.label.split(',')[0]); continue; }
      if (r.level > 2) continue; // related information under a marker
      const text = normalise(r.text);
      const pos = /\[Ln (\d+), Col (\d+)\]/.exec(text) ?? /line (\d+) and character (\d+)/i.exec(r.label);
      const code = /\b(CL\d{3})\b/.exec(normalise(r.code) || text);
      const severity = /^(Error|Warning|Info)/i.exec(r.label)?.[1]?.toLowerCase() ?? '';
      problems.push({
        file, code: code ? code[1] : normalise(r.code).replace(/[()]/g, ''), source: normalise(r.source),
        line: pos ? Number(pos[1]) : 0, column: pos ? Number(pos[2]) : 0,
        severity, message: normalise(r.message), text, label: normalise(r.label),
      });
    }
    return problems;
  }

  /** How far a monaco list is scrolled, read from its rows container. */
  async _listOffset(list) {
    return list.locator('.monaco-list-rows').evaluate((el) => {
      const t = el.style.transform || '';
      const m = /translate3d\(\s*[-\d.]+px,\s*([-\d.]+)px/.exec(t);
      return `${el.style.top}|${m ? m[1] : ''}|${el.parentElement?.scrollTop ?? 0}`;
    }).catch(() => '');
  }

  /** Polls the Problems panel until `predicate(problems)` holds; returns them. */
  async waitForProblems(predicate, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    let problems = [];
    while (Date.now() < deadline) {
      problems = await this.readProblems();
      if (predicate(problems)) return problems;
      await sleep(250);
    }
    throw new Error(`the Problems panel did not reach the expected state; it shows:\n${JSON.stringify(problems, null, 1)}`);
  }

  /** Bounding box of the first occurrence of `needle` on the given 1-based line of the active editor. */
  async textBox(line, needle) {
    await this.gotoLine(line);
    const box = await this.editor().evaluate((ed, { line, needle }) => {
      const lines = [...ed.querySelectorAll('.view-lines .view-line')]
        .map((el) => ({ el, top: parseFloat(el.style.top) || 0 }))
        .sort((a, b) => a.top - b.top);
      // only lines in view are rendered; find the one whose number matches
      const nums = [...ed.parentElement.querySelectorAll('.margin-view-overlays .line-numbers')]
        .map((el) => ({ n: Number(el.textContent), top: el.parentElement ? parseFloat(el.parentElement.style.top) || 0 : 0 }));
      const top = nums.find((x) => x.n === line)?.top;
      const target = lines.find((l) => top === undefined ? false : Math.abs(l.top - top) < 2) ?? lines[line - 1];
      if (!target) return null;
      const walker = document.createTreeWalker(target.el, NodeFilter.SHOW_TEXT);
      let node; let text = ''; const nodes = [];
      while ((node = walker.nextNode())) { nodes.push({ node, start: text.length }); text += node.textContent; }
      const norm = text.replace(/\u00a0/g, ' ');
      const at = norm.indexOf(needle);
      if (at < 0) return null;
      const range = document.createRange();
      const locate = (offset) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].start <= offset) return [nodes[i].node, offset - nodes[i].start];
        return [nodes[0].node, 0];
      };
      range.setStart(...locate(at));
      range.setEnd(...locate(at + needle.length));
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }, { line, needle });
    if (!box) throw new Error(`"${needle}" is not on line ${line} of the editor`);
    return box;
  }

  /** Moves the mouse onto `needle` on `line` and returns the hover's text. */
  async hoverAt(line, needle, { timeout = 10_000 } = {}) {
    const page = this.page;
    const box = await this.textBox(line, needle);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 30);
    await page.mouse.move(box.x + Math.min(box.width / 2, 12), box.y + box.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover-content').last();
    await hover.waitFor({ state: 'visible', timeout });
    // the hover fills in as providers answer; wait until it stops changing
    let prev = ''; let text = await hover.innerText();
    for (let i = 0; i < 20 && text !== prev; i++) { await sleep(150); prev = text; text = await hover.innerText(); }
    return normalise(text);
  }

  /** Puts the cursor on `needle` on `line`. */
  async clickAt(line, needle, offset = 1) {
    const box = await this.textBox(line, needle);
    await this.page.mouse.click(box.x + Math.min(offset * 8, box.width / 2), box.y + box.height / 2);
  }

  /** Ctrl+G to a line (the view scrolls there). */
  async gotoLine(line) {
    const page = this.page;
    await this.editor().locator('.view-lines').click({ position: { x: 2, y: 2 } }).catch(() => {});
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => {});
  }

  /** Opens the quick-fix menu (Ctrl+.) at the cursor; returns the item labels. */
  async openQuickFix() {
    const page = this.page;
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    await sleep(200);
    return (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') || el.textContent || '')))
      .map(normalise).filter(Boolean);
  }

  /** Applies the quick-fix item whose label matches; the mouse moves onto it before clicking. */
  async chooseQuickFix(match) {
    const page = this.page;
    const rows = page.locator('.action-widget .monaco-list-row.action');
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      const label = normalise((await row.getAttribute('aria-label')) || (await row.textContent()) || '');
      if (typeof match === 'string' ? label.includes(match) : match.test(label)) {
        const b = await row.boundingBox();
        await page.mouse.move(b.x + 5, b.y + b.height / 2);
        await page.mouse.move(b.x + b.width / 3, b.y + b.height / 2, { steps: 3 });
        await row.click();
        await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
        return label;
      }
    }
    throw new Error(`no quick fix matches ${match}`);
  }

  /** Ctrl+. at the cursor and apply the item matching `match`; returns [offered labels, chosen]. */
  async quickFix(match) {
    const offered = await this.openQuickFix();
    return [offered, await this.chooseQuickFix(match)];
  }

  /** Types text at the cursor, as keystrokes. */
  async typeText(text) {
    await this.page.keyboard.type(text, { delay: 15 });
  }

  async press(key) { await this.page.keyboard.press(key); }

  async save() {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
  }

  /** Closes every editor without saving. */
  async closeAllEditors() {
    await this.command('View: Revert and Close Editor').catch(() => {});
    await this.command('View: Close All Editors');
  }

  /**
   * Changes a setting of the workspace by writing its .vscode/settings.json, as a user editing
   * that file would; `undefined` removes it. (The workspace folder is watched and re-read at
   * once; code-server does not notice outside edits of the user settings file until a reload,
   * so those are only given at start: `startWorkbench({settings})`.)
   */
  async setSetting(key, value) {
    if (value === undefined) delete this.workspaceSettings[key];
    else this.workspaceSettings[key] = value;
    writeJson(this.file(path.join('.vscode', 'settings.json')), this.workspaceSettings);
    await sleep(500);
  }

  /** Shows an Output channel and returns its text as displayed. */
  async readOutputChannel(name) {
    const page = this.page;
    await this.command('Output: Show Output Channels...');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    const view = page.locator('.output-view .monaco-editor .view-lines, .panel .output .monaco-editor .view-lines').first();
    await view.waitFor({ state: 'visible', timeout: 10_000 });
    await sleep(500);
    // The view is virtual and scrolled to the end: scroll from the top and collect every line,
    // keyed by its offset in the text.
    const seen = new Map();
    const collect = async () => {
      const lines = await view.locator('.view-line').evaluateAll((els) =>
        els.map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' })));
      let added = 0;
      for (const l of lines) if (!seen.has(l.top)) { seen.set(l.top, l); added++; }
      return added;
    };
    await collect();
    // It opens scrolled to the end: page up (overlapping) until nothing new comes into view.
    const box = await page.locator('.output-view .monaco-editor, .panel .output .monaco-editor').first().boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0, idle = 0; box && i < 100 && idle < 2; i++) {
      await page.mouse.wheel(0, -Math.max(20, box.height - 40));
      await sleep(100);
      idle = (await collect()) === 0 ? idle + 1 : 0;
    }
    const lines = [...seen.values()];
    lines.sort((a, b) => a.top - b.top);
    return normalise(lines.map((l) => l.text).join('\n'));
  }

  /**
   * The whole text of an Output channel, from the file VS Code writes it to (the view on
   * screen is virtual and scrolled to the end, so it shows only the last lines).
   */
  outputChannelLog(name) {
    const files = this.logFiles((p) => {
      const base = path.basename(p);
      return base === `${name}.log` || base.endsWith(`-${name}.log`);
    });
    return files.map((f) => f.text).join('\n');
  }

  /** The log files VS Code wrote for this run (extension host, output channels), concatenated per file. */
  logFiles(filter = () => true) {
    const root = path.join(this.dirs.userData, 'logs');
    const out = [];
    const walk = (d) => {
      if (!fs.existsSync(d)) return;
      for (const n of fs.readdirSync(d)) {
        const p = path.join(d, n);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.log') && filter(p)) out.push({ path: p, text: fs.readFileSync(p, 'utf8') });
      }
    };
    walk(root);
    return out;
  }

  /** Hides the bottom panel (Problems, Output) if it is open. */
  async hidePanel() {
    if (await this.page.locator('.part.panel').isVisible().catch(() => false)) {
      await this.command('View: Hide Panel').catch(() => {});
    }
  }

  /**
   * Saves a screenshot as <SCREENSHOT_DIR>/<name>.png: the whole window, or with `part` the
   * box of that selector (e.g. '.part.editor'), at most `height` pixels tall.
   */
  async screenshot(name, { part, height } = {}) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    let clip;
    if (part) {
      const b = await this.page.locator(part).first().boundingBox();
      if (b) clip = { x: b.x, y: b.y, width: b.width, height: Math.min(b.height, height ?? b.height) };
    }
    await this.page.screenshot({ path: file, clip });
    return file;
  }
}
