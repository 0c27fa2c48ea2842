// Fix safety over the real corpora: every fix the linter offers on the fixtures and the
// examples, and on standard-library modules made coroutine code (`def` -> `async def`, so
// the blocking calls of real code get fixes), applied alone and through the fix loops:
//  - the text outside the fix's edits stays as it was;
//  - the result has no new ERROR/MISSING node (tree-sitter) and still compiles where it
//    did (CPython, when python3 is installed);
//  - a fixed finding is not offered again, and a second fix run changes nothing.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { checkText, newStats, type CheckContext, type Failure, type FixedPair } from '../fuzz/properties';
import { pyFilesUnder, stdlibFiles } from '../fuzz/corpus';
import { checkWithCpython } from '../fuzz/python';
import { Rng } from '../fuzz/rng';
import { asyncified } from '../fuzz/runner';
import { getLinter } from './helpers';

/** Standard-library modules with threads, processes, sockets, files and subprocesses in them. */
const STDLIB_SAMPLE = /^stdlib:(asyncio\/|concurrent\/|multiprocessing\/(pool|process|managers)|threading|subprocess|socket|socketserver|shutil|tempfile|urllib\/request|http\/client|ftplib|smtplib|sqlite3\/|queue|sched|logging\/handlers|zipfile\/__init__|tarfile|glob|filecmp|pathlib\/)/;

describe('fix safety over the real corpora', function () {
  this.timeout(300_000);

  it('every fix on the fixtures, the examples and coroutine-ified stdlib modules is safe', async () => {
    const linter = await getLinter();
    const failures: (Failure & { file: string })[] = [];
    const pairs: FixedPair[] = [];
    const stats = newStats();
    const texts: { name: string; text: string }[] = [];
    for (const dir of ['test/fixtures', 'examples']) {
      for (const f of pyFilesUnder(dir)) texts.push({ name: relative(process.cwd(), f), text: readFileSync(f, 'utf8') });
    }
    // Modules up to 60 KB (the long fuzz run takes them all).
    const std = stdlibFiles(process.cwd()).files.filter((f) => STDLIB_SAMPLE.test(f.name) && f.bytes.length < 60_000);
    for (const f of std) texts.push({ name: `${f.name} (async def)`, text: asyncified(f.bytes.toString('utf8')) });
    for (const [i, { name, text }] of texts.entries()) {
      const sink: Failure[] = [];
      const stdlib = name.startsWith('stdlib:');
      const ctx: CheckContext = { linter, settings: {}, stats, failures: sink, pairs, maxFixesPerText: stdlib ? 6 : 40, rng: Rng.forCase(1, i) };
      checkText(ctx, text, name);
      failures.push(...sink.map((f) => ({ ...f, file: name })));
    }
    const py = checkWithCpython(pairs);
    for (const b of py.broken) failures.push({ kind: 'cpython', message: `CPython rejects the fixed text: ${b.error}`, file: b.label });
    const detail = failures.slice(0, 15).map((f) => `  [${f.kind}] ${f.file}: ${f.message.slice(0, 400)}`).join('\n');
    assert.equal(failures.length, 0, `${failures.length} unsafe fix(es):\n${detail}`);
    assert.ok(std.length >= 20, `only ${std.length} stdlib modules in the sample`);
    assert.ok(stats.fixesChecked >= 300, `only ${stats.fixesChecked} fixes checked`);
    if (!py.skipped) assert.ok(py.checked >= 100, `CPython compiled only ${py.checked} fixed texts`);
  });
});
