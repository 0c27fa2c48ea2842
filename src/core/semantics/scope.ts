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

// Most scopes declare no global or nonlocal name, have no `self.x` assignments and no star
// imports: they share these empty ones until a first entry (a lint of a 5,000-line file
// makes thousands of scopes, and every empty collection is garbage after it).
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_ATTRS: ReadonlyMap<string, Binding[]> = new Map();
const NO_MODULES: readonly string[] = [];

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  /** Names declared `global` / `nonlocal` here (add with declare). */
  globals: ReadonlySet<string> = NO_NAMES;
  nonlocals: ReadonlySet<string> = NO_NAMES;
  /** For class scopes: `self.<attr> = value` assignments in its methods (add with addSelfAttr). */
  selfAttrs: ReadonlyMap<string, Binding[]> = NO_ATTRS;
  /** `from m import *` modules (module scope; add with addStarImport). */
  starImports: readonly string[] = NO_MODULES;

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

  declare(kind: 'global' | 'nonlocal', name: string): void {
    if (kind === 'global') (this.globals === NO_NAMES ? (this.globals = new Set([name])) : (this.globals as Set<string>)).add(name);
    else (this.nonlocals === NO_NAMES ? (this.nonlocals = new Set([name])) : (this.nonlocals as Set<string>)).add(name);
  }

  addSelfAttr(attr: string, b: Binding): void {
    if (this.selfAttrs === NO_ATTRS) this.selfAttrs = new Map();
    const map = this.selfAttrs as Map<string, Binding[]>;
    const list = map.get(attr);
    if (list) list.push(b);
    else map.set(attr, [b]);
  }

  addStarImport(module: string): void {
    this.starImports = [...this.starImports, module];
  }

  bind(name: string, b: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  private declaredName?: string;

  /** The def's or class's name (`<lambda>` for a lambda); read once (evidence text asks for it per attribute). */
  get name(): string {
    return (this.declaredName ??= this.node.childForFieldName('name')?.text ?? '<lambda>');
  }
}
