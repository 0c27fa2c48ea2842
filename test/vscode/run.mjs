// `npm run test:vscode`: the same scenario as the code-server e2e tests, in a desktop VS Code
// downloaded by @vscode/test-electron, for machines that can download it. Where VS Code
// cannot be downloaded (an offline machine, like the one CI runs on), it says so and exits 0;
// the offline end-to-end tests are `npm run test:e2e`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cache = path.join(root, '.vscode-test');

const { downloadAndUnzipVSCode, runTests, SilentReporter } = await import('@vscode/test-electron');

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({
    version: process.env.CONCLENS_VSCODE_VERSION ?? 'stable',
    cachePath: cache,
    timeout: 15_000,
    reporter: new SilentReporter(),
  });
} catch (e) {
  const reason = String(e?.message ?? e).split('\n')[0];
  console.log(`test:vscode: cannot download VS Code: ${reason}; skipping (the offline e2e tests are npm run test:e2e)`);
  process.exit(0);
}

// Linux without a display: run under xvfb-run when it is there, else skip with the reason.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.CONCLENS_UNDER_XVFB) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (!xvfb) {
    console.log('test:vscode: no DISPLAY and no xvfb-run (apt-get install xvfb); skipping');
    process.exit(0);
  }
  const r = spawnSync(xvfb, ['-a', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, CONCLENS_UNDER_XVFB: '1' },
  });
  process.exit(r.status ?? 1);
}

if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
  console.error('test:vscode: dist/extension.js is missing: run npm run build first');
  process.exit(1);
}

// A private copy of the e2e workspace, user data and extensions folder for this run.
const run = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-vscode-'));
const workspace = path.join(run, 'workspace');
fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
fs.mkdirSync(path.join(run, 'user', 'User'), { recursive: true });
fs.writeFileSync(path.join(run, 'user', 'User', 'settings.json'), JSON.stringify({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'extensions.autoUpdate': false,
  'update.mode': 'none',
}));
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(here, 'suite', 'index.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust',
      '--user-data-dir', path.join(run, 'user'), '--extensions-dir', path.join(run, 'extensions')],
    extensionTestsEnv: { CONCLENS_TEST_WORKSPACE: workspace },
  });
  console.log('test:vscode: passed');
} catch (e) {
  console.error(`test:vscode: failed: ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(run, { recursive: true, force: true });
}
