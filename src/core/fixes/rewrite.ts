// Rewrites of a blocking call into its non-blocking form, following the async library the
// file uses (asyncio, trio or anyio — never turning trio code into asyncio).
import type { Node } from '../parse/syntax';
import type { BlockingEntry } from '../knowledge/blocking-calls';
import type { FileModel } from '../semantics/model';
import { insideGeneratorExpression } from '../semantics/event-loop';
import type { Fix, TextEdit } from '../types';
import { moduleReference } from './imports';

export interface FixOrReason {
  fix?: Fix;
  noFixReason?: string;
}

/** Node types that bind tighter than `await` on its left: the call must be parenthesised there. */
function needsParensForAwait(call: Node): boolean {
  const parent = call.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.childForFieldName('object')?.id === call.id;
    case 'subscript':
      return parent.childForFieldName('value')?.id === call.id;
    case 'call':
      return parent.childForFieldName('function')?.id === call.id;
    default:
      return false;
  }
}

const PRIMARY = new Set(['call', 'identifier', 'attribute', 'subscript', 'parenthesized_expression', 'string', 'list', 'tuple', 'dictionary', 'set', 'integer', 'float', 'true', 'false', 'none', 'await']);

/** Text of an expression usable right after `await`. */
function operand(node: Node): string {
  return PRIMARY.has(node.type) ? node.text : `(${node.text})`;
}

/**
 * Replaces `call` by `await <awaitable>`; when the call is already awaited
 * (`await requests.get(u)`), by the awaitable alone.
 */
function awaitEdit(call: Node, awaitable: string): TextEdit {
  if (call.parent?.type === 'await') return { start: call.startIndex, end: call.endIndex, content: awaitable };
  const text = `await ${awaitable}`;
  return { start: call.startIndex, end: call.endIndex, content: needsParensForAwait(call) ? `(${text})` : text };
}

function arguments_(call: Node): { node: Node | null; inner: string; hasKeywords: boolean; items: Node[] } {
  const args = call.childForFieldName('arguments');
  if (!args) return { node: null, inner: '', hasKeywords: false, items: [] };
  if (args.type === 'generator_expression') return { node: args, inner: args.text, hasKeywords: false, items: [args] };
  const items = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  // Without its `)` (a MISSING node while the user types), the text ends at the last argument.
  const close = args.lastChild;
  const closed = close?.type === ')' && !close.isMissing;
  let inner = args.text.slice(1, closed ? -1 : undefined).trim();
  // A comment after the last argument keeps its line break, or it would swallow the `)`
  // written after it: `f(a,  # why\n)` -> `to_thread(f, a,  # why\n)`.
  const beforeClose = close?.type === ')' ? close.previousSibling : close;
  if (beforeClose?.type === 'comment') inner += '\n';
  const hasKeywords = items.some((c) => c.type === 'keyword_argument' || c.type === 'dictionary_splat');
  return { node: args, inner, hasKeywords, items };
}

function containsAwait(node: Node | null): boolean {
  return !!node && node.descendantsOfType('await').length > 0;
}

function fix(title: string, edits: (TextEdit | undefined)[], entry?: BlockingEntry): Fix {
  return {
    title,
    applicability: entry?.unsafeBecause ? 'unsafe' : 'safe',
    edits: edits.filter((e): e is TextEdit => !!e),
  };
}

function preview(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function commonGuards(model: FileModel, call: Node): string | undefined {
  // A rewrite copies the call's text: broken text would be copied (and multiplied) too.
  if (call.hasError) return 'the call has a syntax error; fix the syntax first';
  // Inside code that error recovery put together, the coroutine (and so the `await`) is a guess.
  for (let n = call.parent; n; n = n.parent) if (n.type === 'ERROR') return 'the call sits in code with a syntax error; fix the syntax first';
  if (insideGeneratorExpression(model, call)) {
    return 'the call sits inside a generator expression, where adding `await` would turn it into an async generator; move the work out of the expression first';
  }
  return undefined;
}

/** `time.sleep(x)` -> `await asyncio.sleep(x)` (or trio/anyio). */
export function sleepFix(model: FileModel, call: Node, entry: BlockingEntry): FixOrReason {
  const guard = commonGuards(model, call);
  if (guard) return { noFixReason: guard };
  const lib = model.asyncLibrary;
  const ref = moduleReference(model, lib);
  const args = call.childForFieldName('arguments')?.text ?? '()';
  const awaitable = `${ref.name}.sleep${args}`;
  return { fix: fix(`Replace with \`await ${preview(awaitable)}\``, [awaitEdit(call, awaitable), ref.edit], entry) };
}

/** `f(a, k=v)` -> `await asyncio.to_thread(f, a, k=v)`; trio/anyio: `to_thread.run_sync`. */
export function toThreadFix(model: FileModel, call: Node, entry: BlockingEntry): FixOrReason {
  const guard = commonGuards(model, call);
  if (guard) return { noFixReason: guard };
  const fn = call.childForFieldName('function');
  if (!fn) return {};
  const args = arguments_(call);
  const lib = model.asyncLibrary;
  const ref = moduleReference(model, lib);
  let awaitable: string;
  if (lib === 'asyncio') {
    awaitable = `${ref.name}.to_thread(${fn.text}${args.inner.trim() ? `, ${args.inner}` : ''})`;
  } else if (args.hasKeywords) {
    // run_sync takes no keyword arguments for the function; a lambda carries them.
    if (containsAwait(args.node)) return { noFixReason: 'the arguments contain `await`, which a lambda cannot hold' };
    awaitable = `${ref.name}.to_thread.run_sync(lambda: ${call.text})`;
  } else {
    awaitable = `${ref.name}.to_thread.run_sync(${fn.text}${args.inner.trim() ? `, ${args.inner}` : ''})`;
  }
  return { fix: fix(`Run in a worker thread: \`await ${preview(awaitable)}\``, [awaitEdit(call, awaitable), ref.edit], entry) };
}

/** `subprocess.run([...])` as a statement / `subprocess.call([...])` -> asyncio subprocess; else to_thread. */
export function subprocessFix(model: FileModel, call: Node, qname: string, entry: BlockingEntry): FixOrReason {
  if (model.asyncLibrary === 'asyncio' && !commonGuards(model, call)) {
    const simple = simpleCommand(call, qname);
    if (simple) {
      const ref = moduleReference(model, 'asyncio');
      const awaitable = `(await ${ref.name}.${simple.factory}(${simple.args})).wait()`;
      return {
        fix: fix(`Replace with \`await ${preview(awaitable)}\``, [awaitEdit(call, awaitable), ref.edit], entry),
      };
    }
  }
  return toThreadFix(model, call, entry);
}

function simpleCommand(call: Node, qname: string): { factory: string; args: string } | undefined {
  const isRun = qname === 'subprocess.run';
  if (!isRun && qname !== 'subprocess.call') return undefined;
  // subprocess.run returns a CompletedProcess; only a statement that ignores it is equivalent.
  if (isRun && call.parent?.type !== 'expression_statement') return undefined;
  const { items } = arguments_(call);
  if (items.length === 0) return undefined;
  const [first, ...rest] = items;
  if ((first.type === 'list' || first.type === 'tuple') && rest.length === 0) {
    const elems = first.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (elems.length === 0) return undefined;
    return { factory: 'create_subprocess_exec', args: elems.map((e) => e.text).join(', ') };
  }
  if (first.type === 'string' && rest.length === 1 && rest[0].type === 'keyword_argument') {
    const kw = rest[0];
    if (kw.childForFieldName('name')?.text === 'shell' && kw.childForFieldName('value')?.type === 'true') {
      return { factory: 'create_subprocess_shell', args: first.text };
    }
  }
  return undefined;
}

/** `fut.result()` -> `await asyncio.wrap_future(fut)`; with a timeout, `asyncio.wait_for(...)`. */
export function wrapFutureFix(model: FileModel, call: Node, qname: string, entry: BlockingEntry): FixOrReason {
  const fn = call.childForFieldName('function');
  const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (model.asyncLibrary !== 'asyncio' || !obj || !qname.endsWith('.result') || commonGuards(model, call)) {
    return toThreadFix(model, call, entry);
  }
  const { items } = arguments_(call);
  const ref = moduleReference(model, 'asyncio');
  let awaitable = `${ref.name}.wrap_future(${obj.text})`;
  if (items.length === 1) {
    const t = items[0].type === 'keyword_argument' ? items[0].childForFieldName('value') : items[0];
    if (!t || (items[0].type === 'keyword_argument' && items[0].childForFieldName('name')?.text !== 'timeout')) return toThreadFix(model, call, entry);
    awaitable = `${ref.name}.wait_for(${awaitable}, ${t.text})`;
  } else if (items.length > 1) {
    return toThreadFix(model, call, entry);
  }
  return { fix: fix(`Replace with \`await ${preview(awaitable)}\``, [awaitEdit(call, awaitable), ref.edit], entry) };
}

/** `asyncio.run(coro)` / `loop.run_until_complete(coro)` / `trio.run(fn, *args)` -> `await ...`. */
export function awaitInsteadFix(call: Node, qname: string): FixOrReason {
  const { items } = arguments_(call);
  if (items.length === 0 || items.some((i) => i.type === 'keyword_argument' || i.type === 'dictionary_splat')) {
    return { noFixReason: 'the call passes options that `await` has no place for; await the coroutine yourself' };
  }
  let awaitable: string;
  if (qname === 'trio.run' || qname === 'anyio.run') {
    const [fn, ...rest] = items;
    if (fn.type === 'list_splat') return { noFixReason: 'the function to run is not named directly' };
    awaitable = `${operand(fn)}(${rest.map((r) => r.text).join(', ')})`;
  } else {
    if (items.length !== 1 || items[0].type === 'list_splat') return { noFixReason: 'the call does not pass a single coroutine' };
    awaitable = operand(items[0]);
  }
  return { fix: fix(`Replace with \`await ${preview(awaitable)}\``, [awaitEdit(call, awaitable)]) };
}
