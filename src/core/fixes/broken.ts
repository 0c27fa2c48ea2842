// No fix inside code that error recovery put together. Inside an ERROR node, what tree-sitter
// made of the text (which `def` a line belongs to, whether there is a coroutine at all, where
// a statement ends) is a guess; a fix written against that guess can break the code further,
// and applied again finds the same guess (the fuzzer found both). The finding stays, with the
// reason in place of the fix. (The CLI's --fix leaves files with syntax errors alone anyway;
// this is for the editor's quick fixes and fix-all while the user types.)
import type { SyntaxTree } from '../parse/syntax';
import { memoised, type DeferredCheck, type Rule, type RuleContext } from '../rules/rule';
import type { Finding, Span } from '../types';

export const BROKEN_CODE_REASON = 'the code around it has a syntax error, so what it belongs to is a guess; fix the syntax first';

/** The outermost ERROR nodes of the file, as spans. */
export function errorSpans(tree: SyntaxTree): Span[] {
  return tree.errorSpans(Infinity, false);
}

function inside(span: Span, errors: readonly Span[]): boolean {
  return errors.some((e) => span.start >= e.start && span.end <= e.end);
}

/** The finding, without its fix when it sits inside an ERROR node (with the reason instead). */
function withoutFixInside(finding: Omit<Finding, 'severity'>, errors: readonly Span[]): Omit<Finding, 'severity'> {
  if (!finding.fix || !inside(finding.span, errors)) return finding;
  const { fix: _dropped, ...rest } = finding;
  return { ...rest, noFixReason: BROKEN_CODE_REASON };
}

/** A deferred check whose findings go through the same filter (plain data only: see RuleContext.defer). */
function deferredWithoutFixesInside(check: DeferredCheck, errors: readonly Span[]): DeferredCheck {
  return (workspace, report) => check(workspace, (finding) => report(withoutFixInside(finding, errors)));
}

/**
 * The rule, with the fixes of its findings inside ERROR nodes taken out (and the reason
 * given): those it reports at once and those of its deferred checks.
 */
export function withoutFixesInBrokenCode(rule: Rule): Rule {
  return {
    meta: rule.meta,
    check(ctx: RuleContext) {
      const errors = memoised(ctx, 'error-spans', () => errorSpans(ctx.model.tree));
      if (errors.length === 0) {
        rule.check(ctx);
        return;
      }
      rule.check({
        ...ctx,
        report: (finding) => ctx.report(withoutFixInside(finding, errors)),
        defer: (check) => ctx.defer(deferredWithoutFixesInside(check, errors)),
      });
    },
  };
}
