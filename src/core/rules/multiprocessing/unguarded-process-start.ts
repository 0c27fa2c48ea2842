// CL401: worker processes started by module-level code, outside
// `if __name__ == "__main__":`. Under the spawn and forkserver start methods (the default
// on Windows and macOS, and on Linux from Python 3.14) each child imports the main module
// again; unguarded, that import starts processes again, and multiprocessing stops it with
// "An attempt has been made to start a new process before the current process has
// finished its bootstrapping phase".
import { isLibraryName } from '../../knowledge/blocking-calls';
import type { Node } from '../../parse/syntax';
import docs from './unguarded-process-start.md';
import { bindingsOf } from '../../semantics/origin';
import { isMainGuard, runsAtImport, topLevelStatement } from '../../semantics/main-guard';
import { localStarters, processStart, startsProcessesInProject } from '../../semantics/process-starts';
import { indentLines, multilineStringIn, startsLine } from '../../fixes/wrap';
import { targetNames } from '../../semantics/names';
import type { Finding, Fix, Span } from '../../types';
import type { DeferredCheck, Rule, RuleContext } from '../rule';

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement', 'future_import_statement']);

interface Candidate {
  span: Span;
  message: string;
  evidence: string[];
  /** Index of its top-level statement among the module's children. */
  index: number;
  /** A call to a function of another module, confirmed once the workspace is complete. */
  verify?: string;
}

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function preview(n: Node): string {
  const t = n.text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

const WHY = 'each child process started by spawn or forkserver imports this module again, and this code would run again in it';

/** Names bound by the top-level statements `stmts` (assignment targets, for/with targets). */
function boundNames(stmts: readonly Node[]): Set<string> {
  const out = new Set<string>();
  const add = (target: Node | null | undefined) => {
    for (const name of targetNames(target)) out.add(name);
  };
  for (const s of stmts) {
    for (const a of s.descendantsOfType(['assignment', 'augmented_assignment'])) add(a?.childForFieldName('left'));
    for (const f of s.descendantsOfType('for_statement')) add(f?.childForFieldName('left'));
    for (const w of s.descendantsOfType('as_pattern_target')) add(w);
    if (s.type === 'for_statement') add(s.childForFieldName('left'));
  }
  return out;
}

/**
 * The module-level names that functions of this module read, among `names`: for each, the
 * first such read, with its rank in reading order (functions in model order, identifiers in
 * text order).
 */
function namesReadByFunctions(ctx: RuleContext, names: ReadonlySet<string>): Map<string, { rank: number; at: Node }> {
  const out = new Map<string, { rank: number; at: Node }>();
  if (names.size === 0) return out;
  let rank = 0;
  for (const scope of ctx.model.functions.values()) {
    for (const id of scope.node.descendantsOfType('identifier')) {
      rank++;
      if (!id || !names.has(id.text) || out.has(id.text)) continue;
      const p = id.parent;
      if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
      if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
      if (bindingsOf(ctx.model, id.text, id)?.scope === ctx.model.module) out.set(id.text, { rank, at: id });
    }
  }
  return out;
}

/** What the main-guard fix from one top-level statement to the end of the module would do: plain data, no tree. */
interface GuardPlan {
  noFixReason?: string;
  start?: number;
  end?: number;
  /** A name the wrapped code sets and a function reads: the fix is unsafe. */
  readName?: { name: string; line: number };
}

/**
 * Plans the main-guard fix for each of `indices` (top-level statement indices). The facts
 * about the statements from an index to the end (a definition or guard that follows, a string
 * spanning lines, names that functions read) are gathered in one backward pass, so a module
 * with thousands of import-time calls (a 1 MB line of them) costs one pass, not one per call.
 */
function planGuards(ctx: RuleContext, children: readonly Node[], indices: readonly number[]): Map<number, GuardPlan> {
  const plans = new Map<number, GuardPlan>();
  if (indices.length === 0) return plans;
  const text = ctx.model.text;
  // The guard takes in the rest of the module: with a syntax error anywhere, error recovery
  // decides where statements start and end (it may hide imports, definitions or a guard in
  // the part to wrap), around the edit too, and the finding comes back after the fix.
  if (ctx.model.tree.rootNode.hasError) {
    const reason = 'the module has a syntax error; fix it first';
    return new Map(indices.map((i) => [i, { noFixReason: reason }]));
  }
  const from = indices.reduce((a, b) => Math.min(a, b));
  const wanted = new Set(indices);
  const n = children.length;
  const last = children[n - 1];
  // Backward pass 1: what blocks the fix (first definition or guard at or after i), and the
  // first string spanning lines at or after i.
  const blocker: (string | undefined)[] = new Array(n + 1);
  const multiline: (Node | undefined)[] = new Array(n + 1);
  for (let i = n - 1; i >= from; i--) {
    const s = children[i];
    if (DEFINITIONS.has(s.type)) {
      blocker[i] = `a definition or import follows at line ${line(s)}; wrapping it in the guard would hide it from the child processes. Move the process-starting code below it, or into a \`main()\` function called from \`if __name__ == "__main__":\``;
    } else if (s.type === 'if_statement' && isMainGuard(s)) {
      blocker[i] = `the module already has \`if __name__ == "__main__":\` at line ${line(s)}; move these statements into it`;
    } else blocker[i] = blocker[i + 1];
    // (Only needed where nothing blocks: a blocked plan never looks at strings.)
    multiline[i] = blocker[i] === undefined ? (multilineStringIn([s]) ?? multiline[i + 1]) : undefined;
  }
  // The indices left to plan in full: nothing blocks, the statement owns its line, no string spans lines.
  const open: number[] = [];
  for (const i of wanted) {
    const first = children[i];
    if (blocker[i] !== undefined) plans.set(i, { noFixReason: blocker[i] });
    else if (!startsLine(text, first)) plans.set(i, { noFixReason: 'the statement shares its line with other code' });
    else if (multiline[i]) {
      plans.set(i, { noFixReason: `the code to wrap includes a string spanning lines (line ${multiline[i]!.startPosition.row + 1}), whose content re-indenting would change` });
    } else open.push(i);
  }
  if (open.length === 0) return plans;
  // Backward pass 2: the names each statement binds, and, for each i, the first read by a
  // function of a name bound at or after i.
  const lo = open.reduce((a, b) => Math.min(a, b));
  const bound: Set<string>[] = [];
  const all = new Set<string>();
  for (let i = lo; i < n; i++) {
    bound[i] = boundNames([children[i]]);
    for (const name of bound[i]) all.add(name);
  }
  const reads = namesReadByFunctions(ctx, all);
  let best: { name: string; rank: number; at: Node } | undefined;
  const readFrom: ({ name: string; at: Node } | undefined)[] = [];
  for (let i = n - 1; i >= lo; i--) {
    for (const name of bound[i]) {
      const r = reads.get(name);
      if (r && (!best || r.rank < best.rank)) best = { name, rank: r.rank, at: r.at };
    }
    readFrom[i] = best;
  }
  for (const i of open) {
    const read = readFrom[i];
    plans.set(i, { start: children[i].startIndex, end: last.endIndex, readName: read ? { name: read.name, line: line(read.at) } : undefined });
  }
  return plans;
}

/** The main-guard fix of a plan (built only for the statement the findings start at), or why there is none. */
function guardFix(text: string, plan: GuardPlan | undefined): { fix?: Fix; noFixReason?: string } {
  if (!plan) return {};
  if (plan.start === undefined || plan.end === undefined) return { noFixReason: plan.noFixReason };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = /^\t/m.test(text) && !/^ {2}/m.test(text) ? '\t' : '    ';
  const content = `if __name__ == "__main__":${eol}${indentLines(text.slice(plan.start, plan.end), unit)}`;
  const fix: Fix = { title: 'Wrap the module-level code in `if __name__ == "__main__":`', applicability: 'safe', edits: [{ start: plan.start, end: plan.end, content }] };
  const read = plan.readName;
  if (read) {
    fix.applicability = 'unsafe';
    return {
      fix,
      noFixReason: `The fix is marked unsafe: \`${read.name}\` is set in the wrapped code and read by a function at line ${read.line}; under spawn the child processes import the module without running the guard, so \`${read.name}\` would not exist there. Move it above the guard if workers need it.`,
    };
  }
  return { fix };
}

export const unguardedProcessStart: Rule = {
  meta: {
    code: 'CL401',
    name: 'process-start-without-main-guard',
    family: 'multiprocessing',
    summary: 'Processes started at module level without an `if __name__ == "__main__":` guard',
    severity: 'error',
    fixable: true,
    docs,
  },
  check(ctx) {
    const { model, resolver } = ctx;
    const children = model.tree.rootNode.namedChildren.filter((c): c is Node => !!c);
    const indexOf = new Map(children.map((c, i) => [c.id, i]));
    let starters: ReturnType<typeof localStarters> | undefined;
    const candidates: Candidate[] = [];
    for (const call of model.moduleLevelCalls()) {
      if (!runsAtImport(model, call)) continue;
      const top = topLevelStatement(call);
      const index = top ? indexOf.get(top.id) : undefined;
      if (index === undefined) continue;
      const span = { start: call.startIndex, end: call.endIndex };
      const start = processStart(model, resolver, call);
      if (start) {
        candidates.push({ span, index, message: `\`${preview(call)}\` starts worker processes at import time, outside \`if __name__ == "__main__":\``, evidence: [start.text, WHY] });
        continue;
      }
      const q = resolver.qualifiedName(call.childForFieldName('function'));
      if (!q) continue;
      starters ??= localStarters(model, resolver);
      const local = model.functions.get(q);
      if (local) {
        const chain = starters.get(local);
        if (chain) {
          candidates.push({ span, index, message: `\`${local.name}()\` starts worker processes and is called at import time, outside \`if __name__ == "__main__":\``, evidence: [...chain.map((c) => c.text), WHY] });
        }
        continue;
      }
      // (A library function the catalogue knows starts no processes unless processStart said so.)
      if (!q.startsWith('builtins.') && !isLibraryName(q)) candidates.push({ span, index, message: '', evidence: [], verify: q });
    }
    if (candidates.length === 0) return;
    // What the fix needs from the tree is gathered while the tree is here, for each statement
    // that can turn out to be the first confirmed one: the first sure one, and any still to be
    // verified before it. The fix itself is written once the first confirmed one is known.
    const firstSure = candidates.reduce((m, c) => (c.verify ? m : Math.min(m, c.index)), Infinity);
    const plans = planGuards(ctx, children, [...new Set(candidates.filter((c) => c.index <= firstSure).map((c) => c.index))]);
    ctx.defer(unguardedStartsCheck(candidates, plans, model.text));
  },
};

/**
 * CL401 once the project is indexed: the candidates that call functions of other modules
 * are confirmed or dropped, and one guard from the first confirmed statement covers them
 * all (plain data only: see RuleContext.defer).
 */
function unguardedStartsCheck(candidates: readonly Candidate[], plans: ReadonlyMap<number, GuardPlan>, text: string): DeferredCheck {
  return (ws, report) => {
    const confirmed: Candidate[] = [];
    for (const c of candidates) {
      if (!c.verify) {
        confirmed.push(c);
        continue;
      }
      const chain = startsProcessesInProject(ws, c.verify);
      if (!chain) continue;
      const name = c.verify.split('.').slice(-1)[0];
      confirmed.push({ ...c, message: `\`${name}()\` starts worker processes and is called at import time, outside \`if __name__ == "__main__":\``, evidence: [...chain, WHY] });
    }
    if (confirmed.length === 0) return;
    const first = confirmed.reduce((m, c) => Math.min(m, c.index), Infinity);
    const fix = guardFix(text, plans.get(first));
    for (const c of confirmed) {
      report({
        code: 'CL401',
        message: c.message,
        span: c.span,
        evidence: c.evidence,
        suggestion: 'put the code that starts processes under `if __name__ == "__main__":` (or in a `main()` called from there)',
        ...fix,
      });
    }
  };
}
