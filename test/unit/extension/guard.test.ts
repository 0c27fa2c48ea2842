import { strict as assert } from 'node:assert';
import { guard } from '../../../src/extension/guard';
import { Debouncer } from '../../../src/extension/debounce';
import { isLintable } from '../../../src/extension/eligible';

describe('guard', () => {
  it('logs sync and async errors and returns the fallback', async () => {
    const logged: string[] = [];
    const sink = { error: (m: string) => logged.push(m) };
    assert.equal(guard(sink, 'sync', () => { throw new Error('boom'); }, 7)(), 7);
    assert.equal(await guard(sink, 'async', async () => { throw new Error('later'); }, Promise.resolve(8))(), 8);
    assert.equal(guard(sink, 'ok', (x: number) => x + 1, 0)(1), 2);
    assert.equal(logged.length, 2);
    assert.ok(logged[0].startsWith('sync: Error: boom'));
    assert.ok(logged[1].startsWith('async: Error: later'));
  });
});

describe('Debouncer', () => {
  it('runs only the last scheduled call per key', async () => {
    const d = new Debouncer<string>();
    const runs: string[] = [];
    d.schedule('a', 5, () => runs.push('a1'));
    d.schedule('a', 5, () => runs.push('a2'));
    d.schedule('b', 5, () => runs.push('b'));
    d.schedule('c', 5, () => runs.push('c'));
    d.cancel('c');
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(runs.sort(), ['a2', 'b']);
    assert.equal(d.size, 0);
    d.dispose();
  });
});

describe('isLintable', () => {
  it('takes Python in any scheme except source-control copies', () => {
    assert.ok(isLintable('python', 'file'));
    assert.ok(isLintable('python', 'untitled'));
    assert.ok(isLintable('python', 'vscode-vfs'));
    assert.ok(!isLintable('python', 'git'));
    assert.ok(!isLintable('plaintext', 'file'));
  });
});
