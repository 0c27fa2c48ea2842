// Lines nested very deep (a 1 MB line of calls, attributes, subscripts, unpacking targets,
// brackets): the engine neither overflows the call stack nor goes quadratic (a walk up the
// parents per call did: 100,000 nested calls took minutes; mocha's timeout catches a relapse).
import { strict as assert } from 'node:assert';
import { getLinter } from './helpers';

const SLEEPY = 'import time\n\n\nasync def f():\n    time.sleep(1)\n';

const SHAPES: Record<string, string> = {
  'attribute chain': `y = a${'.x'.repeat(200_000)}\n`,
  'call chain': `y = f${'()'.repeat(100_000)}\n`,
  'method call chain': `y = a${'.x()'.repeat(50_000)}\n`,
  subscripts: `y = a${'[0]'.repeat(100_000)}\n`,
  'nested unpacking target': `${'('.repeat(5_000)}a${', b)'.repeat(5_000)} = 1\n`,
  'nested for target': `for ${'('.repeat(5_000)}a${', b)'.repeat(5_000)} in x: pass\n`,
  'unclosed brackets': `x = ${'['.repeat(10_000)}\n`,
  'nested lambdas': `y = ${'lambda: '.repeat(20_000)}1\n`,
  'awaits in a row': `async def g():\n    y = ${'await '.repeat(20_000)}x\n`,
  'main guard around deep calls': `if __name__ == "__main__":\n    y = f${'()'.repeat(50_000)}\n`,
};

describe('deep inputs', function () {
  this.timeout(60_000);
  for (const [shape, line] of Object.entries(SHAPES)) {
    it(`${shape}: lints, and still finds the blocking call before it`, async () => {
      const linter = await getLinter();
      const r = linter.lintText(`${SLEEPY}${line}`, 'deep.py', { select: ['ALL'] });
      assert.equal(r.findings[0]?.code, 'CL101', shape);
    });
  }
});
