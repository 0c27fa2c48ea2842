// `conclens explain CL101`: prints the rule's documentation page.
import type { RuleMeta } from '../core/types';
import { renderRulePage } from '../core/rules/docs';
import { listRules } from './rules';

export function explainRule(meta: RuleMeta, format: 'text' | 'json'): string {
  const page = renderRulePage(meta);
  if (format === 'json') return `${JSON.stringify({ ...listRules([meta])[0], explanation: page }, null, 2)}\n`;
  return page;
}
