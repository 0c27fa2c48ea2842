// Import-time code: what runs when a module is imported (and so runs again in every child
// process that the spawn and forkserver start methods create by re-importing the main
// module), as opposed to code under `if __name__ == "__main__":` or inside functions.
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';

function isMainString(n: Node | null | undefined): boolean {
  if (!n || n.type !== 'string') return false;
  const content = n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
  return content === '__main__' && !/^[a-zA-Z]*[fF]/.test(n.text);
}

/** `if __name__ == "__main__":` (either quote style, either operand order). */
export function isMainGuard(ifNode: Node): boolean {
  if (ifNode.type !== 'if_statement') return false;
  let cond = ifNode.childForFieldName('condition');
  while (cond?.type === 'parenthesized_expression') cond = cond.namedChildren[0];
  if (cond?.type !== 'comparison_operator') return false;
  const operands = cond.namedChildren.filter((c): c is Node => !!c);
  if (operands.length !== 2) return false;
  const ops = cond.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
  if (ops.length !== 1 || ops[0] !== '==') return false;
  const [a, b] = operands;
  return (a.type === 'identifier' && a.text === '__name__' && isMainString(b)) || (b.type === 'identifier' && b.text === '__name__' && isMainString(a));
}

/** The main guard whose body holds `node`, if any. */
export function enclosingMainGuard(node: Node): Node | undefined {
  let child: Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'if_statement' && isMainGuard(n) && n.childForFieldName('consequence')?.id === child.id) return n;
  }
  return undefined;
}

/** The statement directly under the module that contains `node`. */
export function topLevelStatement(node: Node): Node | undefined {
  let n: Node | null = node;
  while (n && n.parent && n.parent.type !== 'module') n = n.parent;
  return n && n.parent?.type === 'module' ? n : undefined;
}

/** Runs when the module is imported: module scope (not a class body), not under the main guard. */
export function runsAtImport(model: FileModel, node: Node): boolean {
  return model.scopeAt(node) === model.module && !enclosingMainGuard(node);
}

/** The main guard at the top level of the module, if there is one. */
export function moduleMainGuard(model: FileModel): Node | undefined {
  for (const child of model.tree.rootNode.namedChildren) {
    if (child?.type === 'if_statement' && isMainGuard(child)) return child;
  }
  return undefined;
}
