// CPU evidence from comprehensions: `sum(i * i for i in range(n))`, the textbook CPU-bound
// function, computes in a generator expression rather than a `for` statement, which the
// loop signal of workload.ts does not look at. Same standard as a loop: it runs over a
// `range()` that is not a small constant (or nests another `for`), does arithmetic, and
// calls nothing that waits or that we cannot see into.
import type { Node } from '../parse/syntax';
import { LONG_LOOP, isArithmetic, isGilReleasing } from './workload';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Evidence } from './summary';

export const COMPREHENSIONS = ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'] as const;

/** Calls that compute and never wait. */
const PURE = /^(builtins\.(abs|min|max|sum|len|int|float|divmod|pow|round|range|all|any|str|bool|ord|chr|complex|sorted|reversed|enumerate|zip)|math\.|cmath\.|operator\.)/;

function constInt(n: Node | null | undefined): number | undefined {
  if (!n) return undefined;
  if (n.type === 'integer') {
    const v = Number(n.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (n.type === 'parenthesized_expression') return constInt(n.firstNamedChild);
  if (n.type === 'binary_operator') {
    const l = constInt(n.childForFieldName('left'));
    const r = constInt(n.childForFieldName('right'));
    if (l === undefined || r === undefined) return undefined;
    const op = n.childForFieldName('operator')?.type;
    return op === '*' ? l * r : op === '**' ? (r < 64 ? l ** r : Infinity) : op === '+' ? l + r : op === '-' ? l - r : undefined;
  }
  return undefined;
}

/** `range(...)` whose length is not a small constant. */
function longRange(resolver: Resolver, iterable: Node | null): boolean {
  if (iterable?.type !== 'call' || resolver.qualifiedName(iterable.childForFieldName('function')) !== 'builtins.range') return false;
  const args = iterable.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const values = args.map(constInt);
  if (values.some((v) => v === undefined)) return true;
  const [a, b] = values as number[];
  return (args.length === 1 ? a : (b ?? 0) - (a ?? 0)) >= LONG_LOOP;
}

export function comprehensionEvidence(model: FileModel, resolver: Resolver, node: Node): Evidence | undefined {
  const clauses = node.namedChildren.filter((c): c is Node => c?.type === 'for_in_clause');
  if (clauses.length === 0 || node.someNamedChild((c) => c?.type === 'async')) return undefined;
  const long = clauses.length > 1 || longRange(resolver, clauses[0].childForFieldName('right'));
  if (!long) return undefined;
  let arithmetic = false;
  for (const b of node.descendantsOfType('binary_operator')) {
    if (b && isArithmetic(b)) arithmetic = true;
  }
  if (!arithmetic) return undefined;
  for (const call of node.descendantsOfType('call')) {
    if (!call) continue;
    const q = resolver.qualifiedName(call.childForFieldName('function'));
    if (!q || isGilReleasing(q)) return undefined;
    if (!PURE.test(q) && !model.functions.has(q)) return undefined;
  }
  if (node.descendantsOfType(['await', 'yield', 'lambda']).length > 0) return undefined;
  const line = node.startPosition.row + 1;
  return { kind: 'cpu', span: { start: node.startIndex, end: node.endIndex }, text: `comprehension over \`range()\` at line ${line} computes without waiting` };
}

/** Comprehensions not nested in another comprehension, in document order (by position: no parent walks). */
export function outermostComprehensions(model: FileModel): Node[] {
  const all = COMPREHENSIONS.flatMap((t) => [...model.nodesOfType(t)]).sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const out: Node[] = [];
  let end = -1;
  for (const n of all) {
    if (n.startIndex < end) continue; // inside the previous outermost one
    out.push(n);
    end = n.endIndex;
  }
  return out;
}

/** Comprehension evidence of every function of this file, by qualified name. */
export function comprehensionEvidenceByFunction(model: FileModel, resolver: Resolver): Map<string, Evidence[]> {
  const byScope = new Map<string, Evidence[]>();
  const qnameOf = new Map([...model.functions].map(([q, s]) => [s, q]));
  for (const type of COMPREHENSIONS) {
    for (const node of model.nodesOfType(type)) {
      const q = qnameOf.get(model.scopeAt(node));
      if (!q) continue;
      // Only the outermost comprehension speaks (a nested one is part of it).
      let inner = false;
      for (let p = node.parent; p; p = p.parent) if ((COMPREHENSIONS as readonly string[]).includes(p.type)) inner = true;
      if (inner) continue;
      const ev = comprehensionEvidence(model, resolver, node);
      if (ev) byScope.set(q, [...(byScope.get(q) ?? []), ev]);
    }
  }
  return byScope;
}
