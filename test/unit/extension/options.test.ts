import { strict as assert } from 'node:assert';
import { readEditorOptions, readLintSettings, parseBlockingCall, DEFAULT_EDITOR_OPTIONS, type RawSetting } from '../../../src/extension/options';

const KNOWN = ['CL101', 'CL102', 'CL103', 'CL104', 'CL105', 'CL106', 'CL107', 'CL110'];

/** A reader over explicit values; keys not given read as the manifest default (not explicit). */
function reader(explicit: Record<string, unknown>) {
  return (key: string): RawSetting => (key in explicit ? { value: explicit[key], explicit: true } : { value: undefined, explicit: false });
}

describe('extension options', () => {
  it('reads editor options with defaults and clamps numbers', () => {
    assert.deepEqual(readEditorOptions(reader({})), DEFAULT_EDITOR_OPTIONS);
    const o = readEditorOptions(reader({ enable: false, lintDelay: -5, maxFileSize: 10, conceptHovers: 'yes' }));
    assert.equal(o.enable, false);
    assert.equal(o.lintDelay, 0);
    assert.equal(o.maxFileSize, 10);
    assert.equal(o.conceptHovers, true, 'a non-boolean falls back to the default');
  });

  it('reads conclens.indexMaxFiles as a whole number, 0 turning the index off', () => {
    assert.equal(readEditorOptions(reader({})).indexMaxFiles, 20_000);
    assert.equal(readEditorOptions(reader({ indexMaxFiles: 0 })).indexMaxFiles, 0);
    assert.equal(readEditorOptions(reader({ indexMaxFiles: 12.7 })).indexMaxFiles, 12);
    assert.equal(readEditorOptions(reader({ indexMaxFiles: -3 })).indexMaxFiles, 0);
    assert.equal(readEditorOptions(reader({ indexMaxFiles: 'many' })).indexMaxFiles, 20_000);
  });

  it('leaves out lint settings the user did not set, so pyproject.toml values survive the merge', () => {
    assert.deepEqual(readLintSettings(reader({}), KNOWN), { settings: {}, errors: [] });
  });

  it('reads explicit lint settings', () => {
    const { settings, errors } = readLintSettings(
      reader({
        select: ['cl1', 'CL110'],
        ignore: ['CL104'],
        severity: { CL101: 'error', cl102: 'hint' },
        extendBlockingCalls: ['mylib.fetch', 'mylib.db.query:CL105'],
        freeThreaded: true,
      }),
      KNOWN,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(settings, {
      select: ['CL1', 'CL110'],
      ignore: ['CL104'],
      severity: { CL101: 'error', CL102: 'hint' },
      extendBlockingCalls: [
        { name: 'mylib.fetch', code: 'CL102' },
        { name: 'mylib.db.query', code: 'CL105' },
      ],
      freeThreaded: true,
    });
  });

  it('an explicit empty list is kept (it overrides the file)', () => {
    assert.deepEqual(readLintSettings(reader({ ignore: [] }), KNOWN).settings, { ignore: [] });
  });

  it('reports bad values and keeps the good ones', () => {
    const { settings, errors } = readLintSettings(
      reader({
        select: ['CL101', 'E501', 42],
        severity: { CL101: 'fatal', CL999: 'error', CL102: 'info' },
        extendBlockingCalls: 'mylib.fetch',
        freeThreaded: 'no',
      }),
      KNOWN,
    );
    assert.deepEqual(settings.select, ['CL101']);
    assert.deepEqual(settings.severity, { CL102: 'info' });
    assert.equal(settings.extendBlockingCalls, undefined);
    assert.equal(settings.freeThreaded, undefined);
    assert.equal(errors.length, 6, errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('E501')));
    assert.ok(errors.some((e) => e.includes('CL999')));
    assert.ok(errors.some((e) => e.includes('fatal')));
  });

  it('parses extra blocking calls', () => {
    assert.deepEqual(parseBlockingCall('mylib.Client.get'), { name: 'mylib.Client.get', code: 'CL102' });
    assert.deepEqual(parseBlockingCall(' mylib.read : cl104 '), { name: 'mylib.read', code: 'CL104' });
    assert.equal(typeof parseBlockingCall('not a name'), 'string');
    assert.equal(typeof parseBlockingCall('mylib.fetch:CL201'), 'string');
    assert.equal(typeof parseBlockingCall('mylib.fetch:CL108', KNOWN), 'string');
  });
});
