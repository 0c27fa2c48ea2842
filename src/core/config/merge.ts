// Layering of settings: pyproject.toml under editor settings, config under command-line flags.
import type { Settings } from './settings';

/**
 * `over` wins key by key; a key `over` leaves undefined keeps `base`'s value. Arrays are
 * replaced, not concatenated (a `select` in the editor means exactly that selection).
 * `severity` is merged per code, because an override for one rule should not drop the
 * file's overrides for the others.
 */
export function mergeSettings(base: Settings, over: Settings): Settings {
  const out: Settings = { ...base };
  for (const key of Object.keys(over) as (keyof Settings)[]) {
    const value = over[key];
    if (value === undefined) continue;
    if (key === 'severity') out.severity = { ...base.severity, ...over.severity };
    else (out as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}
