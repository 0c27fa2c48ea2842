// Sliced linting of large documents (src/extension/slicing.ts + Linter.lintSteps): the event
// loop gets turns between steps, a cancelled job stops, and the sliced lint finds exactly
// what the one-go lint finds.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PyDocument } from '../../../src/core/parse/document';
import { runSliced } from '../../../src/extension/slicing';
import { FIXTURES, getLinter, listFiles } from '../helpers';

/** Steps that each take `cost` ms of a fake clock; `finished` records a clean end. */
function* costly(clock: { t: number }, steps: number, cost: number, log: string[]): Generator<string, string, void> {
  try {
    for (let i = 0; i < steps; i++) {
      clock.t += cost;
      log.push(`step ${i}`);
      yield `step ${i}`;
    }
    return 'done';
  } finally {
    log.push('finally');
  }
}

describe('sliced linting', () => {
  it('gives the event loop a turn whenever a slice has used its budget', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    const timer = setTimeout(() => log.push('timer'), 0);
    const result = await runSliced(costly(clock, 6, 10, log), { budgetMs: 15, cancelled: () => false, now: () => clock.t });
    clearTimeout(timer);
    assert.equal(result, 'done');
    assert.ok(log.indexOf('timer') > 0 && log.indexOf('timer') < log.indexOf('step 5'), `the timer ran between steps: ${log.join(', ')}`);
  });

  it('runs a job within its budget in one go', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    let turns = 0;
    const result = await runSliced(costly(clock, 6, 1, log), { budgetMs: 100, cancelled: () => false, now: () => clock.t, yieldNow: async () => void turns++ });
    assert.equal(result, 'done');
    assert.equal(turns, 0);
  });

  it('stops a cancelled job at its next turn, closing the generator', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    let cancel = false;
    const result = await runSliced(costly(clock, 10, 10, log), {
      budgetMs: 15,
      cancelled: () => cancel,
      now: () => clock.t,
      yieldNow: async () => {
        cancel = true;
      },
    });
    assert.equal(result, undefined);
    assert.ok(!log.includes('step 9'), 'no step after the cancel');
    assert.equal(log[log.length - 1], 'finally');
  });

  it('a lint in slices finds what lintDocument finds (every fixture, a turn after every step)', async () => {
    const linter = await getLinter();
    let files = 0;
    for (const file of listFiles(FIXTURES, '.py')) {
      const text = readFileSync(file, 'utf8');
      const name = join('fixtures', file.slice(FIXTURES.length + 1));
      const a = new PyDocument(linter.grammar, text, name);
      const b = new PyDocument(linter.grammar, text, name);
      try {
        const whole = linter.lintDocument(a, { select: ['ALL'] });
        let turns = 0;
        const sliced = await runSliced(linter.lintSteps(b, { select: ['ALL'] }), { budgetMs: 0, cancelled: () => false, yieldNow: async () => void turns++ });
        assert.ok(sliced, name);
        assert.deepEqual(sliced.findings, whole.findings, name);
        assert.deepEqual(sliced.syntaxErrors, whole.syntaxErrors, name);
        assert.ok(turns >= 20, `${name}: ${turns} turns (one per step)`);
        files++;
      } finally {
        a.dispose();
        b.dispose();
      }
    }
    assert.ok(files > 20);
  });

  it('edits to the document while a sliced lint runs do not change what it reports', async () => {
    const linter = await getLinter();
    const text = 'import asyncio, time\n\nasync def main():\n    time.sleep(1)\n';
    const doc = new PyDocument(linter.grammar, text, 'edit.py');
    try {
      const result = await runSliced(linter.lintSteps(doc, {}), {
        budgetMs: 0,
        cancelled: () => false,
        yieldNow: async () => {
          if (doc.text === text) doc.update([{ start: 0, deleted: doc.text.length, text: 'x = 1\n' }]);
        },
      });
      assert.deepEqual(result?.findings.map((f) => f.code), ['CL101']);
    } finally {
      doc.dispose();
    }
  });

  it('a large document opens with its parse in slices, to the same tree as one parse', async () => {
    const linter = await getLinter();
    const fixtures = listFiles(FIXTURES, '.py').map((f) => readFileSync(f, 'utf8'));
    let text = '';
    while (text.length < 600_000) text += fixtures.join('\n');
    let turns = 0;
    const doc = await runSliced(PyDocument.openSteps(linter.grammar, text, 'big.py', 1), { budgetMs: 0, cancelled: () => false, yieldNow: async () => void turns++ });
    assert.ok(doc);
    const whole = new PyDocument(linter.grammar, text, 'big.py');
    try {
      assert.ok(turns >= 3, `${turns} turns`);
      const a = doc.syntax;
      const b = whole.syntax;
      assert.equal(a.count, b.count);
      for (const key of ['types', 'starts', 'ends', 'fields', 'parents', 'after', 'flags'] as const) {
        assert.ok(a[key].every((v, i) => v === b[key][i]), key);
      }
      assert.deepEqual(linter.lintDocument(doc).findings, linter.lintDocument(whole).findings);
    } finally {
      doc.dispose();
      whole.dispose();
    }
  });

  it('a sliced open that is cancelled frees its parser, and the next parse starts afresh', async () => {
    const linter = await getLinter();
    const text = `${'x = [1, 2, 3]\n'.repeat(60_000)}import time\nasync def f():\n    time.sleep(1)\n`;
    const cancelled = await runSliced(PyDocument.openSteps(linter.grammar, text, 'big.py', 1), { budgetMs: 0, cancelled: () => true });
    assert.equal(cancelled, undefined);
    const doc = new PyDocument(linter.grammar, text, 'big.py');
    try {
      assert.deepEqual(linter.lintDocument(doc).findings.map((f) => f.code), ['CL101']);
    } finally {
      doc.dispose();
    }
  });
});
