// The workload classifier's local signals: a loop that computes and never waits is CPU
// evidence; native calls that release the GIL are thread-friendly. Verdicts that follow
// calls across functions are assembled by the workspace index (workspace.ts).
import type { Node } from '../parse/syntax';
import { lookupBlocking } from '../knowledge/blocking-calls';
import { probableWait } from './waits';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Evidence } from './summary';

const GIL_RELEASING_PREFIXES = ['hashlib.', 'zlib.', 'bz2.', 'lzma.', 'numpy.', 'scipy.', 'pandas.', 'cv2.', 'torch.', 'PIL.', 'numba.', 'gzip.compress', 'gzip.decompress'];

export function isGilReleasing(qname: string): boolean {
  return GIL_RELEASING_PREFIXES.some((p) => qname.startsWith(p));
}

/** Modules whose functions compute and never wait. */
const PURE_MODULES = ['builtins.', 'math.', 'cmath.', 'operator.', 'itertools.', 'functools.', 'random.', 'statistics.', 'decimal.', 'fractions.', 're.', 'string.', 'struct.', 'bisect.', 'heapq.', 'collections.', 'copy.', 'json.dumps', 'json.loads', 'binascii.', 'base64.', 'unicodedata.'];

function isPure(qname: string): boolean {
  return PURE_MODULES.some((m) => qname.startsWith(m));
}

/** Methods of builtin containers and strings, called on values we cannot type. */
const PURE_METHODS = new Set(['append', 'extend', 'insert', 'pop', 'popleft', 'appendleft', 'remove', 'clear', 'add', 'discard', 'update', 'setdefault', 'get', 'items', 'keys', 'values', 'copy', 'count', 'index', 'sort', 'reverse', 'split', 'rsplit', 'join', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'startswith', 'endswith', 'format', 'encode', 'decode', 'find', 'rfind', 'isdigit', 'isalpha', 'zfill', 'ljust', 'rjust', 'bit_length', 'conjugate', 'hex', 'is_integer', 'as_integer_ratio', 'to_bytes', 'from_bytes']);

/** `a * b` is arithmetic; `[0] * n` and `"-" * 40` build a sequence. */
export function isArithmetic(node: Node): boolean {
  const op = node.childForFieldName('operator')?.type;
  if (!op || !ARITHMETIC.has(op)) return false;
  if (op !== '*' && op !== '+') return true;
  const sequence = (n: Node | null) => !!n && (n.type === 'list' || n.type === 'tuple' || n.type === 'string' || n.type === 'concatenated_string');
  return !sequence(node.childForFieldName('left')) && !sequence(node.childForFieldName('right'));
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^', '@']);
const STOP = new Set(['function_definition', 'lambda', 'class_definition']);

interface LoopScan {
  /** A call to something we cannot see into (a parameter, an unknown method): it may wait. */
  opaqueCall: boolean;
  arithmetic: boolean;
  waits: boolean;
  nestedLoop: boolean;
  overRange: boolean;
  gilRelease: boolean;
}

/** The scan found what rules the loop out as CPU evidence; the rest of it cannot change that. */
function ruledOut(out: LoopScan): boolean {
  return out.waits || out.gilRelease || out.opaqueCall;
}

/**
 * Looks at one node of a loop's body and, unless it starts another scope, at everything in it.
 * With a stack of its own, not recursion: code nested thousands deep (10,000 brackets) must not
 * overflow the call stack.
 */
function scan(resolver: Resolver, root: Node, out: LoopScan): void {
  // The root, then its named descendants in document order, not below nested definitions.
  scanOne(resolver, root, out);
  if (ruledOut(out) || STOP.has(root.type)) return;
  root.walkNamed((node) => {
    scanOne(resolver, node, out);
    if (ruledOut(out)) return 'stop';
    return STOP.has(node.type) ? 'skip' : undefined;
  });
}

/** The signal of one node (not of its children). */
function scanOne(resolver: Resolver, node: Node, out: LoopScan): void {
  if (STOP.has(node.type)) return;
  switch (node.type) {
    case 'await':
    case 'yield':
      out.waits = true;
      break;
    case 'binary_operator':
      if (isArithmetic(node)) out.arithmetic = true;
      break;
    case 'augmented_assignment':
      out.arithmetic = true;
      break;
    case 'for_statement':
    case 'while_statement':
    case 'for_in_clause':
      out.nestedLoop = true;
      break;
    case 'call': {
      const fn = node.childForFieldName('function');
      const q = resolver.qualifiedName(fn);
      if (q) {
        if (q === 'builtins.range') out.overRange = true;
        else if (lookupBlocking(q) || q === 'builtins.print' || q === 'builtins.input') out.waits = true;
        else if (isGilReleasing(q)) out.gilRelease = true;
        // A project function called in the loop does the loop's work: its own evidence
        // speaks for it (the workload follows calls), the loop's bookkeeping does not.
        else if (!isPure(q)) out.opaqueCall = true;
      } else if (probableWait(resolver, node)) {
        out.waits = true;
      } else if (!(fn?.type === 'attribute' && PURE_METHODS.has(fn.childForFieldName('attribute')?.text ?? ''))) {
        out.opaqueCall = true;
      }
      break;
    }
  }
}

/** Value of a small constant integer expression (`10_000`, `10**6`, `2 * 1000`), else undefined. */
function constInt(node: Node | null | undefined, depth = 0): number | undefined {
  // (A constant nested deeper than this is not a small one; the limit keeps the stack shallow.)
  if (!node || depth > 50) return undefined;
  switch (node.type) {
    case 'integer': {
      const v = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : undefined;
    }
    case 'parenthesized_expression':
      return constInt(node.firstNamedChild, depth + 1);
    case 'unary_operator': {
      const v = constInt(node.childForFieldName('argument'), depth + 1);
      return v === undefined ? undefined : node.child(0)?.type === '-' ? -v : v;
    }
    case 'binary_operator': {
      const l = constInt(node.childForFieldName('left'), depth + 1);
      const r = constInt(node.childForFieldName('right'), depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (node.childForFieldName('operator')?.type) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '**':
          return r < 64 ? l ** r : Infinity;
        case '//':
          return r ? Math.floor(l / r) : undefined;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** Below this many iterations a loop is not worth calling CPU-bound. */
export const LONG_LOOP = 10_000;

/** `for ... in range(...)`: 'long' unless every bound is a small constant; 'none' for other iterables. */
function rangeLength(resolver: Resolver, loop: Node): 'long' | 'short' | 'none' {
  const right = loop.childForFieldName('right');
  if (right?.type !== 'call') return 'none';
  if (resolver.qualifiedName(right.childForFieldName('function')) !== 'builtins.range') return 'none';
  const args = right.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const values = args.map((a) => constInt(a));
  if (values.some((v) => v === undefined)) return 'long';
  const [a, b] = values as number[];
  const count = args.length === 1 ? a : (b ?? 0) - (a ?? 0);
  return count >= LONG_LOOP ? 'long' : 'short';
}

/**
 * A `for`/`while` loop is CPU evidence when its body does arithmetic, never awaits,
 * yields or calls anything that waits, and it is clearly long: it runs over `range(...)`,
 * is a `while` loop, or nests another loop.
 */
export function loopEvidence(model: FileModel, resolver: Resolver, loop: Node): Evidence | undefined {
  void model;
  const out: LoopScan = { opaqueCall: false, arithmetic: false, waits: false, nestedLoop: false, overRange: false, gilRelease: false };
  // A `for` loop's iterable is evaluated once (`for b in f.read():` reads once, then
  // computes); a `while` loop's condition runs every time.
  for (const field of loop.type === 'while_statement' ? ['condition', 'body'] : ['body', 'alternative']) {
    const part = loop.childForFieldName(field);
    if (!part) continue;
    scan(resolver, part, out);
    if (ruledOut(out)) return undefined;
  }
  if (!out.arithmetic) return undefined;
  const isWhile = loop.type === 'while_statement';
  const range = isWhile ? 'none' : rangeLength(resolver, loop);
  if (range === 'short') return undefined;
  const long = isWhile || out.nestedLoop || range === 'long';
  if (!long) return undefined;
  // `async for` iterates something that awaits.
  if (loop.child(0)?.type === 'async') return undefined;
  const line = loop.startPosition.row + 1;
  const what = isWhile ? '`while` loop' : out.nestedLoop ? 'nested loops' : '`for` loop over `range()`';
  const verb = out.nestedLoop && !isWhile ? 'compute' : 'computes';
  return { kind: 'cpu', span: { start: loop.startIndex, end: loop.endIndex }, text: `${what} at line ${line} ${verb} without waiting` };
}
