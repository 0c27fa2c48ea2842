// Text helpers for fixes that put statements under a new block header (`with lock:`,
// `if __name__ == "__main__":`, `with Pool() as pool:`): indentation, line ends, and the
// checks that make re-indenting safe. Re-indenting is only safe when no string literal
// spans lines (its content would change) and the statements own their lines.
import type { Node } from '../parse/syntax';
import type { TextEdit } from '../types';

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(start, i);
}

const BLANK = /\s/;

/** Nothing but indentation before the node on its line. (Looks only as far back as the blanks go: a line may be 1 MB long.) */
export function startsLine(text: string, node: Node): boolean {
  for (let i = node.startIndex; i > 0; i--) {
    const c = text[i - 1];
    if (c === '\n' || c === '\r') return true;
    if (!BLANK.test(c)) return false;
  }
  return true;
}

/** Nothing but whitespace or a comment after the node on its line. (Looks only as far as the blanks go.) */
export function endsLine(text: string, node: Node): boolean {
  for (let i = node.endIndex; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (!BLANK.test(c)) return c === '#';
  }
  return true;
}

/**
 * One level of indentation for statements nested in `stmt`'s block: the step between the
 * statement and the line that opens its block, else four spaces (a tab in tab-indented code).
 */
export function indentUnit(text: string, stmt: Node): string {
  const own = indentAt(text, stmt.startIndex);
  const block = stmt.parent;
  const owner = block?.type === 'block' ? block.parent : null;
  if (owner) {
    const outer = indentAt(text, owner.startIndex);
    if (own.startsWith(outer) && own.length > outer.length) return own.slice(outer.length);
  }
  return own.includes('\t') ? '\t' : '    ';
}

/** A string literal spanning lines: re-indenting would change its content. */
export function multilineStringIn(nodes: readonly Node[]): Node | undefined {
  for (const n of nodes) {
    // A node on one line holds no string spanning lines (and a 1 MB line need not be searched).
    if (n.startPosition.row === n.endPosition.row) continue;
    const strings = n.type === 'string' ? [n] : n.descendantsOfType('string');
    for (const s of strings) if (s && s.startPosition.row !== s.endPosition.row) return s;
  }
  return undefined;
}

/**
 * A node among `nodes` that holds a syntax error. Code that error recovery put together is not
 * re-indented: what it holds (a `finally:` cut off from its `try`, a definition) is a guess.
 */
export function syntaxErrorIn(nodes: readonly Node[]): Node | undefined {
  return nodes.find((n) => n.hasError);
}

/**
 * Indents every non-blank line one `unit` more. A unit of spaces goes after the line's own
 * leading blanks, a tab before them: either way every line moves by the same amount whether
 * tabs count to the next multiple of 8 (CPython), as 1 (CPython's TabError check) or as 8
 * columns (tree-sitter). Spaces put in front of a tab would vanish into its tab stop, and a
 * tab-indented line would change blocks.
 */
export function indentLines(text: string, unit: string): string {
  const before = unit.includes('\t');
  return text.replace(/^([^\r\n]*)/gm, (line) => {
    if (line.trim() === '') return line;
    if (before) return unit + line;
    const blanks = /^[ \t\f]*/.exec(line)?.[0] ?? '';
    return blanks + unit + line.slice(blanks.length);
  });
}

/**
 * Puts `first`..`last` (siblings, owning their lines) under `header`, written at the
 * indentation of `first`. The edit starts at the beginning of `first`'s line and ends at
 * the end of `last`, so a comment after `last` stays on its line.
 */
export function wrapEdit(text: string, first: Node, last: Node, header: string, unit: string): TextEdit {
  const start = lineStartOf(text, first.startIndex);
  const indent = indentAt(text, first.startIndex);
  const body = indentLines(text.slice(start, last.endIndex), unit);
  return { start, end: last.endIndex, content: `${indent}${header}${eolOf(text)}${body}` };
}

/** Why `first`..`last` cannot be re-indented, or undefined when they can. */
export function wrapBlocker(text: string, first: Node, last: Node): string | undefined {
  if (!startsLine(text, first)) return 'the statement shares its line with other code';
  if (!endsLine(text, last)) return 'the statement shares its line with other code';
  const nodes: Node[] = [];
  for (let n: Node | null = first; n; n = n.nextSibling) {
    nodes.push(n);
    if (n.id === last.id) break;
  }
  const e = syntaxErrorIn(nodes);
  if (e) return `the statements have a syntax error (line ${e.startPosition.row + 1}); fix it first`;
  const s = multilineStringIn(nodes);
  if (s) return `the statements include a string spanning lines (line ${s.startPosition.row + 1}), whose content re-indenting would change`;
  return undefined;
}
