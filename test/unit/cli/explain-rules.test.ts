import { strict as assert } from 'node:assert';
import { allRules } from '../../../src/core/rules/index';
import { renderRulePage } from '../../../src/core/rules/docs';
import { removeTree, run, tempTree } from './helpers';

describe('conclens explain / rules', () => {
  let dir = '';
  before(() => (dir = tempTree({})));
  after(() => removeTree(dir));

  it('explain prints the rule page (any case)', async () => {
    const r = await run(dir, ['explain', 'cl101']);
    assert.equal(r.code, 0);
    const meta = allRules.find((x) => x.meta.code === 'CL101')?.meta;
    assert.ok(meta);
    assert.equal(r.stdout, renderRulePage(meta));
    assert.ok(r.stdout.startsWith('# CL101: '));
    for (const section of ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety']) {
      assert.ok(r.stdout.includes(section), section);
    }
  });

  it('explain: unknown code exits 2 with a message', async () => {
    const r = await run(dir, ['explain', 'CL999']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'conclens: unknown rule code "CL999" (see conclens rules)\n');
    assert.equal((await run(dir, ['explain'])).code, 2);
  });

  it('rules --format json: the catalogue as {code,name,summary,severity,fixable,url}', async () => {
    const r = await run(dir, ['rules', '--format', 'json']);
    assert.equal(r.code, 0);
    const arr = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(arr.length, allRules.length);
    for (const row of arr) assert.deepEqual(Object.keys(row), ['code', 'name', 'summary', 'severity', 'fixable', 'url']);
    assert.ok(arr.some((x) => x.code === 'CL101'));
  });

  it('rules: a text table', async () => {
    const r = await run(dir, ['rules']);
    assert.equal(r.stdout.trimEnd().split('\n').length, allRules.length);
    assert.match(r.stdout, /^CL101 /);
  });
});
