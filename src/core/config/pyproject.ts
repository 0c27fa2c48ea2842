// Reads `[tool.conclens]` from a pyproject.toml. Never throws: every problem becomes a
// one-line message naming the file and the key, and the keys that were valid are kept, so
// the CLI can report the error and still lint, and the editor can show it in its log.
import { parse, TomlError } from 'smol-toml';
import type { Severity } from '../types';
import type { BlockingCallExtension, Settings } from './settings';
import { validateCodes } from './codes';
import { allRules } from '../rules/index';

export interface PyprojectResult {
  settings: Settings;
  errors: string[];
  /** False when the file has no `[tool.conclens]` table (config discovery walks on). */
  hasTable?: boolean;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
const KEYS = ['select', 'ignore', 'severity', 'extend-blocking-calls', 'free-threaded', 'exclude'] as const;
// Codes a user may attach to an extra blocking call: the CL1xx rules that report calls
// from the catalogue.
const BLOCKING_CALL_CODE = /^CL10[1-7]$/;
const QUALIFIED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (isTable(v)) return 'a table';
  return `a ${typeof v}`;
}

export function parsePyproject(
  text: string,
  file = 'pyproject.toml',
  knownCodes: readonly string[] = allRules.map((r) => r.meta.code),
): PyprojectResult {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (err) {
    const where = err instanceof TomlError ? `:${err.line}:${err.column}` : '';
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^Invalid TOML document: /, '');
    return { settings: {}, errors: [`${file}${where}: invalid TOML: ${message}`], hasTable: false };
  }
  const tool = doc.tool;
  if (!isTable(tool) || !('conclens' in tool)) return { settings: {}, errors: [], hasTable: false };
  const table = tool.conclens;
  if (!isTable(table)) {
    return { settings: {}, errors: [`${file}: [tool.conclens] must be a table, not ${describe(table)}`], hasTable: true };
  }
  const { settings, errors } = readTable(table, `${file}: [tool.conclens]`, knownCodes);
  return { settings, errors, hasTable: true };
}

/** Validates the body of a `[tool.conclens]` table (also usable for a standalone config file). */
export function readTable(table: Table, where: string, knownCodes: readonly string[]): { settings: Settings; errors: string[] } {
  const settings: Settings = {};
  const errors: string[] = [];
  const err = (key: string, msg: string) => errors.push(`${where} ${key}: ${msg}`);

  for (const key of Object.keys(table)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const hint = (KEYS as readonly string[]).includes(key.replace(/_/g, '-')) ? ` (did you mean "${key.replace(/_/g, '-')}"?)` : '';
      err(key, `unknown key${hint}; known keys: ${KEYS.join(', ')}`);
    }
  }

  for (const key of ['select', 'ignore'] as const) {
    if (!(key in table)) continue;
    const list = stringArray(table[key]);
    if (!list) {
      err(key, `must be an array of rule codes, not ${describe(table[key])}`);
      continue;
    }
    const codes = list.map((c) => c.trim().toUpperCase());
    const unknown = validateCodes(codes, knownCodes);
    if (unknown.length) err(key, `unknown rule code${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}`);
    const valid = codes.filter((c) => !unknown.includes(c));
    settings[key] = valid;
  }

  if ('severity' in table) {
    const sev = table.severity;
    if (!isTable(sev)) {
      err('severity', `must be a table of code = "error" | "warning" | "info" | "hint", not ${describe(sev)}`);
    } else {
      const out: Record<string, Severity> = {};
      for (const [rawCode, level] of Object.entries(sev)) {
        const code = rawCode.toUpperCase();
        if (validateCodes([code], knownCodes, true).length) {
          err('severity', `unknown rule code "${rawCode}"`);
          continue;
        }
        if (typeof level !== 'string' || !SEVERITIES.includes(level as Severity)) {
          err('severity', `${rawCode} must be one of "error", "warning", "info", "hint", not ${typeof level === 'string' ? `"${level}"` : describe(level)}`);
          continue;
        }
        out[code] = level as Severity;
      }
      settings.severity = out;
    }
  }

  if ('extend-blocking-calls' in table) {
    const calls = readBlockingCalls(table['extend-blocking-calls'], knownCodes, (msg) => err('extend-blocking-calls', msg));
    if (calls) settings.extendBlockingCalls = calls;
  }

  if ('free-threaded' in table) {
    const v = table['free-threaded'];
    if (typeof v === 'boolean') settings.freeThreaded = v;
    else err('free-threaded', `must be true or false, not ${describe(v)}`);
  }

  if ('exclude' in table) {
    const list = stringArray(table.exclude);
    if (list) settings.exclude = list;
    else err('exclude', `must be an array of glob patterns, not ${describe(table.exclude)}`);
  }

  return { settings, errors };
}

function stringArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

// Accepts `["mylib.fetch", "mylib.db.query:CL105"]` or a table `{ "mylib.fetch" = "CL102" }`.
function readBlockingCalls(
  v: unknown,
  knownCodes: readonly string[],
  report: (msg: string) => void,
): BlockingCallExtension[] | undefined {
  const entries: [string, string][] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item !== 'string') {
        report(`entries must be strings like "mylib.fetch" or "mylib.fetch:CL102", not ${describe(item)}`);
        continue;
      }
      const colon = item.lastIndexOf(':');
      entries.push(colon < 0 ? [item.trim(), 'CL102'] : [item.slice(0, colon).trim(), item.slice(colon + 1).trim()]);
    }
  } else if (isTable(v)) {
    for (const [name, code] of Object.entries(v)) {
      if (typeof code !== 'string') {
        report(`"${name}" must map to a rule code string, not ${describe(code)}`);
        continue;
      }
      entries.push([name.trim(), code.trim()]);
    }
  } else {
    report(`must be an array of "qualified.name[:CODE]" strings or a table of name = code, not ${describe(v)}`);
    return undefined;
  }
  const out: BlockingCallExtension[] = [];
  for (const [name, rawCode] of entries) {
    const code = rawCode.toUpperCase();
    if (!QUALIFIED_NAME.test(name)) {
      report(`"${name}" is not a qualified name like "package.module.function"`);
      continue;
    }
    if (!BLOCKING_CALL_CODE.test(code) || validateCodes([code], knownCodes, true).length) {
      report(`"${name}": "${rawCode}" is not a blocking-call rule (CL101..CL107)`);
      continue;
    }
    out.push({ name, code });
  }
  return out;
}
