// Incremental re-parsing gives the same tree as a fresh parse, and does not leak trees.
import { strict as assert } from 'node:assert';
import { PyDocument } from '../../src/core/parse/document';
import { getLinter } from './helpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('PyDocument', () => {
  it('incremental edits produce the same tree as a full parse', async () => {
    const linter = await getLinter();
    const base = 'import time\n\nasync def main():\n    x = 1\n    time.sleep(x)\n    return "é😀"\n';
    const doc = new PyDocument(linter.grammar, base);
    const rand = rng(7);
    const inserts = ['\n', ' ', 'time.sleep(1)', 'x', '(', ')', '😀', '    await foo()\n', ''];
    for (let i = 0; i < 300; i++) {
      const start = Math.floor(rand() * (doc.text.length + 1));
      const deleted = Math.min(Math.floor(rand() * 4), doc.text.length - start);
      const text = inserts[Math.floor(rand() * inserts.length)];
      doc.update([{ start, deleted, text }]);
      const fresh = new PyDocument(linter.grammar, doc.text);
      assert.equal(doc.tree.rootNode.toString(), fresh.tree.rootNode.toString(), `edit ${i} diverged`);
      fresh.dispose();
    }
    doc.dispose();
  });

  it('applies several changes of one event in order', async () => {
    const linter = await getLinter();
    const doc = new PyDocument(linter.grammar, 'a = 1\nb = 2\n');
    // VS Code orders multi-cursor changes from the end of the document backwards.
    doc.update([
      { start: 10, deleted: 1, text: '20' },
      { start: 4, deleted: 1, text: '10' },
    ]);
    assert.equal(doc.text, 'a = 10\nb = 20\n');
    assert.equal(doc.version, 1);
    doc.dispose();
  });

  it('lints the same after incremental edits as after a fresh parse', async () => {
    const linter = await getLinter();
    const doc = new PyDocument(linter.grammar, 'import time\n\nasync def main():\n    pass\n');
    const at = doc.text.indexOf('pass');
    doc.update([{ start: at, deleted: 4, text: 'time.sleep(1)' }]);
    const codes = linter.lintDocument(doc).findings.map((f) => f.code);
    assert.deepEqual(codes, ['CL101']);
    doc.dispose();
  });
});
