// Every rule ships complete: a fixture that exercises it, docs with the fixed sections,
// and, if it is fixable, a fix case in fixes.test.ts.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../src/core/rules/index';
import { FIXTURES, listFiles } from './helpers';

const SECTIONS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety'];

describe('rule catalogue', () => {
  const fixtureText = listFiles(FIXTURES, '.py').map((f) => readFileSync(f, 'utf8')).join('\n');
  const unit = join(process.cwd(), 'test', 'unit');
  const fixTests = readdirSync(unit)
    .filter((n) => /^fixes.*\.test\.ts$/.test(n))
    .map((n) => readFileSync(join(unit, n), 'utf8'))
    .join('\n');
  const codes = new Set<string>();
  for (const rule of allRules) {
    const { code } = rule.meta;
    it(`${code} is complete`, () => {
      assert.match(code, /^CL\d{3}$/);
      assert.ok(!codes.has(code), 'duplicate code');
      codes.add(code);
      assert.match(rule.meta.name, /^[a-z0-9-]+$/);
      let last = -1;
      for (const s of SECTIONS) {
        const at = rule.meta.docs.indexOf(s);
        assert.ok(at > last, `docs section "${s}" missing or out of order`);
        last = at;
      }
      assert.match(fixtureText, new RegExp(`# expect:[^\\n]*${code}`), 'no fixture line expects it');
      if (rule.meta.fixable) assert.ok(fixTests.includes(code), 'fixable but no fix case in test/unit/fixes*.test.ts names it');
    });
  }
});
