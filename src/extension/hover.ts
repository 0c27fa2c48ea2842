// Hovers are assembled from sections; each section answers for a position or not. The first
// explains the Concurrency Lens diagnostics under the cursor; the second (concept-hover.ts)
// explains the concurrency construct there (`async def`, `await`, `asyncio.create_task`, ...).
// A source sees the sections before it, so the concept note can stay short beside a diagnostic.
import * as vscode from 'vscode';
import { ruleByCode, ruleUrl } from '../core/index';
import type { FindingsStore } from './findings-store';
import { findingHoverMarkdown } from './hover-text';

export interface HoverSection {
  markdown: string;
  range?: vscode.Range;
  /** Commands the Markdown may link to (`command:` links are disabled otherwise). */
  commands?: readonly string[];
}

export type HoverSource = (
  document: vscode.TextDocument,
  position: vscode.Position,
  earlier: readonly HoverSection[],
) => HoverSection | undefined;

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
    const sections: HoverSection[] = [];
    for (const source of this.sources) {
      const section = source(document, position, sections);
      if (section) sections.push(section);
    }
    if (sections.length === 0) return undefined;
    const md = new vscode.MarkdownString(sections.map((s) => s.markdown).join('\n\n---\n\n'));
    const commands = sections.flatMap((s) => s.commands ?? []);
    if (commands.length > 0) md.isTrusted = { enabledCommands: commands };
    return new vscode.Hover(md, sections.find((s) => s.range)?.range);
  }
}
