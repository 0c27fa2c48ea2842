import { strict as assert } from 'node:assert';
import { decodeSource, detectEol, encodeSource } from '../../../src/cli/source';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('reading source bytes', () => {
  it('UTF-8, with the BOM stripped and remembered', () => {
    const r = decodeSource(bytes([0xef, 0xbb, 0xbf], 'x = "é"\n'));
    assert.ok(r.ok);
    assert.equal(r.source.text, 'x = "é"\n');
    assert.equal(r.source.bom, true);
    assert.equal(r.source.encoding, 'utf-8');
    assert.deepEqual([...encodeSource(r.source.text, true)], [...bytes([0xef, 0xbb, 0xbf], 'x = "é"\n')]);
  });

  it('an empty file is fine', () => {
    const r = decodeSource(new Uint8Array());
    assert.ok(r.ok);
    assert.equal(r.source.text, '');
  });

  it('NUL bytes mean binary: skipped', () => {
    const r = decodeSource(bytes('abc', [0], 'def'));
    assert.ok(!r.ok);
    assert.match(r.reason, /NUL bytes/);
  });

  it('invalid UTF-8 without a declaration: skipped, naming the byte and line', () => {
    const r = decodeSource(bytes('a = 1\nb = "', [0xff], '"\n'));
    assert.ok(!r.ok);
    assert.match(r.reason, /not UTF-8 \(invalid byte 0xff on line 2\)/);
  });

  it('a PEP 263 declaration is honoured (line 1 or 2)', () => {
    for (const head of ['# -*- coding: latin-1 -*-\n', '#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n']) {
      const r = decodeSource(bytes(head, 'x = "', [0xe9], '"\n'));
      assert.ok(r.ok, head);
      assert.ok(r.source.text.endsWith('x = "é"\n'));
      assert.notEqual(r.source.encoding, 'utf-8');
    }
  });

  it('a declaration after code on line 1 does not count', () => {
    const r = decodeSource(bytes('x = 1\n# coding: latin-1\ny = "', [0xe9], '"\n'));
    assert.ok(!r.ok);
  });

  it('an encoding the platform cannot decode: skipped with its name', () => {
    const r = decodeSource(bytes('# coding: klingon-8\nx = 1\n'));
    assert.ok(!r.ok);
    assert.match(r.reason, /"klingon-8"/);
  });

  it('utf-8 declarations are plain UTF-8', () => {
    const r = decodeSource(bytes('# -*- coding: utf-8 -*-\nx = "é"\n'));
    assert.ok(r.ok);
    assert.equal(r.source.encoding, 'utf-8');
  });

  it('detects the line ending', () => {
    assert.equal(detectEol('a\r\nb\n'), '\r\n');
    assert.equal(detectEol('a\nb\r\n'), '\n');
    assert.equal(detectEol('a\rb'), '\r');
    assert.equal(detectEol('abc'), '\n');
  });
});
