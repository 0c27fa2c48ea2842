// Hovers are assembled from sections; each section answers for a position or not. Today the
// one section explains the Concurrency Lens diagnostics under the cursor; concept notes on
// `async def`, `await`, ... (issue 4, `conclens.conceptHovers`) are another section.
import * as vscode from 'vscode';
import { ruleByCode, ruleUrl } from '../core/index';
import type { FindingsStore } from './findings-store';
import { findingHoverMarkdown } from './hover-text';

export interface HoverSection {
  markdown: string;
  range?: vscode.Range;
}

export type HoverSource = (document: vscode.TextDocument, position: vscode.Position) => HoverSection | undefined;

export function diagnosticHover(store: FindingsStore): HoverSource {
  return (document, position) => {
    const found = store.at(document.uri.toString(), document.version, position.line, position.character);
    if (found.length === 0) return undefined;
    const markdown = found
      .map(({ finding }) => findingHoverMarkdown(finding, ruleByCode(finding.code)?.meta, ruleUrl(finding.code)))
      .join('\n\n---\n\n');
    const r = found[0].range;
    return { markdown, range: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) };
  };
}

export class Hovers implements vscode.HoverProvider {
  constructor(private readonly sources: readonly HoverSource[]) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const sections = this.sources.map((s) => s(document, position)).filter((s): s is HoverSection => s !== undefined);
    if (sections.length === 0) return undefined;
    const md = new vscode.MarkdownString(sections.map((s) => s.markdown).join('\n\n---\n\n'));
    return new vscode.Hover(md, sections.find((s) => s.range)?.range);
  }
}
