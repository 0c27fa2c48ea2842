import { strict as assert } from 'node:assert';
import type { Finding, RuleMeta } from '../../../src/core/index';
import { docsForHover, findingHoverMarkdown } from '../../../src/extension/hover-text';

const meta: RuleMeta = {
  code: 'CL101',
  name: 'blocking-sleep-in-async',
  family: 'event-loop',
  summary: 'time.sleep in a coroutine',
  severity: 'warning',
  fixable: true,
  docs: '# CL101: blocking-sleep-in-async\n\n## What it does\nFinds `time.sleep`.\n\n## Example\n```python\n# not a heading\nasync def f():\n    time.sleep(1)\n```\n',
};

describe('hover text', () => {
  it('turns headings into bold lines but leaves code blocks alone', () => {
    const out = docsForHover(meta.docs);
    assert.ok(out.includes('**What it does**'));
    assert.ok(out.includes('# not a heading'));
  });

  it('shows the rule, the finding facts, the docs and a link', () => {
    const finding: Finding = {
      code: 'CL101',
      message: '`time.sleep()` blocks the event loop',
      severity: 'warning',
      span: { start: 0, end: 1 },
      noFixReason: 'the result is used',
      evidence: ['`t` is `time` (line 1)'],
    };
    const md = findingHoverMarkdown(finding, meta, 'https://x/CL101.md');
    assert.ok(md.startsWith('**CL101** `blocking-sleep-in-async`'));
    assert.ok(md.includes('**No automatic fix:** the result is used'));
    assert.ok(md.includes('- `t` is `time` (line 1)'));
    assert.ok(md.includes('**What it does**'));
    assert.ok(md.includes('time.sleep in a coroutine'), 'the summary from the rule page');
    assert.ok(!md.includes('# CL101: blocking'), 'the page title is dropped');
    assert.ok(md.trimEnd().endsWith('[CL101 documentation](https://x/CL101.md)'));
  });

  it('works without rule metadata', () => {
    const md = findingHoverMarkdown({ code: 'CL999', message: 'm', severity: 'hint', span: { start: 0, end: 0 } }, undefined, 'u');
    assert.equal(md, '**CL999** — m\n\n[CL999 documentation](u)');
  });
});
