// docs/rules/ is generated from the rule sources (npm run docs); this fails when a rule's
// text changed and the committed pages were not regenerated, or a page is left over.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { allRules } from '../../../src/core/rules/index';
import { renderRuleDocs, renderRulePage } from '../../../src/core/rules/docs';
import { docsDrift } from '../../../src/cli/docs';
import { ROOT } from './helpers';

describe('docs/rules', () => {
  it('matches what npm run docs generates', () => {
    const drift = docsDrift(join(ROOT, 'docs', 'rules'), allRules.map((r) => r.meta));
    assert.deepEqual(drift, [], `stale pages: ${drift.join(', ')}; run npm run docs and commit docs/rules`);
  });

  it('a page has the heading, the facts table and the fixed sections', () => {
    for (const { meta } of allRules) {
      const page = renderRulePage(meta);
      assert.ok(page.startsWith(`# ${meta.code}: ${meta.name}\n\n${meta.summary}\n`), meta.code);
      assert.match(page, /\| Default severity \| Fixable \| Family \|/);
      for (const section of ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety']) {
        assert.ok(page.includes(`\n${section}\n`), `${meta.code} lacks "${section}"`);
      }
      assert.ok(page.endsWith('\n') && !page.endsWith('\n\n'));
    }
  });

  it('the index links every page', () => {
    const files = renderRuleDocs(allRules.map((r) => r.meta));
    const index = files.get('README.md') ?? '';
    for (const { meta } of allRules) assert.ok(index.includes(`[${meta.code}](${meta.code}.md)`), meta.code);
    assert.equal(files.size, allRules.length + 1);
  });
});
