// The engine's entry point: what the CLI and the extension call. No editor imports here.
export * from './types';
export { LineIndex, applyEdits } from './text';
export { loadGrammar, type Grammar, type GrammarSource } from './parse/grammar';
export { defaultParseBudgetMs, indentDepthsBound, MAX_INDENT_DEPTHS, NotParsedError, ParseTimeoutError, parserText, PyDocument, type DocumentOptions, type TextChange } from './parse/document';
export type { Settings, BlockingCallExtension } from './config/settings';
export { Linter, type LintResult, type LintOptions } from './linter';
export { Workspace, type BlockingChain, type Workload, type Verdict } from './semantics/workspace';
export { moduleNameOf } from './semantics/model';
export { moduleIdentity, type ModuleIdentity } from './semantics/modules';
export { summarize, type FileSummary, type FunctionSummary } from './semantics/summary';
export { allRules, ruleByCode, type Rule } from './rules/index';
