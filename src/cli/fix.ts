// Applies the fixes computed at lint time (`--fix`): choose non-conflicting fixes, apply
// them, re-lint, repeat until nothing more applies. Writing goes through a temporary file
// in the same folder and a rename, so a crash never leaves a half-written source file.
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding, Fix, TextEdit } from '../core/types';
import { applyEdits } from '../core/text';
import type { Eol } from './source';
import { encodeSource } from './source';
import { readRegularFile } from './read-file';

export type FixLevel = 'safe' | 'unsafe';

export function fixApplies(fix: Fix | undefined, level: FixLevel): fix is Fix {
  return !!fix && fix.edits.length > 0 && (fix.applicability === 'safe' || level === 'unsafe');
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.content === b.content;
}

function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  // Two insertions (or an insertion and a replacement) at the same point: order would be a guess.
  return a.start === b.start;
}

/**
 * Picks fixes whose edits do not touch each other. An edit identical to one already taken
 * (two fixes both adding `import asyncio` at the top) is shared, not a conflict. The rest
 * wait for the next pass, after re-linting the changed text.
 */
export function selectFixes(findings: readonly Finding[], level: FixLevel): { edits: TextEdit[]; count: number } {
  const candidates = findings
    .map((f) => f.fix)
    .filter((fix): fix is Fix => fixApplies(fix, level))
    .map((fix) => ({ fix, start: Math.min(...fix.edits.map((e) => e.start)) }))
    .sort((a, b) => a.start - b.start);
  const taken: TextEdit[] = [];
  let count = 0;
  for (const { fix } of candidates) {
    const fresh: TextEdit[] = [];
    let ok = true;
    for (const e of fix.edits) {
      if (taken.some((t) => sameEdit(t, e)) || fresh.some((t) => sameEdit(t, e))) continue;
      if (taken.some((t) => conflicts(t, e))) {
        ok = false;
        break;
      }
      fresh.push(e);
    }
    if (!ok) continue;
    taken.push(...fresh);
    count++;
  }
  return { edits: taken, count };
}

/** Fix text comes with `\n`; a CRLF file gets CRLF in the inserted lines too. */
export function withEol(edits: readonly TextEdit[], eol: Eol): TextEdit[] {
  if (eol === '\n') return [...edits];
  return edits.map((e) => ({ ...e, content: e.content.replace(/\r\n|\r|\n/g, eol) }));
}

export interface FixLoopResult {
  text: string;
  fixed: number;
  /** Set when a pass was rolled back because it broke the syntax (a bug in a fix). */
  rolledBack?: boolean;
}

/**
 * Runs fix passes. `lint` re-lints a text and reports its findings and whether it parses.
 * Ten passes are plenty: each pass applies every non-conflicting fix.
 */
export function runFixLoop(
  text: string,
  first: { findings: readonly Finding[]; parses: boolean },
  lint: (text: string) => { findings: readonly Finding[]; parses: boolean },
  level: FixLevel,
  eol: Eol,
  maxPasses = 10,
): FixLoopResult & { last: { findings: readonly Finding[]; parses: boolean } } {
  let current = text;
  let result = first;
  let fixed = 0;
  let rolledBack = false;
  for (let pass = 0; pass < maxPasses; pass++) {
    const { edits, count } = selectFixes(result.findings, level);
    if (count === 0) break;
    const next = applyEdits(current, withEol(edits, eol));
    if (next === current) break;
    const after = lint(next);
    if (result.parses && !after.parses) {
      rolledBack = true;
      break;
    }
    current = next;
    result = after;
    fixed += count;
  }
  return { text: current, fixed, rolledBack, last: result };
}

/** Error code of writeFileAtomic when the file is no longer what was linted. */
export const CHANGED_WHILE_LINTING = 'ECHANGED';

/**
 * Replaces a file's content atomically, keeping its mode (and owner, where allowed). With
 * `expected` (the bytes that were linted), a file that changed since is left alone: the
 * fixes were computed for the old content, and writing them would undo the other change.
 */
export function writeFileAtomic(path: string, text: string, bom: boolean, expected?: Uint8Array): void {
  // Write through symlinks to the real file instead of replacing the link.
  const real = realpathSync(path);
  const st = statSync(real);
  if (expected && !readRegularFile(real).equals(expected)) {
    throw Object.assign(new Error(`${path} changed while it was being linted`), { code: CHANGED_WHILE_LINTING });
  }
  const tmp = join(dirname(real), `.${basename(real)}.conclens-${process.pid}-${Date.now().toString(36)}.tmp`);
  const data = encodeSource(text, bom);
  const fd = openSync(tmp, 'wx', st.mode & 0o7777);
  try {
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, st.mode & 0o7777); // openSync's mode is filtered by the umask
    try {
      chownSync(tmp, st.uid, st.gid);
    } catch {
      // Not permitted for non-root users when the owner differs; the mode is what matters.
    }
    renameSync(tmp, real);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
}
