// The engine's copy of the syntax tree (src/core/parse/syntax.ts) against web-tree-sitter's
// own Node API, node by node; the fast walk against the public-cursor walk; and the tree kept
// up to date edit by edit against a fresh read of the same tree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node as TsNode } from 'web-tree-sitter';
import { PyDocument } from '../../src/core/parse/document';
import { enableMemoryCursor, SyntaxTree, treeDifference, type SyntaxNode } from '../../src/core/parse/syntax';
import { MEMORY_CURSOR_SAMPLE, memoryCursorProblem } from '../../src/core/parse/grammar';
import { ANONYMOUS_NONTERMINALS, FIELD_PARENT_TYPES } from '../../src/core/parse/field-parents';
import { indexOfName } from '../../src/core/text';
import { FIXTURES, getLinter, listFiles, random } from './helpers';

const BROKEN = [
  '',
  '\n\n',
  'def f(:\n    pass\n',
  'async def g():\n    await (\n',
  'x = [1, 2,\nclass C:\n  def m(self) return 1\n',
  'if True:\n\tpass\n  else:\n',
  's = "unterminated\nprint(s)\n',
  'def f():\n    return 1 +\n\ndef g(): pass\n',
  `${'('.repeat(200)}1${')'.repeat(150)}\n`,
  'lambda: (yield)\n@deco\n',
  'x = 1 # noqa: CL101\n\u00e9t\u00e9 = "\u{1F600}"; print(\u00e9t\u00e9)\n',
];

function sources(): { name: string; text: string }[] {
  const files = listFiles(FIXTURES, '.py').map((f) => ({ name: f.slice(FIXTURES.length + 1), text: readFileSync(f, 'utf8') }));
  return [...files, ...BROKEN.map((text, i) => ({ name: `broken-${i}`, text }))];
}

function sameArrays(a: SyntaxTree, b: SyntaxTree, what: string): void {
  assert.equal(a.count, b.count, `${what}: node count`);
  for (const key of ['types', 'starts', 'ends', 'fields', 'parents', 'after', 'flags'] as const) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < a.count; i++) {
      if (x[i] !== y[i]) assert.fail(`${what}: ${key}[${i}] is ${x[i]}, expected ${y[i]} (node ${b.node(i).type} at ${b.starts[i]})`);
    }
  }
}

/** Pre-order walk of web-tree-sitter's nodes beside the copy's, comparing what the engine reads. */
function compareWithWebTreeSitter(ts: TsNode, mine: SyntaxNode, where: string): void {
  const tsAll: TsNode[] = [];
  const visit = (n: TsNode) => {
    tsAll.push(n);
    for (const c of n.children) if (c) visit(c);
  };
  visit(ts);
  assert.equal(mine.tree.count, tsAll.length, `${where}: node count`);
  tsAll.forEach((t, i) => {
    const m = mine.tree.node(i);
    const at = `${where}: node ${i} (${t.type} at ${t.startIndex})`;
    assert.equal(m.type, t.type, `${at}: type`);
    assert.equal(m.isNamed, t.isNamed, `${at}: isNamed`);
    assert.equal(m.startIndex, t.startIndex, `${at}: startIndex`);
    assert.equal(m.endIndex, t.endIndex, `${at}: endIndex`);
    assert.equal(m.text, t.text, `${at}: text`);
    assert.equal(m.hasError, t.hasError, `${at}: hasError ${JSON.stringify(t.text)}`);
    assert.equal(m.isMissing, t.isMissing, `${at}: isMissing`);
    assert.equal(m.isError, t.isError, `${at}: isError`);
    assert.deepEqual(m.startPosition, t.startPosition, `${at}: startPosition`);
    assert.equal(m.startPosition.row, t.startPosition.row, `${at}: row`);
    assert.equal(m.parent?.startIndex, t.parent?.startIndex, `${at}: parent`);
    assert.equal(m.parent?.type, t.parent?.type, `${at}: parent type`);
    assert.equal(m.childCount, t.childCount, `${at}: childCount`);
    assert.equal(m.namedChildCount, t.namedChildCount, `${at}: namedChildCount`);
    assert.deepEqual(
      m.namedChildren.map((c) => c.startIndex),
      t.namedChildren.map((c) => c?.startIndex),
      `${at}: namedChildren`,
    );
    const empty = (n: SyntaxNode | null) => !!n && n.startIndex === n.endIndex;
    if (!t.parent?.hasError && !empty(m) && !empty(m.nextNamedSibling) && !empty(m.previousSibling)) {
      // (tree-sitter's sibling links skip empty nodes, e.g. the empty block of a half-typed
      // `else:`, which its child lists have; ours do not skip them.)
      assert.equal(m.nextNamedSibling?.startIndex, t.nextNamedSibling?.startIndex, `${at}: nextNamedSibling`);
      assert.equal(m.previousSibling?.startIndex, t.previousSibling?.startIndex, `${at}: previousSibling`);
    }
    // (Children of an ERROR node can carry field ids that tree-sitter's field lookup on the
    // ERROR node itself does not answer; the engine reads no fields of ERROR nodes.)
    for (let k = 0; k < (t.isError ? 0 : t.childCount); k++) {
      const field = t.fieldNameForChild(k);
      if (!field) continue;
      assert.equal(m.childForFieldName(field)?.startIndex, t.childForFieldName(field)?.startIndex, `${at}: field ${field}`);
      assert.deepEqual(
        m.childrenForFieldName(field).map((c) => c.startIndex),
        t.childrenForFieldName(field).map((c) => c?.startIndex),
        `${at}: fields ${field}`,
      );
    }
  });
  for (const types of [['call'], ['identifier', 'string'], ['await'], ['ERROR']]) {
    assert.deepEqual(
      mine.descendantsOfType(types).map((n) => `${n.type}@${n.startIndex}`),
      ts.descendantsOfType(types).map((n) => `${n?.type}@${n?.startIndex}`),
      `${where}: descendantsOfType(${types})`,
    );
  }
  const text = mine.tree.text;
  for (let off = 0; off <= text.length; off += Math.max(1, Math.floor(text.length / 60))) {
    const a = mine.descendantForIndex(off, off);
    const b = ts.descendantForIndex(off, off);
    assert.equal(`${a.type}@${a.startIndex}-${a.endIndex}`, `${b?.type}@${b?.startIndex}-${b?.endIndex}`, `${where}: descendantForIndex(${off})`);
  }
}

const INSERTS = ['q', 'x', ' ', '\n', '(', ')', '"', ':', '\n    ', 'await ', 'async ', '#', 'def f():\n    pass\n', '\t'];

describe('syntax tree copy', () => {
  it('matches web-tree-sitter node by node (fixtures and broken inputs)', async () => {
    const linter = await getLinter();
    assert.ok(linter.grammar.raw, 'the fast walk is available in the tests');
    for (const { name, text } of sources()) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        compareWithWebTreeSitter(doc.tree.rootNode, doc.syntax.rootNode, name);
      } finally {
        doc.dispose();
      }
    }
  });

  it('reads the same arrays through the C exports and through the public cursor', async () => {
    const linter = await getLinter();
    for (const { name, text } of sources()) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        sameArrays(SyntaxTree.from(doc.tree, text, linter.grammar.raw), SyntaxTree.from(doc.tree, text, undefined), name);
      } finally {
        doc.dispose();
      }
    }
  });

  it('reads the tree from wasm memory (the self-check at load passed for the pinned grammar)', async () => {
    const linter = await getLinter();
    assert.equal(memoryCursorProblem, undefined);
    assert.ok(linter.grammar.raw?.memory, 'the memory cursor is on');
  });

  it('reads the same arrays from wasm memory as through the C exports, fuzz failures included', async () => {
    const linter = await getLinter();
    const raw = linter.grammar.raw;
    const dir = join(process.cwd(), 'test', 'fuzz', 'regressions');
    const regressions = listFiles(dir, '.py').map((f) => ({ name: f.slice(dir.length + 1), text: readFileSync(f, 'utf8') }));
    const all = [...sources(), ...regressions, { name: 'sample', text: MEMORY_CURSOR_SAMPLE }];
    let nodes = 0;
    for (const { name, text } of all) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        const memory = SyntaxTree.from(doc.tree, text, raw, true);
        assert.equal(treeDifference(SyntaxTree.from(doc.tree, text, raw, false), memory), undefined, name);
        nodes += memory.count;
      } finally {
        doc.dispose();
      }
    }
    assert.ok(nodes > 100_000, `${nodes} nodes compared`);
  });

  it('walkNamed visits what a walk down namedChildren visits, in the same order, with skip and stop', async () => {
    const linter = await getLinter();
    for (const { name, text } of sources()) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        const root = doc.syntax.rootNode;
        const skip = (n: SyntaxNode) => n.type === 'function_definition' || n.type === 'lambda';
        const expected: number[] = [];
        const down = (n: SyntaxNode) => {
          for (const c of n.namedChildren) {
            expected.push(c.id);
            if (!skip(c)) down(c);
          }
        };
        down(root);
        const seen: number[] = [];
        root.walkNamed((n) => {
          seen.push(n.id);
          return skip(n) ? 'skip' : undefined;
        });
        assert.deepEqual(seen, expected, name);
        const stopAt = expected[Math.floor(expected.length / 2)];
        const upTo: number[] = [];
        root.walkNamed((n) => {
          upTo.push(n.id);
          return n.id === stopAt ? 'stop' : skip(n) ? 'skip' : undefined;
        });
        assert.deepEqual(upTo, expected.slice(0, expected.indexOf(stopAt) + 1), `${name}: stop`);
      } finally {
        doc.dispose();
      }
    }
  });

  it('keeps the exported cursor when the grammar\'s memory layout is not the expected one', async () => {
    const linter = await getLinter();
    const raw = linter.grammar.raw;
    assert.ok(raw);
    const saved = raw.memory;
    const doc = new PyDocument(linter.grammar, MEMORY_CURSOR_SAMPLE, 'sample.py');
    try {
      // A language object whose address points at zeros instead of a TSLanguage.
      const real = linter.grammar.language;
      const fake = { 0: 64, abiVersion: real.abiVersion, nodeTypeCount: real.nodeTypeCount, fieldCount: real.fieldCount, fieldNameForId: (id: number) => real.fieldNameForId(id) };
      const why = enableMemoryCursor(raw, fake as unknown as typeof real, doc.tree, MEMORY_CURSOR_SAMPLE);
      assert.match(why ?? '', /layout/);
      assert.equal(raw.memory, undefined);
      // And the real one passes again.
      assert.equal(enableMemoryCursor(raw, linter.grammar.language, doc.tree, MEMORY_CURSOR_SAMPLE), undefined);
      assert.ok(raw.memory);
    } finally {
      raw.memory = saved;
      doc.dispose();
    }
  });

  it('after each edit, the updated copy equals a fresh read of the new tree', async () => {
    const linter = await getLinter();
    const rand = random(20261128);
    const files = sources().filter((s) => s.text.length > 200);
    assert.ok(files.length >= 10);
    let edits = 0;
    for (const { name, text } of files) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        void doc.syntax;
        for (let k = 0; k < 40; k++) {
          const t = doc.text;
          const start = Math.floor(rand() * (t.length + 1));
          const deleted = rand() < 0.3 ? Math.min(t.length - start, Math.floor(rand() * 6)) : 0;
          const inserted = deleted > 0 && rand() < 0.5 ? '' : INSERTS[Math.floor(rand() * INSERTS.length)];
          if (rand() < 0.7) doc.update([{ start, deleted, text: inserted }]);
          else {
            // One update of several changes (the editor batches what was typed between lints).
            const batch = [];
            let len = doc.text.length;
            for (let j = 2 + Math.floor(rand() * 4); j > 0; j--) {
              const s = Math.floor(rand() * (len + 1));
              const d = rand() < 0.3 ? Math.min(len - s, Math.floor(rand() * 4)) : 0;
              const ins = INSERTS[Math.floor(rand() * INSERTS.length)];
              batch.push({ start: s, deleted: d, text: ins });
              len += ins.length - d;
            }
            doc.update(batch);
          }
          if (rand() < 0.1) doc.update([{ start: Math.min(start, doc.text.length), deleted: 0, text: 'y' }]); // two updates before a read
          const incremental = doc.syntax;
          const fresh = SyntaxTree.from(doc.tree, doc.text, linter.grammar.raw);
          sameArrays(incremental, fresh, `${name} edit ${k}`);
          // Rows and columns too (an edit without line breaks moves the last copy's line starts).
          for (let o = 0; o <= doc.text.length; o += o + 61 > doc.text.length && o < doc.text.length ? doc.text.length - o : 61) {
            assert.deepEqual(incremental.pointAt(o), fresh.pointAt(o), `${name} edit ${k}: position of offset ${o}`);
          }
          edits++;
        }
        compareWithWebTreeSitter(doc.tree.rootNode, doc.syntax.rootNode, `${name} after edits`);
      } finally {
        doc.dispose();
      }
    }
    assert.ok(edits >= 400);
  });
});

describe('syntax tree copy: the field parents table', () => {
  it('lists exactly the node types with fields in the grammar\'s node-types.json', () => {
    const nodeTypes = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'tree-sitter-python', 'src', 'node-types.json'), 'utf8')) as { type: string; named: boolean; fields?: Record<string, unknown> }[];
    const withFields = nodeTypes.filter((t) => t.named && t.fields && Object.keys(t.fields).length > 0).map((t) => t.type).sort();
    assert.deepEqual([...FIELD_PARENT_TYPES], withFields);
  });

  it('lists exactly the anonymous node types that are rules, not tokens (string aliases in grammar.json)', () => {
    const grammar = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'tree-sitter-python', 'src', 'grammar.json'), 'utf8')) as { rules: unknown };
    const found = new Set<string>();
    const visit = (r: unknown): void => {
      if (!r || typeof r !== 'object') return;
      const rule = r as { type?: string; named?: boolean; value?: string; content?: { type?: string } };
      // A string aliased to a string is still a token; a rule aliased to a string is not.
      if (rule.type === 'ALIAS' && rule.named === false && rule.content?.type !== 'STRING' && rule.value) found.add(rule.value);
      for (const v of Object.values(r)) visit(v);
    };
    visit(grammar.rules);
    assert.deepEqual([...ANONYMOUS_NONTERMINALS], [...found].sort());
  });
});

describe('syntax tree copy: error spans', () => {
  it('lists the outermost ERROR and MISSING nodes in document order, as a walk over the nodes does', async () => {
    const linter = await getLinter();
    for (const { name, text } of sources()) {
      const doc = new PyDocument(linter.grammar, text, name);
      try {
        const expected: { start: number; end: number }[] = [];
        const stack = [doc.syntax.rootNode];
        if (!doc.syntax.rootNode.hasError) stack.pop();
        while (stack.length && expected.length < 100) {
          const n = stack.pop() as SyntaxNode;
          if (n.isError || n.isMissing) {
            expected.push({ start: n.startIndex, end: n.endIndex });
            continue;
          }
          if (!n.hasError) continue;
          const kids = n.children;
          for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
        }
        assert.deepEqual(doc.syntax.errorSpans(), expected, name);
      } finally {
        doc.dispose();
      }
    }
  });
});

describe('indexOfName', () => {
  it('finds what indexOf finds, names with trailing underscores included', () => {
    const rand = random(7);
    const alphabet = ['_', '_', 'a', 'n', 'e', 'm', ' ', '.'];
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 200 }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      for (const name of ['__name__', '_', '__', 'a_', 'na_m_e__', '_a', 'm']) {
        for (const from of [0, 7, 150]) assert.equal(indexOfName(text, name, from), text.indexOf(name, from), `${JSON.stringify(text)} ${name} ${from}`);
      }
    }
  });
});
