// Applies the fixes computed at lint time (`--fix`): choose non-conflicting fixes, apply
// them, re-lint, repeat until nothing more applies. Writing goes through a temporary file
// in the same folder and a rename, so a crash never leaves a half-written source file.
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TextEdit } from '../core/types';
import { runFixLoop as runCoreFixLoop, type FixLevel, type FixLoopResult, type LintSnapshot } from '../core/fixes/apply';
import type { Eol } from './source';
import { encodeSource } from './source';
import { readRegularFile } from './read-file';

// Choosing fixes and the fix loop are the engine's (the editor's fix-all uses them too);
// the CLI adds line endings and atomic writes.
export { fixApplies, selectFixes, type FixLevel } from '../core/fixes/apply';

/** Fix text comes with `\n`; a CRLF file gets CRLF in the inserted lines too. */
export function withEol(edits: readonly TextEdit[], eol: Eol): TextEdit[] {
  if (eol === '\n') return [...edits];
  return edits.map((e) => ({ ...e, content: e.content.replace(/\r\n|\r|\n/g, eol) }));
}

/**
 * Runs fix passes with the file's line endings. `lint` re-lints a text and reports its
 * findings and whether it parses. Ten passes are plenty: each pass applies every
 * non-conflicting fix.
 */
export function runFixLoop(text: string, first: LintSnapshot, lint: (text: string) => LintSnapshot, level: FixLevel, eol: Eol, maxPasses = 10): FixLoopResult {
  return runCoreFixLoop(text, first, lint, level, (edits) => withEol(edits, eol), maxPasses);
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
