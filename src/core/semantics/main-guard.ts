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
  while (cond?.type === 'parenthesized_expression') cond = cond.firstNamedChild;
  if (cond?.type !== 'comparison_operator') return false;
  const operands = cond.namedChildren.filter((c): c is Node => !!c);
  if (operands.length !== 2) return false;
  const ops = cond.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
  if (ops.length !== 1 || ops[0] !== '==') return false;
  const [a, b] = operands;
  return (a.type === 'identifier' && a.text === '__name__' && isMainString(b)) || (b.type === 'identifier' && b.text === '__name__' && isMainString(a));
}

type Guard = { guard: Node; start: number; end: number };

/**
 * The body (consequence) ranges of the file's main guards, found once per tree. A main
 * guard's condition compares the identifier `__name__`, so only the `if` statements around
 * the few places where that text appears are looked at.
 */
function mainGuards(node: Node): Guard[] {
  const tree = node.tree;
  let guards = tree.derived.get('main-guards') as Guard[] | undefined;
  if (!guards) {
    guards = [];
    const { types, parents } = tree;
    const ifTypes = tree.typeIds('if_statement');
    const up = [...tree.typeIds('comparison_operator'), ...tree.typeIds('parenthesized_expression')];
    // A guard's condition holds the identifier `__name__` (`x.__name__` in a `repr` is an
    // attribute's name): from each one, up through the comparison and any parentheses.
    for (const id of tree.identifiersSpelled('__name__')) {
      let p = parents[id];
      while (p > 0 && up.includes(types[p])) p = parents[p];
      if (p < 0 || !ifTypes.includes(types[p])) continue;
      const n = tree.node(p);
      const body = isMainGuard(n) ? n.childForFieldName('consequence') : null;
      if (body && !guards.some((g) => g.guard.id === n.id)) guards.push({ guard: n, start: body.startIndex, end: body.endIndex });
    }
    guards.sort((a, b) => a.guard.id - b.guard.id);
    tree.derived.set('main-guards', guards);
  }
  return guards;
}

/**
 * The main guard whose body holds `node`, if any (the innermost). By position against the
 * few guards of the file: walking up the parents costs the depth of the node, which a line
 * of nested calls makes quadratic over the file.
 */
export function enclosingMainGuard(node: Node): Node | undefined {
  let found: { guard: Node; start: number; end: number } | undefined;
  const start = node.startIndex;
  const end = node.endIndex;
  for (const g of mainGuards(node)) {
    if (g.start <= start && end <= g.end && g.guard.id !== node.id && (!found || g.end - g.start <= found.end - found.start)) found = g;
  }
  return found?.guard;
}

/** The statement directly under the module that holds `node` (a binary search over the module's children). */
export function topLevelStatement(node: Node): Node | undefined {
  const tree = node.tree;
  if (node.id === 0 || tree.rootNode.type !== 'module') return undefined;
  const { after } = tree;
  let top = tree.derived.get('top-level') as number[] | undefined;
  if (!top) {
    top = [];
    for (let c = 1; c < after[0]; c = after[c]) top.push(c);
    tree.derived.set('top-level', top);
  }
  // Pre-order: the child holding node i is the last one starting at or before i.
  let lo = 0;
  let hi = top.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (top[mid] <= node.id) {
      best = top[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best > 0 && node.id < after[best] ? tree.node(best) : undefined;
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
