// Renders a rule's documentation page from its metadata. The same text is the committed
// docs/rules/CLxxx.md, the output of `conclens explain`, and the editor hover, so there is
// one source (the rule's docs markdown) and a test that fails when the pages drift.
import type { RuleFamily, RuleMeta } from '../types';

const FAMILY_TITLES: Record<RuleFamily, string> = {
  'event-loop': 'Blocking the event loop',
  asyncio: 'asyncio correctness',
  threads: 'Threads and the GIL',
  multiprocessing: 'Multiprocessing',
};

export function familyTitle(family: RuleFamily): string {
  return FAMILY_TITLES[family] ?? family;
}

/** `# CL101: name`, the summary, a facts table, then the rule's own sections. */
export function renderRulePage(meta: RuleMeta): string {
  const lines = [
    `# ${meta.code}: ${meta.name}`,
    '',
    meta.summary.trim(),
    '',
    '| Default severity | Fixable | Family |',
    '|---|---|---|',
    `| ${meta.severity} | ${meta.fixable ? 'yes' : 'no'} | ${familyTitle(meta.family)} (${meta.code.slice(0, 3)}xx) |`,
    '',
    meta.docs.trim(),
    '',
  ];
  return lines.join('\n');
}

/** docs/rules/README.md: one table row per rule, grouped by family in code order. */
export function renderRuleIndex(metas: readonly RuleMeta[]): string {
  const sorted = [...metas].sort((a, b) => a.code.localeCompare(b.code));
  const out = [
    '# Concurrency Lens rules',
    '',
    'Generated from the rule sources by `npm run docs`; do not edit by hand.',
    '',
  ];
  const families = [...new Set(sorted.map((m) => m.family))];
  if (families.length === 0) out.push('No rules are registered yet.', '');
  for (const family of families) {
    out.push(`## ${familyTitle(family)}`, '', '| Code | Name | Summary | Severity | Fixable |', '|---|---|---|---|---|');
    for (const m of sorted.filter((x) => x.family === family)) {
      const summary = m.summary.trim().replace(/\|/g, '\\|');
      out.push(`| [${m.code}](${m.code}.md) | ${m.name} | ${summary} | ${m.severity} | ${m.fixable ? 'yes' : 'no'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Every generated file under docs/rules/, by file name. */
export function renderRuleDocs(metas: readonly RuleMeta[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of metas) files.set(`${m.code}.md`, renderRulePage(m));
  files.set('README.md', renderRuleIndex(metas));
  return files;
}
