// The model guide: the flow is a well-formed tree, a walk ends on a recommendation, every
// snippet is valid Python that Concurrency Lens itself has nothing to say about, and the
// generated docs (page, SVG diagram, concepts page) match what is committed.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUIDE_START, MODEL_GUIDE, describeSteps, guidePaths, walkGuide, type GuideNodeId } from '../../src/core/knowledge/model-guide';
import { renderGuideDocs, renderModelGuideSvg } from '../../src/core/knowledge/guide-docs';
import { CONCEPTS } from '../../src/core/knowledge/concepts';
import { getLinter } from './helpers';

const ids = Object.keys(MODEL_GUIDE) as GuideNodeId[];
const recommendations = ids.filter((id) => MODEL_GUIDE[id].kind === 'recommendation');
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('model guide: the flow', () => {
  it('is a tree from the start question: every node reached once, every path ends on a recommendation', () => {
    const seen = new Map<GuideNodeId, number>();
    const visit = (id: GuideNodeId, depth: number) => {
      assert.ok(depth < 10, 'cycle');
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const node = MODEL_GUIDE[id];
      if (node.kind === 'question') {
        assert.ok(node.answers.length >= 2, `${id} offers a choice`);
        for (const a of node.answers) {
          assert.ok(a.next in MODEL_GUIDE, `${id} -> ${a.next}`);
          visit(a.next, depth + 1);
        }
      }
    };
    visit(GUIDE_START, 0);
    assert.deepEqual([...seen.keys()].sort(), [...ids].sort());
    for (const [id, n] of seen) assert.equal(n, 1, `${id} is reached ${n} times`);
  });

  it('follows the article: CPU-bound -> processes; fast I/O -> threads; slow, many waits -> asyncio; mixed -> asyncio + process pool', () => {
    const byPath = new Map(guidePaths().map((p) => [describeSteps(p.steps), p.recommendation]));
    assert.deepEqual(Object.fromEntries(byPath), {
      'CPU-bound': 'processes',
      'I/O-bound → fast, few': 'threads',
      'I/O-bound → slow, many → yes': 'asyncio',
      'I/O-bound → slow, many → some blocking': 'asyncio-to-thread',
      both: 'mixed',
    });
  });

  it('a walk answers questions until a recommendation', () => {
    assert.equal(walkGuide([]).node.kind, 'question');
    const done = walkGuide([1, 1, 0]);
    assert.equal(done.at, 'asyncio');
    assert.equal(done.steps.length, 3);
    assert.throws(() => walkGuide([0, 0]), /recommendation/);
    assert.throws(() => walkGuide([7]), /no answer 7/);
  });

  it('every recommendation has a model, an API, a reason of two or three sentences and a known topic', () => {
    for (const id of recommendations) {
      const r = MODEL_GUIDE[id];
      assert.ok(r.kind === 'recommendation');
      const sentences = r.reason.split(/(?<=\.)\s+(?=[A-Z])/).length;
      assert.ok(sentences >= 2 && sentences <= 3, `${id}: ${sentences} sentences`);
      assert.ok(r.concept in CONCEPTS, id);
      assert.ok(r.model && r.api, id);
    }
  });
});

describe('model guide: the snippets', () => {
  for (const id of recommendations) {
    it(`${id}: parses, is lint-clean under every rule, and ends with a main guard`, async () => {
      const node = MODEL_GUIDE[id];
      assert.ok(node.kind === 'recommendation');
      const linter = await getLinter();
      const result = linter.lintText(node.snippet, `${id}.py`);
      assert.deepEqual(result.syntaxErrors, []);
      assert.deepEqual(result.findings.map((f) => `${f.code}: ${f.message}`), []);
      assert.match(node.snippet, /\nif __name__ == "__main__":\n( {4}.*\n)+$/);
      assert.ok(!node.snippet.includes('\t'));
      if (hasPython) {
        const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: node.snippet });
        assert.equal(r.status, 0, String(r.stderr));
      }
    });
  }
});

describe('model guide: the command', () => {
  it('is contributed as "Concurrency Lens: Choose a Concurrency Model", in the palette without a condition', () => {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    const cmd = manifest.contributes.commands.find((c: { command: string }) => c.command === 'conclens.chooseModel');
    assert.deepEqual(cmd, { command: 'conclens.chooseModel', title: 'Choose a Concurrency Model', category: 'Concurrency Lens' });
    const hidden = (manifest.contributes.menus?.commandPalette ?? []).find((m: { command: string }) => m.command === 'conclens.chooseModel');
    assert.equal(hidden, undefined);
  });
});

describe('model guide: generated docs', () => {
  it('docs/model-guide.md, docs/images/model-guide.svg and docs/concepts/README.md match npm run docs', () => {
    const stale: string[] = [];
    for (const [rel, text] of renderGuideDocs()) {
      let have: string | undefined;
      try {
        have = readFileSync(join(process.cwd(), rel), 'utf8');
      } catch {
        have = undefined;
      }
      if (have !== text) stale.push(rel);
    }
    assert.deepEqual(stale, [], `stale: ${stale.join(', ')}; run npm run docs (or node scripts/model-guide-svg.mjs) and commit`);
  });

  it('the diagram draws every question, every recommendation and every answer', () => {
    const svg = renderModelGuideSvg();
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    for (const id of ids) {
      const node = MODEL_GUIDE[id];
      if (node.kind === 'question') {
        for (const a of node.answers) assert.ok(svg.includes(`>${a.edge}</text>`), a.edge);
      } else {
        assert.ok(svg.includes(`>${node.model.replace(/&/g, '&amp;')}</text>`), node.model);
      }
    }
    const arrows = svg.match(/marker-end="url\(#arrow\)"/g) ?? [];
    assert.equal(arrows.length, ids.length - 1);
    if (hasPython) {
      const r = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom as m; m.parseString(sys.stdin.read())'], { input: svg });
      assert.equal(r.status, 0, `the SVG is not well-formed XML: ${String(r.stderr)}`);
    }
  });
});
