// STUB — the one list to edit when adding a rule.
import type { RuleMeta } from '../types';

export interface Rule {
  meta: RuleMeta;
}

export const allRules: readonly Rule[] = [];

export function ruleByCode(code: string): Rule | undefined {
  return allRules.find((r) => r.meta.code === code);
}
