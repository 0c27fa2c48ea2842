// Safety declarations, checked against what is built: the extension runs no user code, makes
// no network requests and reads files only through VS Code's file system API, which is what
// `capabilities.untrustedWorkspaces: {supported: true}` and `virtualWorkspaces: true` in
// package.json promise. The built bundles (dist/extension.js, dist/web/extension.js) are
// searched for process, network and code-evaluation APIs; every occurrence must sit in a
// module on the allow list below, with the reason it is harmless.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const ROOT = process.cwd();
const GLUE = 'node_modules/web-tree-sitter/tree-sitter.js';

interface Rule {
  what: string;
  pattern: RegExp;
  /** Bundle sections (module paths as esbuild marks them) where the pattern may appear, and why. */
  allowed: Record<string, string>;
}

/**
 * Node modules the extension may load, where, and why (lazily, and only in a Node extension
 * host: the web build keeps them as unevaluated requires). Neither reads files, opens
 * connections or runs code of the workspace.
 */
const NODE_MODULES_ALLOWED: Record<string, { modules: string[]; why: string }> = {
  'src/extension/idle-gc.ts': {
    modules: ['node:v8', 'node:vm'],
    why: "heap statistics, and V8's own `gc` function obtained from a fresh context (the constant source text `gc`), to collect the young generation between lints",
  },
};

/** Sections that only hold text (rule docs, guide snippets): Python examples like `fetch(url)`. */
const TEXT_ONLY = /(\.md|src\/core\/knowledge\/[^/]+\.ts)$/;

const RULES: Rule[] = [
  { what: 'child processes', pattern: /child_process|\bspawn\(|\bexecFile\(|\bexecSync\(/, allowed: {} },
  { what: 'terminals and tasks (running user code)', pattern: /createTerminal|ShellExecution|ProcessExecution|vscode\d*\.tasks\./, allowed: {} },
  { what: 'Node network modules', pattern: /require\("(node:)?(https?|http2|net|tls|dgram|dns)"\)/, allowed: {} },
  { what: 'WebSocket', pattern: /\bWebSocket\b/, allowed: {} },
  { what: 'new Function', pattern: /new Function\(/, allowed: {} },
  { what: 'worker scripts', pattern: /importScripts|new Worker\(/, allowed: {} },
  {
    what: 'fetch',
    pattern: /\bfetch\(/,
    allowed: {
      'src/extension/grammar-source.ts':
        "reads the extension's own dist/*.wasm when workspace.fs cannot (the web worker extension host); the URL comes from context.extensionUri, never from a document",
      [GLUE]: 'web-tree-sitter loading a wasm given as a URL; the extension passes the bytes (Linter.create(wasm.source)), so this branch does not run',
    },
  },
  {
    what: 'XMLHttpRequest',
    pattern: /XMLHttpRequest/,
    allowed: { [GLUE]: "Emscripten's loader for a wasm given as a URL; unused, the bytes are passed in" },
  },
  {
    what: 'eval',
    pattern: /\beval\(/,
    allowed: { [GLUE]: "Emscripten's EM_ASM constants, JavaScript snippets compiled into tree-sitter.wasm (shipped in the VSIX), not input" },
  },
  {
    what: 'Node file system',
    pattern: /require\("(node:)?fs(\/promises)?"\)|import\("(node:)?fs(\/promises)?"\)/,
    allowed: { [GLUE]: 'web-tree-sitter reading a wasm given as a file path under Node; unused, the bytes are passed in (files are read with vscode.workspace.fs)' },
  },
  {
    what: 'opening URLs',
    pattern: /openExternal/,
    allowed: { 'src/extension/choose-model.ts': "opens the model guide's documentation page in the browser when the user clicks its button" },
  },
];

/** Splits an unminified esbuild bundle at its `// path/of/module.ts` markers. */
function sections(bundle: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const marker = /^\/\/ ((?:src|node_modules|test)\/\S+)$/gm;
  let last = { name: '(bundle prelude)', start: 0 };
  for (const m of bundle.matchAll(marker)) {
    out.push({ name: last.name, text: bundle.slice(last.start, m.index) });
    last = { name: m[1], start: (m.index ?? 0) + m[0].length };
  }
  out.push({ name: last.name, text: bundle.slice(last.start) });
  return out;
}

const bundles = ['dist/extension.js', 'dist/web/extension.js'].filter((b) => existsSync(join(ROOT, b)));

describe('safety: what the extension can do', () => {
  it('package.json declares untrusted and virtual workspace support', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { capabilities?: Record<string, unknown> };
    assert.deepEqual(pkg.capabilities?.untrustedWorkspaces, { supported: true });
    assert.equal(pkg.capabilities?.virtualWorkspaces, true);
  });

  it('the extension sources import no Node built-in: files are read through vscode.workspace.fs (virtual workspaces work)', () => {
    const dir = join(ROOT, 'src', 'extension');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      for (const spec of imports) {
        // npm packages are bundled (and searched below); Node's own modules must not appear.
        const builtin = spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);
        const allowed = NODE_MODULES_ALLOWED[`src/extension/${name}`]?.modules.includes(spec) ?? false;
        assert.ok(!builtin || allowed, `src/extension/${name} imports ${spec}`);
      }
    }
  });

  for (const bundle of bundles) {
    it(`${bundle}: no process, network or eval API outside the allow list`, () => {
      const text = readFileSync(join(ROOT, bundle), 'utf8');
      const parts = sections(text);
      assert.ok(parts.length > 20, `${bundle} has no module markers (a minified build?); run npm run build`);
      const problems: string[] = [];
      for (const rule of RULES) {
        for (const part of parts) {
          if (!rule.pattern.test(part.text)) continue;
          if (rule.allowed[part.name]) continue;
          if (rule.what === 'fetch' && TEXT_ONLY.test(part.name)) continue;
          const at = part.text.search(rule.pattern);
          problems.push(`${rule.what} in ${part.name}: ...${part.text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, ' ')}...`);
        }
      }
      assert.deepEqual(problems, []);
    });

    it(`${bundle}: requires only vscode (and, for the Node build, url in the prelude) outside web-tree-sitter and the modules allowed above`, () => {
      const text = readFileSync(join(ROOT, bundle), 'utf8');
      for (const part of sections(text)) {
        if (part.name === GLUE) continue;
        for (const m of part.text.matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
          const ok = m[1] === 'vscode' || (part.name === '(bundle prelude)' && m[1] === 'url') || (NODE_MODULES_ALLOWED[part.name]?.modules.includes(m[1]) ?? false);
          assert.ok(ok, `${part.name} requires ${m[1]}`);
        }
      }
    });
  }
});
