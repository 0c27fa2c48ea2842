// The engine's entry point: what the CLI and the extension call. No editor imports here.
export * from './types';
export { LineIndex, applyEdits } from './text';
export { loadGrammar, type Grammar, type GrammarSource } from './parse/grammar';
export { PyDocument, type TextChange } from './parse/document';
export type { Settings, BlockingCallExtension } from './config/settings';
export { Linter, type LintResult } from './linter';
export { allRules, ruleByCode, type Rule } from './rules/index';
