import { strict as assert } from 'node:assert';
import { getHeapSpaceStatistics } from 'node:v8';
import { IdleCollector, flagsSettable } from '../../../src/extension/idle-gc';

function youngRoom(): number {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  assert.ok(s, 'V8 reports a new_space');
  return s.space_available_size;
}

/** Allocates short-lived objects until the young generation has less than `bytes` of room. */
function fillYoung(bytes: number): void {
  let sink: unknown[] = [];
  for (let i = 0; youngRoom() >= bytes && i < 1_000_000; i++) {
    sink.push(new Array(64).fill(i));
    if (sink.length > 1000) sink = [];
  }
}

describe('IdleCollector (editor: the young generation collected between lints)', () => {
  it('is available in Node without --expose-gc, and gives no `gc` to contexts made later', async () => {
    const { runInNewContext } = await import('node:vm');
    const collector = IdleCollector.create();
    assert.ok(collector, 'Node can be asked for a collection');
    assert.equal(runInNewContext('typeof gc'), 'undefined', 'the flag is set back');
  });

  it('is not made where V8 flags may be frozen (setting one would abort the process)', () => {
    assert.equal(flagsSettable({ node: '20.20.2' }), true);
    assert.equal(flagsSettable({ node: '20.18.1', electron: '35.2.0' }), true, "VS Code's desktop extension host");
    assert.equal(flagsSettable({ node: '18.18.2', electron: '28.3.3' }), false);
    assert.equal(flagsSettable({ node: '20.11.0', nw: '0.85.0' }), false);
    assert.equal(flagsSettable({ node: '16.20.0' }), false);
  });

  it('collects when the room left is less than a lint needs, and not otherwise', () => {
    const collector = IdleCollector.create();
    assert.ok(collector);
    // V8 grows the young generation as a process allocates (from 1 MB): grow it first.
    let garbage: number[][] = [];
    for (let i = 0; i < 2_000_000; i++) {
      garbage.push([i, i]);
      if (garbage.length > 10_000) garbage = [];
    }
    // A "lint" that allocates ~2 MB that lives until it finishes.
    const lint = () => {
      const kept: number[][] = [];
      for (let i = 0; i < 2 * 1024; i++) kept.push(new Array(120).fill(i));
      return kept.length;
    };
    // Learn from lints that fit in the room left (one with a collection inside teaches nothing).
    for (let tries = 0; tries < 20; tries++) {
      collector.collectIfNeeded();
      collector.lintStarted();
      lint();
      collector.lintFinished();
    }
    // Plenty of room right after a collection: nothing to do.
    collector.collectIfNeeded();
    const runs = collector.collections;
    assert.equal(collector.collectIfNeeded(), false, 'no collection with the room a lint needs');
    assert.equal(collector.collections, runs);
    // Too little room for the next lint: a collection, and the room is back.
    fillYoung(3 * 1024 * 1024);
    const before = youngRoom();
    assert.equal(collector.collectIfNeeded(), true);
    assert.equal(collector.collections, runs + 1);
    assert.ok(youngRoom() > before + 1024 * 1024, `room after the collection ${youngRoom()} > before ${before}`);
    assert.ok(collector.collectMs > 0);
  });
});
