// Finding or creating the lock that a `with lock:` fix uses (CL302): a module-level lock,
// one bound in an enclosing function, or one kept on `self`; when there is none, a new
// `_lock = threading.Lock()` after the imports, or `self._lock = threading.Lock()` at the
// end of `__init__`.
import type { Node } from '../parse/syntax';
import type { FileModel } from '../semantics/model';
import type { Resolver } from '../semantics/resolve';
import type { Binding, Scope } from '../semantics/scope';
import { MUTEX_TYPES } from '../semantics/locks';
import type { TextEdit } from '../types';
import { moduleReference } from './imports';
import { eolOf, indentAt, lineEndOf } from './wrap';

export interface LockChoice {
  /** How the fix refers to the lock: `_lock`, `self._lock`, `counter_lock`. */
  expr: string;
  /** Edits that create the lock (and import threading), when it is new. */
  create: TextEdit[];
  /** The lock is made by the fix: nothing else can be holding it. */
  fresh: boolean;
}

function isMutexBinding(resolver: Resolver, bindings: readonly Binding[] | undefined): boolean {
  if (!bindings || bindings.length !== 1) return false;
  const b = bindings[0];
  if (b.kind !== 'assign' || !b.value) return false;
  const sym = resolver.resolve(b.value);
  return sym?.kind === 'instance' && MUTEX_TYPES.has(sym.type);
}

/** Names in `scope` bound once to a `threading.Lock()` / `RLock()`. */
export function locksIn(resolver: Resolver, scope: Scope): string[] {
  const out: string[] = [];
  for (const [name, bindings] of scope.bindings) if (isMutexBinding(resolver, bindings)) out.push(name);
  return out;
}

/** `self.<attr>` attributes of a class bound once to a Lock/RLock. */
export function selfLocks(resolver: Resolver, cls: Scope): string[] {
  const out: string[] = [];
  for (const [name, bindings] of cls.selfAttrs) if (isMutexBinding(resolver, bindings)) out.push(name);
  return out;
}

/** The expression that builds a new lock in this file: `threading.Lock()` or `Lock()` when imported so. */
function newLockExpr(model: FileModel): { text: string; edit?: TextEdit } {
  for (const [local, bindings] of model.module.bindings) {
    if (bindings.length === 1 && bindings[0].kind === 'import' && bindings[0].qname === 'threading.Lock') return { text: `${local}()` };
  }
  const ref = moduleReference(model, 'threading');
  return { text: `${ref.name}.Lock()`, edit: ref.edit };
}

/** The name a new module-level lock gets (`_lock2`, ... when taken). */
export const LOCK_NAME = '_lock';

function freeName(taken: (n: string) => boolean, base: string): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** The last import of the import block at the top of the module (after the docstring). */
function leadingImportEnd(model: FileModel): Node | undefined {
  let last: Node | undefined;
  let index = 0;
  for (const child of model.tree.rootNode.namedChildren) {
    if (!child) continue;
    const isDocstring = index++ === 0 && child.type === 'expression_statement' && child.firstNamedChild?.type === 'string';
    if (child.type === 'comment' || isDocstring) continue;
    if (child.type === 'import_statement' || child.type === 'import_from_statement' || child.type === 'future_import_statement') {
      last = child;
      continue;
    }
    // `try: import x except ImportError: ...` belongs to the import block too.
    if (child.type === 'try_statement' && child.descendantsOfType(['import_statement', 'import_from_statement']).length > 0) {
      last = child;
      continue;
    }
    break;
  }
  return last;
}

/** A new module-level lock placed after the imports. */
export function newModuleLock(model: FileModel): LockChoice {
  const eol = eolOf(model.text);
  const name = freeName((n) => model.boundNames.has(n), LOCK_NAME);
  const ctor = newLockExpr(model);
  const line = `${name} = ${ctor.text}`;
  const after = leadingImportEnd(model);
  if (after) {
    const at = lineEndOf(model.text, after.endIndex);
    const create: TextEdit[] = [{ start: at, end: at, content: `${eol}${eol}${line}` }];
    if (ctor.edit) create.push(ctor.edit);
    return { expr: name, create, fresh: true };
  }
  // No import block: the lock goes where the import goes, in one edit.
  const importEdit = ctor.edit;
  if (importEdit) {
    return { expr: name, create: [{ ...importEdit, content: `${importEdit.content}${eol}${line}${eol}${eol}` }], fresh: true };
  }
  return { expr: name, create: [{ start: 0, end: 0, content: `${line}${eol}${eol}` }], fresh: true };
}

/** A new `self.<name>` lock at the end of `__init__`, or why there cannot be one. */
export function newSelfLock(model: FileModel, cls: Scope, selfName: string): LockChoice | { reason: string } {
  const init = model.functions.get(`${cls.qualifier}.__init__`);
  if (!init || init.methodOf !== cls || !init.selfName) return { reason: `\`${cls.name}\` has no \`__init__\` in which to create the lock; add one with \`self._lock = threading.Lock()\`` };
  const body = init.node.childForFieldName('body');
  const statements = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const last = statements[statements.length - 1];
  if (!last) return { reason: '`__init__` has no body to add the lock to' };
  if (last.type === 'return_statement' || last.type === 'raise_statement') return { reason: '`__init__` ends with `return`/`raise`; add the lock to it by hand' };
  if (last.startPosition.row === init.node.startPosition.row) return { reason: '`__init__` is written on one line' };
  const name = freeName((n) => cls.selfAttrs.has(n) || cls.bindings.has(n), '_lock');
  const ctor = newLockExpr(model);
  const at = lineEndOf(model.text, last.endIndex);
  const create: TextEdit[] = [{ start: at, end: at, content: `${eolOf(model.text)}${indentAt(model.text, statements[0].startIndex)}${init.selfName}.${name} = ${ctor.text}` }];
  if (ctor.edit) create.push(ctor.edit);
  return { expr: `${selfName}.${name}`, create, fresh: true };
}
