import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadGrammar, PyDocument, type Grammar } from '../../../src/core/index';
import { DocumentSync, toTextChanges, type ContentChangeLike } from '../../../src/extension/sync';

/** Applies VS Code-style content changes to a string, one after another. */
function apply(text: string, changes: ContentChangeLike[]): string {
  for (const c of changes) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
  return text;
}

describe('DocumentSync', () => {
  let grammar: Grammar;
  before(async () => {
    grammar = await loadGrammar({ wasmDir: join(__dirname, '..') });
  });

  function setup(text: string) {
    const doc = new PyDocument(grammar, text, 'a.py');
    let fullReads = 0;
    const sync = new DocumentSync(doc, 1);
    const getText = (t: string) => () => {
      fullReads++;
      return t;
    };
    return { doc, sync, getText, reads: () => fullReads };
  }

  it('converts content changes', () => {
    assert.deepEqual(toTextChanges([{ rangeOffset: 3, rangeLength: 2, text: 'x' }]), [{ start: 3, deleted: 2, text: 'x' }]);
  });

  it('applies buffered edits incrementally, in event order, with no full read', () => {
    let text = 'async def f():\n    pass\n';
    const { doc, sync, getText, reads } = setup(text);
    const events: ContentChangeLike[][] = [
      [{ rangeOffset: 19, rangeLength: 4, text: 'time.sleep(1)' }],
      [{ rangeOffset: 0, rangeLength: 0, text: 'import time\n' }],
      // Two changes in one event, later one first (as VS Code orders multi-cursor edits).
      [
        { rangeOffset: 42, rangeLength: 0, text: '1' },
        { rangeOffset: 12, rangeLength: 0, text: '\n' },
      ],
    ];
    let version = 1;
    for (const e of events) {
      text = apply(text, e);
      sync.onChange(++version, e);
    }
    assert.equal(sync.sync(version, text.length, getText(text)), 'incremental');
    assert.equal(doc.text, text);
    assert.equal(reads(), 0);
    assert.equal(doc.tree.rootNode.text, text);
    assert.equal(doc.tree.rootNode.hasError, false);
    assert.equal(sync.sync(version, text.length, getText(text)), 'current');
    doc.dispose();
  });

  it('falls back to a full sync when an event was missed', () => {
    const { doc, sync, getText, reads } = setup('x = 1\n');
    sync.onChange(3, [{ rangeOffset: 0, rangeLength: 1, text: 'y' }]); // version 2 never arrived
    assert.equal(sync.sync(3, 6, getText('z = 2\n')), 'full');
    assert.equal(doc.text, 'z = 2\n');
    assert.equal(reads(), 1);
    doc.dispose();
  });

  it('falls back to a full sync when the length does not match', () => {
    const { doc, sync, getText } = setup('x = 1\n');
    sync.onChange(2, [{ rangeOffset: 0, rangeLength: 1, text: 'y' }]);
    assert.equal(sync.sync(2, 7, getText('yy = 1\n')), 'full');
    assert.equal(doc.text, 'yy = 1\n');
    doc.dispose();
  });

  it('falls back to a full sync when asked for a version it has no edits for', () => {
    const { doc, sync, getText } = setup('x = 1\n');
    assert.equal(sync.sync(5, 6, getText('w = 1\n')), 'full');
    assert.equal(doc.text, 'w = 1\n');
    assert.equal(sync.version, 5);
    // After a full sync, incremental tracking resumes from the new version.
    sync.onChange(6, [{ rangeOffset: 0, rangeLength: 1, text: 'v' }]);
    assert.equal(sync.sync(6, 6, getText('never')), 'incremental');
    assert.equal(doc.text, 'v = 1\n');
    doc.dispose();
  });
});
