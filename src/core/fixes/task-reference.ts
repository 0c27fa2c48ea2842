// The CL202 fix: keep a strong reference to a task until it finishes, in a module-level
// set that the task removes itself from when done:
//
//     _background_tasks: set[asyncio.Task] = set()
//     ...
//         task = asyncio.create_task(work())
//         _background_tasks.add(task)
//         task.add_done_callback(_background_tasks.discard)
//
// A set the file already keeps this way is reused.
import type { Node } from '../parse/syntax';
import type { FileModel } from '../semantics/model';
import type { Resolver } from '../semantics/resolve';
import { LineIndex } from '../text';
import type { TextEdit } from '../types';
import { moduleImports, moduleReference, startsAtColumnZero } from './imports';

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);

export const TASK_SET_NAME = '_background_tasks';

/** A module-level `NAME = set()` that some task already registers with `add_done_callback(NAME.discard)`. */
export function existingTaskSet(model: FileModel, resolver: Resolver): string | undefined {
  for (const call of model.wholeFile.calls) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'add_done_callback') continue;
    const arg = call.childForFieldName('arguments')?.firstNamedChild;
    if (arg?.type !== 'attribute' || arg.childForFieldName('attribute')?.text !== 'discard') continue;
    const holder = arg.childForFieldName('object');
    if (holder?.type !== 'identifier') continue;
    const bindings = model.module.bindings.get(holder.text);
    if (bindings?.length !== 1 || bindings[0].kind !== 'assign') continue;
    const value = bindings[0].value;
    if (value?.type !== 'call' || resolver.qualifiedName(value.childForFieldName('function')) !== 'builtins.set') continue;
    if ((value.childForFieldName('arguments')?.namedChildCount ?? 0) !== 0) continue;
    // The name must mean the module's set where it is used, not a local of the same name.
    if (model.scopeAt(call) !== model.module && model.scopeAt(call).bindings.has(holder.text)) continue;
    return holder.text;
  }
  return undefined;
}

/** A module-level name for a new set that clashes with nothing in the file. */
function freshSetName(model: FileModel): string {
  if (!model.boundNames.has(TASK_SET_NAME)) return TASK_SET_NAME;
  for (let i = 2; ; i++) if (!model.boundNames.has(`${TASK_SET_NAME}_${i}`)) return `${TASK_SET_NAME}_${i}`;
}

/** A local name for the task that the enclosing function does not use yet. */
export function freshTaskName(scopeNode: Node): string {
  const used = new Set(scopeNode.descendantsOfType('identifier').map((i) => i?.text));
  for (const name of ['task', 'background_task', 'bg_task']) if (!used.has(name)) return name;
  for (let i = 2; ; i++) if (!used.has(`task_${i}`)) return `task_${i}`;
}

/** The statement stands on its own line(s): nothing but indentation before it, nothing but a comment after. */
export function ownLines(text: string, statement: Node): { indent: string; lineEnd: number } | undefined {
  const lines = LineIndex.of(text);
  const startRow = lines.rowOf(statement.startIndex);
  const before = text.slice(lines.lineStart(startRow), statement.startIndex);
  if (!/^[ \t]*$/.test(before)) return undefined;
  const endRow = lines.rowOf(statement.endIndex);
  const lineEnd = lines.lineEnd(endRow);
  const after = text.slice(statement.endIndex, lineEnd);
  if (!/^[ \t]*(#.*)?$/.test(after)) return undefined;
  return { indent: before, lineEnd };
}

export interface TaskSetPlan {
  /** Name of the set to register the task in. */
  name: string;
  /** Edits that create the set (and import asyncio) when the file has none yet. */
  edits: TextEdit[];
}

/** Where the set lives: an existing one, or a new one declared after the module's imports. */
export function taskSetPlan(model: FileModel, resolver: Resolver): TaskSetPlan {
  const existing = existingTaskSet(model, resolver);
  if (existing) return { name: existing, edits: [] };
  const name = freshSetName(model);
  const ref = moduleReference(model, 'asyncio');
  const declaration = `${name}: set[${ref.name}.Task] = set()`;
  const imports = moduleImports(model);
  const lastImport = imports[imports.length - 1];
  if (lastImport) {
    const lines = LineIndex.of(model.text);
    const at = lines.lineEnd(lines.rowOf(lastImport.endIndex));
    const edits: TextEdit[] = [{ start: at, end: at, content: `\n\n${declaration}` }];
    if (ref.edit) edits.push(ref.edit);
    return { name, edits };
  }
  // No imports at module level: declare the set just before the first top-level def/class.
  const firstDef = model.tree.rootNode.findNamedChild((c) => c && DEFINITIONS.has(c.type) && startsAtColumnZero(model.text, c));
  const at = firstDef ? LineIndex.of(model.text).lineStart(firstDef.startPosition.row) : 0;
  const edit: TextEdit = { start: at, end: at, content: `${declaration}\n\n\n` };
  if (!ref.edit) return { name, edits: [edit] };
  // The import lands at the same point: one insertion carries both, in the right order.
  if (ref.edit.start === at) return { name, edits: [{ ...edit, content: `${ref.edit.content}\n${edit.content}` }] };
  return { name, edits: [edit, ref.edit] };
}
