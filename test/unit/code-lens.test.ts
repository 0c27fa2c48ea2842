// Code lenses (core/semantics/code-lens.ts): which functions get one (async, or run in a
// thread / process / executor from any file of the project) and what the lens says.
import { strict as assert } from 'node:assert';
import { Workspace } from '../../src/core/semantics/workspace';
import { DispatchIndex, dispatchSites, fileLenses, shortEvidence, type FunctionLens } from '../../src/core/semantics/code-lens';
import { getLinter } from './helpers';

const project: Record<string, string> = {
  'app/__init__.py': '',
  'app/work.py': [
    'import hashlib',
    'import requests',
    '',
    'def crunch(n):',
    '    total = 0',
    '    for i in range(n):',
    '        total += i * i',
    '    return total',
    '',
    'def download(url):',
    '    return requests.get(url).text',
    '',
    'def digest(data):',
    '    return hashlib.sha256(data).hexdigest()',
    '',
    'def both(url):',
    '    text = download(url)',
    '    return crunch(len(text))',
    '',
    'def idle(x):',
    '    return x',
    '',
    'def never_dispatched(n):',
    '    return crunch(n)',
  ].join('\n'),
  'app/main.py': [
    'import asyncio',
    'import threading',
    'from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor',
    'from functools import partial',
    'from app.work import crunch, download, digest, both, idle',
    '',
    'async def handler(url):',
    '    await asyncio.sleep(1)',
    '    return await asyncio.to_thread(download, url)',
    '',
    'async def quiet():',
    '    return 1',
    '',
    'def local_job():',
    '    for i in range(10**6):',
    '        i * i',
    '',
    'def run():',
    '    threading.Thread(target=crunch, args=(10,)).start()',
    '    with ThreadPoolExecutor() as ex:',
    '        ex.submit(digest, b"x")',
    '        ex.submit(partial(idle, 1))',
    '    with ProcessPoolExecutor() as pool:',
    '        pool.submit(both, "u")',
    '    threading.Thread(target=local_job).start()',
  ].join('\n'),
};

async function build(): Promise<{ ws: Workspace; sites: DispatchIndex }> {
  const linter = await getLinter();
  const ws = new Workspace();
  const sites = new DispatchIndex();
  for (const [path, text] of Object.entries(project)) {
    const isPackage = path.endsWith('__init__.py');
    const moduleName = path.replace(/\/__init__\.py$|\.py$/g, '').replace(/\//g, '.');
    linter.indexText(text, path, ws, { moduleName, isPackage, inspect: (facts) => sites.set(path, dispatchSites(facts, path)) });
  }
  return { ws, sites };
}

async function lensesOf(file: string): Promise<FunctionLens[]> {
  const { ws, sites } = await build();
  const functions = [...ws.allFunctions()].filter((f) => f.file === file);
  return fileLenses(functions, ws, { dispatched: sites.byTarget((q) => ws.canonical(q)) });
}

function byName(lenses: FunctionLens[], name: string): FunctionLens {
  const lens = lenses.find((l) => l.name === name);
  assert.ok(lens, `no lens for ${name}; lenses: ${lenses.map((l) => l.name).join(', ')}`);
  return lens;
}

describe('code lens', () => {
  it('records where a file hands functions to threads and processes', async () => {
    const { sites } = await build();
    const main = sites.sitesIn('app/main.py');
    const got = main.map((s) => `${s.qname}:${s.runsIn}:${s.line}`);
    assert.deepEqual(got.sort(), [
      'app.main.local_job:thread:25',
      'app.work.both:process:24',
      'app.work.crunch:thread:19',
      'app.work.digest:thread:21',
      'app.work.download:thread:9',
      'app.work.idle:thread:22',
    ]);
  });

  it('gives a lens to functions run in a thread or a process elsewhere, with the verdict', async () => {
    const lenses = await lensesOf('app/work.py');
    assert.deepEqual(lenses.map((l) => l.name), ['crunch', 'download', 'digest', 'both', 'idle']);
    assert.equal(byName(lenses, 'crunch').title, 'CPU-bound: `for` loop over `range()` at line 6');
    assert.equal(byName(lenses, 'download').title, 'I/O-bound: `requests.get()` at line 11');
    assert.equal(byName(lenses, 'digest').title, 'Native (releases the GIL): `hashlib.sha256()` at line 14');
    assert.equal(byName(lenses, 'idle').title, 'Workload unknown');
    assert.equal(byName(lenses, 'idle').verdict, 'unknown');
  });

  it('says where the evidence sits when it is found by following calls', async () => {
    const both = byName(await lensesOf('app/work.py'), 'both');
    assert.equal(both.verdict, 'mixed');
    assert.equal(both.title, 'Mixed: `for` loop over `range()` at line 6 (in `crunch()`) · `requests.get()` at line 11 (in `download()`)');
    assert.deepEqual(both.runsIn, ['process']);
  });

  it('lists the evidence and the dispatch sites for the click', async () => {
    const crunch = byName(await lensesOf('app/work.py'), 'crunch');
    assert.deepEqual(crunch.items.map((i) => [i.kind, i.file, i.line]), [
      ['cpu', 'app/work.py', 6],
      ['runs-in', 'app/main.py', 19],
    ]);
    assert.equal(crunch.items[1].text, '`threading.Thread()` at line 19 of main.py runs it in a thread');
    assert.match(crunch.tooltip, /^CPU-bound\n• `for` loop over `range\(\)` at line 6\n• `threading.Thread\(\)` at line 19 of main.py runs it in a thread\nClick/);
  });

  it('gives a lens to every async def, and to functions run in threads in the same file', async () => {
    const lenses = await lensesOf('app/main.py');
    assert.deepEqual(lenses.map((l) => l.name), ['handler', 'quiet', 'local_job']);
    const handler = byName(lenses, 'handler');
    assert.equal(handler.verdict, 'io');
    assert.equal(handler.title, 'I/O-bound: `await` at line 8 (+1 more)');
    assert.deepEqual(handler.runsIn, ['event loop']);
    assert.equal(byName(lenses, 'quiet').title, 'Workload unknown');
    assert.equal(byName(lenses, 'local_job').title, 'CPU-bound: `for` loop over `range()` at line 15');
  });

  it('follows re-exports from a package to the function that is run', async () => {
    const linter = await getLinter();
    const ws = new Workspace();
    const sites = new DispatchIndex();
    const files: Record<string, string> = {
      'lib/__init__.py': 'from .impl import work\n',
      'lib/impl.py': 'def work():\n    n = 0\n    while True:\n        n += 1\n',
      'run.py': 'import threading\nimport lib\nthreading.Thread(target=lib.work).start()\n',
    };
    for (const [path, text] of Object.entries(files)) {
      const moduleName = path.replace(/\/__init__\.py$|\.py$/g, '').replace(/\//g, '.');
      linter.indexText(text, path, ws, { moduleName, isPackage: path.endsWith('__init__.py'), inspect: (f) => sites.set(path, dispatchSites(f, path)) });
    }
    const lenses = fileLenses([...ws.allFunctions()].filter((f) => f.file === 'lib/impl.py'), ws, { dispatched: sites.byTarget((q) => ws.canonical(q)) });
    assert.deepEqual(lenses.map((l) => [l.name, l.title]), [['work', 'CPU-bound: `while` loop at line 3']]);
  });

  it('keeps the dispatch index per file and reports changes', () => {
    const idx = new DispatchIndex();
    const site = { qname: 'm.f', runsIn: 'thread' as const, api: '`threading.Thread()`', file: 'a.py', span: { start: 0, end: 5 }, line: 1 };
    assert.equal(idx.set('a.py', [site]), true);
    assert.equal(idx.set('a.py', [{ ...site }]), false);
    assert.equal(idx.set('b.py', []), false);
    assert.equal(idx.byTarget().get('m.f')?.length, 1);
    assert.equal(idx.remove('a.py'), true);
    assert.equal(idx.byTarget().size, 0);
  });

  it('shortens evidence to what the lens line needs', () => {
    assert.equal(shortEvidence('nested loops at line 12 computes without waiting'), 'nested loops at line 12');
    assert.equal(shortEvidence('`requests.get()` at line 5 waits for I/O'), '`requests.get()` at line 5');
    assert.equal(shortEvidence('`hashlib.sha256()` at line 3 runs native code that releases the GIL'), '`hashlib.sha256()` at line 3');
  });
});
