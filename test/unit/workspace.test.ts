// The workspace index: chains across files, re-exports, workload verdicts with evidence,
// and updates when a file changes or goes away.
import { strict as assert } from 'node:assert';
import { Workspace } from '../../src/core/semantics/workspace';
import { getLinter, lintDeferred } from './helpers';

const files: Record<string, string> = {
  'pkg/__init__.py': 'from .io_helpers import read_config\n',
  'pkg/io_helpers.py': [
    'import requests',
    'def read_config(path):',
    '    with open(path) as fh:',
    '        return fh.read()',
    'def fetch(url):',
    '    return requests.get(url).text',
    'def fetch_twice(url):',
    '    return fetch(url) + fetch(url)',
  ].join('\n'),
  'pkg/compute.py': [
    'import hashlib',
    'import numpy as np',
    'from pkg.io_helpers import fetch',
    'def crunch(n):',
    '    total = 0',
    '    for i in range(n):',
    '        total += i * i',
    '    return total',
    'def crunch_via_helper(n):',
    '    return crunch(n) + 1',
    'def hash_it(data):',
    '    return hashlib.sha256(data).hexdigest()',
    'def vector(n):',
    '    return np.arange(n).sum()',
    'def download_and_crunch(url):',
    '    data = fetch(url)',
    '    for i in range(len(data)):',
    '        data = data[1:] + data[0] * 2',
    '    return data',
    'def pure(x):',
    '    return x + 1',
  ].join('\n'),
};

async function build(): Promise<Workspace> {
  const linter = await getLinter();
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) {
    const isPackage = path.endsWith('__init__.py');
    const moduleName = path.replace(/\/__init__\.py$|\.py$/g, '').replace(/\//g, '.');
    linter.indexText(text, path, ws, { moduleName, isPackage });
  }
  return ws;
}

describe('workspace index', () => {
  it('finds the chain from a function to the blocking call, across functions', async () => {
    const ws = await build();
    const chain = ws.blockingChain('pkg.io_helpers.fetch_twice');
    assert.ok(chain);
    assert.equal(chain.qname, 'requests.get');
    assert.equal(chain.code, 'CL102');
    assert.deepEqual(chain.hops.map((h) => h.text), ['`fetch_twice()` calls `fetch()`', '`fetch()` calls `requests.get()`']);
    assert.deepEqual(chain.hops.map((h) => h.line), [8, 6]);
  });

  it('follows re-exports from a package __init__', async () => {
    const ws = await build();
    assert.equal(ws.canonical('pkg.read_config'), 'pkg.io_helpers.read_config');
    assert.equal(ws.blockingChain('pkg.read_config')?.qname, 'builtins.open');
  });

  it('classifies workloads with evidence, following calls', async () => {
    const ws = await build();
    const cpu = ws.workload('pkg.compute.crunch');
    assert.equal(cpu.verdict, 'cpu');
    assert.match(cpu.evidence[0].text, /loop .* at line 6/);
    assert.equal(ws.workload('pkg.compute.crunch_via_helper').verdict, 'cpu');
    assert.equal(ws.workload('pkg.io_helpers.fetch').verdict, 'io');
    assert.equal(ws.workload('pkg.compute.hash_it').verdict, 'native');
    assert.equal(ws.workload('pkg.compute.vector').verdict, 'native');
    assert.equal(ws.workload('pkg.compute.download_and_crunch').verdict, 'mixed');
    assert.equal(ws.workload('pkg.compute.pure').verdict, 'unknown');
  });

  it('forgets a removed file and recomputes answers', async () => {
    const ws = await build();
    assert.ok(ws.blockingChain('pkg.io_helpers.fetch_twice'));
    const before = ws.version;
    ws.remove('pkg/io_helpers.py');
    assert.ok(ws.version > before);
    assert.equal(ws.blockingChain('pkg.io_helpers.fetch_twice'), undefined);
    assert.equal(ws.workload('pkg.compute.download_and_crunch').verdict, 'cpu');
  });

  it('replacing a file updates its functions', async () => {
    const linter = await getLinter();
    const ws = await build();
    linter.indexText('def fetch(url):\n    return url\ndef fetch_twice(url):\n    return fetch(url)\n', 'pkg/io_helpers.py', ws, { moduleName: 'pkg.io_helpers' });
    assert.equal(ws.blockingChain('pkg.io_helpers.fetch_twice'), undefined);
  });

  it('records decorators and async generators in summaries', async () => {
    const linter = await getLinter();
    const ws = new Workspace();
    const text = [
      'import contextlib, functools',
      '@contextlib.asynccontextmanager',
      'async def session():',
      '    yield 1',
      '@functools.lru_cache(maxsize=8)',
      'async def cached():',
      '    return 1',
      'async def ticks():',
      '    for i in range(3):',
      '        yield i',
      'async def plain():',
      '    def inner():',
      '        yield 1',
      '    return inner',
    ].join('\n');
    linter.indexText(text, 'm.py', ws, { moduleName: 'm' });
    assert.deepEqual(ws.function('m.session')?.decorators, ['asynccontextmanager']);
    assert.deepEqual(ws.function('m.cached')?.decorators, ['lru_cache']);
    assert.equal(ws.function('m.ticks')?.isAsyncGenerator, true);
    assert.equal(ws.function('m.plain')?.isAsyncGenerator, false);
  });

  it('counts an await once (the keyword token has the same type name)', async () => {
    const linter = await getLinter();
    const ws = new Workspace();
    linter.indexText('async def f(g):\n    await g()\n', 'a.py', ws, { moduleName: 'a' });
    assert.equal(ws.function('a.f')?.evidence.filter((e) => e.kind === 'io').length, 1);
  });

  it('a one-pass run finds methods of classes defined in files indexed later', async () => {
    const linter = await getLinter();
    const sources = [
      {
        file: 'pkg/a_app.py',
        moduleName: 'pkg.a_app',
        text: 'from pkg.z_lib import Repo, fetch_later\n\nasync def handler(path):\n    repo = Repo(path)\n    data = repo.load()\n    fetch_later(path)\n    return data\n',
      },
      {
        file: 'pkg/z_lib.py',
        moduleName: 'pkg.z_lib',
        text: 'import time\n\nclass Repo:\n    def __init__(self, path):\n        self.path = path\n\n    def load(self):\n        time.sleep(1)\n        return self.path\n\nasync def fetch_later(path):\n    return path\n',
      },
    ];
    const found = lintDeferred(linter, sources).get('pkg/a_app.py') ?? [];
    assert.deepEqual(found.map((f) => f.code), ['CL109', 'CL201']);
  });
});
