// The workload classifier's local signals: a loop that computes and never waits is CPU
// evidence; native calls that release the GIL are thread-friendly. Verdicts that follow
// calls across functions are assembled by the workspace index (workspace.ts).
import type { Node } from 'web-tree-sitter';
import { lookupBlocking } from '../knowledge/blocking-calls';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Evidence } from './summary';

const GIL_RELEASING_PREFIXES = ['hashlib.', 'zlib.', 'bz2.', 'lzma.', 'numpy.', 'scipy.', 'pandas.', 'cv2.', 'torch.', 'PIL.', 'numba.', 'gzip.compress', 'gzip.decompress'];

export function isGilReleasing(qname: string): boolean {
  return GIL_RELEASING_PREFIXES.some((p) => qname.startsWith(p));
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);
const STOP = new Set(['function_definition', 'lambda', 'class_definition']);

interface LoopScan {
  arithmetic: boolean;
  waits: boolean;
  nestedLoop: boolean;
  overRange: boolean;
  gilRelease: boolean;
}

function scan(resolver: Resolver, node: Node, out: LoopScan, depth: number): void {
  for (const child of node.namedChildren) {
    if (!child || STOP.has(child.type)) continue;
    switch (child.type) {
      case 'await':
      case 'yield':
        out.waits = true;
        break;
      case 'binary_operator': {
        const op = child.childForFieldName('operator')?.type;
        if (op && ARITHMETIC.has(op)) out.arithmetic = true;
        break;
      }
      case 'augmented_assignment':
        out.arithmetic = true;
        break;
      case 'for_statement':
      case 'while_statement':
      case 'for_in_clause':
        if (depth > 0 || child.type !== 'for_in_clause') out.nestedLoop = true;
        break;
      case 'call': {
        const q = resolver.qualifiedName(child.childForFieldName('function'));
        if (q) {
          if (q === 'builtins.range') out.overRange = true;
          else if (lookupBlocking(q) || q === 'builtins.print' || q === 'builtins.input') out.waits = true;
          else if (isGilReleasing(q)) out.gilRelease = true;
        }
        break;
      }
    }
    if (child.namedChildCount > 0) scan(resolver, child, out, depth + 1);
  }
}

function iteratesRange(resolver: Resolver, loop: Node): boolean {
  const right = loop.childForFieldName('right');
  if (right?.type !== 'call') return false;
  return resolver.qualifiedName(right.childForFieldName('function')) === 'builtins.range';
}

/**
 * A `for`/`while` loop is CPU evidence when its body does arithmetic, never awaits,
 * yields or calls anything that waits, and it is clearly long: it runs over `range(...)`,
 * is a `while` loop, or nests another loop.
 */
export function loopEvidence(model: FileModel, resolver: Resolver, loop: Node): Evidence | undefined {
  void model;
  const out: LoopScan = { arithmetic: false, waits: false, nestedLoop: false, overRange: false, gilRelease: false };
  scan(resolver, loop, out, 0);
  if (out.waits || out.gilRelease || !out.arithmetic) return undefined;
  const isWhile = loop.type === 'while_statement';
  const long = isWhile || out.nestedLoop || iteratesRange(resolver, loop);
  if (!long) return undefined;
  // `async for` iterates something that awaits.
  if (loop.child(0)?.type === 'async') return undefined;
  const line = loop.startPosition.row + 1;
  const what = isWhile ? '`while` loop' : out.nestedLoop ? 'nested loops' : '`for` loop over `range()`';
  return { kind: 'cpu', span: { start: loop.startIndex, end: loop.endIndex }, text: `${what} at line ${line} computes without waiting` };
}
