// "Suppress CL101 on this line": the edit that adds a code to the line's `# noqa` comment.
// Editor-agnostic; the extension turns the offsets into a range.
import type { TextEdit } from '../types';
import { LineIndex } from '../text';

// `# noqa` optionally followed by `: CODE, CODE ...` (the form Ruff and Flake8 read).
const NOQA = /#\s*noqa(?::[ \t]*([A-Za-z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]+)*))?/i;

/**
 * The edit that suppresses `code` on `row` (0-based). Returns an empty edit (start === end,
 * no content) when nothing needs to change: the line already has a bare `# noqa` or lists
 * the code.
 */
export function suppressEdit(text: string, row: number, code: string): TextEdit {
  const lines = LineIndex.of(text);
  // A comment after a trailing backslash would break the continuation, so the comment goes
  // on the last physical line of the logical line.
  let target = Math.max(0, Math.min(row, lines.lineCount - 1));
  while (target + 1 < lines.lineCount && lineText(text, lines, target).trimEnd().endsWith('\\')) target++;

  const start = lines.lineStart(target);
  const line = lineText(text, lines, target);
  const match = NOQA.exec(line);
  if (match) {
    const codesText = match[1];
    const noop = { start: start + line.length, end: start + line.length, content: '' };
    if (codesText === undefined) return noop; // bare `# noqa` already silences everything
    const codes = codesText.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase());
    if (codes.includes(code.toUpperCase())) return noop;
    const at = start + match.index + match[0].length;
    return { start: at, end: at, content: `, ${code}` };
  }
  // Trailing whitespace is replaced so the comment sits two spaces after the code (PEP 8).
  const contentEnd = start + line.trimEnd().length;
  const lead = line.trim() === '' ? '' : '  ';
  return { start: contentEnd, end: start + line.length, content: `${lead}# noqa: ${code}` };
}

function lineText(text: string, lines: LineIndex, row: number): string {
  return text.slice(lines.lineStart(row), lines.lineEnd(row));
}

/** True when the edit changes nothing (the code is already suppressed). */
export function isNoopEdit(edit: TextEdit): boolean {
  return edit.start === edit.end && edit.content === '';
}
