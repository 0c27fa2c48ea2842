// Name resolution and the event-loop query, on their own.
import { strict as assert } from 'node:assert';
import type { Node } from '../../src/core/parse/syntax';
import { PyDocument } from '../../src/core/parse/document';
import { runsOnEventLoop } from '../../src/core/semantics/event-loop';
import { FileModel } from '../../src/core/semantics/model';
import { Resolver } from '../../src/core/semantics/resolve';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, getLinter, listFiles } from './helpers';

async function model(text: string): Promise<{ model: FileModel; resolver: Resolver; doc: PyDocument }> {
  const linter = await getLinter();
  const doc = new PyDocument(linter.grammar, text);
  const m = new FileModel(doc.syntax, doc.text);
  return { model: m, resolver: new Resolver(m), doc };
}

/** The callee of the call whose text is `callText` (first match). */
function callee(m: FileModel, callText: string): Node {
  const call = m.calls.find((c) => c.text === callText);
  assert.ok(call, `no call ${callText}`);
  return call.childForFieldName('function')!;
}

async function resolved(text: string, callText: string): Promise<string | undefined> {
  const { model: m, resolver, doc } = await model(text);
  try {
    const s = resolver.resolve(callee(m, callText));
    return s?.kind === 'name' ? s.qname : s?.kind;
  } finally {
    doc.dispose();
  }
}

describe('name resolution', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['import x as y', 'import time as t\nt.sleep(1)\n', 't.sleep(1)', 'time.sleep'],
    ['from x import y as z', 'from time import sleep as nap\nnap(1)\n', 'nap(1)', 'time.sleep'],
    ['dotted import', 'import urllib.request\nurllib.request.urlopen(u)\n', 'urllib.request.urlopen(u)', 'urllib.request.urlopen'],
    ['from package import module', 'from urllib import request\nrequest.urlopen(u)\n', 'request.urlopen(u)', 'urllib.request.urlopen'],
    ['star import', 'from time import *\nsleep(1)\n', 'sleep(1)', 'time.sleep'],
    ['unbound module fallback', 'subprocess.run(x)\n', 'subprocess.run(x)', 'subprocess.run'],
    ['module name bound elsewhere is not a fallback', 'def f(subprocess):\n    pass\nsubprocess.run(x)\n', 'subprocess.run(x)', undefined],
    ['builtin open', 'open(p)\n', 'open(p)', 'builtins.open'],
    ['local def shadows builtin', 'def f():\n    def open(x): pass\n    open(p)\n', 'open(p)', '__main__.f.<locals>.open'],
    ['parameter shadows module', 'import time\ndef f(time):\n    time.sleep(1)\n', 'time.sleep(1)', undefined],
    ['local assignment shadows', 'import requests\ndef f():\n    requests = make()\n    requests.get(u)\n', 'requests.get(u)', undefined],
    ['function-level import', 'def f():\n    import time as tm\n    tm.sleep(1)\n', 'tm.sleep(1)', 'time.sleep'],
    ['constructor-typed variable', 'import requests\ns = requests.Session()\ns.get(u)\n', 's.get(u)', 'requests.Session.get'],
    ['with-bound variable', 'import requests\nwith requests.Session() as s:\n    s.get(u)\n', 's.get(u)', 'requests.Session.get'],
    ['annotated parameter', 'import httpx\ndef f(c: httpx.Client):\n    c.get(u)\n', 'c.get(u)', 'httpx.Client.get'],
    ['Optional annotation', 'from typing import Optional\nimport httpx\ndef f(c: Optional[httpx.Client]):\n    c.get(u)\n', 'c.get(u)', 'httpx.Client.get'],
    ['self attribute from __init__', 'import threading\nclass C:\n    def __init__(self):\n        self.lock = threading.Lock()\n    def f(self):\n        self.lock.acquire()\n', 'self.lock.acquire()', 'threading.Lock.acquire'],
    ['conflicting assignments are unknown', 'import requests, httpx\nif c:\n    s = requests.Session()\nelse:\n    s = httpx.Client()\ns.get(u)\n', 's.get(u)', undefined],
    ['class body names are not visible in methods', 'import time\nclass C:\n    time = None\n    def f(self):\n        time.sleep(1)\n', 'time.sleep(1)', 'time.sleep'],
    ['dict.get on an unknown object', 'd = {}\nd.get(k)\n', 'd.get(k)', undefined],
    ['Path division keeps the type', 'from pathlib import Path\np = Path(a) / "b"\np.read_text()\n', 'p.read_text()', 'pathlib.Path.read_text'],
    ['global declaration', 'import time\ndef f():\n    global time\n    time.sleep(1)\n', 'time.sleep(1)', 'time.sleep'],
  ];
  for (const [name, text, call, expected] of cases) {
    it(name, async () => assert.equal(await resolved(text, call), expected));
  }
});

describe('runsOnEventLoop', () => {
  const text = [
    'import time',
    'async def coro(x=time.sleep(0)):',
    '    time.sleep(1)',
    '    def helper(y=time.sleep(2)):',
    '        time.sleep(3)',
    '    f = lambda: time.sleep(4)',
    '    class K:',
    '        time.sleep(5)',
    '    async def inner():',
    '        time.sleep(6)',
    '    [time.sleep(7) for _ in range(2)]',
    'def sync():',
    '    time.sleep(8)',
    'time.sleep(9)',
  ].join('\n');
  const expected: Record<string, boolean> = {
    'time.sleep(0)': false, // the coroutine's own default runs where it is defined
    'time.sleep(1)': true,
    'time.sleep(2)': true, // a nested def's default runs in the coroutine
    'time.sleep(3)': false,
    'time.sleep(4)': false,
    'time.sleep(5)': false,
    'time.sleep(6)': true,
    'time.sleep(7)': true,
    'time.sleep(8)': false,
    'time.sleep(9)': false,
  };
  for (const [call, onLoop] of Object.entries(expected)) {
    it(`${call} ${onLoop ? 'runs' : 'does not run'} on the loop`, async () => {
      const { model: m, doc } = await model(text);
      const node = m.calls.find((c) => c.text === call)!;
      assert.equal(runsOnEventLoop(m, node), onLoop);
      doc.dispose();
    });
  }
});

describe('module-level calls', () => {
  it('are the calls whose scope is the module (defaults, decorators and class bodies included as Python scopes them), fixtures and examples', async () => {
    const linter = await getLinter();
    const files = [...listFiles(FIXTURES, '.py'), ...listFiles(join(process.cwd(), 'examples'), '.py')];
    const extra = ['@deco(a())\ndef f(x=b()):\n    c()\nclass K(base()):\n    d()\n    def m(self, y=e()):\n        lambda: g()\nh(lambda: i())\nif True:\n    j()\n'];
    let seen = 0;
    for (const text of [...extra, ...files.map((f) => readFileSync(f, 'utf8'))]) {
      const doc = new PyDocument(linter.grammar, text);
      try {
        const m = new FileModel(doc.syntax, doc.text);
        const want = m.calls.filter((c) => m.scopeAt(c) === m.module).map((c) => c.id);
        assert.deepEqual(m.moduleLevelCalls().map((c) => c.id), want, text.slice(0, 80));
        seen += want.length;
      } finally {
        doc.dispose();
      }
    }
    assert.ok(seen > 50, `${seen} module-level calls`);
  });
});
