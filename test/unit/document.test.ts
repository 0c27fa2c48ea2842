// Incremental re-parsing gives the same tree as a fresh parse, and does not leak trees.
import { strict as assert } from 'node:assert';
import { CHANGED_RANGES_MAX_DEPTH, indentDepthsBound, MAX_INDENT_DEPTHS, NotParsedError, ParseTimeoutError, parserText, PyDocument } from '../../src/core/parse/document';
import { getLinter } from './helpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** tree-sitter's own row/column of every node (what the edits' points keep right). */
function positions(doc: PyDocument): string {
  const out: string[] = [];
  const c = doc.tree.walk();
  for (;;) {
    out.push(`${c.startPosition.row}:${c.startPosition.column}-${c.endPosition.row}:${c.endPosition.column}`);
    if (c.gotoFirstChild()) continue;
    let done = false;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  c.delete();
  return out.join(' ');
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
      assert.equal(positions(doc), positions(fresh), `edit ${i}: tree-sitter's positions diverged`);
      fresh.dispose();
    }
    doc.dispose();
  });

  it('says what changed since a version: the span the updates in between covered', async () => {
    const linter = await getLinter();
    const doc = new PyDocument(linter.grammar, 'a = 1\nb = 2\nc = 3\n');
    assert.deepEqual(doc.changedSince(0), { start: 0, oldEnd: 0, newEnd: 0 });
    doc.update([{ start: 4, deleted: 1, text: '10' }]); // a = 10
    assert.deepEqual(doc.changedSince(0), { start: 4, oldEnd: 5, newEnd: 6 });
    doc.update([{ start: 15, deleted: 1, text: '' }]); // the `=` of `c = 3` (offset 15 after the first edit)
    // Over both: from the first edit's start to the second's end, in each text's offsets.
    assert.deepEqual(doc.changedSince(0), { start: 4, oldEnd: 15, newEnd: 15 });
    assert.deepEqual(doc.changedSince(1), { start: 15, oldEnd: 16, newEnd: 15 });
    assert.equal(doc.changedSince(5), undefined, 'a version the document never had');
    // Replacing the whole text forgets the log; so do more updates than it keeps.
    doc.setText('x = 1\n');
    assert.equal(doc.changedSince(2), undefined);
    for (let i = 0; i < 20; i++) doc.update([{ start: 0, deleted: 0, text: 'y' }]);
    assert.equal(doc.changedSince(3), undefined);
    assert.deepEqual(doc.changedSince(doc.version - 2), { start: 0, oldEnd: 0, newEnd: 2 });
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

/** The engine's tree copy, as one comparable string. */
function syntaxSignature(doc: PyDocument): string {
  const s = doc.syntax;
  return [s.types, s.starts, s.ends, s.parents, s.after, s.fields, s.flags].map((a) => Array.from(a).join(',')).join('\n');
}

describe('PyDocument: line endings, parse budget, deep trees', () => {
  it('parses a lone CR as a line break, as Python does, without moving any offset', async () => {
    const linter = await getLinter();
    const text = 'import asyncio\rimport time\r\rasync def main():\r    time.sleep(1)\r';
    assert.equal(parserText(text).length, text.length);
    assert.equal(parserText('a = 1\r\nb = 2\r\n'), 'a = 1\r\nb = 2\r\n', 'CRLF is left alone');
    const doc = new PyDocument(linter.grammar, text);
    assert.deepEqual(doc.syntax.rootNode.namedChildren.map((n) => n.type), ['import_statement', 'import_statement', 'function_definition']);
    assert.equal(doc.syntax.rootNode.hasError, false);
    assert.equal(doc.syntax.rootNode.text, text, 'node text is the document text');
    assert.deepEqual(linter.lintDocument(doc).findings.map((f) => f.code), ['CL101']);
    doc.dispose();
  });

  it('keeps the incremental tree right when edits turn lone CRs into CRLFs and back', async () => {
    const linter = await getLinter();
    const doc = new PyDocument(linter.grammar, 'import time\rasync def f():\r    x = 1\r    time.sleep(x)\r');
    doc.syntax;
    const rand = rng(11);
    const inserts = ['\r', '\n', '\r\n', 'x', ' = 2', '    y = 3\r', ''];
    for (let i = 0; i < 300; i++) {
      const start = Math.floor(rand() * (doc.text.length + 1));
      const deleted = Math.min(Math.floor(rand() * 3), doc.text.length - start);
      doc.update([{ start, deleted, text: inserts[Math.floor(rand() * inserts.length)] }]);
      const fresh = new PyDocument(linter.grammar, doc.text);
      assert.equal(doc.tree.rootNode.toString(), fresh.tree.rootNode.toString(), `edit ${i} diverged: ${JSON.stringify(doc.text)}`);
      assert.equal(positions(doc), positions(fresh), `edit ${i}: tree-sitter's positions diverged`);
      assert.equal(syntaxSignature(doc), syntaxSignature(fresh), `edit ${i}: tree copy diverged`);
      fresh.dispose();
    }
    doc.dispose();
  });

  it('gives up a parse that runs over its budget, and recovers on the next edit', async () => {
    const linter = await getLinter();
    // UTF-16 shown as UTF-8: tree-sitter's error recovery crawls on it.
    const garbage = new TextDecoder().decode(Buffer.from('async def f(x):\n    return [y for y in x if y]\n'.repeat(300), 'utf16le'));
    const tight = { parseBudget: () => 20 };
    assert.throws(() => new PyDocument(linter.grammar, garbage, 'g.py', undefined, tight), (e: unknown) => e instanceof ParseTimeoutError && /g\.py: tree-sitter did not finish parsing it within 0\.0 s/.test(e.message));

    const good = 'import time\n\nasync def f():\n    time.sleep(1)\n';
    const doc = new PyDocument(linter.grammar, good, 'g.py', undefined, tight);
    doc.syntax;
    // An edit that pastes the garbage: the update throws, and so does reading the tree.
    doc.update([{ start: good.length, deleted: 0, text: 'pass\n' }]);
    assert.throws(() => doc.update([{ start: 0, deleted: 0, text: garbage }]), ParseTimeoutError);
    assert.equal(doc.text, garbage + good + 'pass\n');
    assert.throws(() => doc.syntax, ParseTimeoutError);
    // Undoing the paste: the (edited) old tree is reused, and the result is a fresh parse's.
    doc.update([{ start: 0, deleted: garbage.length, text: '' }]);
    const fresh = new PyDocument(linter.grammar, doc.text);
    assert.equal(syntaxSignature(doc), syntaxSignature(fresh));
    assert.deepEqual(linter.lintDocument(doc).findings.map((f) => f.code), ['CL101']);
    // The same through setText (no old tree to edit): the next update parses afresh.
    assert.throws(() => doc.setText(garbage), ParseTimeoutError);
    doc.update([{ start: 0, deleted: garbage.length, text: good }]);
    assert.equal(doc.text, good);
    assert.equal(syntaxSignature(doc), syntaxSignature(new PyDocument(linter.grammar, good)));
    fresh.dispose();
    doc.dispose();
  });

  it('reads a very deep tree afresh after an edit instead of asking tree-sitter for changed ranges', async () => {
    const linter = await getLinter();
    const depth = 3 * CHANGED_RANGES_MAX_DEPTH;
    const deep = `import time\nx = ${'['.repeat(depth)}1${']'.repeat(depth)}\nasync def f():\n    time.sleep(1)\n`;
    const shallow = 'import time\nx = [[1]]\nasync def f():\n    time.sleep(1)\n';
    for (const [text, expectCalls] of [[deep, 0], [shallow, 1]] as const) {
      const doc = new PyDocument(linter.grammar, text);
      assert.equal(doc.syntax.maxDepth > CHANGED_RANGES_MAX_DEPTH, text === deep, `maxDepth ${doc.syntax.maxDepth}`);
      const proto = Object.getPrototypeOf(doc.tree) as { getChangedRanges: (...a: unknown[]) => unknown };
      const original = proto.getChangedRanges;
      let calls = 0;
      proto.getChangedRanges = function (this: unknown, ...a: unknown[]) {
        calls++;
        return original.apply(this, a);
      };
      try {
        doc.update([{ start: text.length, deleted: 0, text: 'y = 2\n' }]);
      } finally {
        proto.getChangedRanges = original;
      }
      assert.equal(calls, expectCalls);
      const fresh = new PyDocument(linter.grammar, doc.text);
      assert.equal(syntaxSignature(doc), syntaxSignature(fresh));
      assert.equal(doc.syntax.maxDepth, fresh.syntax.maxDepth);
      fresh.dispose();
      doc.dispose();
    }
  });
});

describe('PyDocument: indentation tree-sitter cannot hold', () => {
  it('bounds the scanner\'s indentation stack as the scanner measures widths', () => {
    assert.equal(indentDepthsBound('if x:\n  a\n    b\n\tc\n    d\n'), 3, 'spaces 2, 4; a tab is 8');
    assert.equal(indentDepthsBound('x = 1\n  \\\n  y\n'), 2, 'a backslash-newline continues the run (4), and the break after it starts one (2)');
    assert.equal(indentDepthsBound('x\n    \f  y\n  \r z\n'), 2, 'form feed and CR start the width again');
    assert.equal(indentDepthsBound(''), 0);
  });

  it('refuses text whose indentation would overrun the scanner\'s state (a wasm memory fault), and parses the next text fine', async () => {
    const linter = await getLinter();
    // An unterminated triple-quoted string, then 512 nested blocks: with one string delimiter
    // open, the scanner's state passes its 1,024-byte buffer (seed 1 case 4458 of the fuzzer).
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i + 4)}if x:\n`).join('');
    const bad = `    CSS = open("theme""".css").read() if ok else ""\n    async def reload(self):\n${chain(512)}`;
    assert.ok(indentDepthsBound(bad) > MAX_INDENT_DEPTHS);
    assert.throws(() => new PyDocument(linter.grammar, bad, 'deep.py'), (e: unknown) => e instanceof NotParsedError && /deep\.py: it indents lines to more than 300 different depths/.test(e.message));
    // The limit holds for edits too: the document keeps the text, and reports it unparsed.
    const doc = new PyDocument(linter.grammar, 'import time\n');
    assert.throws(() => doc.update([{ start: 0, deleted: 0, text: bad }]), NotParsedError);
    assert.throws(() => doc.syntax, NotParsedError);
    doc.update([{ start: 0, deleted: bad.length, text: '' }]);
    assert.equal(doc.syntax.rootNode.namedChildren[0].type, 'import_statement');
    doc.dispose();
    // Under the limit: parsed as usual.
    const fine = new PyDocument(linter.grammar, `def f(x):\n${chain(MAX_INDENT_DEPTHS - 2)}${' '.repeat(MAX_INDENT_DEPTHS + 2)}pass\n`);
    assert.equal(fine.syntax.rootNode.hasError, false);
    fine.dispose();
    // tree-sitter's memory is intact: ordinary code still parses (the fault showed on the next parse).
    for (let i = 0; i < 3; i++) assert.deepEqual(linter.lintText('import time\nasync def f():\n    time.sleep(1)\n', 'ok.py').findings.map((f) => f.code), ['CL101']);
  });
});

describe('PyDocument: the indentation bound across edits', () => {
  it('counts afresh when edits could have added depths past the limit, one keystroke at a time or pasted', async () => {
    const linter = await getLinter();
    // A long ordinary file, then nested blocks typed in one line at a time: the running bound
    // must catch the text before tree-sitter sees more depths than it can hold.
    const base = 'import time\n\n\ndef f(x):\n    return x\n\n'.repeat(200);
    const doc = new PyDocument(linter.grammar, base, 'typed.py');
    doc.syntax;
    let refused = false;
    for (let i = 0; i < 600 && !refused; i++) {
      const line = `${' '.repeat(i + 1)}if x:\n`;
      try {
        doc.update([{ start: doc.text.length, deleted: 0, text: line }]);
      } catch (err) {
        assert.ok(err instanceof NotParsedError, String(err));
        refused = true;
      }
      if (!refused) assert.ok(indentDepthsBound(parserText(doc.text)) <= MAX_INDENT_DEPTHS, `edit ${i}: over the limit and still parsed`);
    }
    assert.ok(refused, 'the depths added one line at a time were caught');
    // A lone CR is a line break to the scanner: CR-separated lines count as lines.
    const crLines = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 1)}if x:`).join('\r');
    assert.ok(indentDepthsBound(parserText(`x = 1\r${crLines}\r`)) > MAX_INDENT_DEPTHS);
    assert.throws(() => new PyDocument(linter.grammar, `x = 1\r${crLines}\r`, 'cr.py'), NotParsedError);
    doc.dispose();
  });
});
