// CL404: a process pool made without `with` and never closed or shut down. Its worker
// processes stay alive (idle, holding memory) until the program exits, and a Pool left to
// the garbage collector is terminated abruptly; `with` closes it at the end of the block.
import type { Node } from '../../parse/syntax';
import docs from './unclosed-pool.md';
import { bindingsOf, calleeMethod, calleesOf, constructorInfo, constructorOf, mayConstruct } from '../../semantics/origin';
import { isVariableReference } from '../../fixes/executor-swap';
import { eolOf, endsLine, indentAt, indentLines, indentUnit, lineEndOf, lineStartOf, multilineStringIn, startsLine, syntaxErrorIn } from '../../fixes/wrap';
import type { Finding, Fix } from '../../types';
import type { Rule, RuleContext } from '../rule';

const CLOSERS = new Set(['close', 'terminate', 'shutdown', '__exit__', 'join']);
const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);

function line(n: Node): number {
  return n.startPosition.row + 1;
}

function shortCtor(ctor: string): string {
  return ctor.endsWith('ProcessPoolExecutor') ? 'ProcessPoolExecutor' : 'Pool';
}

/** How a use of the pool's name hands over or ends its life: closed, passed on, returned, stored. */
function settles(use: Node): boolean {
  const p = use.parent;
  if (!p) return false;
  if (p.type === 'attribute' && p.childForFieldName('object')?.id === use.id) {
    const method = p.childForFieldName('attribute')?.text ?? '';
    // `pool.close` passed along (atexit.register(pool.close)) or called.
    return CLOSERS.has(method);
  }
  switch (p.type) {
    case 'argument_list': // passed to a function that may close it
    case 'return_statement':
    case 'yield':
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary':
    case 'pair':
    case 'keyword_argument':
    case 'with_item':
    case 'expression_list':
    case 'delete_statement': // `del pool`: the owner lets it go on purpose
      return true;
    case 'assignment':
      // stored elsewhere: `self.pool = pool`, `other = pool`
      return p.childForFieldName('right')?.id === use.id;
    default:
      return false;
  }
}

function uses(ctx: RuleContext, name: string, scope: ReturnType<typeof bindingsOf>): Node[] {
  if (!scope) return [];
  const root = scope.scope.kind === 'module' ? ctx.model.tree.rootNode : scope.scope.node;
  return root.descendantsOfType('identifier').filter((id): id is Node => !!id && id.text === name && isVariableReference(id) && bindingsOf(ctx.model, name, id)?.scope === scope.scope);
}

function withFix(ctx: RuleContext, call: Node, statement: Node, name: string, allUses: readonly Node[], ctor: string): { fix?: Fix; noFixReason?: string } {
  const text = ctx.model.text;
  const block = statement.parent;
  if (!block || (block.type !== 'block' && block.type !== 'module')) return { noFixReason: 'the assignment is not a statement of its own' };
  const rest: Node[] = [];
  for (let n = statement.nextNamedSibling; n; n = n.nextNamedSibling) rest.push(n);
  const stmts = rest.filter((n) => n.type !== 'comment');
  const last = stmts[stmts.length - 1];
  const end = last ? last.endIndex : statement.endIndex;
  const outside = allUses.find((u) => u.startIndex < statement.startIndex || u.startIndex > end);
  if (outside) return { noFixReason: `\`${name}\` is also used at line ${line(outside)}, outside the block that \`with\` would cover` };
  const definition = stmts.find((n) => DEFINITIONS.has(n.type));
  if (definition) return { noFixReason: `a definition follows at line ${line(definition)}; indenting it under \`with\` would be odd — close the pool with \`${name}.close()\` and \`${name}.join()\` instead` };
  if (!startsLine(text, statement) || !endsLine(text, statement)) return { noFixReason: 'the assignment shares its line with other code' };
  const e = syntaxErrorIn(rest);
  if (e) return { noFixReason: `the code after it has a syntax error (line ${e.startPosition.row + 1}); fix it first` };
  const s = multilineStringIn(rest);
  if (s) return { noFixReason: `the code after it includes a string spanning lines (line ${s.startPosition.row + 1}), whose content re-indenting would change` };
  const eol = eolOf(text);
  const indent = indentAt(text, statement.startIndex);
  const unit = indentUnit(text, statement);
  const trailing = text.slice(statement.endIndex, lineEndOf(text, statement.endIndex));
  // The lines after the assignment (blank lines and comments included) move under `with`.
  const afterLine = lineEndOf(text, statement.endIndex);
  const bodyStart = afterLine + (text.startsWith('\r\n', afterLine) ? 2 : 1);
  const body = last ? indentLines(text.slice(bodyStart, end), unit) : `${indent}${unit}pass`;
  const start = lineStartOf(text, statement.startIndex);
  const edit = { start, end, content: `${indent}with ${call.text} as ${name}:${trailing}${eol}${body}` };
  const isPool = shortCtor(ctor) === 'Pool';
  const fix: Fix = { title: `Create the pool with \`with ... as ${name}:\``, applicability: isPool ? 'unsafe' : 'safe', edits: [edit] };
  return isPool
    ? { fix, noFixReason: 'The fix is marked unsafe: leaving `with` calls `Pool.terminate()`, which stops the workers at once; work started with `apply_async`/`imap` and not collected inside the block is lost.' }
    : { fix };
}

export const unclosedPool: Rule = {
  meta: {
    code: 'CL404',
    name: 'process-pool-never-closed',
    family: 'multiprocessing',
    summary: 'A `multiprocessing.Pool` or `ProcessPoolExecutor` is created without `with` and never closed or shut down',
    severity: 'info',
    fixable: true,
    docs,
  },
  check(ctx) {
    const callees = calleesOf(ctx.model, ctx.resolver);
    for (let i = 0; i < ctx.model.calls.length; i++) {
      if (!mayConstruct(callees.qnames[i], calleeMethod(callees, i))) continue;
      const call = ctx.model.calls[i];
      const ctor = constructorOf(ctx.model, ctx.resolver, call);
      const info = ctor ? constructorInfo(ctor) : undefined;
      if (!ctor || info?.kind !== 'process' || (info.family !== 'pool' && info.family !== 'executor')) continue;
      const what = shortCtor(ctor);
      const verb = what === 'Pool' ? 'closed' : 'shut down';
      const parent = call.parent;
      const span = { start: call.startIndex, end: call.endIndex };
      // Pool(4).map(f, xs): made, used once, never closed.
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === call.id) {
        const method = parent.childForFieldName('attribute')?.text ?? '';
        if (CLOSERS.has(method)) continue;
        ctx.report({
          code: 'CL404',
          message: `\`${what}\` is created for one call and never ${verb}; its worker processes outlive the call`,
          span,
          evidence: [`\`.${method}()\` is called on the new pool at line ${line(call)} and nothing keeps a reference to close it`],
          noFixReason: `bind the pool with \`with ${call.text} as pool:\` and call \`pool.${method}(...)\` inside the block`,
          suggestion: `\`with ${what}(...) as pool:\``,
        });
        continue;
      }
      if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) continue;
      const left = parent.childForFieldName('left');
      const statement = parent.parent;
      if (left?.type !== 'identifier' || statement?.type !== 'expression_statement') continue;
      const name = left.text;
      const found = bindingsOf(ctx.model, name, left);
      if (!found) continue;
      // A module-level pool that functions declare `global` is managed elsewhere.
      const all = uses(ctx, name, found);
      if (all.some(settles)) continue;
      if ([...ctx.model.functions.values()].some((f) => f.globals.has(name)) && found.scope.kind === 'module') continue;
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL404',
        message: `\`${name}\` (\`${what}\`) is created without \`with\` and never ${verb}`,
        span,
        evidence: [`no \`${name}.${what === 'Pool' ? 'close()' : 'shutdown()'}\`${what === 'Pool' ? ', `terminate()`' : ''} or \`with\` in this scope, and \`${name}\` is not returned, stored or passed on`],
        suggestion: `\`with ${what}(...) as ${name}:\`${what === 'Pool' ? `, or \`${name}.close()\` and \`${name}.join()\` in a \`finally\`` : `, or \`${name}.shutdown()\` in a \`finally\``}`,
        ...(parent.childForFieldName('type') ? { noFixReason: 'the assignment carries a type annotation, which a `with` target cannot' } : withFix(ctx, call, statement, name, all, ctor)),
      };
      ctx.report(finding);
    }
  },
};
