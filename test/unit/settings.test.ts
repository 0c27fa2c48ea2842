// Settings applied by the engine: select/ignore by code or prefix, per-code severity,
// user-declared blocking calls.
import { strict as assert } from 'node:assert';
import { isEnabled } from '../../src/core/config/select';
import { getLinter } from './helpers';

describe('settings in the engine', () => {
  it('select and ignore: prefixes, ALL, the more specific wins, ties go to ignore', () => {
    assert.ok(isEnabled('CL101', {}));
    assert.ok(!isEnabled('CL101', { ignore: ['CL1'] }));
    assert.ok(isEnabled('CL102', { select: ['CL1'], ignore: ['CL101'] }));
    assert.ok(!isEnabled('CL101', { select: ['CL1'], ignore: ['CL101'] }));
    assert.ok(isEnabled('CL101', { select: ['CL101'], ignore: ['CL1'] }));
    assert.ok(!isEnabled('CL201', { select: ['CL1'] }));
    assert.ok(!isEnabled('CL101', { select: ['ALL'], ignore: ['ALL'] }));
    assert.ok(isEnabled('CL101', { select: ['all'] }));
  });

  it('severity overrides per code', async () => {
    const linter = await getLinter();
    const text = 'import time\nasync def f():\n    time.sleep(1)\n';
    assert.equal(linter.lintText(text, 't.py').findings[0].severity, 'warning');
    assert.equal(linter.lintText(text, 't.py', { severity: { CL101: 'error' } }).findings[0].severity, 'error');
  });

  it('extend-blocking-calls adds functions and methods, with their code', async () => {
    const linter = await getLinter();
    const text = 'import mylib\nasync def f(c: mylib.Client):\n    mylib.fetch(1)\n    c.query(2)\n    mylib.other()\n';
    const plain = linter.lintText(text, 't.py').findings;
    assert.equal(plain.length, 0);
    const found = linter.lintText(text, 't.py', {
      extendBlockingCalls: [
        { name: 'mylib.fetch', code: 'CL102' },
        { name: 'mylib.Client.query', code: 'CL105' },
      ],
    }).findings;
    assert.deepEqual(found.map((f) => f.code), ['CL102', 'CL105']);
    assert.ok(found.every((f) => f.fix?.edits.some((e) => e.content.includes('asyncio.to_thread'))));
  });
});
