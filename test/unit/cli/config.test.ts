import { strict as assert } from 'node:assert';
import { parsePyproject } from '../../../src/core/config/pyproject';
import { mergeSettings } from '../../../src/core/config/merge';
import { validateCodes, splitCodeList } from '../../../src/core/config/codes';
import { commandLineSettings } from '../../../src/cli/check';

const KNOWN = ['CL101', 'CL102', 'CL103', 'CL104', 'CL105', 'CL106', 'CL107', 'CL110'];
const parse = (text: string) => parsePyproject(text, 'proj/pyproject.toml', KNOWN);

describe('pyproject.toml [tool.conclens]', () => {
  it('reads every key', () => {
    const r = parse(`
[project]
name = "x"

[tool.conclens]
select = ["CL1", "cl110"]
ignore = ["CL104"]
free-threaded = true
exclude = ["generated/", "*_pb2.py"]
extend-blocking-calls = ["mylib.fetch", "mylib.db.query:CL105"]

[tool.conclens.severity]
CL101 = "error"
CL110 = "hint"
`);
    assert.deepEqual(r.errors, []);
    assert.equal(r.hasTable, true);
    assert.deepEqual(r.settings, {
      select: ['CL1', 'CL110'],
      ignore: ['CL104'],
      severity: { CL101: 'error', CL110: 'hint' },
      extendBlockingCalls: [
        { name: 'mylib.fetch', code: 'CL102' },
        { name: 'mylib.db.query', code: 'CL105' },
      ],
      freeThreaded: true,
      exclude: ['generated/', '*_pb2.py'],
    });
  });

  it('takes extend-blocking-calls as a table too', () => {
    const r = parse('[tool.conclens.extend-blocking-calls]\n"mylib.Client.get" = "CL102"\n"mylib.pause" = "CL101"\n');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.settings.extendBlockingCalls, [
      { name: 'mylib.Client.get', code: 'CL102' },
      { name: 'mylib.pause', code: 'CL101' },
    ]);
  });

  it('a file without the table is not an error', () => {
    const r = parse('[tool.ruff]\nline-length = 100\n');
    assert.deepEqual(r, { settings: {}, errors: [], hasTable: false });
  });

  it('invalid TOML: one line naming the file and the position, never a throw', () => {
    const r = parse('[tool.conclens\nselect = ["CL101"]\n');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /^proj\/pyproject\.toml:1:\d+: invalid TOML: /);
    assert.ok(!r.errors[0].includes('\n'));
  });

  it('unknown codes, wrong types and unknown keys are reported; the valid keys still apply', () => {
    const r = parse(`
[tool.conclens]
select = ["CL101", "CL999", "E501"]
ignore = "CL102"
free-threaded = "yes"
exclude = [1]
extend-blocking-calls = ["notqualified", "a.b:CL110", "a.c:CL103"]
extend_select = ["CL1"]

[tool.conclens.severity]
CL101 = "fatal"
CL998 = "error"
CL102 = "info"
`);
    assert.deepEqual(r.settings.select, ['CL101']);
    assert.equal(r.settings.ignore, undefined);
    assert.equal(r.settings.freeThreaded, undefined);
    assert.deepEqual(r.settings.severity, { CL102: 'info' });
    assert.deepEqual(r.settings.extendBlockingCalls, [{ name: 'a.c', code: 'CL103' }]);
    const all = r.errors.join('\n');
    for (const part of ['select: unknown rule codes "CL999", "E501"', 'ignore: must be an array', 'free-threaded: must be true or false', 'exclude: must be an array', '"notqualified" is not a qualified name', '"a.b": "CL110" is not a blocking-call rule', 'extend_select: unknown key', 'CL101 must be one of', 'severity: unknown rule code "CL998"']) {
      assert.ok(all.includes(part), `missing "${part}" in:\n${all}`);
    }
    for (const e of r.errors) {
      assert.ok(e.startsWith('proj/pyproject.toml: [tool.conclens] '), e);
      assert.ok(!e.includes('\n'));
    }
  });

  it('suggests the kebab-case spelling', () => {
    const r = parse('[tool.conclens]\nfree_threaded = true\n');
    assert.match(r.errors[0], /did you mean "free-threaded"/);
  });

  it('[tool.conclens] that is not a table', () => {
    const r = parse('[tool]\nconclens = 3\n');
    assert.match(r.errors[0], /must be a table/);
  });
});

describe('rule code selectors', () => {
  it('accepts codes, prefixes and ALL; rejects the rest', () => {
    assert.deepEqual(validateCodes(['CL101', 'CL1', 'CL', 'ALL'], KNOWN), []);
    assert.deepEqual(validateCodes(['CL2', 'CL999', 'F401', 'cl101'], KNOWN), ['CL2', 'CL999', 'F401', 'cl101']);
    assert.deepEqual(validateCodes(['CL1', 'ALL'], KNOWN, true), ['CL1', 'ALL']);
  });
  it('checks only the shape when no rules are known', () => {
    assert.deepEqual(validateCodes(['CL999', 'X1'], []), ['X1']);
  });
  it('splits comma lists', () => {
    assert.deepEqual(splitCodeList(' cl101, CL102,,'), ['CL101', 'CL102']);
  });
});

describe('settings layering', () => {
  it('mergeSettings: over wins key by key, arrays replaced, severity merged per code', () => {
    const base = { select: ['CL1'], ignore: ['CL104'], severity: { CL101: 'error' as const, CL102: 'info' as const }, freeThreaded: true };
    const merged = mergeSettings(base, { ignore: ['CL105'], severity: { CL102: 'hint' }, freeThreaded: undefined });
    assert.deepEqual(merged, { select: ['CL1'], ignore: ['CL105'], severity: { CL101: 'error', CL102: 'hint' }, freeThreaded: true });
    assert.deepEqual(base.ignore, ['CL104'], 'inputs are not modified');
  });

  it('command line: --select starts a new selection, --ignore adds to the config', () => {
    const config = { select: ['CL1'], ignore: ['CL104'] };
    assert.deepEqual(commandLineSettings(config, { ignore: ['CL105'] }), { select: ['CL1'], ignore: ['CL104', 'CL105'] });
    assert.deepEqual(commandLineSettings(config, { select: ['CL104'] }), { select: ['CL104'], ignore: [] });
    assert.deepEqual(commandLineSettings(config, {}), config);
  });
});
