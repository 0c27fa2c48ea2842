// Swapping `ThreadPoolExecutor` for `ProcessPoolExecutor` (CL301) or back (CL403) at the
// place the executor is made, when the whole life of the executor is visible: it is bound
// by `with ... as ex` or `ex = ...` in this file, and every use of `ex` is a `submit`/`map`
// (or `run_in_executor(ex, ...)`) whose callable the caller accepts, or `shutdown`. The
// constructor name is rewritten in the style the file already uses (`cf.X`, `X` imported
// from `concurrent.futures`), importing the new name when needed.
import type { Node } from '../parse/syntax';
import type { FileModel } from '../semantics/model';
import type { Resolver } from '../semantics/resolve';
import { bindingsOf, type Origin } from '../semantics/origin';
import { runsAtImport } from '../semantics/main-guard';
import { keywordArg, positionalArgs } from '../semantics/dispatch';
import type { TextEdit } from '../types';
import { moduleReference } from './imports';

export type ExecutorClass = 'ThreadPoolExecutor' | 'ProcessPoolExecutor';

export interface SwapRequest {
  model: FileModel;
  resolver: Resolver;
  origin: Origin;
  to: ExecutorClass;
  /**
   * Whether a callable handed to the executor allows the swap: `reason` rules it out;
   * `verify` names a function that the complete workspace must still confirm.
   */
  checkCallable(fn: Node): { reason?: string; verify?: string };
}

/** The edits, and the names the caller must confirm against the complete workspace. */
export type SwapResult = { edits: TextEdit[]; verify: string[] } | { reason: string };

const SHARED_KEYWORDS = new Set(['max_workers', 'initializer', 'initargs']);

function line(n: Node): number {
  return n.startPosition.row + 1;
}

/** The call `ex.<method>(...)` whose receiver is `use`, if any. */
function methodCallOn(use: Node): { method: string; call: Node } | undefined {
  const attr = use.parent;
  if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== use.id) return undefined;
  const call = attr.parent;
  if (call?.type !== 'call' || call.childForFieldName('function')?.id !== attr.id) return undefined;
  return { method: attr.childForFieldName('attribute')?.text ?? '', call };
}

/** An identifier that names a variable (not `obj.ex`'s attribute or `f(ex=...)`'s keyword). */
export function isVariableReference(id: Node): boolean {
  const p = id.parent;
  if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) return false;
  if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) return false;
  return true;
}

function isBindingSite(use: Node): boolean {
  const p = use.parent;
  if (p?.type === 'as_pattern_target') return true;
  return p?.type === 'assignment' && p.childForFieldName('left')?.id === use.id;
}

/** Every use of the executor's name must be one the swap keeps working. */
function usesBlocker(req: SwapRequest, name: string, verify: string[]): string | undefined {
  const { model, origin } = req;
  const root = origin.scope?.kind === 'module' ? model.tree.rootNode : origin.scope?.node;
  if (!root) return 'the executor is not bound to a plain name';
  for (const use of root.descendantsOfType('identifier')) {
    if (!use || use.text !== name || !isVariableReference(use)) continue;
    if (bindingsOf(model, name, use)?.scope !== origin.scope) continue;
    if (isBindingSite(use)) continue;
    const m = methodCallOn(use);
    if (m && (m.method === 'submit' || m.method === 'map')) {
      const fn = positionalArgs(m.call)[0];
      const why = fn ? check(req, fn, verify) : 'a call passes its function by keyword or `*args`';
      if (why) return `${why} (line ${line(m.call)})`;
      continue;
    }
    if (m && m.method === 'shutdown') continue;
    // loop.run_in_executor(ex, fn, ...)
    const args = use.parent;
    const call = args?.type === 'argument_list' ? args.parent : null;
    const callee = call?.childForFieldName('function');
    if (call && callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'run_in_executor' && positionalArgs(call)[0]?.id === use.id) {
      const fn = positionalArgs(call)[1];
      const why = fn ? check(req, fn, verify) : 'the function is passed as `*args`';
      if (why) return `${why} (line ${line(call)})`;
      continue;
    }
    if (use.parent?.type === 'with_item') continue;
    return `\`${name}\` is also used at line ${line(use)} in a way the fix does not follow`;
  }
  return undefined;
}

function check(req: SwapRequest, fn: Node, verify: string[]): string | undefined {
  const r = req.checkCallable(fn);
  if (r.verify) verify.push(r.verify);
  return r.reason;
}

function argumentsBlocker(req: SwapRequest, call: Node, verify: string[]): string | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return 'the executor is built from unpacked arguments';
  let positional = 0;
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return 'the executor is built from unpacked arguments';
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name')?.text ?? '';
      if (!SHARED_KEYWORDS.has(k)) return `\`${k}=\` has no counterpart in \`${req.to}\``;
      continue;
    }
    positional++;
  }
  // The constructors agree on the first parameter only (max_workers).
  if (positional > 1) return 'the executor takes positional arguments beyond `max_workers`, which differ between the two classes';
  const init = keywordArg(call, 'initializer');
  if (init && req.to === 'ProcessPoolExecutor') {
    const why = check(req, init, verify);
    if (why) return `the initializer: ${why}`;
  }
  return undefined;
}

/** The name to write for `concurrent.futures.<cls>` and the import edit it needs. */
function newConstructor(req: SwapRequest, callee: Node): { edits: TextEdit[] } | { reason: string } {
  const { model, resolver, to } = req;
  const from: ExecutorClass = to === 'ProcessPoolExecutor' ? 'ThreadPoolExecutor' : 'ProcessPoolExecutor';
  if (callee.type === 'attribute') {
    const attr = callee.childForFieldName('attribute');
    if (resolver.qualifiedName(callee.childForFieldName('object')) !== 'concurrent.futures' || !attr) {
      return { reason: 'the executor class is reached through a module the fix does not rewrite' };
    }
    return { edits: [{ start: attr.startIndex, end: attr.endIndex, content: to }] };
  }
  if (callee.type !== 'identifier') return { reason: 'the executor class is not named directly' };
  const rename = (content: string): TextEdit => ({ start: callee.startIndex, end: callee.endIndex, content });
  // Already imported under some name?
  for (const [local, bindings] of model.module.bindings) {
    if (bindings.length === 1 && bindings[0].kind === 'import' && bindings[0].qname === `concurrent.futures.${to}`) return { edits: [rename(local)] };
  }
  const moduleAlias = model.moduleAlias('concurrent.futures');
  if (moduleAlias) return { edits: [rename(`${moduleAlias}.${to}`)] };
  // `from concurrent.futures import ThreadPoolExecutor` at the top: rename the import when
  // this constructor is its only use, else add the new name to it.
  const stmt = model.topImports.find(
    (s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text.replace(/\s+/g, '') === 'concurrent.futures' && s.childrenForFieldName('name').some((n) => n?.text === from),
  );
  if (stmt) {
    const names = stmt.childrenForFieldName('name').filter((n): n is Node => !!n);
    const item = names.find((n) => n.text === from);
    const uses = model.tree.rootNode.descendantsOfType('identifier').filter((n) => n?.text === from && isVariableReference(n) && !insideImport(n));
    if (item && callee.text === from && uses.length === 1) {
      return { edits: [rename(to), { start: item.startIndex, end: item.endIndex, content: to }] };
    }
    const last = names[names.length - 1];
    return { edits: [rename(to), { start: last.endIndex, end: last.endIndex, content: `, ${to}` }] };
  }
  const ref = moduleReference(model, 'concurrent.futures');
  return { edits: [rename(`${ref.name}.${to}`), ...(ref.edit ? [ref.edit] : [])] };
}

function insideImport(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'import_from_statement' || p.type === 'import_statement') return true;
  }
  return false;
}

/** The edits that swap the executor class, or why there are none. */
export function swapExecutor(req: SwapRequest): SwapResult {
  const { origin, to } = req;
  const what = to === 'ProcessPoolExecutor' ? 'a process pool' : 'a thread pool';
  if (!origin.call) return { reason: 'the executor is not created in this file, so the fix cannot change what it is' };
  if (origin.via === 'self') return { reason: `the executor is kept on \`self.${origin.name}\` and may be used by other methods; create ${what} there by hand` };
  if (origin.via === 'param') return { reason: 'the executor comes from the caller' };
  if (to === 'ProcessPoolExecutor' && runsAtImport(req.model, origin.call)) {
    return { reason: 'the executor is created at import time; a process pool there would start workers on every import of the module (see CL401). Move it under `if __name__ == "__main__":` first' };
  }
  const verify: string[] = [];
  const args = argumentsBlocker(req, origin.call, verify);
  if (args) return { reason: args };
  if (origin.via === 'with' || origin.via === 'assign') {
    if (!origin.name) return { reason: 'the executor is not bound to a plain name' };
    const uses = usesBlocker(req, origin.name, verify);
    if (uses) return { reason: uses };
  } else {
    // Made and used in one expression: `ThreadPoolExecutor().map(f, xs)`.
    const m = methodCallOn(origin.call);
    const fn = m ? positionalArgs(m.call)[0] : undefined;
    if (!m || (m.method !== 'submit' && m.method !== 'map') || !fn) return { reason: 'the executor is used in a way the fix does not follow' };
    const why = check(req, fn, verify);
    if (why) return { reason: why };
  }
  const callee = origin.call.childForFieldName('function');
  if (!callee) return { reason: 'the executor class is not named directly' };
  const made = newConstructor(req, callee);
  return 'edits' in made ? { edits: made.edits, verify } : made;
}
