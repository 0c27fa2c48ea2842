// Resolves expressions to what they denote: a qualified name (`requests.get`), an instance
// of a known type (`requests.Session`), or `self` inside a method. Results are memoised
// per node; unknowns stay unknown (precision over recall).
import type { Node } from '../parse/syntax';
import { attributeType, canonicalType, isCatalogueMember, KNOWN_MODULES, returnedType } from '../knowledge/blocking-calls';
import type { FileModel } from './model';
import type { Binding, Scope } from './scope';

export type Sym =
  | { kind: 'name'; qname: string; evidence?: string }
  | { kind: 'instance'; type: string; evidence?: string }
  | { kind: 'self'; cls: Scope };

/** A `self` answer as the answer list keeps it: the class by its qualifier (see Resolver.selves). */
interface SelfMark {
  kind: 'self-of';
  qualifier: string;
}
type Stored = Exclude<Sym, { kind: 'self' }> | SelfMark;

const BUILTINS = new Set(['open', 'input', 'print', 'len', 'range', 'dict', 'list', 'set', 'tuple', 'str', 'int', 'float', 'bool', 'bytes', 'type', 'object', 'super', 'iter', 'next', 'map', 'filter', 'zip', 'sorted', 'min', 'max', 'sum', 'any', 'all', 'isinstance', 'getattr', 'setattr', 'hasattr', 'repr', 'format', 'vars', 'id', 'hash', 'abs', 'round', 'enumerate', 'reversed', 'exec', 'eval', 'compile', '__import__']);

/** See Resolver.continued (a 5,000-line file has ~40,000 answers). */
const MIN_CARRIED_GROWTH = 10_000;

/** How deep resolve() recurses (attribute chains, calls of calls) before it gives up. */
const MAX_DEPTH = 200;

export class Resolver {
  /**
   * By node id: 0 not asked yet, -1 being resolved, else 1 + the index of its answer in
   * `answers` (a dense list: an array by node id would hold a slot for each of the file's
   * nodes, 300,000 for a 5,000-line file, made again for every lint in the editor).
   */
  private readonly state: Int32Array;
  private answers: (Stored | undefined)[] = [];
  /**
   * This resolver's `self` answers, by the mark the answer list holds for each. The list is
   * shared with the next lints' resolvers (see continued) and lives long: if it held the
   * class scopes themselves, every scope graph (bindings, nodes, the tree) they reach would
   * stay alive and be copied and promoted by the young generation's collections, lint after
   * lint, until the old generation's were collected.
   */
  private readonly selves = new Map<SelfMark, Sym>();
  /** The size of the answer list when a continued resolver first took it over (see continued). */
  private baseline = 0;
  /** Resolutions in progress (the recursion depth). */
  private depth = 0;

  /**
   * `isClass` answers for classes defined in other files of the project (the workspace
   * index); classes of this file are known from the model.
   */
  constructor(
    readonly model: FileModel,
    private readonly isClass: (qname: string) => boolean = () => false,
  ) {
    this.state = new Int32Array(model.tree.count);
  }

  /**
   * A resolver for the tree after an edit inside one function (an incremental lint; see
   * incremental.ts): it keeps `old`'s answers for the nodes outside that function, whose
   * code and surroundings did not change. `oldDef`/`def`: the function's node id in the
   * old and the new tree. Undefined when the trees do not line up that way, or when the
   * shared answer list has grown too long (answers of replaced nodes stay in it).
   */
  static continued(model: FileModel, isClass: (qname: string) => boolean, old: Resolver, oldDef: number, def: number): Resolver | undefined {
    const oldTree = old.model.tree;
    const tree = model.tree;
    const oldAfter = oldTree.after[oldDef];
    const after = tree.after[def];
    if (oldDef !== def || oldTree.count - oldAfter !== tree.count - after) return undefined;
    // (Each lint adds the answers of the function's nodes; those of the nodes they replaced
    // stay in the list: start afresh once it has doubled.)
    const baseline = old.baseline || old.answers.length;
    if (old.answers.length > 2 * baseline + MIN_CARRIED_GROWTH) return undefined;
    const r = new Resolver(model, isClass);
    r.baseline = baseline;
    r.state.set(old.state.subarray(0, oldDef), 0);
    r.state.set(old.state.subarray(oldAfter), after);
    r.answers = old.answers;
    return r;
  }

  /**
   * Drops the answers of a node (by id) and its descendants (an incremental lint
   * re-resolves the functions that mention a name whose meaning the edit changed).
   */
  forget(id: number): void {
    this.state.fill(0, id, this.model.tree.after[id]);
  }

  private mayBeProjectClass(qname: string): boolean {
    const top = qname.slice(0, qname.indexOf('.'));
    if (!top || top === 'builtins' || KNOWN_MODULES.has(top) || this.model.importedModules.has(top) === false) return false;
    // Defined in this file: the model knows whether it is a class.
    return !qname.startsWith(`${this.model.moduleName}.`);
  }

  isProjectClass(qname: string): boolean {
    return this.model.classes.has(qname) || this.isClass(qname);
  }

  resolve(node: Node | null | undefined): Sym | undefined {
    if (!node) return undefined;
    // (Ids index this file's tree; a node of another tree would hit another node's entry.)
    if (node.tree !== this.model.tree) throw new Error('Resolver.resolve: a node of another syntax tree');
    const id = node.id;
    const state = this.state[id];
    if (state > 0) {
      const stored = this.answers[state - 1];
      if (stored?.kind !== 'self-of') return stored;
      const own = this.selves.get(stored);
      if (own) return own;
      // Carried over from the last tree (see continued): the class scope of this one.
      const cls = this.model.classes.get(stored.qualifier);
      if (cls) {
        const sym: Sym = { kind: 'self', cls };
        this.selves.set(stored, sym);
        return sym;
      }
      this.state[id] = 0;
      return this.resolve(node);
    }
    if (state === -1) return undefined; // a = a.b cycles
    // A chain nested this deep (a 1 MB line of `.x.x.x...`) names nothing anyone knows; the
    // limit keeps the recursion off the end of the call stack.
    if (this.depth >= MAX_DEPTH) return undefined;
    this.state[id] = -1;
    this.depth++;
    let result: Sym | undefined;
    try {
      result = this.compute(node);
    } finally {
      this.depth--;
      this.state[id] = 0;
    }
    let stored: Stored | undefined;
    if (result?.kind === 'self') {
      const mark: SelfMark = { kind: 'self-of', qualifier: result.cls.qualifier };
      this.selves.set(mark, result);
      stored = mark;
    } else stored = result;
    this.state[id] = this.answers.push(stored);
    return result;
  }

  /** The qualified name a callee or attribute chain denotes, if any. */
  qualifiedName(node: Node | null | undefined): string | undefined {
    const s = this.resolve(node);
    return s?.kind === 'name' ? s.qname : undefined;
  }

  private compute(node: Node): Sym | undefined {
    switch (node.type) {
      case 'identifier':
        return this.lookup(node.text, node);
      case 'attribute': {
        const attr = node.childForFieldName('attribute')?.text;
        if (!attr) return undefined;
        const obj = this.resolve(node.childForFieldName('object'));
        if (!obj) return undefined;
        if (obj.kind === 'name') {
          // `Registry.lock` where `class Registry:` of this file says `lock = threading.Lock()`.
          const held = this.classAttributeInstance(obj.qname, attr);
          if (held) return held;
          return { kind: 'name', qname: `${obj.qname}.${attr}`, evidence: obj.evidence };
        }
        if (obj.kind === 'instance') {
          const held = attributeType(`${obj.type}.${attr}`);
          if (held) return { kind: 'instance', type: held, evidence: obj.evidence };
          return { kind: 'name', qname: `${obj.type}.${attr}`, evidence: obj.evidence };
        }
        return this.selfAttribute(obj.cls, attr);
      }
      case 'call': {
        const callee = this.resolve(node.childForFieldName('function'));
        if (callee?.kind !== 'name') return undefined;
        const type = returnedType(callee.qname);
        if (type) return { kind: 'instance', type, evidence: callee.evidence };
        if (this.isProjectClass(callee.qname)) return { kind: 'instance', type: callee.qname };
        // A function of this file annotated `-> io.TextIOWrapper` returns one.
        const returnType = this.model.functions.get(callee.qname)?.node.childForFieldName('return_type');
        if (returnType) {
          const r = this.annotation(returnType);
          if (r?.kind === 'instance') return { ...r, evidence: `\`${callee.qname.split('.').pop()}()\` is annotated to return \`${r.type}\`` };
        }
        // A name imported from another module of the project may be a class the workspace
        // has not indexed yet (a project run indexes files in order). Taking the call to
        // make an instance of it is harmless when it is not one: its methods then resolve
        // to names no function has (`pkg.make.get`), which no rule or index knows.
        if (this.mayBeProjectClass(callee.qname)) return { kind: 'instance', type: callee.qname };
        return undefined;
      }
      case 'parenthesized_expression':
        return this.resolve(node.firstNamedChild);
      case 'binary_operator': {
        // Path / "part" is still a Path.
        const left = this.resolve(node.childForFieldName('left'));
        if (left?.kind === 'instance' && left.type === 'pathlib.Path' && node.childForFieldName('operator')?.type === '/') return left;
        return undefined;
      }
      case 'type':
        return this.annotation(node);
      default:
        return undefined;
    }
  }

  /** An annotation `T`, `Optional[T]`, `T | None`, `"T"` denotes an instance of T. */
  private annotation(node: Node | null | undefined): Sym | undefined {
    if (!node) return undefined;
    switch (node.type) {
      case 'type':
        return this.annotation(node.firstNamedChild);
      case 'identifier':
      case 'attribute': {
        const q = this.qualifiedName(node);
        return q ? { kind: 'instance', type: canonicalType(q) } : undefined;
      }
      case 'type_parameter':
        return this.annotation(node.firstNamedChild);
      case 'subscript':
      case 'generic_type': {
        const first = node.firstNamedChild;
        const head = this.qualifiedName(first) ?? first?.text;
        if (head === 'typing.Optional' || head === 'Optional') return this.annotation(node.namedChildren[1]);
        return undefined;
      }
      case 'binary_operator': {
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        if (r?.type === 'none') return this.annotation(l);
        if (l?.type === 'none') return this.annotation(r);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * The object a class attribute of a class of this file holds, when every assignment to it
   * in the class body (or through `self.` in its methods) makes the same kind of object.
   * Only instances: a name (a method, a nested class) stays the qualified name it was.
   */
  private classAttributeInstance(classQname: string, attr: string): Sym | undefined {
    const cls = this.model.classes.get(classQname);
    const sym = cls && this.member(cls, attr, 'class');
    return sym?.kind === 'instance' ? sym : undefined;
  }

  private selfAttribute(cls: Scope, attr: string): Sym | undefined {
    return this.member(cls, attr, 'self');
  }

  /**
   * What `self.attr` (assignments through `self` first) or `Class.attr` (the class body's
   * first) holds, when its assignments agree.
   */
  private member(cls: Scope, attr: string, via: 'self' | 'class'): Sym | undefined {
    const assigned = via === 'self' ? (cls.selfAttrs.get(attr) ?? cls.bindings.get(attr)) : (cls.bindings.get(attr) ?? cls.selfAttrs.get(attr));
    if (!assigned) return undefined;
    const sym = this.agree(assigned, cls.node);
    if (!sym || sym.kind === 'self') return sym;
    const holder = via === 'self' ? 'self' : cls.name;
    return { ...sym, evidence: sym.evidence ?? `\`${holder}.${attr}\` is assigned a \`${sym.kind === 'name' ? sym.qname : sym.type}\` in class \`${cls.name}\`` };
  }

  lookup(name: string, at: Node): Sym | undefined {
    if (this.model.boundByComprehension(name, at.startIndex)) return undefined;
    const start = this.model.scopeAt(at);
    let scope: Scope | undefined = start;
    while (scope) {
      // `global x` at module level is legal and changes nothing: do not jump to the module again.
      if (scope.globals.has(name) && scope !== this.model.module) {
        scope = this.model.module;
        continue;
      }
      // Class bodies are not visible from the functions nested in them.
      if (scope.kind !== 'class' || scope === start) {
        const bindings = scope.bindings.get(name);
        if (bindings && !scope.nonlocals.has(name)) {
          if (scope === start && bindings.length > 1) {
            const reaching = reachingBinding(bindings, at);
            if (reaching) return this.agree([reaching], scope.node, name, scope);
          }
          return this.agree(bindings, scope.node, name, scope);
        }
      }
      scope = scope.parent;
    }
    return this.unbound(name);
  }

  private unbound(name: string): Sym | undefined {
    if (BUILTINS.has(name)) return { kind: 'name', qname: `builtins.${name}` };
    for (const mod of this.model.module.starImports) {
      if (isCatalogueMember(`${mod}.${name}`)) return { kind: 'name', qname: `${mod}.${name}`, evidence: `\`${name}\` comes from \`from ${mod} import *\`` };
    }
    if (!this.model.boundNames.has(name) && KNOWN_MODULES.has(name)) {
      return { kind: 'name', qname: name, evidence: `\`${name}\` is not imported in this file; taken to be the \`${name}\` module` };
    }
    return undefined;
  }

  /** All bindings of a name must say the same thing, else it is unknown. */
  private agree(bindings: readonly Binding[], owner: Node, name?: string, scope?: Scope): Sym | undefined {
    let result: Sym | undefined;
    for (const b of bindings) {
      const s = this.fromBinding(b, name, scope);
      if (!s) return undefined;
      if (result && !sameSym(result, s)) return undefined;
      result = s;
    }
    void owner;
    return result;
  }

  private fromBinding(b: Binding, name?: string, scope?: Scope): Sym | undefined {
    switch (b.kind) {
      case 'import':
        return { kind: 'name', qname: b.qname };
      case 'assign': {
        if (b.annotation) {
          const a = this.annotation(b.annotation);
          if (a) return a;
        }
        const v = this.resolve(b.value);
        if (v?.kind === 'instance' && name) {
          return { ...v, evidence: v.evidence ?? `\`${name}\` is a \`${v.type}\` (line ${(b.value?.startPosition.row ?? 0) + 1})` };
        }
        return v;
      }
      case 'param': {
        if (b.annotation) {
          const a = this.annotation(b.annotation);
          if (a?.kind === 'instance' && name) return { ...a, evidence: `parameter \`${name}\` is annotated \`${a.type}\`` };
          return a;
        }
        if (b.index === 0 && scope?.methodOf && scope.selfName === name) return { kind: 'self', cls: scope.methodOf };
        return undefined;
      }
      case 'with': {
        // Context managers we know return themselves from __enter__.
        const v = this.resolve(b.value);
        if (v?.kind === 'instance' && name) {
          return { ...v, evidence: v.evidence ?? `\`${name}\` is bound by \`with\` to a \`${v.type}\` (line ${b.value.startPosition.row + 1})` };
        }
        return undefined;
      }
      case 'def':
      case 'class':
        return { kind: 'name', qname: b.qname };
      case 'opaque':
        return undefined;
    }
  }
}

function enclosingBlock(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'block' || n.type === 'module') return n;
  return null;
}

/**
 * Within one scope, the last binding before the use wins when it is in straight-line code
 * that encloses the use (`f: int = 7` ... `f = open(p)`; `f.read()`). Bindings in a branch
 * the use is not inside leave the answer to all bindings agreeing.
 */
function reachingBinding(bindings: readonly Binding[], at: Node): Binding | undefined {
  let last: Binding | undefined;
  for (const b of bindings) {
    if (!b.site || b.site.startIndex >= at.startIndex) continue;
    if (!last || (last.site && b.site.startIndex > last.site.startIndex)) last = b;
  }
  if (!last?.site) return undefined;
  const block = enclosingBlock(last.site);
  if (!block) return undefined;
  for (let n: Node | null = at; n; n = n.parent) if (n.id === block.id) return last;
  return undefined;
}

function sameSym(a: Sym, b: Sym): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'name' && b.kind === 'name') return a.qname === b.qname;
  if (a.kind === 'instance' && b.kind === 'instance') return a.type === b.type;
  return a.kind === 'self' && b.kind === 'self' && a.cls === b.cls;
}
