// The Markdown shown when hovering a Concurrency Lens diagnostic: the finding's own facts
// (why no fix, what the inference rests on) first, then the rule's explanation, then a link.
import type { Finding, RuleMeta } from '../core/index';
import { renderRulePage } from '../core/rules/docs';

/**
 * Rule docs are written as a page (`## What it does` ...). In a hover, headings render too
 * large, so they become bold lines.
 */
export function docsForHover(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    // The blank line keeps the heading its own paragraph instead of running into the text.
    if (heading) out.push(`**${heading[1]}**`, '');
    else out.push(line);
  }
  return out.join('\n').trim();
}

export function findingHoverMarkdown(finding: Finding, meta: RuleMeta | undefined, url: string): string {
  const parts: string[] = [];
  // VS Code already shows the diagnostic's message above this hover; the title names the rule.
  parts.push(meta ? `**${finding.code}** \`${meta.name}\`` : `**${finding.code}** — ${finding.message}`);
  if (finding.noFixReason) parts.push(`**No automatic fix:** ${finding.noFixReason}`);
  if (finding.evidence && finding.evidence.length > 0) {
    parts.push(['**Why Concurrency Lens thinks so**', ...finding.evidence.map((e) => `- ${e}`)].join('\n'));
  }
  // The same page as docs/rules/CLxxx.md and `conclens explain`, minus its title.
  if (meta) parts.push(docsForHover(stripLeadingTitle(renderRulePage(meta), finding.code)));
  parts.push(`[${finding.code} documentation](${url})`);
  return parts.join('\n\n');
}

// A docs page may open with its own `# CL101: name` title, which the hover already shows.
function stripLeadingTitle(markdown: string, code: string): string {
  const m = /^\s*#\s+([^\n]*)\n/.exec(markdown);
  return m && m[1].includes(code) ? markdown.slice(m[0].length) : markdown;
}
