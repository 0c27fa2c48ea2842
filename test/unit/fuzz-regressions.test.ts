// Regressions the fuzzer found that a fixture cannot state (fixture marks say which codes
// are reported, not what a fix writes or whether one is offered).
import { strict as assert } from 'node:assert';
import { applyEdits } from '../../src/core/text';
import { parseErrors } from '../fuzz/properties';
import { getLinter } from './helpers';

const HEAD = 'import asyncio\nimport requests\n\n\nasync def fetch(url):\n';

describe('fuzz regressions', () => {
  it('a call with a syntax error in it gets no rewrite (it would copy the broken text), and says why', async () => {
    const linter = await getLinter();
    let seen = 0;
    for (const call of ['requests.get(url, ;)', 'requests.get(url, timeout=5', 'requests.get(url,, 5)']) {
      const r = linter.lintText(`${HEAD}    return ${call}\n`, 'a.py');
      const f = r.findings.find((x) => x.code === 'CL102');
      if (!f) continue; // error recovery may not even see a call
      seen++;
      assert.equal(f.fix, undefined, call);
      assert.match(f.noFixReason ?? '', /syntax error/, call);
    }
    assert.ok(seen >= 2, `only ${seen} of the broken calls were reported`);
  });

  it('the to_thread rewrite keeps a trailing comment on its own line, before the closing parenthesis', async () => {
    const linter = await getLinter();
    const text = `${HEAD}    return requests.get(\n        url,\n        timeout=5,  # seconds\n    )\n`;
    const f = linter.lintText(text, 'a.py').findings.find((x) => x.code === 'CL102');
    assert.ok(f?.fix);
    const fixed = applyEdits(text, f.fix.edits);
    assert.match(fixed, /await asyncio\.to_thread\(requests\.get, url,\n {8}timeout=5, {2}# seconds\n\)/);
    assert.equal(parseErrors(linter, fixed), 0);
  });
});
