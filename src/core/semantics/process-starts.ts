// Calls that start worker processes: creating a `multiprocessing.Pool` or a
// `ProcessPoolExecutor`, and `.start()` on a `multiprocessing.Process` (also a subclass
// defined here, or the loop variable of `for p in procs:` over a list of them). Also which
// functions start processes, directly or through other functions, within this file and,
// from the summaries, across the project.
import type { Node } from '../parse/syntax';
import type { FileModel } from './model';
import type { Resolver } from './resolve';
import type { Scope } from './scope';
import type { Workspace } from './workspace';
import { bindingsOf, calleeMethod, calleesOf, constructorInfo, constructorOf, mayConstruct, originOf, requireCalleeNames } from './origin';

export interface ProcessStart {
  call: Node;
  /** "`Pool(4)` at line 12 creates worker processes". */
  text: string;
}

/** Callee names in function summaries that start processes. */
const STARTING_CALLEES = new Set([
  'multiprocessing.Pool',
  'multiprocessing.pool.Pool',
  'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.process.ProcessPoolExecutor',
  'multiprocessing.Process.start',
]);

requireCalleeNames(['start', 'Pool', 'Process']);

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function preview(n: Node): string {
  const t = n.text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

function isProcessSubclass(model: FileModel, resolver: Resolver, qname: string): boolean {
  const cls = model.classes.get(qname);
  const bases = cls?.node.childForFieldName('superclasses');
  return !!bases?.someNamedChild((b) => {
    const q = b ? resolver.qualifiedName(b) : undefined;
    return q === 'multiprocessing.Process' || q === 'multiprocessing.context.Process';
  });
}

/** An expression that makes a Process: `Process(...)`, `Worker(...)` for a Process subclass. */
function makesProcess(model: FileModel, resolver: Resolver, expr: Node | null | undefined): boolean {
  if (!expr || expr.type !== 'call') return false;
  if (constructorOf(model, resolver, expr) === 'multiprocessing.Process') return true;
  const q = resolver.qualifiedName(expr.childForFieldName('function'));
  return !!q && isProcessSubclass(model, resolver, q);
}

/** `[Process(...) for ...]`, `[Process(...), Process(...)]`, or a name bound to one. */
function listOfProcesses(model: FileModel, resolver: Resolver, expr: Node | null | undefined, depth = 0): boolean {
  if (!expr || depth > 3) return false;
  if (expr.type === 'list_comprehension' || expr.type === 'generator_expression') return makesProcess(model, resolver, expr.childForFieldName('body'));
  if (expr.type === 'list' || expr.type === 'tuple') {
    const items = expr.namedChildren.filter((c) => c && c.type !== 'comment');
    return items.length > 0 && items.every((c) => makesProcess(model, resolver, c));
  }
  if (expr.type === 'identifier') {
    const found = bindingsOf(model, expr.text, expr);
    return !!found && found.bindings.length > 0 && found.bindings.every((b) => b.kind === 'assign' && listOfProcesses(model, resolver, b.value, depth + 1));
  }
  return false;
}

/** Whether `expr` holds a Process object. */
function isProcess(model: FileModel, resolver: Resolver, expr: Node): boolean {
  if (originOf(model, resolver, expr)?.family === 'process') return true;
  const sym = resolver.resolve(expr);
  if (sym?.kind === 'instance' && isProcessSubclass(model, resolver, sym.type)) return true;
  if (expr.type === 'identifier') {
    const found = bindingsOf(model, expr.text, expr);
    if (found?.bindings.every((b) => b.kind === 'assign' && makesProcess(model, resolver, b.value))) return found.bindings.length > 0;
    // for p in procs: p.start()
    for (let n = expr.parent; n; n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') break;
      if (n.type === 'for_statement' && n.childForFieldName('left')?.text === expr.text) return listOfProcesses(model, resolver, n.childForFieldName('right'));
    }
  }
  return false;
}

export function processStart(model: FileModel, resolver: Resolver, call: Node): ProcessStart | undefined {
  const ctor = constructorOf(model, resolver, call);
  if (ctor) {
    const info = constructorInfo(ctor);
    if (info?.kind === 'process' && (info.family === 'pool' || info.family === 'executor')) {
      return { call, text: `\`${preview(call)}\` at line ${line(call)} creates a pool of worker processes` };
    }
    return undefined;
  }
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'start') return undefined;
  const recv = fn.childForFieldName('object');
  if (recv && isProcess(model, resolver, recv)) return { call, text: `\`${preview(call)}\` at line ${line(call)} starts a process` };
  return undefined;
}

/** Functions of this file that start processes, directly or through other functions of this file. */
export function localStarters(model: FileModel, resolver: Resolver): Map<Scope, ProcessStart[]> {
  const direct = new Map<Scope, ProcessStart[]>();
  const starts = new Set<number>();
  const callees = calleesOf(model, resolver);
  const modelCalls = model.calls;
  for (let i = 0; i < modelCalls.length; i++) {
    // (processStart needs a constructor or a `.start()` call.)
    const method = calleeMethod(callees, i);
    if (!mayConstruct(callees.qnames[i], method) && method !== 'start') continue;
    const scope = model.scopeAt(modelCalls[i]);
    if (scope.kind !== 'function') continue;
    const start = processStart(model, resolver, modelCalls[i]);
    if (!start) continue;
    starts.add(i);
    const list = direct.get(scope);
    if (list) list.push(start);
    else direct.set(scope, [start]);
  }
  // (Most files start no process: then no function reaches one.)
  if (direct.size === 0) return direct;
  const callsTo = new Map<Scope, { callee: Scope; call: Node }[]>();
  for (let i = 0; i < modelCalls.length; i++) {
    if (starts.has(i)) continue;
    const q = callees.qnames[i];
    const callee = q ? model.functions.get(q) : undefined;
    if (!callee) continue;
    const call = modelCalls[i];
    const scope = model.scopeAt(call);
    if (scope.kind !== 'function' || callee === scope) continue;
    const list = callsTo.get(scope);
    if (list) list.push({ callee, call });
    else callsTo.set(scope, [{ callee, call }]);
  }
  // Propagate to callers until nothing changes; each function keeps its first chain.
  const result = new Map(direct);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [caller, calls] of callsTo) {
      if (result.has(caller)) continue;
      const hit = calls.find((c) => result.has(c.callee));
      if (!hit) continue;
      const inner = result.get(hit.callee)!;
      result.set(caller, [{ call: hit.call, text: `\`${hit.callee.name}()\` is called at line ${line(hit.call)}` }, ...inner]);
      changed = true;
    }
  }
  return result;
}

/** From the project's summaries: how a function starts processes (a chain of texts), if it does. */
export function startsProcessesInProject(ws: Workspace, qname: string, seen = new Set<string>(), depth = 0): string[] | undefined {
  const fn = ws.function(qname);
  if (!fn || fn.isAsync || seen.has(fn.qname) || depth > 6) return undefined;
  seen.add(fn.qname);
  for (const c of fn.calls) {
    if (STARTING_CALLEES.has(c.callee)) return [`\`${c.callee.split('.').slice(-2).join('.')}\` is called in \`${fn.qname.split('.').slice(-1)[0]}()\``];
  }
  for (const c of fn.calls) {
    const rest = startsProcessesInProject(ws, c.callee, seen, depth + 1);
    if (rest) return [`\`${fn.qname.split('.').slice(-1)[0]}()\` calls \`${c.callee.split('.').slice(-1)[0]}()\``, ...rest];
  }
  return undefined;
}
