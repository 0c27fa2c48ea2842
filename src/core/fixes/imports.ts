// Making sure a module is imported before a fix uses it.
import type { FileModel } from '../semantics/model';
import type { Node } from '../parse/syntax';
import type { TextEdit } from '../types';

/** The name to use for `module` in this file, and the edit that imports it when needed. */
/**
 * Whether fixes read an import binding of this qualified name (moduleReference's modules,
 * and the executor classes executor-swap.ts looks for): an incremental lint that changes
 * one lints the whole file, whose fixes may then be written otherwise.
 */
export function importReadByFixes(qname: string): boolean {
  return FIX_MODULES.has(qname) || qname.startsWith('concurrent.futures.');
}

const FIX_MODULES = new Set(['asyncio', 'trio', 'anyio', 'threading', 'concurrent.futures']);

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

/**
 * The statement's line starts at column 0. Module-level code always does; in a file with
 * syntax errors, error recovery may put an indented statement (an import inside a function
 * whose header is broken) at the top level, and code inserted next to it at column 0 would
 * cut that block in two.
 */
export function startsAtColumnZero(text: string, node: Node): boolean {
  const c = text[lineStart(text, node.startIndex)];
  return c !== ' ' && c !== '\t' && c !== '\f';
}

/** The module's own imports: top-level imports whose line starts at column 0. */
export function moduleImports(model: FileModel): Node[] {
  return model.topImports.filter((s) => startsAtColumnZero(model.text, s));
}

/** Where an import goes, per tree (every fix that needs one asks; the answer does not change). */
function insertionPoint(model: FileModel): { start: number; end: number; prefix: string } {
  const derived = model.tree.derived;
  let at = derived.get('import-insertion') as { start: number; end: number; prefix: string } | undefined;
  if (!at) derived.set('import-insertion', (at = findInsertionPoint(model)));
  return at;
}

/** Before the first top-level import; else after the docstring and `__future__` imports. */
function findInsertionPoint(model: FileModel): { start: number; end: number; prefix: string } {
  const first = moduleImports(model)[0];
  if (first) {
    const at = lineStart(model.text, first.startIndex);
    return { start: at, end: at, prefix: '' };
  }
  const root = model.tree.rootNode;
  let at = 0;
  let index = 0;
  let comments = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    const isDocstring = index === 0 && child.type === 'expression_statement' && child.firstNamedChild?.type === 'string';
    if (child.type === 'comment' || isDocstring || child.type === 'future_import_statement') {
      if (child.type !== 'comment') at = child.endIndex;
      else if (at === 0) comments = child.endIndex;
      index++;
      continue;
    }
    if (at === 0 && startsAtColumnZero(model.text, child)) {
      const pos = lineStart(model.text, child.startIndex);
      return { start: pos, end: pos, prefix: '' };
    }
    // (An indented first statement: below the leading comments, a shebang and coding line among them.)
    if (at === 0) at = comments;
    break;
  }
  if (at === 0) return { start: 0, end: 0, prefix: '' };
  // After the last docstring/__future__ line.
  const nl = model.text.indexOf('\n', at);
  if (nl === -1) return { start: model.text.length, end: model.text.length, prefix: '\n' };
  return { start: nl + 1, end: nl + 1, prefix: '' };
}
