// Typed reading of the `conclens.*` settings, kept free of `vscode` so it can be unit-tested.
// `config.ts` feeds it a reader backed by `WorkspaceConfiguration.inspect`.
import { allRules, type BlockingCallExtension, type Settings, type Severity } from '../core/index';
import { validateCodes } from '../core/config/codes';

/** What the editor adapter itself needs; not part of the engine's `Settings`. */
export interface EditorOptions {
  enable: boolean;
  conceptHovers: boolean;
  codeLens: boolean;
  /** Debounce between a keystroke and the re-lint, in milliseconds. */
  lintDelay: number;
  /** Documents longer than this (UTF-16 code units, about bytes for ASCII) are skipped. */
  maxFileSize: number;
  /** At most this many Python files per workspace folder are indexed in the background; 0: open files only. */
  indexMaxFiles: number;
}

export const DEFAULT_EDITOR_OPTIONS: Readonly<EditorOptions> = Object.freeze({
  enable: true,
  conceptHovers: true,
  codeLens: true,
  lintDelay: 150,
  maxFileSize: 2_000_000,
  indexMaxFiles: 20_000,
});

/** A setting's effective value, and whether the user set it (rather than the manifest default). */
export interface RawSetting {
  value: unknown;
  explicit: boolean;
}

/** Reads one key below `conclens.` (e.g. `select`). */
export type SettingReader = (key: string) => RawSetting;

export function readEditorOptions(read: SettingReader): EditorOptions {
  const d = DEFAULT_EDITOR_OPTIONS;
  return {
    enable: bool(read('enable').value, d.enable),
    conceptHovers: bool(read('conceptHovers').value, d.conceptHovers),
    codeLens: bool(read('codeLens').value, d.codeLens),
    lintDelay: num(read('lintDelay').value, d.lintDelay, 0, 10_000),
    maxFileSize: num(read('maxFileSize').value, d.maxFileSize, 0, Number.MAX_SAFE_INTEGER),
    indexMaxFiles: Math.floor(num(read('indexMaxFiles').value, d.indexMaxFiles, 0, 1_000_000)),
  };
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
// Extra blocking calls are reported by one of the catalogue rules, as in pyproject.toml.
const BLOCKING_CALL_CODE = /^CL10[1-7]$/;
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The engine settings the user set explicitly in VS Code. Keys left at their default are
 * absent, so that merging over pyproject.toml only overrides what the user chose here.
 */
export function readLintSettings(
  read: SettingReader,
  knownCodes: readonly string[] = allRules.map((r) => r.meta.code),
): { settings: Settings; errors: string[] } {
  const settings: Settings = {};
  const errors: string[] = [];

  for (const key of ['select', 'ignore'] as const) {
    const raw = read(key);
    if (!raw.explicit) continue;
    const list = stringList(raw.value, `conclens.${key}`, errors);
    if (!list) continue;
    const codes = list.map((c) => c.trim().toUpperCase());
    const unknown = validateCodes(codes, knownCodes);
    for (const code of unknown) errors.push(`conclens.${key}: "${code}" is not a rule code or prefix (e.g. CL101, CL1, ALL)`);
    settings[key] = codes.filter((c) => !unknown.includes(c));
  }

  const severity = read('severity');
  if (severity.explicit) {
    if (!isPlainObject(severity.value)) errors.push('conclens.severity: expected an object mapping codes to severities');
    else {
      const out: Record<string, Severity> = {};
      for (const [code, sev] of Object.entries(severity.value)) {
        const c = code.trim().toUpperCase();
        if (validateCodes([c], knownCodes, true).length > 0) errors.push(`conclens.severity: "${code}" is not a rule code`);
        else if (typeof sev !== 'string' || !SEVERITIES.includes(sev as Severity)) errors.push(`conclens.severity.${code}: "${String(sev)}" is not one of ${SEVERITIES.join(', ')}`);
        else out[c] = sev as Severity;
      }
      settings.severity = out;
    }
  }

  const extend = read('extendBlockingCalls');
  if (extend.explicit) {
    const list = stringList(extend.value, 'conclens.extendBlockingCalls', errors);
    if (list) {
      const calls: BlockingCallExtension[] = [];
      for (const entry of list) {
        const parsed = parseBlockingCall(entry, knownCodes);
        if (typeof parsed === 'string') errors.push(`conclens.extendBlockingCalls: ${parsed}`);
        else calls.push(parsed);
      }
      settings.extendBlockingCalls = calls;
    }
  }

  const freeThreaded = read('freeThreaded');
  if (freeThreaded.explicit) {
    if (typeof freeThreaded.value === 'boolean') settings.freeThreaded = freeThreaded.value;
    else errors.push('conclens.freeThreaded: expected true or false');
  }

  return { settings, errors };
}

/** `"mylib.fetch"` or `"mylib.fetch:CL104"`; returns an error message when malformed. */
export function parseBlockingCall(entry: string, knownCodes: readonly string[] = []): BlockingCallExtension | string {
  const colon = entry.lastIndexOf(':');
  const name = (colon === -1 ? entry : entry.slice(0, colon)).trim();
  const code = (colon === -1 ? 'CL102' : entry.slice(colon + 1)).trim().toUpperCase();
  if (!DOTTED_NAME.test(name)) return `"${entry}": expected a dotted name such as "mylib.fetch" or "mylib.Client.get"`;
  if (!BLOCKING_CALL_CODE.test(code) || validateCodes([code], knownCodes, true).length > 0) {
    return `"${entry}": "${code}" is not a blocking-call rule (CL101..CL107)`;
  }
  return { name, code };
}

function stringList(value: unknown, key: string, errors: string[]): string[] | undefined {
  if (!Array.isArray(value)) {
    errors.push(`${key}: expected an array of strings`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') out.push(item);
    else errors.push(`${key}: ignoring non-string entry ${JSON.stringify(item)}`);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function num(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}
