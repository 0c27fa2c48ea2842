// Locks: which expressions are threading locks, and whether a statement runs while one is
// held (`with lock:`, after `lock.acquire()` in the same block, or under
// `if lock.acquire(...):`). Resolution comes first (`threading.Lock()` assigned, `with`-bound,
// stored on `self` in `__init__`, annotated parameters); an expression that does not
// resolve but is named like a lock (`lock`, `self._mutex`, `db_lock`) is taken to be one,
// because the rules that ask would otherwise raise false alarms on locks passed in as
// plain parameters.
import type { Node } from '../parse/syntax';
import type { Resolver } from './resolve';

const LOCKS = new Set(['threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.Condition']);
/** Lock types that give mutual exclusion on their own (a Semaphore may admit several holders). */
export const MUTEX_TYPES: ReadonlySet<string> = new Set(['threading.Lock', 'threading.RLock']);
/** `lock`, `_lock`, `db_lock`, `lock_a`, `mutex`, `writeLock` — not `clock` or `blocked`. */
const LOCK_NAME = [/(^|_)(r?lock|mutex|mtx)(_|\d|$)/i, /[a-z0-9](Lock|Mutex)$/];

export interface LockRef {
  /** The resolved type, or undefined when only the name says it is a lock. */
  type?: string;
  evidence: string;
}

/** The last name of an identifier or attribute chain (`self._lock` -> `_lock`). */
function lastName(expr: Node): string | undefined {
  if (expr.type === 'identifier') return expr.text;
  if (expr.type === 'attribute') return expr.childForFieldName('attribute')?.text;
  return undefined;
}

export function lockRef(resolver: Resolver, expr: Node | null | undefined): LockRef | undefined {
  if (!expr) return undefined;
  const sym = resolver.resolve(expr);
  if (sym?.kind === 'instance') {
    return LOCKS.has(sym.type) ? { type: sym.type, evidence: sym.evidence ?? `\`${expr.text}\` is a \`${sym.type}\`` } : undefined;
  }
  // A resolved instance of another type is not a lock; a plain name (a module attribute
  // such as `logging._lock`, a parameter) may still be one.
  if (sym && sym.kind !== 'name') return undefined;
  const name = lastName(expr);
  if (name && LOCK_NAME.some((re) => re.test(name))) return { evidence: `\`${expr.text}\` is taken to be a lock from its name` };
  return undefined;
}

/** `X.acquire(...)` / `X.release()` as a call: the receiver, or undefined. */
export function lockMethodReceiver(call: Node | null | undefined, method: 'acquire' | 'release'): Node | undefined {
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== method) return undefined;
  return fn.childForFieldName('object') ?? undefined;
}

/** The call of an expression statement `X.acquire()` / `X.release()` (the whole statement is the call). */
export function statementCall(stmt: Node | null | undefined): Node | undefined {
  if (stmt?.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const c = stmt.firstNamedChild;
  return c?.type === 'call' ? c : undefined;
}

function withHoldsLock(resolver: Resolver, withStmt: Node): boolean {
  if (withStmt.child(0)?.type === 'async') return false;
  for (const item of withStmt.descendantsOfType('with_item')) {
    if (!item || item.parent?.parent?.id !== withStmt.id) continue;
    let value = item.childForFieldName('value');
    if (value?.type === 'as_pattern') value = value.firstNamedChild;
    if (value && lockRef(resolver, value)) return true;
  }
  return false;
}

/** A call such as `_acquireLock()`, `acquire_lock()` or `release_lock()` (a function wrapping a lock). */
function lockHelper(call: Node | undefined): 'acquire' | 'release' | undefined {
  const fn = call?.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
  if (!name || !/lock/i.test(name)) return undefined;
  if (/acquire/i.test(name)) return 'acquire';
  if (/release/i.test(name)) return 'release';
  return undefined;
}

/**
 * Whether `node` runs with a lock held, looking outwards up to (not including) `stop`:
 * inside `with <lock>:`, in the body of `if <lock>.acquire(...):`, or after a
 * `<lock>.acquire()` statement earlier in an enclosing block that is not released again
 * before it.
 */
export function heldLock(resolver: Resolver, node: Node, stop: Node): boolean {
  let child: Node = node;
  for (let n = node.parent; n && n.id !== stop.id; child = n, n = n.parent) {
    if (n.type === 'with_statement' && n.childForFieldName('body')?.id === child.id && withHoldsLock(resolver, n)) return true;
    if (n.type === 'if_statement' && n.childForFieldName('consequence')?.id === child.id) {
      const recv = lockMethodReceiver(n.childForFieldName('condition'), 'acquire');
      if (recv && lockRef(resolver, recv)) return true;
    }
    if (n.type === 'block' || n.type === 'module') {
      const released = new Set<string>();
      let helperReleased = false;
      for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) {
        const call = statementCall(s);
        // Lock helpers of a library (`logging._acquireLock()` / `_releaseLock()`).
        const helper = lockHelper(call);
        if (helper === 'release') helperReleased = true;
        if (helper === 'acquire' && !helperReleased) return true;
        const rel = lockMethodReceiver(call, 'release');
        if (rel) {
          released.add(rel.text);
          continue;
        }
        const acq = lockMethodReceiver(call, 'acquire');
        if (acq && !released.has(acq.text) && lockRef(resolver, acq)) return true;
      }
    }
  }
  return false;
}
