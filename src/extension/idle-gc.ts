// Collects V8's young generation while the editor is idle, between lints.
//
// A lint of a 5,000-line file allocates ~3 MB of short-lived objects (the file model,
// resolver answers, summaries) and keeps the last lint's model for the next one. Every
// ~5 edits the young generation fills up, and the lint that overflows it pays for a
// scavenge: V8 copies everything still alive there (the kept model, ~2 MB) while the
// lint waits, 3–7 ms on this project's machines, which made those lints the slowest
// tenth (docs/benchmarks.md, *Editor*). Node's platform posts no idle-time GC tasks (Chrome's
// does), so the extension does it: after a lint has published its diagnostics, if the
// young generation has less room left than a lint needs, a minor collection runs then,
// while the user is between keystrokes, instead of inside the next lint. It is the same
// collection V8 would have run a few edits later; only its moment moves.
//
// Only in Node (desktop and remote extension hosts): the web build takes idle-gc.web.ts
// instead (esbuild.mjs), whose `create` returns undefined; a web worker has no way to ask
// for a collection. Node's `v8` and `vm` are loaded when a collector is made.
//
// The bench (bench/engine.ts, `editor`) calls it between edits exactly as the extension
// does, outside the timed edit-to-diagnostics span, and reports the time it took.

/** What a minor collection is asked with (V8's `gc` extension). */
type Gc = (options: { type: 'minor' }) => void;

interface V8Module {
  getHeapSpaceStatistics(): { space_name: string; space_used_size: number; space_available_size: number }[];
  setFlagsFromString(flags: string): void;
}

/** The young generation's room is kept at this many times the most a recent lint allocated there. */
const ROOM_FACTOR = 1.5;
/** The least room kept (bytes): a lint's allocation is learnt from lints that fitted. */
const MIN_ROOM = 2 * 1024 * 1024;
/** How fast the remembered largest allocation forgets a large lint (per lint). */
const DECAY = 0.9;

export class IdleCollector {
  private startUsed = -1;
  private largest = 0;
  /** Collections run, and their total time (ms), for tests and probes (the bench times each one itself). */
  collections = 0;
  collectMs = 0;

  private constructor(
    private readonly v8: V8Module,
    private readonly gc: Gc,
  ) {}

  /** A collector, or undefined where the process cannot be asked for a collection (web). */
  static create(): IdleCollector | undefined {
    if (typeof process === 'undefined' || !process.versions?.node || !flagsSettable(process.versions)) return undefined;
    try {
      // (Loaded here, not imported: the web bundle must not need them.)
      const v8 = require('node:v8') as V8Module;
      const vm = require('node:vm') as { runInNewContext(code: string): unknown };
      let gc = (globalThis as { gc?: unknown }).gc;
      if (typeof gc !== 'function') {
        // V8 hands a `gc` function to contexts made while --expose-gc is set; the flag
        // is set back at once, so contexts made later (other extensions') do not get one.
        v8.setFlagsFromString('--expose-gc');
        try {
          gc = vm.runInNewContext('gc');
        } finally {
          v8.setFlagsFromString('--no-expose-gc');
        }
      }
      if (typeof gc !== 'function') return undefined;
      const collector = new IdleCollector(v8, gc as Gc);
      return collector.youngSpace() ? collector : undefined;
    } catch {
      return undefined;
    }
  }

  private youngSpace(): { used: number; available: number } | undefined {
    for (const s of this.v8.getHeapSpaceStatistics()) {
      if (s.space_name === 'new_space') return { used: s.space_used_size, available: s.space_available_size };
    }
    return undefined;
  }

  /** Call before a lint (and the re-parse before it): it measures what the lint allocates. */
  lintStarted(): void {
    this.startUsed = this.youngSpace()?.used ?? -1;
  }

  /** Call after the lint. (A lint during which a collection ran teaches nothing.) */
  lintFinished(): void {
    const used = this.youngSpace()?.used ?? -1;
    const grew = this.startUsed >= 0 && used >= this.startUsed ? used - this.startUsed : 0;
    this.largest = Math.max(grew, this.largest * DECAY);
    this.startUsed = -1;
  }

  /**
   * When idle (between lints): runs a minor collection if the young generation has less
   * room left than the next lint is likely to need, and holds at least that much to free.
   * Returns whether it ran one.
   */
  collectIfNeeded(): boolean {
    const young = this.youngSpace();
    const needed = Math.max(MIN_ROOM, ROOM_FACTOR * this.largest);
    // (When the young generation is too small to free that much, V8 grows it itself.)
    if (!young || young.available >= needed || young.used < needed) return false;
    const t0 = performance.now();
    this.gc({ type: 'minor' });
    this.collectMs += performance.now() - t0;
    this.collections++;
    return true;
  }
}

/**
 * Whether V8's flags can still be set in this process. An embedder may freeze them after
 * start-up, and then setting one aborts the process (`Check failed: !IsFrozen()`), which no
 * `catch` stops. Node keeps them settable (`--no-freeze-flags-after-init`, for
 * `v8.setFlagsFromString`), and so does Electron since 29 (VS Code's desktop extension host
 * runs in Electron's Node); NW.js and older Electron freeze them.
 */
export function flagsSettable(versions: Record<string, string | undefined>): boolean {
  if (versions.nw !== undefined) return false;
  const electron = versions.electron;
  if (electron !== undefined) return Number.parseInt(electron, 10) >= 29;
  return Number.parseInt(versions.node ?? '0', 10) >= 18;
}
