// Quick fixes: exact before/after, the result parses (tree-sitter, and CPython when
// available), and fixing again changes nothing.
import { fixCases, lines, noFixCases, type FixCase, type NoFixCase } from './fix-cases';

const cases: FixCase[] = [
  {
    name: 'CL101 time.sleep -> await asyncio.sleep, adding the import',
    before: lines('import time', '', 'async def f():', '    time.sleep(1)'),
    after: lines('import asyncio', 'import time', '', 'async def f():', '    await asyncio.sleep(1)'),
  },
  {
    name: 'CL101 uses the existing asyncio alias and keeps arguments',
    before: lines('import asyncio as aio', 'from time import sleep as nap', '', 'async def f(delay):', '    nap(delay * 2)'),
    after: lines('import asyncio as aio', 'from time import sleep as nap', '', 'async def f(delay):', '    await aio.sleep(delay * 2)'),
  },
  {
    name: 'CL101 in a trio file becomes trio.sleep',
    before: lines('import time', 'import trio', '', 'async def f():', '    time.sleep(0.5)'),
    after: lines('import time', 'import trio', '', 'async def f():', '    await trio.sleep(0.5)'),
  },
  {
    name: 'CL101 in an anyio file becomes anyio.sleep',
    before: lines('import anyio', 'import time', '', 'async def f():', '    time.sleep(2)'),
    after: lines('import anyio', 'import time', '', 'async def f():', '    await anyio.sleep(2)'),
  },
  {
    name: 'CL102 requests.get -> to_thread keeping every argument',
    before: lines('import requests', '', 'async def f(url):', '    r = requests.get(url, timeout=3, headers={"a": "b"})', '    return r'),
    after: lines('import asyncio', 'import requests', '', 'async def f(url):', '    r = await asyncio.to_thread(requests.get, url, timeout=3, headers={"a": "b"})', '    return r'),
  },
  {
    name: 'CL102 already awaited call gets no second await',
    before: lines('import asyncio', 'import requests', '', 'async def f(u):', '    return await requests.get(u)'),
    after: lines('import asyncio', 'import requests', '', 'async def f(u):', '    return await asyncio.to_thread(requests.get, u)'),
  },
  {
    name: 'CL102 call used as a receiver is parenthesised',
    before: lines('import asyncio', 'import requests', '', 'async def f(u):', '    return requests.get(u).json()'),
    after: lines('import asyncio', 'import requests', '', 'async def f(u):', '    return (await asyncio.to_thread(requests.get, u)).json()'),
  },
  {
    name: 'CL102 method on a Session stored on self',
    before: lines(
      'import asyncio',
      'import requests',
      '',
      'class C:',
      '    def __init__(self):',
      '        self.s = requests.Session()',
      '',
      '    async def get(self, u):',
      '        return self.s.get(u)',
    ),
    after: lines(
      'import asyncio',
      'import requests',
      '',
      'class C:',
      '    def __init__(self):',
      '        self.s = requests.Session()',
      '',
      '    async def get(self, u):',
      '        return await asyncio.to_thread(self.s.get, u)',
    ),
  },
  {
    name: 'CL102 in an anyio file with keywords uses a lambda',
    before: lines('import anyio', 'import requests', '', 'async def f(u):', '    return requests.get(u, timeout=3)'),
    after: lines('import anyio', 'import requests', '', 'async def f(u):', '    return await anyio.to_thread.run_sync(lambda: requests.get(u, timeout=3))'),
  },
  {
    name: 'CL102 in a trio file without keywords passes arguments',
    before: lines('import trio', 'import socket', '', 'async def f(host):', '    return socket.gethostbyname(host)'),
    after: lines('import trio', 'import socket', '', 'async def f(host):', '    return await trio.to_thread.run_sync(socket.gethostbyname, host)'),
  },
  {
    name: 'CL103 subprocess.run statement with a list -> create_subprocess_exec',
    before: lines('import asyncio', 'import subprocess', '', 'async def f():', '    subprocess.run(["git", "fetch", "--all"])'),
    after: lines('import asyncio', 'import subprocess', '', 'async def f():', '    await (await asyncio.create_subprocess_exec("git", "fetch", "--all")).wait()'),
  },
  {
    name: 'CL103 subprocess.call return code -> create_subprocess_exec(...).wait()',
    before: lines('import asyncio', 'import subprocess', '', 'async def f():', '    rc = subprocess.call(["make", "test"])', '    return rc'),
    after: lines('import asyncio', 'import subprocess', '', 'async def f():', '    rc = await (await asyncio.create_subprocess_exec("make", "test")).wait()', '    return rc'),
  },
  {
    name: 'CL103 shell string -> create_subprocess_shell',
    before: lines('import asyncio', 'import subprocess', '', 'async def f():', '    subprocess.run("make clean", shell=True)'),
    after: lines('import asyncio', 'import subprocess', '', 'async def f():', '    await (await asyncio.create_subprocess_shell("make clean")).wait()'),
  },
  {
    name: 'CL103 result used -> to_thread',
    before: lines('import asyncio', 'import subprocess', '', 'async def f():', '    out = subprocess.run(["ls"], capture_output=True)', '    return out'),
    after: lines('import asyncio', 'import subprocess', '', 'async def f():', '    out = await asyncio.to_thread(subprocess.run, ["ls"], capture_output=True)', '    return out'),
  },
  {
    name: 'CL104 os.path.exists -> to_thread',
    before: lines('import asyncio', 'import os', '', 'async def f(p):', '    if os.path.exists(p):', '        return 1'),
    after: lines('import asyncio', 'import os', '', 'async def f(p):', '    if await asyncio.to_thread(os.path.exists, p):', '        return 1'),
  },
  {
    name: 'CL104 read on a file object',
    before: lines('import asyncio', '', 'async def f(p):', '    fh = open(p)', '    return fh.read()'),
    after: lines('import asyncio', '', 'async def f(p):', '    fh = await asyncio.to_thread(open, p)', '    return await asyncio.to_thread(fh.read)'),
  },
  {
    name: 'CL106 input -> to_thread',
    before: lines('"""Module docstring."""', '', 'async def ask():', '    return input("name? ")'),
    after: lines('"""Module docstring."""', 'import asyncio', '', 'async def ask():', '    return await asyncio.to_thread(input, "name? ")'),
  },
  {
    name: 'CL107 Future.result -> asyncio.wrap_future',
    before: lines(
      'import asyncio',
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      'async def f(pool: ThreadPoolExecutor, job):',
      '    fut = pool.submit(job)',
      '    return fut.result()',
    ),
    after: lines(
      'import asyncio',
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      'async def f(pool: ThreadPoolExecutor, job):',
      '    fut = pool.submit(job)',
      '    return await asyncio.wrap_future(fut)',
    ),
  },
  {
    name: 'CL107 Future.result(timeout) -> wait_for(wrap_future)',
    before: lines('import asyncio', 'import concurrent.futures', '', 'async def f(job):', '    with concurrent.futures.ThreadPoolExecutor() as ex:', '        return ex.submit(job).result(5)'),
    after: lines('import asyncio', 'import concurrent.futures', '', 'async def f(job):', '    with concurrent.futures.ThreadPoolExecutor() as ex:', '        return await asyncio.wait_for(asyncio.wrap_future(ex.submit(job)), 5)'),
  },
  {
    name: 'CL107 queue get -> to_thread',
    before: lines('import asyncio', 'import queue', '', 'jobs = queue.Queue()', '', 'async def worker():', '    item = jobs.get()', '    return item'),
    after: lines('import asyncio', 'import queue', '', 'jobs = queue.Queue()', '', 'async def worker():', '    item = await asyncio.to_thread(jobs.get)', '    return item'),
  },
  {
    name: 'CL110 asyncio.run inside a coroutine -> await',
    before: lines('import asyncio', '', 'async def main():', '    asyncio.run(helper(1))'),
    after: lines('import asyncio', '', 'async def main():', '    await helper(1)'),
  },
  {
    name: 'CL110 loop.run_until_complete -> await',
    before: lines('import asyncio', '', 'async def main(loop, coro):', '    return loop.run_until_complete(coro)'),
    after: lines('import asyncio', '', 'async def main(loop, coro):', '    return await coro'),
  },
  {
    name: 'CL110 trio.run(fn, arg) -> await fn(arg)',
    before: lines('import trio', '', 'async def main():', '    trio.run(child, 3)'),
    after: lines('import trio', '', 'async def main():', '    await child(3)'),
  },
  {
    name: 'CL109 blocking helper -> to_thread(helper, ...)',
    before: lines('import time', '', 'def pause(n, unit=1):', '    time.sleep(n * unit)', '', 'async def f():', '    pause(2, unit=0.5)'),
    after: lines('import asyncio', 'import time', '', 'def pause(n, unit=1):', '    time.sleep(n * unit)', '', 'async def f():', '    await asyncio.to_thread(pause, 2, unit=0.5)'),
  },
  {
    name: 'import goes after __future__ imports',
    before: lines('from __future__ import annotations', '', 'async def f():', '    time.sleep(1)'),
    after: lines('from __future__ import annotations', 'import asyncio', '', 'async def f():', '    await asyncio.sleep(1)'),
  },
  {
    name: 'several fixes in one file share one import',
    before: lines('import time, requests', '', 'async def f(u):', '    time.sleep(1)', '    requests.post(u)', '    time.sleep(2)'),
    after: lines('import asyncio', 'import time, requests', '', 'async def f(u):', '    await asyncio.sleep(1)', '    await asyncio.to_thread(requests.post, u)', '    await asyncio.sleep(2)'),
  },
  {
    name: 'CL105 sqlite3 fixes are unsafe: --fix leaves them',
    before: lines('import asyncio', 'import sqlite3', '', 'async def f(db):', '    conn = sqlite3.connect(db)', '    return conn'),
    after: lines('import asyncio', 'import sqlite3', '', 'async def f(db):', '    conn = sqlite3.connect(db)', '    return conn'),
  },
  {
    name: 'CL105 sqlite3 fixes apply with unsafe fixes on',
    level: 'unsafe',
    before: lines('import asyncio', 'import sqlite3', '', 'async def f(db):', '    conn = sqlite3.connect(db)', '    return conn'),
    after: lines('import asyncio', 'import sqlite3', '', 'async def f(db):', '    conn = await asyncio.to_thread(sqlite3.connect, db)', '    return conn'),
  },
];

const noFix: NoFixCase[] = [
  ['CL104', 'with open(...) as f', lines('async def f(p):', '    with open(p) as fh:', '        return fh.read()'), /with/],
  ['CL104', 'inside a generator expression', lines('import os', 'async def f(ps):', '    return any(os.path.exists(p) for p in ps)'), /generator expression/],
  ['CL107', 'RLock.acquire', lines('import threading', 'lock = threading.RLock()', 'async def f():', '    lock.acquire()'), /RLock/],
  ['CL107', 'with on a threading lock', lines('import threading', 'lock = threading.Lock()', 'async def f():', '    with lock:', '        pass'), /asyncio\.Lock/],
];

describe('fixes', () => {
  fixCases(cases);
  noFixCases(noFix);
});
