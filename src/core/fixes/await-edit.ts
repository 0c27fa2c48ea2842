// Putting `await` in front of an expression without changing how the rest of the line
// parses: `await` binds looser than attribute access, subscripts and calls, so an
// expression used as their left-hand side needs parentheses.
import type { Node } from '../parse/syntax';
import type { TextEdit } from '../types';

function needsParens(expr: Node): boolean {
  const parent = expr.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.childForFieldName('object')?.id === expr.id;
    case 'subscript':
      return parent.childForFieldName('value')?.id === expr.id;
    case 'call':
      return parent.childForFieldName('function')?.id === expr.id;
    default:
      return false;
  }
}

/** Inserts `await ` before `expr` (parenthesising when its position requires it). */
export function insertAwait(expr: Node): TextEdit[] {
  if (needsParens(expr)) {
    return [
      { start: expr.startIndex, end: expr.startIndex, content: '(await ' },
      { start: expr.endIndex, end: expr.endIndex, content: ')' },
    ];
  }
  return [{ start: expr.startIndex, end: expr.startIndex, content: 'await ' }];
}

/** One-line preview of code for a fix title. */
export function preview(text: string, max = 60): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
