// Making sure a module is imported before a fix uses it.
import type { FileModel } from '../semantics/model';
import type { TextEdit } from '../types';

/** The name to use for `module` in this file, and the edit that imports it when needed. */
export function moduleReference(model: FileModel, module: string): { name: string; edit?: TextEdit } {
  const alias = model.moduleAlias(module);
  if (alias) return { name: alias };
  const at = insertionPoint(model);
  return { name: module, edit: { start: at.start, end: at.end, content: `${at.prefix}import ${module}\n` } };
}

function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

/** Before the first top-level import; else after the docstring and `__future__` imports. */
function insertionPoint(model: FileModel): { start: number; end: number; prefix: string } {
  const first = model.topImports[0];
  if (first) {
    const at = lineStart(model.text, first.startIndex);
    return { start: at, end: at, prefix: '' };
  }
  const root = model.tree.rootNode;
  let at = 0;
  let index = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    const isDocstring = index === 0 && child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string';
    if (child.type === 'comment' || isDocstring || child.type === 'future_import_statement') {
      if (child.type !== 'comment') at = child.endIndex;
      index++;
      continue;
    }
    if (at === 0) {
      const pos = lineStart(model.text, child.startIndex);
      return { start: pos, end: pos, prefix: '' };
    }
    break;
  }
  if (at === 0) return { start: 0, end: 0, prefix: '' };
  // After the last docstring/__future__ line.
  const nl = model.text.indexOf('\n', at);
  if (nl === -1) return { start: model.text.length, end: model.text.length, prefix: '\n' };
  return { start: nl + 1, end: nl + 1, prefix: '' };
}
