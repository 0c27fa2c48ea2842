// CL303: `lock.acquire()` whose release is not guaranteed. When the code between acquire
// and release raises (or returns early), the lock stays held and every other thread that
// wants it waits forever. `with lock:` or `try`/`finally` releases it on every path.
import type { Node } from '../../parse/syntax';
import docs from './acquire-without-release.md';
import { lockMethodReceiver, lockRef, MUTEX_TYPES, statementCall, type LockRef } from '../../semantics/locks';
import { eolOf, endsLine, indentAt, indentLines, indentUnit, lineEndOf, lineStartOf, multilineStringIn, startsLine, syntaxErrorIn } from '../../fixes/wrap';
import type { Finding, Fix } from '../../types';
import type { Rule, RuleContext } from '../rule';
import { calleeMethod, calleesOf, requireCalleeNames } from '../../semantics/origin';

requireCalleeNames(['acquire']);

/** Helpers whose job is to take a lock for a caller that releases it later. */
const HANDOFF = /^(__enter__|__aenter__|__init__)$|acquire|lock|enter|begin|start/i;

function nextStatement(n: Node): Node | null {
  let s = n.nextNamedSibling;
  while (s && s.type === 'comment') s = s.nextNamedSibling;
  return s;
}

function releases(node: Node | null | undefined, recv: string): boolean {
  if (!node) return false;
  return node.descendantsOfType('call').some((c) => lockMethodReceiver(c, 'release')?.text === recv);
}

function acquires(node: Node | null | undefined, recv: string): boolean {
  if (!node) return false;
  return node.descendantsOfType('call').some((c) => lockMethodReceiver(c, 'acquire')?.text === recv);
}

/**
 * A release after the acquire on the normal path. Releases that only sit in `except`
 * clauses undo a failed hand-off (`_prepareFork()` takes the lock for `_afterFork()`).
 */
function releasesAfter(node: Node, recv: string, offset: number, onError = false): boolean {
  return node.descendantsOfType('call').some((c) => !!c && c.startIndex >= offset && lockMethodReceiver(c, 'release')?.text === recv && onErrorPath(c, node) === onError);
}

/** Inside an `except` clause, or in an `if` branch that leaves (`if dup: lock.release(); return`). */
function onErrorPath(n: Node, stop: Node): boolean {
  if (insideExcept(n, stop)) return true;
  for (let p = n.parent; p && p.id !== stop.id; p = p.parent) {
    if (p.type === 'block' && (p.parent?.type === 'if_statement' || p.parent?.type === 'elif_clause' || p.parent?.type === 'else_clause')) {
      const last = p.namedChildren.filter((c) => c && c.type !== 'comment').slice(-1)[0];
      if (last && ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type)) return true;
    }
  }
  return false;
}

function insideExcept(n: Node, stop: Node): boolean {
  for (let p = n.parent; p && p.id !== stop.id; p = p.parent) if (p.type === 'except_clause') return true;
  return false;
}

function isRelease(stmt: Node | null | undefined, recv: string): boolean {
  return lockMethodReceiver(statementCall(stmt), 'release')?.text === recv;
}

function finallyReleases(tryNode: Node | null, recv: string): boolean {
  if (tryNode?.type !== 'try_statement') return false;
  const fin = tryNode.findNamedChild((c) => c?.type === 'finally_clause');
  return releases(fin, recv);
}

/** `if not ok: return` — a guard that leaves when the lock was not taken. */
function isExitGuard(n: Node): boolean {
  if (n.type !== 'if_statement' || n.someNamedChild((c) => c?.type === 'elif_clause' || c?.type === 'else_clause')) return false;
  const body = n.childForFieldName('consequence');
  const last = body?.namedChildren.filter((c) => c && c.type !== 'comment').slice(-1)[0];
  return !!last && ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type);
}

/** The release is guaranteed after statement `stmt` (which took the lock). */
function guaranteedAfter(acquire: Node, recv: string, allowGuards: boolean): boolean {
  // `if not locked: lock.acquire()` as the last statement of an `if`: what follows the `if` counts.
  let stmt = acquire;
  while (!nextStatement(stmt) && stmt.parent?.type === 'block' && stmt.parent.parent?.type === 'if_statement' && stmt.parent.parent.childForFieldName('consequence')?.id === stmt.parent.id) {
    stmt = stmt.parent.parent;
  }
  let next = nextStatement(stmt);
  // `lock.acquire(); lock.release()`: waiting for the lock to be free; nothing runs in between.
  if (isRelease(next, recv)) return true;
  while (next && allowGuards && isExitGuard(next)) next = nextStatement(next);
  if (finallyReleases(next, recv)) return true;
  // `ok = lock.acquire(timeout=1)` then `if ok: try: ... finally: lock.release()`
  if (allowGuards && next?.type === 'if_statement') {
    const first = next.childForFieldName('consequence')?.findNamedChild((c) => c && c.type !== 'comment');
    if (first && finallyReleases(first, recv)) return true;
  }
  // `try: lock.acquire() ... finally: lock.release()`, or `try: lock.acquire() except ...: ... else: lock.release()`
  const block = stmt.parent;
  const tryNode = block?.parent;
  if (!block || tryNode?.type !== 'try_statement' || tryNode.childForFieldName('body')?.id !== block.id) return false;
  if (finallyReleases(tryNode, recv)) return true;
  const elseClause = tryNode.findNamedChild((c) => c?.type === 'else_clause');
  const lastInTry = block.namedChildren.filter((c) => c && c.type !== 'comment').slice(-1)[0];
  return lastInTry?.id === stmt.id && releases(elseClause, recv);
}

interface Site {
  call: Node;
  recv: Node;
  lock: LockRef;
  /** The statement that holds the lock afterwards (the acquire itself, or `if not lock.acquire(): return`). */
  statement?: Node;
  /** `if lock.acquire(...):` — the body runs with the lock held. */
  conditional?: Node;
}

function siteOf(ctx: RuleContext, call: Node): Site | undefined {
  const recv = lockMethodReceiver(call, 'acquire');
  if (!recv) return undefined;
  const lock = lockRef(ctx.resolver, recv);
  if (!lock) return undefined;
  const parent = call.parent;
  if (parent?.type === 'expression_statement' && statementCall(parent)?.id === call.id) return { call, recv, lock, statement: parent };
  // ok = lock.acquire(timeout=...)
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id && parent.parent?.type === 'expression_statement') {
    return { call, recv, lock, statement: parent.parent };
  }
  if (parent?.type === 'if_statement' && parent.childForFieldName('condition')?.id === call.id) return { call, recv, lock, conditional: parent };
  // if not lock.acquire(timeout=...): return
  if (parent?.type === 'not_operator' && parent.parent?.type === 'if_statement' && parent.parent.childForFieldName('condition')?.id === parent.id && isExitGuard(parent.parent)) {
    return { call, recv, lock, statement: parent.parent };
  }
  return undefined;
}

/**
 * A lock used to signal between threads rather than to guard a section: released by a
 * function nested here (a thread target or callback), acquired twice here (waiting for
 * another thread's release), or, for a lock kept on an object, released elsewhere.
 */
function usedAsSignal(ctx: RuleContext, site: Site, scopeNode: Node): boolean {
  const recv = site.recv.text;
  for (const c of scopeNode.descendantsOfType('call')) {
    if (!c || c.id === site.call.id) continue;
    if (lockMethodReceiver(c, 'acquire')?.text === recv) return true;
    if (lockMethodReceiver(c, 'release')?.text === recv && ctx.model.scopeAt(c).node.id !== scopeNode.id) return true;
  }
  if (site.recv.type === 'attribute') {
    const attr = site.recv.childForFieldName('attribute')?.text;
    return ctx.model.calls.some((c) => {
      const r = lockMethodReceiver(c, 'release');
      return r?.type === 'attribute' && r.childForFieldName('attribute')?.text === attr;
    });
  }
  return false;
}

function functionName(ctx: RuleContext, node: Node): string | undefined {
  const scope = ctx.model.scopeAt(node);
  return scope.kind === 'function' ? scope.name : undefined;
}

function plainAcquire(call: Node): boolean {
  const args = call.childForFieldName('arguments');
  const items = args?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  if (items.length === 0) return true;
  if (items.length !== 1) return false;
  const a = items[0]!;
  if (a.type === 'true') return true;
  return a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'blocking' && a.childForFieldName('value')?.type === 'true';
}

/** Rewrites `lock.acquire()` ... `lock.release()` (same block) into `with lock:`. */
function withFix(ctx: RuleContext, site: Site): { fix?: Fix; noFixReason?: string } {
  const { call, recv, statement } = site;
  const text = ctx.model.text;
  if (!statement || statement.type !== 'expression_statement' || statementCall(statement)?.id !== call.id) {
    return { noFixReason: 'the result of `acquire()` is used, so the code depends on whether the lock was taken; wrap the locked part in `try`/`finally` by hand' };
  }
  if (!plainAcquire(call)) return { noFixReason: '`acquire()` is called with a timeout or non-blocking; `with` always waits for the lock' };
  if (recv.type !== 'identifier' && recv.type !== 'attribute') return { noFixReason: 'the lock is not a plain name or attribute' };
  const between: Node[] = [];
  let release: Node | undefined;
  for (let n = statement.nextNamedSibling; n; n = n.nextNamedSibling) {
    // A comment after the acquire, on its line, stays with the new `with` header.
    if (n.type === 'comment' && n.startPosition.row === statement.endPosition.row) continue;
    if (lockMethodReceiver(statementCall(n), 'release')?.text === recv.text) {
      release = n;
      break;
    }
    between.push(n);
  }
  if (!release) return { noFixReason: `\`${recv.text}.release()\` is not in the same block as the acquire; use \`with ${recv.text}:\` around the locked statements` };
  if (between.some((n) => releases(n, recv.text) || acquires(n, recv.text))) {
    return { noFixReason: `the lock is also acquired or released between the two calls (for example on an early exit); restructure with \`with ${recv.text}:\` by hand` };
  }
  if (!startsLine(text, statement) || !endsLine(text, statement) || !startsLine(text, release)) return { noFixReason: 'the acquire or release shares its line with other code' };
  if (text.slice(release.endIndex, lineEndOf(text, release.endIndex)).trim() !== '') return { noFixReason: 'the release line carries a comment the rewrite would drop' };
  const e = syntaxErrorIn([...between, release]);
  if (e) return { noFixReason: `the locked statements have a syntax error (line ${e.startPosition.row + 1}); fix it first` };
  const s = multilineStringIn(between);
  if (s) return { noFixReason: `the locked statements include a string spanning lines (line ${s.startPosition.row + 1}), whose content re-indenting would change` };
  const eol = eolOf(text);
  const indent = indentAt(text, statement.startIndex);
  const unit = indentUnit(text, statement);
  const trailing = text.slice(statement.endIndex, lineEndOf(text, statement.endIndex));
  // `acquire(); release()` with nothing between is not reported (see guaranteedAfter).
  if (!between.some((n) => n.type !== 'comment')) return { noFixReason: 'nothing runs while the lock is held' };
  const from = lineStartOf(text, between[0].startIndex);
  // Everything up to the release line (blank lines and comments before it included).
  const body = indentLines(text.slice(from, lineStartOf(text, release.startIndex)), unit).replace(/\r?\n$/, '');
  const start = lineStartOf(text, statement.startIndex);
  const content = `${indent}with ${recv.text}:${trailing}${eol}${body}`;
  return { fix: { title: `Replace the acquire/release pair with \`with ${recv.text}:\``, applicability: 'safe', edits: [{ start, end: release.endIndex, content }] } };
}

export const acquireWithoutRelease: Rule = {
  meta: {
    code: 'CL303',
    name: 'lock-acquire-without-release',
    family: 'threads',
    summary: '`lock.acquire()` without a guaranteed release (`with` or `try`/`finally`)',
    severity: 'warning',
    fixable: true,
    docs,
  },
  check(ctx) {
    const callees = calleesOf(ctx.model, ctx.resolver);
    for (let i = 0; i < ctx.model.calls.length; i++) {
      if (calleeMethod(callees, i) !== 'acquire') continue;
      const call = ctx.model.calls[i];
      const site = siteOf(ctx, call);
      if (!site) continue;
      const recv = site.recv.text;
      const scopeNode = ctx.model.scopeAt(call).node;
      // Releases before the acquire belong to the release-wait-reacquire pattern (Condition.wait).
      const releasedHere = releasesAfter(scopeNode, recv, call.endIndex);
      if (site.conditional) {
        const body = site.conditional.childForFieldName('consequence');
        const first = body?.findNamedChild((c) => c && c.type !== 'comment');
        if (first && (finallyReleases(first, recv) || isRelease(first, recv))) continue;
        if (!releasedHere) continue;
      } else if (site.statement && guaranteedAfter(site.statement, recv, true)) continue;
      if (!releasedHere) {
        // Acquired here and released elsewhere: only a plain lock in an ordinary function is a leak.
        const name = functionName(ctx, call) ?? '';
        if (!site.lock.type || !MUTEX_TYPES.has(site.lock.type) || HANDOFF.test(name)) continue;
        // Released only when something fails: a deliberate hand-off to another function.
        if (releasesAfter(scopeNode, recv, call.endIndex, true)) continue;
        if (usedAsSignal(ctx, site, scopeNode)) continue;
      }
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL303',
        message: releasedHere
          ? `\`${recv}.acquire()\` is not followed by \`try\`/\`finally\`; if the code before \`${recv}.release()\` raises, the lock stays held`
          : `\`${recv}\` is acquired here and never released in this function`,
        span: { start: call.startIndex, end: call.endIndex },
        evidence: [site.lock.evidence],
        suggestion: `\`with ${recv}:\`, which releases the lock on every path out of the block`,
      };
      if (site.conditional) finding.noFixReason = `the lock is taken conditionally; put the body of the \`if\` in \`try:\` ... \`finally: ${recv}.release()\``;
      else if (!releasedHere) finding.noFixReason = `there is no \`${recv}.release()\` in this function to pair with; hold the lock with \`with ${recv}:\` around the statements that need it`;
      else Object.assign(finding, withFix(ctx, site));
      ctx.report(finding);
    }
  },
};
