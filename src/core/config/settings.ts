// The settings model shared by the CLI ([tool.conclens] in pyproject.toml, flags) and the
// extension (conclens.* settings merged over pyproject.toml).
import type { Severity } from '../types';

export interface BlockingCallExtension {
  /** Qualified name: `mylib.fetch`, or a method on a type: `mylib.Client.get`. */
  name: string;
  /** Rule that reports it; CL102 when not given. */
  code: string;
}

export interface Settings {
  /** Codes or prefixes (`CL1`, `CL101`, `ALL`). Empty/undefined = every rule. */
  select?: string[];
  ignore?: string[];
  /** Per-code severity override. */
  severity?: Record<string, Severity>;
  extendBlockingCalls?: BlockingCallExtension[];
  freeThreaded?: boolean;
  /** Glob patterns (gitignore syntax) of paths not to lint. */
  exclude?: string[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({});
