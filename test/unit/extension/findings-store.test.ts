import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/core/index';
import { FindingsStore, diagnosticKey } from '../../../src/extension/findings-store';

const f: Finding = { code: 'CL101', message: '`time.sleep()` blocks the event loop', severity: 'warning', span: { start: 10, end: 23 } };
const range = { start: { line: 1, character: 4 }, end: { line: 1, character: 17 } };

describe('FindingsStore', () => {
  it('finds a finding by the key of a diagnostic handed back by VS Code', () => {
    const store = new FindingsStore();
    store.set('file:///a.py', 3, [{ finding: f, range }]);
    const key = diagnosticKey('CL101', { start: { ...range.start }, end: { ...range.end } }, f.message);
    assert.equal(store.get('file:///a.py', 3, key)?.finding, f);
    assert.equal(store.get('file:///a.py', 4, key), undefined, 'a newer version makes the entry stale');
    assert.equal(store.total, 1);
  });

  it('answers by position for hovers', () => {
    const store = new FindingsStore();
    store.set('u', 1, [{ finding: f, range }]);
    assert.equal(store.at('u', 1, 1, 4).length, 1);
    assert.equal(store.at('u', 1, 1, 17).length, 1);
    assert.equal(store.at('u', 1, 1, 18).length, 0);
    assert.equal(store.at('u', 1, 0, 4).length, 0);
    store.delete('u');
    assert.equal(store.total, 0);
  });
});
