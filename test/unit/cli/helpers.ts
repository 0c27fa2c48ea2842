// Helpers for the CLI tests: temp folders, an in-process runner, the SARIF schema validator.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
// The official SARIF 2.1.0 schema (draft-04), as shipped by Microsoft's SARIF SDK for JS.
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { memoryIo } from '../../../src/cli/io';
import { loadGrammar } from '../../../src/core/parse/grammar';
import { runCli } from '../../../src/cli/run';

/** Repository root: the tests run from it (npm test). */
export const ROOT = process.cwd();
export const CLI = join(ROOT, 'dist', 'cli.js');

export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'conclens-cli-'));
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function run(cwd: string, argv: string[], stdin = '', env: NodeJS.ProcessEnv = {}) {
  // The wasm files sit in out/test/unit, one level above this bundle: load from there once;
  // the CLI's own Linter.create() then reuses the cached grammar.
  await loadGrammar({ wasmDir: join(ROOT, 'out', 'test', 'unit') });
  const io = memoryIo(cwd, stdin, env);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

let validator: ReturnType<Ajv['compile']> | undefined;
/** Validates a SARIF log against the 2.1.0 schema; returns the errors (empty when valid). */
export function sarifErrors(log: unknown): string[] {
  if (!validator) {
    // unicodeRegExp off: the schema's `language` pattern has a stray `]` that the u flag rejects.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    // The schema uses these formats; checked with the platform's URL parser and Date.
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
    ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(s) && !Number.isNaN(Date.parse(s)));
    validator = ajv.compile(sarifSchema);
  }
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export const SLEEPY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';
