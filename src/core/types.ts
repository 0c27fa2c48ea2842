// The engine's public data shapes. Offsets are UTF-16 code units into the source text
// (what JavaScript strings, tree-sitter's JS binding and VS Code all use); adapters
// convert to rows/columns with `LineIndex` (core/text.ts).

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Span {
  start: number;
  end: number;
}

export interface TextEdit extends Span {
  content: string;
}

/** `safe` fixes are applied unattended (`--fix`, fix-all); `unsafe` ones only on request. */
export type Applicability = 'safe' | 'unsafe';

export interface Fix {
  /** States the action: "Replace with `await asyncio.sleep(1)`". */
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
}

export interface RelatedInfo {
  message: string;
  /** Absent means "this file". */
  file?: string;
  span: Span;
  /** 1-based line of `span`, given when `file` is another file (whose text the reader may not have). */
  line?: number;
}

export interface Finding {
  code: string;
  /** States the problem: "`time.sleep()` blocks the event loop". */
  message: string;
  severity: Severity;
  span: Span;
  fix?: Fix;
  /** Why no fix is offered, shown in the hover. */
  noFixReason?: string;
  related?: RelatedInfo[];
  /** What to use instead, beyond the fix ("httpx.AsyncClient or aiohttp"). */
  suggestion?: string;
  /** Facts an inference rests on, shown in the hover ("`s` is a `requests.Session` (line 4)"). */
  evidence?: string[];
}

export type RuleFamily = 'event-loop' | 'asyncio' | 'threads' | 'multiprocessing';

export interface RuleDocs {
  /** Markdown with the sections: What it does / Why is this bad? / Example / Use instead / Fix safety. */
  markdown: string;
}

export interface RuleMeta {
  code: string;
  /** kebab-case name: `blocking-sleep-in-async`. */
  name: string;
  family: RuleFamily;
  /** One line, used in `conclens rules` and SARIF. */
  summary: string;
  severity: Severity;
  fixable: boolean;
  docs: string;
}

export const DOCS_BASE_URL = 'https://github.com/conclens/concurrency-lens/blob/main/docs/rules/';
export function ruleUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}
