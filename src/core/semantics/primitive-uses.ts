// Every use of one synchronisation primitive held in a variable: a module or local name,
// a class attribute, or `self.x` set in a method. Uses are sorted into `with x:`, method
// calls (`x.acquire()`), and anything else (passed on, aliased, reached from outside),
// which makes the set of uses incomplete as far as the rules are concerned.
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Scope } from './scope';
import { referencesTo } from './names';

export type Holder =
  | { kind: 'name'; scope: Scope; name: string; target: Node }
  | { kind: 'class-attribute'; cls: Scope; name: string; target: Node }
  | { kind: 'self-attribute'; cls: Scope; name: string; target: Node };

export type Use =
  | { kind: 'with'; node: Node; statement: Node; alone: boolean }
  | { kind: 'method'; node: Node; method: string; call: Node }
  | { kind: 'other'; node: Node };

/** What holds the value of `call` when it is assigned on its own line (`x = call`, `self.x = call`). */
export function holderOf(model: FileModel, call: Node): Holder | undefined {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id) return undefined;
  if (assignment.parent?.type !== 'expression_statement') return undefined;
  const left = assignment.childForFieldName('left');
  const scope = model.scopeAt(call);
  if (left?.type === 'identifier') {
    const owner = scope.globals.has(left.text) ? model.module : scope;
    if (owner.bindings.get(left.text)?.length !== 1) return undefined;
    if (owner.kind === 'class') return { kind: 'class-attribute', cls: owner, name: left.text, target: left };
    return { kind: 'name', scope: owner, name: left.text, target: left };
  }
  if (left?.type === 'attribute') {
    const obj = left.childForFieldName('object');
    const attr = left.childForFieldName('attribute')?.text;
    const cls = scope.methodOf;
    if (!cls || !attr || obj?.type !== 'identifier' || obj.text !== scope.selfName) return undefined;
    if (cls.selfAttrs.get(attr)?.length !== 1 || cls.bindings.has(attr)) return undefined;
    return { kind: 'self-attribute', cls, name: attr, target: left };
  }
  return undefined;
}

function classify(node: Node): Use {
  const p = node.parent;
  if (!p) return { kind: 'other', node };
  if (p.type === 'with_item' && p.childForFieldName('value')?.id === node.id) {
    const statement = p.parent?.parent;
    if (statement?.type === 'with_statement' && statement.child(0)?.type !== 'async') {
      const items = p.parent?.namedChildren.filter((c) => c?.type === 'with_item') ?? [];
      return { kind: 'with', node, statement, alone: items.length === 1 };
    }
  }
  // `with lock as held:` — still a `with` use, but not a plain one.
  if (p.type === 'as_pattern' && p.parent?.type === 'with_item' && p.firstNamedChild?.id === node.id) {
    const statement = p.parent.parent?.parent;
    if (statement?.type === 'with_statement' && statement.child(0)?.type !== 'async') return { kind: 'with', node, statement, alone: false };
  }
  if (p.type === 'attribute' && p.childForFieldName('object')?.id === node.id) {
    const call = p.parent;
    const method = p.childForFieldName('attribute')?.text;
    if (call?.type === 'call' && call.childForFieldName('function')?.id === p.id && method) return { kind: 'method', node, method, call };
  }
  return { kind: 'other', node };
}

/** Attribute nodes `<obj>.name` in the file, except the assignment target itself, in document order. */
function attributesNamed(model: FileModel, name: string, except: Node): Node[] {
  // Only the identifiers spelled `name` whose parent is an attribute become nodes (every
  // attribute of the file was made a node once per primitive).
  const tree = model.tree;
  const attributes = tree.typeSet('attribute');
  if (!attributes) return [];
  const { types, parents } = tree;
  const out: Node[] = [];
  for (const i of tree.identifiersSpelled(name)) {
    const p = parents[i];
    if (attributes[types[p]] !== 1 || p === except.id) continue;
    const a = tree.node(p);
    if (a.childForFieldName('attribute')?.id === i) out.push(a);
  }
  // (A name's attribute node comes before the identifier: `a.b.x` nests, so sort by id.)
  return out.sort((x, y) => x.id - y.id);
}

/** `cls` derives from `base` through classes of this file. */
function inheritsFrom(model: FileModel, resolver: Resolver, cls: Scope, base: Scope, depth = 0): boolean {
  if (depth > 8) return false;
  for (const b of cls.node.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!b || b.type === 'keyword_argument') continue;
    const parent = model.classes.get(resolver.qualifiedName(b) ?? '');
    if (parent && (parent === base || inheritsFrom(model, resolver, parent, base, depth + 1))) return true;
  }
  return false;
}

/** Every use of the primitive; uses we cannot attribute for sure come back as `other`. */
export function usesOf(model: FileModel, resolver: Resolver, holder: Holder): Use[] {
  switch (holder.kind) {
    case 'name':
      return referencesTo(model, holder.scope, holder.name)
        .filter((id) => id.id !== holder.target.id)
        .map(classify);
    case 'self-attribute':
    case 'class-attribute': {
      const uses: Use[] = [];
      for (const a of attributesNamed(model, holder.name, holder.target)) {
        const obj = a.childForFieldName('object');
        const sym = resolver.resolve(obj);
        if (sym?.kind === 'self' && sym.cls !== holder.cls && !inheritsFrom(model, resolver, sym.cls, holder.cls)) continue; // another class's attribute
        const ours = sym?.kind === 'self' || (holder.kind === 'class-attribute' && sym?.kind === 'name' && sym.qname === holder.cls.qualifier);
        uses.push(ours ? classify(a) : { kind: 'other', node: a });
      }
      if (holder.kind === 'class-attribute') {
        // Other statements of the class body that read the name directly.
        for (const id of referencesTo(model, holder.cls, holder.name)) if (id.id !== holder.target.id) uses.push({ kind: 'other', node: id });
      }
      return uses;
    }
  }
}
