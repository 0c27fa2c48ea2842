// Finds and reads the configuration for a run: `--config PATH`, or the nearest
// pyproject.toml that has a `[tool.conclens]` table, walking up from the first path given
// (or the working directory). `--no-config` skips both.
import { statSync } from 'node:fs';
import { readRegularFile } from './read-file';
import { dirname, join, resolve } from 'node:path';
import type { Settings } from '../core/config/settings';
import { parsePyproject } from '../core/config/pyproject';

export interface LoadedConfig {
  settings: Settings;
  /** The file the settings came from, if any. */
  file?: string;
  /** Folder that `exclude` patterns are relative to. */
  base: string;
  /** One-line messages; any makes the run exit with 2 (the valid keys still apply). */
  errors: string[];
}

export function loadConfig(opts: { cwd: string; explicit?: string; noConfig: boolean; start?: string }): LoadedConfig {
  if (opts.noConfig) return { settings: {}, base: opts.cwd, errors: [] };
  if (opts.explicit) {
    const file = resolve(opts.cwd, opts.explicit);
    const text = readText(file);
    if (typeof text !== 'string') return { settings: {}, base: opts.cwd, errors: [`${opts.explicit}: cannot read config file (${text.error})`] };
    const r = parsePyproject(text, opts.explicit);
    const errors = [...r.errors];
    if (r.hasTable === false && errors.length === 0) errors.push(`${opts.explicit}: has no [tool.conclens] table`);
    return { settings: r.settings, file, base: dirname(file), errors };
  }
  const start = startFolder(resolve(opts.cwd, opts.start ?? '.'));
  for (let dir = start, prev = ''; dir !== prev; prev = dir, dir = dirname(dir)) {
    const file = join(dir, 'pyproject.toml');
    const text = readText(file);
    if (typeof text !== 'string') continue;
    const r = parsePyproject(text, displayName(file, opts.cwd));
    // An unparsable pyproject.toml may well hold our table: report it rather than walk past.
    if (r.hasTable || r.errors.length) return { settings: r.settings, file, base: dir, errors: r.errors };
  }
  return { settings: {}, base: opts.cwd, errors: [] };
}

function startFolder(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

function readText(file: string): string | { error: string } {
  try {
    return readRegularFile(file).toString('utf8');
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

function displayName(file: string, cwd: string): string {
  return file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file;
}
