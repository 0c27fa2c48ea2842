// No fix inside code that error recovery put together. Inside an ERROR node, what tree-sitter
// made of the text (which `def` a line belongs to, whether there is a coroutine at all, where
// a statement ends) is a guess; a fix written against that guess can break the code further,
// and applied again finds the same guess (the fuzzer found both). The finding stays, with the
// reason in place of the fix. (The CLI's --fix leaves files with syntax errors alone anyway;
// this is for the editor's quick fixes and fix-all while the user types.)
import type { SyntaxTree } from '../parse/syntax';
import { memoised, type Rule, type RuleContext } from '../rules/rule';
import type { Span } from '../types';

export const BROKEN_CODE_REASON = 'the code around it has a syntax error, so what it belongs to is a guess; fix the syntax first';

/** The outermost ERROR nodes of the file, as spans. */
export function errorSpans(tree: SyntaxTree): Span[] {
  return tree.errorSpans(Infinity, false);
}

function inside(span: Span, errors: readonly Span[]): boolean {
  return errors.some((e) => span.start >= e.start && span.end <= e.end);
}

/** The rule, with the fixes of its findings inside ERROR nodes taken out (and the reason given). */
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
        report: (finding) => {
          if (finding.fix && inside(finding.span, errors)) {
            const { fix: _dropped, ...rest } = finding;
            ctx.report({ ...rest, noFixReason: BROKEN_CODE_REASON });
          } else ctx.report(finding);
        },
      });
    },
  };
}
