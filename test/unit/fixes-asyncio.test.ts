// Quick fixes of the asyncio rules (CL201–CL206): exact before/after, the result parses
// (tree-sitter, and CPython when available), and fixing again changes nothing.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { runFixLoop, type FixLevel } from '../../src/core/fixes/apply';
import type { Linter } from '../../src/core/linter';
import { getLinter } from './helpers';

const hasPython = spawnSync('python3', ['--version']).status === 0;

function snapshot(linter: Linter, text: string) {
  const r = linter.lintText(text, 't.py');
  return { findings: r.findings, parses: r.syntaxErrors.length === 0 };
}

function fixAll(linter: Linter, text: string, level: FixLevel = 'safe'): string {
  return runFixLoop(text, snapshot(linter, text), (t) => snapshot(linter, t), level).text;
}

function assertPythonParses(text: string): void {
  if (!hasPython) return;
  const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text });
  assert.equal(r.status, 0, `CPython rejects the fixed text:\n${text}\n${r.stderr}`);
}

const lines = (...l: string[]) => l.join('\n') + '\n';

interface Case {
  name: string;
  before: string;
  after: string;
  level?: FixLevel;
}

const cases: Case[] = [
  // CL201
  {
    name: 'CL201 bare call to an async def gets await',
    before: lines('async def fetch(u):', '    return u', '', 'async def main():', '    fetch("a")'),
    after: lines('async def fetch(u):', '    return u', '', 'async def main():', '    await fetch("a")'),
  },
  {
    name: 'CL201 tested coroutine: await inside not / and',
    before: lines('async def ready():', '    return True', '', 'async def main(flag):', '    if not ready():', '        return 1', '    while flag and ready():', '        flag = False'),
    after: lines('async def ready():', '    return True', '', 'async def main(flag):', '    if not await ready():', '        return 1', '    while flag and await ready():', '        flag = False'),
  },
  {
    name: 'CL201 `_ = coro()` keeps the assignment and awaits',
    before: lines('import asyncio', '', 'async def main():', '    _ = asyncio.sleep(1)'),
    after: lines('import asyncio', '', 'async def main():', '    _ = await asyncio.sleep(1)'),
  },
  {
    name: 'CL201 self method and an asyncio.Queue attribute',
    before: lines(
      'import asyncio',
      '',
      'class Worker:',
      '    def __init__(self):',
      '        self.queue = asyncio.Queue()',
      '',
      '    async def flush(self):',
      '        pass',
      '',
      '    async def push(self, item):',
      '        self.queue.put(item)',
      '        self.flush()',
    ),
    after: lines(
      'import asyncio',
      '',
      'class Worker:',
      '    def __init__(self):',
      '        self.queue = asyncio.Queue()',
      '',
      '    async def flush(self):',
      '        pass',
      '',
      '    async def push(self, item):',
      '        await self.queue.put(item)',
      '        await self.flush()',
    ),
  },
  {
    name: 'CL201 in a sync function: reported, nothing changed',
    before: lines('async def fetch():', '    pass', '', 'def main():', '    fetch()'),
    after: lines('async def fetch():', '    pass', '', 'def main():', '    fetch()'),
  },
  {
    name: 'CL201 writer.drain() on a stream writer from open_connection',
    before: lines('import asyncio', '', 'async def send(host, data):', '    reader, writer = await asyncio.open_connection(host, 80)', '    writer.write(data)', '    writer.drain()'),
    after: lines('import asyncio', '', 'async def send(host, data):', '    reader, writer = await asyncio.open_connection(host, 80)', '    writer.write(data)', '    await writer.drain()'),
  },
  // CL202
  {
    name: 'CL202 bare create_task: module-level set after the imports, reference kept',
    before: lines('import asyncio', 'import logging', '', '', 'async def work():', '    pass', '', '', 'async def main():', '    asyncio.create_task(work())', '    logging.info("started")'),
    after: lines(
      'import asyncio',
      'import logging',
      '',
      '_background_tasks: set[asyncio.Task] = set()',
      '',
      '',
      'async def work():',
      '    pass',
      '',
      '',
      'async def main():',
      '    task = asyncio.create_task(work())',
      '    _background_tasks.add(task)',
      '    task.add_done_callback(_background_tasks.discard)',
      '    logging.info("started")',
    ),
  },
  {
    name: 'CL202 reuses the set the file already keeps, and a trailing comment stays on its line',
    before: lines(
      'import asyncio',
      '',
      'RUNNING = set()',
      '',
      'async def work():',
      '    pass',
      '',
      'async def keep():',
      '    t = asyncio.create_task(work())',
      '    RUNNING.add(t)',
      '    t.add_done_callback(RUNNING.discard)',
      '',
      'async def drop(task):',
      '    if task:',
      '        asyncio.ensure_future(work())  # fire and forget',
      '    return task',
    ),
    after: lines(
      'import asyncio',
      '',
      'RUNNING = set()',
      '',
      'async def work():',
      '    pass',
      '',
      'async def keep():',
      '    t = asyncio.create_task(work())',
      '    RUNNING.add(t)',
      '    t.add_done_callback(RUNNING.discard)',
      '',
      'async def drop(task):',
      '    if task:',
      '        background_task = asyncio.ensure_future(work())  # fire and forget',
      '        RUNNING.add(background_task)',
      '        background_task.add_done_callback(RUNNING.discard)',
      '    return task',
    ),
  },
  {
    name: 'CL202 `_ =` and an unused local both keep their task; two fixes share one set',
    before: lines('import asyncio', '', 'async def work(n):', '    pass', '', 'async def main():', '    _ = asyncio.create_task(work(1))', '    pending = asyncio.create_task(work(2))'),
    after: lines(
      'import asyncio',
      '',
      '_background_tasks: set[asyncio.Task] = set()',
      '',
      'async def work(n):',
      '    pass',
      '',
      'async def main():',
      '    task = asyncio.create_task(work(1))',
      '    _background_tasks.add(task)',
      '    task.add_done_callback(_background_tasks.discard)',
      '    pending = asyncio.create_task(work(2))',
      '    _background_tasks.add(pending)',
      '    pending.add_done_callback(_background_tasks.discard)',
    ),
  },
  {
    name: 'CL202 loop.create_task in a file without imports: import and set go before the first def',
    before: lines('"""Callbacks."""', '', '', 'def on_data(loop, data):', '    loop.create_task(handle(data))', '', '', 'async def handle(data):', '    return data'),
    after: lines(
      '"""Callbacks."""',
      'import asyncio',
      '',
      '',
      '_background_tasks: set[asyncio.Task] = set()',
      '',
      '',
      'def on_data(loop, data):',
      '    task = loop.create_task(handle(data))',
      '    _background_tasks.add(task)',
      '    task.add_done_callback(_background_tasks.discard)',
      '',
      '',
      'async def handle(data):',
      '    return data',
    ),
  },
  {
    name: 'CL202 `from asyncio import create_task`: asyncio is imported for the annotation',
    before: lines('from asyncio import create_task', '', 'async def work():', '    pass', '', 'async def main():', '    create_task(work())'),
    after: lines(
      'import asyncio',
      'from asyncio import create_task',
      '',
      '_background_tasks: set[asyncio.Task] = set()',
      '',
      'async def work():',
      '    pass',
      '',
      'async def main():',
      '    task = create_task(work())',
      '    _background_tasks.add(task)',
      '    task.add_done_callback(_background_tasks.discard)',
    ),
  },
  // CL203 (unsafe)
  {
    name: 'CL203 await in a loop -> asyncio.gather over a generator',
    level: 'unsafe',
    before: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(urls):', '    for url in urls:', '        await fetch(url)'),
    after: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(urls):', '    await asyncio.gather(*(fetch(url) for url in urls))'),
  },
  {
    name: 'CL203 append(await ...) -> extend(await gather(...)), tuple target, comment kept',
    level: 'unsafe',
    before: lines('async def fetch(u, i):', '    return u', '', 'async def main(urls):', '    out = []', '    for i, url in enumerate(urls):  # all pages', '        out.append(await fetch(url, i))', '    return out'),
    after: lines(
      'import asyncio',
      'async def fetch(u, i):',
      '    return u',
      '',
      'async def main(urls):',
      '    out = []',
      '    out.extend(await asyncio.gather(*(fetch(url, i) for i, url in enumerate(urls))))  # all pages',
      '    return out',
    ),
  },
  {
    name: 'CL203 `r = await f(x)` then `out.append(r)` -> extend, the temporary disappears',
    level: 'unsafe',
    before: lines('import asyncio', '', 'async def f(x):', '    return x', '', 'async def main(xs):', '    out = []', '    for x in xs:', '        r = await f(x)', '        out.append(r)', '    return out'),
    after: lines('import asyncio', '', 'async def f(x):', '    return x', '', 'async def main(xs):', '    out = []', '    out.extend(await asyncio.gather(*(f(x) for x in xs)))', '    return out'),
  },
  {
    name: 'CL203 a conditional iterable is parenthesised inside the generator',
    level: 'unsafe',
    before: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(a, b, c):', '    for url in a if c else b:', '        await fetch(url)'),
    after: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(a, b, c):', '    await asyncio.gather(*(fetch(url) for url in (a if c else b)))'),
  },
  {
    name: 'CL203 fixes are unsafe: --fix leaves the loop',
    before: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(urls):', '    for url in urls:', '        await fetch(url)'),
    after: lines('import asyncio', '', 'async def fetch(u):', '    return u', '', 'async def main(urls):', '    for url in urls:', '        await fetch(url)'),
  },
  // CL204
  {
    name: 'CL204 module lock used with `with` in coroutines -> asyncio.Lock and async with',
    before: lines('import threading', '', '_lock = threading.Lock()', '', 'async def a(d):', '    with _lock:', '        d.clear()', '', 'async def b(d):', '    with _lock:', '        d.update(x=1)'),
    after: lines('import asyncio', 'import threading', '', '_lock = asyncio.Lock()', '', 'async def a(d):', '    async with _lock:', '        d.clear()', '', 'async def b(d):', '    async with _lock:', '        d.update(x=1)'),
  },
  {
    name: 'CL204 Event: wait() is awaited, set() stays',
    before: lines('import asyncio', 'import threading', '', '_done = threading.Event()', '', 'async def finish():', '    _done.set()', '', 'async def wait():', '    _done.wait()', '    return _done.is_set()'),
    after: lines('import asyncio', 'import threading', '', '_done = asyncio.Event()', '', 'async def finish():', '    _done.set()', '', 'async def wait():', '    await _done.wait()', '    return _done.is_set()'),
  },
  {
    name: 'CL204 self lock with acquire/release; `from threading import Lock`',
    before: lines(
      'import asyncio',
      'from threading import Lock',
      '',
      'class Counter:',
      '    def __init__(self):',
      '        self._lock = Lock()',
      '        self.n = 0',
      '',
      '    async def bump(self):',
      '        self._lock.acquire()',
      '        try:',
      '            self.n += 1',
      '        finally:',
      '            self._lock.release()',
    ),
    after: lines(
      'import asyncio',
      'from threading import Lock',
      '',
      'class Counter:',
      '    def __init__(self):',
      '        self._lock = asyncio.Lock()',
      '        self.n = 0',
      '',
      '    async def bump(self):',
      '        await self._lock.acquire()',
      '        try:',
      '            self.n += 1',
      '        finally:',
      '            self._lock.release()',
    ),
  },
  {
    name: 'CL204 Semaphore keeps its value; Condition wait_for is awaited',
    before: lines(
      'import asyncio',
      'import threading',
      '',
      'class Gate:',
      '    def __init__(self):',
      '        self._slots = threading.BoundedSemaphore(3)',
      '        self._cond = threading.Condition()',
      '',
      '    async def run(self, job):',
      '        with self._slots:',
      '            return await job()',
      '',
      '    async def until(self, pred):',
      '        with self._cond:',
      '            self._cond.wait_for(pred)',
    ),
    after: lines(
      'import asyncio',
      'import threading',
      '',
      'class Gate:',
      '    def __init__(self):',
      '        self._slots = asyncio.BoundedSemaphore(3)',
      '        self._cond = asyncio.Condition()',
      '',
      '    async def run(self, job):',
      '        async with self._slots:',
      '            return await job()',
      '',
      '    async def until(self, pred):',
      '        async with self._cond:',
      '            await self._cond.wait_for(pred)',
    ),
  },
  {
    name: 'CL204 a public module-level lock is fixed only with unsafe fixes on',
    level: 'unsafe',
    before: lines('import asyncio', 'import threading', '', 'LOCK = threading.Lock()', '', 'async def a():', '    with LOCK:', '        pass'),
    after: lines('import asyncio', 'import threading', '', 'LOCK = asyncio.Lock()', '', 'async def a():', '    async with LOCK:', '        pass'),
  },
  {
    name: 'CL204 public module-level lock: --fix leaves it',
    before: lines('import asyncio', 'import threading', '', 'LOCK = threading.Lock()', '', 'async def a():', '    with LOCK:', '        pass'),
    after: lines('import asyncio', 'import threading', '', 'LOCK = threading.Lock()', '', 'async def a():', '    with LOCK:', '        pass'),
  },
  // CL206
  {
    name: 'CL206 get_event_loop -> get_running_loop, keeping the alias',
    before: lines('import asyncio as aio', '', 'async def main():', '    loop = aio.get_event_loop()', '    return loop'),
    after: lines('import asyncio as aio', '', 'async def main():', '    loop = aio.get_running_loop()', '    return loop'),
  },
  {
    name: 'CL206 imported get_event_loop -> asyncio.get_running_loop with the import added',
    before: lines('from asyncio import get_event_loop', '', 'async def main():', '    return get_event_loop().time()'),
    after: lines('import asyncio', 'from asyncio import get_event_loop', '', 'async def main():', '    return asyncio.get_running_loop().time()'),
  },
];

describe('fixes: asyncio rules', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const linter = await getLinter();
      const fixed = fixAll(linter, c.before, c.level);
      assert.equal(fixed, c.after);
      assert.equal(linter.lintText(fixed, 't.py').syntaxErrors.length, 0, 'fixed text has syntax errors');
      assertPythonParses(fixed);
      assert.equal(fixAll(linter, fixed, c.level), fixed, 'fixing again changed the text');
    });
  }

  const noFix: [string, string, string, RegExp][] = [
    ['CL201', 'a sync def cannot await', lines('async def fetch():', '    pass', '', 'def main():', '    fetch()'), /plain `def`/],
    ['CL201', 'module level', lines('import asyncio', 'asyncio.sleep(1)'), /module level/],
    ['CL202', 'the statement shares its line', lines('import asyncio', 'async def w():', '    pass', 'async def main(x):', '    if x: asyncio.create_task(w())'), /own line/],
    ['CL202', 'module level', lines('import asyncio', 'async def w():', '    pass', 'asyncio.ensure_future(w())'), /outside any function/],
    ['CL203', 'trio', lines('import trio', 'async def get(u):', '    pass', 'async def main(urls):', '    for u in urls:', '        await get(u)'), /nursery/],
    ['CL203', 'loop variable used after the loop', lines('import asyncio', 'async def get(u):', '    pass', 'async def main(urls):', '    for u in urls:', '        await get(u)', '    return u'), /after the loop/],
    ['CL203', 'results stored by key', lines('import asyncio', 'async def get(u):', '    pass', 'async def main(urls):', '    out = {}', '    for u in urls:', '        out[u] = await get(u)', '    return out'), /by key/],
    ['CL204', 'RLock', lines('import threading', 'r = threading.RLock()', 'async def f():', '    with r:', '        pass'), /re-entrant/],
    ['CL204', 'wait with a timeout', lines('import threading', '_e = threading.Event()', 'async def f():', '    _e.wait(2)'), /timeout/],
    ['CL204', '`with lock as held`', lines('import threading', '_l = threading.Lock()', 'async def f():', '    with _l as held:', '        return held'), /cannot simply become/],
    ['CL205', 'busy-wait', lines('import asyncio', 'async def f(d):', '    while not d.ready:', '        await asyncio.sleep(0.1)'), /asyncio\.Event/],
  ];
  for (const [code, name, text, reason] of noFix) {
    it(`${code} offers no fix, and says why: ${name}`, async () => {
      const linter = await getLinter();
      const finding = linter.lintText(text, 't.py').findings.find((f) => f.code === code);
      assert.ok(finding, `expected a ${code} finding`);
      assert.equal(finding.fix, undefined);
      assert.match(finding.noFixReason ?? '', reason);
    });
  }
});
