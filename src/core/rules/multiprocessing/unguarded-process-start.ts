// CL401: worker processes started by module-level code, outside
// `if __name__ == "__main__":`. Under the spawn and forkserver start methods (the default
// on Windows and macOS, and on Linux from Python 3.14) each child imports the main module
// again; unguarded, that import starts processes again, and multiprocessing stops it with
// "An attempt has been made to start a new process before the current process has
// finished its bootstrapping phase".
import type { Node } from '../../parse/syntax';
import docs from './unguarded-process-start.md';
import { bindingsOf } from '../../semantics/origin';
import { isMainGuard, runsAtImport, topLevelStatement } from '../../semantics/main-guard';
import { localStarters, processStart, startsProcessesInProject } from '../../semantics/process-starts';
import { indentLines, multilineStringIn, startsLine } from '../../fixes/wrap';
import type { Finding, Fix, Span } from '../../types';
import type { Rule, RuleContext } from '../rule';

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
  const add = (t: Node | null | undefined) => {
    if (!t) return;
    if (t.type === 'identifier') out.add(t.text);
    else if (t.type !== 'attribute' && t.type !== 'subscript') for (const c of t.namedChildren) add(c);
  };
  for (const s of stmts) {
    for (const a of s.descendantsOfType(['assignment', 'augmented_assignment'])) add(a?.childForFieldName('left'));
    for (const f of s.descendantsOfType('for_statement')) add(f?.childForFieldName('left'));
    for (const w of s.descendantsOfType('as_pattern_target')) add(w);
    if (s.type === 'for_statement') add(s.childForFieldName('left'));
  }
  return out;
}

/** A module-level name from the wrapped part that functions of this module read. */
function nameReadByFunctions(ctx: RuleContext, names: ReadonlySet<string>): { name: string; at: Node } | undefined {
  for (const scope of ctx.model.functions.values()) {
    for (const id of scope.node.descendantsOfType('identifier')) {
      if (!id || !names.has(id.text)) continue;
      const p = id.parent;
      if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
      if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
      if (bindingsOf(ctx.model, id.text, id)?.scope === ctx.model.module) return { name: id.text, at: id };
    }
  }
  return undefined;
}

/** The main-guard fix for top-level statements from `index` to the end, or why there is none. */
function guardFix(ctx: RuleContext, index: number): { fix?: Fix; noFixReason?: string } {
  const text = ctx.model.text;
  const children = ctx.model.tree.rootNode.namedChildren.filter((c): c is Node => !!c);
  const stmts = children.slice(index);
  const first = stmts[0];
  for (const s of stmts) {
    if (DEFINITIONS.has(s.type)) return { noFixReason: `a definition or import follows at line ${line(s)}; wrapping it in the guard would hide it from the child processes. Move the process-starting code below it, or into a \`main()\` function called from \`if __name__ == "__main__":\`` };
    if (s.type === 'if_statement' && isMainGuard(s)) return { noFixReason: `the module already has \`if __name__ == "__main__":\` at line ${line(s)}; move these statements into it` };
  }
  if (!startsLine(text, first)) return { noFixReason: 'the statement shares its line with other code' };
  const s = multilineStringIn(stmts);
  if (s) return { noFixReason: `the code to wrap includes a string spanning lines (line ${s.startPosition.row + 1}), whose content re-indenting would change` };
  const last = stmts[stmts.length - 1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = /^\t/m.test(text) && !/^ {2}/m.test(text) ? '\t' : '    ';
  const start = first.startIndex;
  const content = `if __name__ == "__main__":${eol}${indentLines(text.slice(start, last.endIndex), unit)}`;
  const fix: Fix = { title: 'Wrap the module-level code in `if __name__ == "__main__":`', applicability: 'safe', edits: [{ start, end: last.endIndex, content }] };
  const read = nameReadByFunctions(ctx, boundNames(stmts));
  if (read) {
    fix.applicability = 'unsafe';
    return {
      fix,
      noFixReason: `The fix is marked unsafe: \`${read.name}\` is set in the wrapped code and read by a function at line ${line(read.at)}; under spawn the child processes import the module without running the guard, so \`${read.name}\` would not exist there. Move it above the guard if workers need it.`,
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
    for (const call of model.calls) {
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
      if (!q.startsWith('builtins.')) candidates.push({ span, index, message: '', evidence: [], verify: q });
    }
    if (candidates.length === 0) return;
    // Fixes are prepared while the tree is here, one per possible first statement.
    const fixes = new Map<number, { fix?: Fix; noFixReason?: string }>();
    for (const c of candidates) if (!fixes.has(c.index)) fixes.set(c.index, guardFix(ctx, c.index));
    ctx.defer((ws) => {
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
      // One guard from the first offending statement covers them all.
      const first = Math.min(...confirmed.map((c) => c.index));
      const fix = fixes.get(first) ?? {};
      for (const c of confirmed) {
        const finding: Omit<Finding, 'severity'> = {
          code: 'CL401',
          message: c.message,
          span: c.span,
          evidence: c.evidence,
          suggestion: 'put the code that starts processes under `if __name__ == "__main__":` (or in a `main()` called from there)',
          ...fix,
        };
        ctx.report(finding);
      }
    });
  },
};
