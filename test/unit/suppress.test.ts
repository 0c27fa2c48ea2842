import { strict as assert } from 'node:assert';
import { suppressEdit, isNoopEdit } from '../../src/core/fixes/suppress';
import { applyEdits } from '../../src/core/text';

function suppress(text: string, row: number, code: string): string {
  return applyEdits(text, [suppressEdit(text, row, code)]);
}

describe('suppressEdit', () => {
  it('appends a noqa comment two spaces after the code', () => {
    assert.equal(suppress('async def f():\n    time.sleep(1)\n', 1, 'CL101'), 'async def f():\n    time.sleep(1)  # noqa: CL101\n');
  });

  it('replaces trailing whitespace', () => {
    assert.equal(suppress('time.sleep(1)   \nx = 1\n', 0, 'CL101'), 'time.sleep(1)  # noqa: CL101\nx = 1\n');
  });

  it('keeps CRLF line endings', () => {
    assert.equal(suppress('a = 1\r\ntime.sleep(1)\r\nb = 2\r\n', 1, 'CL101'), 'a = 1\r\ntime.sleep(1)  # noqa: CL101\r\nb = 2\r\n');
  });

  it('works on the last line without a newline', () => {
    assert.equal(suppress('x = 1\ntime.sleep(1)', 1, 'CL101'), 'x = 1\ntime.sleep(1)  # noqa: CL101');
  });

  it('adds the code to an existing noqa list', () => {
    assert.equal(suppress('open(p)  # noqa: CL104\n', 0, 'CL101'), 'open(p)  # noqa: CL104, CL101\n');
    assert.equal(suppress('open(p)  # noqa: CL104, CL102  # why\n', 0, 'CL101'), 'open(p)  # noqa: CL104, CL102, CL101  # why\n');
  });

  it('appends after another comment', () => {
    assert.equal(suppress('time.sleep(1)  # wait a bit\n', 0, 'CL101'), 'time.sleep(1)  # wait a bit  # noqa: CL101\n');
  });

  it('is a no-op when the code or a bare noqa is already there', () => {
    for (const text of ['time.sleep(1)  # noqa: CL101\n', 'time.sleep(1)  # noqa:CL102,CL101\n', 'time.sleep(1)  # noqa\n', 'time.sleep(1)  # NOQA\n']) {
      const edit = suppressEdit(text, 0, 'CL101');
      assert.ok(isNoopEdit(edit), text);
      assert.equal(applyEdits(text, [edit]), text);
    }
  });

  it('puts the comment after a backslash continuation, not inside it', () => {
    const text = 'x = time.sleep(1) + \\\n    2\n';
    assert.equal(suppress(text, 0, 'CL101'), 'x = time.sleep(1) + \\\n    2  # noqa: CL101\n');
  });

  it('only touches the requested line', () => {
    const text = 'a()\nb()\nc()\n';
    assert.equal(suppress(text, 1, 'CL102'), 'a()\nb()  # noqa: CL102\nc()\n');
  });
});
