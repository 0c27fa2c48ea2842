// Where a name is bound and where it is used, for the rules that follow one variable
// (a task kept or dropped, a lock used only by coroutines). Mirrors how Resolver.lookup
// walks scopes, but answers "which scope" and "which uses" rather than "what value".
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Binding, Scope } from './scope';
import type { Resolver } from './resolve';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** True when a comprehension between `at` and its scope binds `name` (it shadows everything outside). */
function comprehensionBinds(name: string, at: Node): boolean {
  for (let n = at.parent; n; n = n.parent) {
    if (COMPREHENSIONS.has(n.type)) {
      for (const clause of n.namedChildren) {
        if (clause?.type !== 'for_in_clause') continue;
        const left = clause.childForFieldName('left');
        if (left && (left.type === 'identifier' ? left.text === name : left.descendantsOfType('identifier').some((i) => i?.text === name))) return true;
      }
    }
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
  }
  return false;
}

/** The scope whose binding of `name` is visible at `at` (Python's LEGB walk), if any. */
export function bindingScope(model: FileModel, name: string, at: Node): Scope | undefined {
  if (comprehensionBinds(name, at)) return undefined;
  const start = model.scopeAt(at);
  let scope: Scope | undefined = start;
  while (scope) {
    if (scope.globals.has(name)) return model.module.bindings.has(name) ? model.module : undefined;
    // Class bodies are not visible from the functions nested in them.
    if ((scope.kind !== 'class' || scope === start) && scope.bindings.has(name) && !scope.nonlocals.has(name)) return scope;
    scope = scope.parent;
  }
  return undefined;
}

/** The bindings behind an identifier or a `self.attr` expression, when they can be found. */
export function bindingsOf(model: FileModel, resolver: Resolver, node: Node): readonly Binding[] | undefined {
  if (node.type === 'identifier') return bindingScope(model, node.text, node)?.bindings.get(node.text);
  if (node.type === 'attribute') {
    const owner = resolver.resolve(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute')?.text;
    if (owner?.kind !== 'self' || !attr) return undefined;
    return owner.cls.selfAttrs.get(attr) ?? owner.cls.bindings.get(attr);
  }
  return undefined;
}

/** An identifier that names a variable (not `x.name`, not `f(name=...)`, not a parameter default's name). */
export function isVariableReference(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) return false;
  if (p.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) return false;
  if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('name')?.id === id.id) return false;
  return true;
}

/** `name = ...` / `name: T = ...`: the identifier is only written there. */
export function isPlainAssignmentTarget(id: Node): boolean {
  const p = id.parent;
  return p?.type === 'assignment' && p.childForFieldName('left')?.id === id.id;
}

/**
 * Every reference to the variable `name` bound in `scope`, anywhere in the file (nested
 * functions included), excluding references that resolve to another binding.
 */
export function referencesTo(model: FileModel, scope: Scope, name: string): Node[] {
  const out: Node[] = [];
  // Only the identifiers spelled `name` in the scope's text become nodes.
  const tree = model.tree;
  for (const i of tree.identifiersSpelled(name, scope.node.startIndex, scope.node.endIndex)) {
    const id = tree.node(i);
    if (!isVariableReference(id)) continue;
    if (bindingScope(model, name, id) === scope) out.push(id);
  }
  return out;
}

/** The function (def or async def) whose body a node is in, skipping lambdas and classes. */
export function enclosingFunctionScope(model: FileModel, node: Node): Scope | undefined {
  for (let s: Scope | undefined = model.scopeAt(node); s; s = s.parent) {
    if (s.kind === 'function') return s;
    if (s.kind === 'class' || s.kind === 'module') return undefined;
  }
  return undefined;
}

/**
 * The names an assignment target binds: its identifiers, through tuples, lists, starred and
 * parenthesised targets, not those inside `obj.x` or `a[i]` (which bind no name). With a
 * stack of its own: a target may nest thousands deep.
 */
export function targetNames(target: Node | null | undefined): string[] {
  const out: string[] = [];
  const stack = target ? [target] : [];
  for (let t = stack.pop(); t; t = stack.pop()) {
    if (t.type === 'identifier') out.push(t.text);
    else if (t.type !== 'attribute' && t.type !== 'subscript') for (const c of t.namedChildren) if (c) stack.push(c);
  }
  return out;
}
