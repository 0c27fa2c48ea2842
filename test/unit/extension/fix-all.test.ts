import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Linter, type Finding } from '../../../src/core/index';
import { fixAllText, minimalEdit, pickSafeEdits } from '../../../src/extension/fix-all';
import { applyEdits } from '../../../src/core/text';

function finding(start: number, end: number, content: string, applicability: 'safe' | 'unsafe' = 'safe', extra: { start: number; end: number; content: string }[] = []): Finding {
  return {
    code: 'CL101',
    message: 'm',
    severity: 'warning',
    span: { start, end },
    fix: { title: 't', applicability, edits: [{ start, end, content }, ...extra] },
  };
}

// A toy linter: every `sleep(` not preceded by `await a.` is a finding whose fix rewrites it
// and inserts `import a\n` at the top when missing.
function toyLint(text: string): Finding[] {
  const out: Finding[] = [];
  const re = /(?<!await a\.)sleep\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const importEdit = text.startsWith('import a\n') ? [] : [{ start: 0, end: 0, content: 'import a\n' }];
    out.push(finding(m.index, m.index + 5, 'await a.sleep', 'safe', importEdit));
  }
  return out;
}

describe('fix all', () => {
  it('picks safe, non-colliding fixes and shares identical edits', () => {
    const edits = pickSafeEdits([
      finding(0, 3, 'A'),
      finding(2, 5, 'B'), // overlaps the first
      finding(10, 12, 'C', 'unsafe'),
      finding(20, 22, 'D', 'safe', [{ start: 0, end: 0, content: 'import x\n' }]),
      finding(30, 32, 'E', 'safe', [{ start: 0, end: 0, content: 'import x\n' }]),
    ]);
    assert.deepEqual(
      edits.map((e) => e.content),
      ['A'],
      'the insertion at 0 touches the first edit, so D and E wait for the next pass',
    );
    const edits2 = pickSafeEdits([
      finding(20, 22, 'D', 'safe', [{ start: 0, end: 0, content: 'import x\n' }]),
      finding(30, 32, 'E', 'safe', [{ start: 0, end: 0, content: 'import x\n' }]),
    ]);
    assert.deepEqual(edits2.map((e) => e.content).sort(), ['D', 'E', 'import x\n'].sort());
  });

  it('repeats until nothing changes', () => {
    const before = 'async def f():\n    sleep(1)\n    sleep(2)\n';
    const { text, passes } = fixAllText(before, toyLint);
    assert.equal(text, 'import a\nasync def f():\n    await a.sleep(1)\n    await a.sleep(2)\n');
    assert.ok(passes >= 1 && passes <= 3);
    assert.equal(fixAllText(text, toyLint).passes, 0, 'idempotent');
  });

  it('stops after the pass limit when fixes keep producing findings', () => {
    const { passes } = fixAllText('x', (t) => [finding(0, t.length, `${t}x`)], 3);
    assert.equal(passes, 3);
  });

  it('builds one minimal edit', () => {
    const a = 'import b\nx = sleep(1)\ny = 2\n';
    const b = 'import b\nx = await a.sleep(1)\ny = 2\n';
    const e = minimalEdit(a, b)!;
    assert.equal(applyEdits(a, [e]), b);
    assert.ok(e.end - e.start <= 6);
    assert.equal(minimalEdit(a, a), undefined);
    const s1 = 'x = "\u{1F600}"';
    const s2 = 'x = "\u{1F601}"';
    const se = minimalEdit(s1, s2)!;
    assert.equal(applyEdits(s1, [se]), s2);
    assert.equal(se.content, '\u{1F601}', 'the surrogate pair is replaced whole');
  });
});

describe('fix all with the real engine', () => {
  it('rewrites every safe finding and adds one import', async () => {
    // The wasm files sit in out/test/unit, one folder above this bundle.
    const linter = await Linter.create({ wasmDir: join(__dirname, '..') });
    const before = 'import time\nimport subprocess\n\nasync def handler():\n    time.sleep(1)\n    subprocess.run(["ls"])\n    time.sleep(2)\n';
    const { text, passes } = fixAllText(before, (t) => linter.lintText(t, 'b.py').findings);
    assert.ok(passes >= 1);
    assert.equal(text.match(/import asyncio/g)?.length, 1, text);
    assert.ok(text.includes('await asyncio.sleep(1)') && text.includes('await asyncio.sleep(2)'), text);
    assert.deepEqual(linter.lintText(text, 'b.py').findings.filter((f) => f.fix?.applicability === 'safe'), []);
  });
});
