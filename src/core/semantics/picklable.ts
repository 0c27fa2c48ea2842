// Can a callable be sent to another process? `pickle` sends a function by reference: the
// module it lives in and its qualified name, which the child looks up again after
// importing that module. That fails for lambdas (no name to look up), functions defined
// inside other functions or inside a local class (`f.<locals>.g` is not reachable from the
// module), and, under the spawn and forkserver start methods, for functions that only
// exist when the module runs as `__main__` (defined under the main guard).
import type { Node } from '../parse/syntax';
import { lambdaBoundTo, positionalArgs, type FileFacts } from './dispatch';
import { enclosingMainGuard } from './main-guard';
import type { Workspace } from './workspace';

export interface PickleProblem {
  /** "a lambda", "`work` is defined inside `main()`". */
  reason: string;
  /** The definition at fault (lambda or def), for related information. */
  definition?: Node;
  /** The problem holds only for the spawn/forkserver start methods. */
  spawnOnly?: boolean;
}

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function ownerName(qname: string): string {
  const parts = qname.split('.');
  const at = parts.lastIndexOf('<locals>');
  return at > 0 ? parts[at - 1] : parts[parts.length - 2] ?? qname;
}

export function pickleProblem(facts: FileFacts, fn: Node, depth = 0): PickleProblem | undefined {
  if (depth > 3) return undefined;
  if (fn.type === 'parenthesized_expression' && fn.firstNamedChild) return pickleProblem(facts, fn.firstNamedChild, depth + 1);
  if (fn.type === 'lambda') return { reason: 'a lambda has no name that a child process could import', definition: fn };
  if (fn.type === 'call') {
    const q = facts.resolver.qualifiedName(fn.childForFieldName('function'));
    const first = positionalArgs(fn)[0];
    if (q === 'functools.partial' && first) {
      const inner = pickleProblem(facts, first, depth + 1);
      return inner ? { ...inner, reason: `\`functools.partial\` pickles the function it wraps, and ${inner.reason}` } : undefined;
    }
    return undefined;
  }
  if (fn.type !== 'identifier' && fn.type !== 'attribute') return undefined;
  const lambda = lambdaBoundTo(facts, fn);
  if (lambda) return { reason: `\`${fn.text}\` is bound to a lambda (line ${line(lambda)}), which has no importable name`, definition: lambda };
  const qname = facts.resolver.qualifiedName(fn);
  // Functions of other modules are module attributes there (a nested def cannot be
  // imported), so only this file's definitions can have these problems.
  const scope = qname ? facts.model.functions.get(qname) : undefined;
  if (!scope || !qname) return undefined;
  const defNode = scope.node;
  if (scope.parent?.kind === 'function' || scope.parent?.kind === 'lambda') {
    return { reason: `\`${fn.text}\` is defined inside \`${ownerName(qname)}()\`, where a child process cannot look it up`, definition: defNode };
  }
  if (qname.includes('.<locals>.')) {
    return { reason: `\`${fn.text}\` belongs to a class defined inside \`${ownerName(qname)}()\`, which a child process cannot look up`, definition: defNode };
  }
  if (enclosingMainGuard(defNode)) {
    return {
      reason: `\`${fn.text}\` is defined under \`if __name__ == "__main__":\`; a child process started with spawn or forkserver imports the module without running that block, so the function does not exist there`,
      definition: defNode,
      spawnOnly: true,
    };
  }
  return undefined;
}

/**
 * Whether a callable is a plain module-level function (not a method, not nested), which
 * pickles by name: `{}` when this file shows it, `{ reason }` when it is not, and
 * `{ verify }` for a name from another module, which only the complete workspace can confirm.
 */
export function moduleFunctionCheck(facts: FileFacts, fn: Node): { reason?: string; verify?: string } {
  const problem = pickleProblem(facts, fn);
  if (problem) return { reason: problem.reason };
  if (fn.type !== 'identifier' && fn.type !== 'attribute') return { reason: `\`${fn.text}\` is not a plain function name` };
  const qname = facts.resolver.qualifiedName(fn);
  if (!qname) return { reason: `\`${fn.text}\` does not resolve to a function of the project` };
  const scope = facts.model.functions.get(qname);
  if (scope) {
    if (scope.parent !== facts.model.module) return { reason: `\`${fn.text}\` is a method; a bound method pickles its whole instance` };
    if (scope.isAsync) return { reason: `\`${fn.text}\` is a coroutine function` };
    return {};
  }
  return { verify: qname };
}

/** The deferred half of moduleFunctionCheck: the workspace knows `qname` as a plain sync module-level function. */
export function verifyModuleFunction(ws: Workspace, qname: string): boolean {
  const summary = ws.function(qname);
  if (!summary || summary.nested || summary.isAsync || summary.qname.includes('<locals>')) return false;
  const owner = summary.qname.slice(0, summary.qname.lastIndexOf('.'));
  return !ws.isClass(owner);
}
