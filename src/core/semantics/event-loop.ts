// "Does this node run on the event loop?" — inside the body of an `async def`, and not
// inside a nested sync def, lambda or class body (those run wherever they are called,
// possibly in a worker thread). Defaults and decorators of a nested def run in the
// enclosing coroutine, so they count.
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Scope } from './scope';

export function coroutineOf(model: FileModel, node: Node): Scope | undefined {
  const scope = model.scopeAt(node);
  return scope.kind === 'function' && scope.isAsync ? scope : undefined;
}

export function runsOnEventLoop(model: FileModel, node: Node): boolean {
  return coroutineOf(model, node) !== undefined;
}

/** True when the node sits inside a generator expression within its scope (an `await` there would change its meaning). */
export function insideGeneratorExpression(model: FileModel, node: Node): boolean {
  const scopeNode = model.scopeAt(node).node;
  for (let n = node.parent; n && n.id !== scopeNode.id; n = n.parent) {
    if (n.type === 'generator_expression') return true;
  }
  return false;
}
