// Scopes and bindings, collected in one pass over the tree (see model.ts).
import type { Node } from '../parse/syntax';

export type Binding = (
  | { kind: 'import'; qname: string }
  /** `name = value`, `name := value`; `annotation` when written `name: T = value`. */
  | { kind: 'assign'; value?: Node; annotation?: Node }
  | { kind: 'param'; index: number; annotation?: Node }
  /** `with value as name`. */
  | { kind: 'with'; value: Node }
  /** `def` / `class` in this file, with its qualified name (`pkg.mod.Class.method`). */
  | { kind: 'def'; qname: string; node: Node }
  | { kind: 'class'; qname: string; node: Node }
  /** for target, except target, augmented assignment, unpacking: a value we don't track. */
  | { kind: 'opaque' }
) & {
  /** The identifier that is bound, for flow-sensitive lookups within one scope. */
  site?: Node;
};

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class';

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  /** Names declared `global` / `nonlocal` here. */
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  /** For class scopes: `self.<attr> = value` assignments in its methods. */
  readonly selfAttrs = new Map<string, Binding[]>();
  /** `from m import *` modules (module scope). */
  readonly starImports: string[] = [];

  /** Prefix for names defined in this scope: `pkg.mod`, `pkg.mod.Class`, `pkg.mod.f.<locals>`. */
  qualifier = '';

  constructor(
    readonly kind: ScopeKind,
    readonly node: Node,
    readonly parent: Scope | undefined,
    readonly isAsync = false,
    /** Functions: the enclosing class when this is a method. */
    readonly methodOf?: Scope,
    /** Methods: the name of the first parameter (`self`), unless static/class method. */
    readonly selfName?: string,
  ) {}

  bind(name: string, b: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  get name(): string {
    return this.node.childForFieldName('name')?.text ?? '<lambda>';
  }
}
