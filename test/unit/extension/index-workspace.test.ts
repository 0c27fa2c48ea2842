// The editor's workspace index (src/extension/project-index.ts) on a workspace of 10,000
// Python files, with `vscode` replaced by test/unit/extension/fake-vscode.ts: the extension
// host stays responsive while it indexes (the longest time the event loop waits is about one
// time slice plus one file), every file is indexed and its findings published, and indexing
// stops soon after it is cancelled (dispose, or a restart when settings change) and starts
// over.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { fake } from './fake-vscode';
import { ProjectIndex } from '../../../src/extension/project-index';
import { DEFAULT_EDITOR_OPTIONS } from '../../../src/extension/options';
import type { Config } from '../../../src/extension/config';
import type { Linting } from '../../../src/extension/linting';
import type { Log } from '../../../src/extension/log';
import { getLinter } from '../helpers';

const SLEEPY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';
const CLEAN = 'import asyncio\n\n\nasync def ok():\n    await asyncio.sleep(1)\n';
const PACKAGES = 500;
const PER_PACKAGE = 20; // __init__.py + 19 modules: 10,000 files

function workspaceOf10k(): void {
  fake.reset();
  fake.folders = [{ uri: vscode.Uri.file('/w'), name: 'w', index: 0 }];
  for (let p = 0; p < PACKAGES; p++) {
    fake.files.set(`/w/pkg${p}/__init__.py`, '');
    for (let i = 1; i < PER_PACKAGE; i++) fake.files.set(`/w/pkg${p}/m${i}.py`, i === 1 ? SLEEPY : `${CLEAN}\n\ndef helper_${i}(x):\n    return [y * y for y in range(x)]\n`);
  }
}

interface Harness {
  index: ProjectIndex;
  logs: string[];
  diagnostics: Map<string, unknown[]>;
}

async function harness(): Promise<Harness> {
  const linter = await getLinter();
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) } as unknown as Log;
  const config = { options: () => ({ ...DEFAULT_EDITOR_OPTIONS }), settingsForUri: async () => ({ settings: {} }) } as unknown as Config;
  const linting = { relintLater: () => undefined, snapshot: async () => undefined } as unknown as Linting;
  const diagnostics = new Map<string, unknown[]>();
  const collection = {
    set: (uri: vscode.Uri, d: unknown[]) => diagnostics.set(uri.toString(), d),
    delete: (uri: vscode.Uri) => diagnostics.delete(uri.toString()),
    has: (uri: vscode.Uri) => diagnostics.has(uri.toString()),
    get: (uri: vscode.Uri) => diagnostics.get(uri.toString()),
    forEach: (f: (uri: vscode.Uri, d: unknown[]) => void) => diagnostics.forEach((d, k) => f(vscode.Uri.parse(k), d)),
    clear: () => diagnostics.clear(),
    dispose: () => undefined,
  } as unknown as vscode.DiagnosticCollection;
  const guard = <A extends unknown[]>(_label: string, fn: (...args: A) => unknown) => fn;
  return { index: new ProjectIndex(linter, config, log, collection, linting, guard), logs, diagnostics };
}

/** Resolves when `test` holds, checking every few milliseconds (fails after `ms`). */
async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('faults: a 10,000-file workspace in the editor (workspace index, vscode faked)', function () {
  this.timeout(300_000);
  afterEach(() => fake.reset());

  it('indexes every file with the event loop answering throughout, and publishes the findings of files that are not open', async () => {
    workspaceOf10k();
    const { index, logs, diagnostics } = await harness();
    // A probe that runs whenever the event loop gets a turn: the longest gap is the longest freeze.
    let last = performance.now();
    let longestGap = 0;
    let probing = true;
    const probe = () => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (probing) setTimeout(probe, 0);
    };
    setTimeout(probe, 0);
    const started = performance.now();
    index.start();
    try {
      await until(() => logs.some((l) => l.startsWith('info indexed w:')), 280_000, 'the index to finish');
    } finally {
      probing = false;
      index.dispose();
    }
    const ms = performance.now() - started;
    const done = logs.find((l) => l.startsWith('info indexed w:')) ?? '';
    assert.match(done, /: 10000 file\(s\) read and linted/, logs.slice(-5).join('\n'));
    assert.equal(fake.reads.length, 10_000);
    assert.equal(diagnostics.size, PACKAGES, 'one finding per package (m1.py), published without opening the file');
    const slowest = Number(/slowest file (\d+) ms/.exec(done)?.[1] ?? '0');
    // A 10 ms slice, the slowest single file, and timer slack on a busy machine.
    assert.ok(longestGap < 10 + slowest + 150, `the event loop waited ${longestGap.toFixed(0)} ms at once (slowest file ${slowest} ms, ${(ms / 1000).toFixed(1)} s in all)`);
    assert.ok(!logs.some((l) => l.startsWith('error')), logs.filter((l) => l.startsWith('error')).join('\n'));
  });

  it('stops reading soon after it is cancelled (dispose), and a restart cancels the run and indexes again', async () => {
    workspaceOf10k();
    // 1. Dispose after 1,000 reads: a few more reads in flight at most (the read-ahead), then nothing.
    {
      const { index, logs } = await harness();
      let readsAtCancel = -1;
      fake.onRead = () => {
        if (fake.reads.length >= 1000 && readsAtCancel < 0) {
          readsAtCancel = fake.reads.length;
          index.dispose();
        }
      };
      index.start();
      await until(() => readsAtCancel > 0, 120_000, '1,000 reads');
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(fake.reads.length <= readsAtCancel + 16, `${fake.reads.length - readsAtCancel} reads after the cancellation`);
      assert.ok(!logs.some((l) => l.startsWith('info indexed w:')), 'a cancelled run reported itself finished');
    }
    // 2. A restart (settings changed) in the middle: the first run stops, the second one indexes everything.
    fake.reads = [];
    fake.onRead = () => undefined;
    const { index, logs } = await harness();
    try {
      let restartedAt = -1;
      fake.onRead = () => {
        if (fake.reads.length >= 500 && restartedAt < 0) {
          restartedAt = fake.reads.length;
          index.restart('settings changed (test)');
        }
      };
      index.start();
      await until(() => logs.some((l) => l.startsWith('info indexed w:')), 280_000, 'the restarted index to finish');
      assert.ok(restartedAt > 0);
      assert.equal(logs.filter((l) => l.startsWith('info indexed w:')).length, 1, 'only the second run finishes');
      assert.ok(logs.some((l) => l.includes('re-indexing the workspace: settings changed (test)')));
      // The first run stopped near 500 reads; the second read all 10,000.
      assert.ok(fake.reads.length <= restartedAt + 16 + 10_000, `${fake.reads.length} reads in all`);
      assert.ok(fake.reads.length >= 10_000);
    } finally {
      index.dispose();
    }
  });
});
