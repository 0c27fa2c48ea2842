// Which concurrency construct, if any, sits at an offset of a file: the `async` of an
// `async def`, an `await`, or a name that resolves (through any import form) to one of
// CONSTRUCT_NAMES. The editor shows the construct's note as a hover; kept here, free of
// `vscode`, so it is tested like the rest of the engine.
import type { Node } from '../parse/syntax';
import type { Span } from '../types';
import type { FileModel } from '../semantics/model';
import type { Resolver } from '../semantics/resolve';
import { CONSTRUCT_NAMES, type ConstructKey } from './concepts';

export interface ConceptHit {
  construct: ConstructKey;
  /** What the note is about: the keyword, or the whole name (`aio.create_task`). */
  span: Span;
  /** The resolved qualified name, for names. */
  qname?: string;
}

function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** The token under `offset` (the character that starts there), anonymous tokens included. */
function tokenAt(root: Node, offset: number): Node | null {
  if (offset < root.startIndex || offset >= root.endIndex) return null;
  let node = root.descendantForIndex(offset, offset);
  // A zero-width request at the end of a token can land on the token before; prefer the
  // one that covers the character at `offset`.
  if (node && node.endIndex <= offset) node = root.descendantForIndex(offset, offset + 1);
  return node;
}

export function conceptAt(model: FileModel, resolver: Resolver, offset: number): ConceptHit | undefined {
  const token = tokenAt(model.tree.rootNode, offset);
  if (!token) return undefined;
  const parent = token.parent;

  if (token.type === 'async' && parent?.type === 'function_definition') {
    return { construct: 'async-def', span: spanOf(token) };
  }
  if (token.type === 'await' && !token.isNamed && parent?.type === 'await') {
    return { construct: 'await', span: spanOf(token) };
  }
  if (token.type !== 'identifier') return undefined;

  const imported = importedName(token);
  if (imported !== undefined) return hit(imported.qname, imported.node);

  if (!parent) return undefined;
  // `f(sleep=1)`: a keyword's name is not a reference, even when `sleep` is imported.
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === token.id) return undefined;
  if ((parent.type === 'function_definition' || parent.type === 'class_definition') && parent.childForFieldName('name')?.id === token.id) return undefined;
  if (parent.type === 'parameters' || parent.type === 'default_parameter' || parent.type === 'typed_parameter' || parent.type === 'typed_default_parameter') {
    return undefined;
  }

  // `aio.create_task`: the last part names the whole chain. An inner part (`aio`, or
  // `concurrent` in `concurrent.futures.ProcessPoolExecutor`) that has no note of its own
  // (a module) stands for the nearest enclosing chain that has one, so the whole squiggle
  // of `time.sleep(1)` explains `time.sleep`.
  let target = parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === token.id ? parent : token;
  for (;;) {
    const qname = resolver.qualifiedName(target);
    const found = qname ? hit(qname, target) : undefined;
    if (found) return found;
    const up = target.parent;
    if (up?.type !== 'attribute' || up.childForFieldName('object')?.id !== target.id) return undefined;
    target = up;
  }
}

function hit(qname: string, node: Node): ConceptHit | undefined {
  const construct = CONSTRUCT_NAMES.get(qname);
  return construct ? { construct, span: spanOf(node), qname } : undefined;
}

/**
 * A name in `from concurrent.futures import ProcessPoolExecutor as PPE`: the imported
 * name and its alias both stand for `concurrent.futures.ProcessPoolExecutor`. Undefined
 * when `id` is not one of the imported names.
 */
function importedName(id: Node): { qname: string; node: Node } | undefined {
  let item: Node | null = id.parent;
  if (item?.type === 'dotted_name') item = item.parent;
  if (item?.type !== 'aliased_import' && item?.type !== 'import_from_statement') return undefined;
  const statement = item.type === 'aliased_import' ? item.parent : item;
  if (statement?.type !== 'import_from_statement') return undefined;
  const moduleNode = statement.childForFieldName('module_name');
  // The module part (`concurrent.futures`) names a module; relative imports are the project's own.
  if (!moduleNode || moduleNode.type !== 'dotted_name' || (moduleNode.startIndex <= id.startIndex && id.endIndex <= moduleNode.endIndex)) return undefined;
  const nameNode = item.type === 'aliased_import' ? item.childForFieldName('name') : id.parent?.type === 'dotted_name' ? id.parent : id;
  if (!nameNode) return undefined;
  const node = item.type === 'aliased_import' ? item : nameNode;
  return { qname: `${moduleNode.text.replace(/\s+/g, '')}.${nameNode.text}`, node };
}
