// Quick fixes of the thread and process rules (CL301–CL303, CL401–CL404): exact
// before/after, the result parses (tree-sitter, and CPython when available), and fixing
// again changes nothing. Then the cases where no fix is offered, and why.
import { fixCases, lines, noFixCases, type FixCase, type NoFixCase } from './fix-cases';

const CRUNCH = ['def crunch(n):', '    total = 0', '    for i in range(n):', '        total += i * i', '    return total', ''];
const FETCH = ['def fetch(url):', '    return requests.get(url, timeout=5).text', ''];

const cases: FixCase[] = [
  // CL301: ThreadPoolExecutor -> ProcessPoolExecutor
  {
    name: 'CL301 with ThreadPoolExecutor: the class and its only import are swapped (unsafe)',
    level: 'unsafe',
    before: lines('from concurrent.futures import ThreadPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ThreadPoolExecutor(max_workers=4) as ex:', '        return list(ex.map(crunch, xs))'),
    after: lines('from concurrent.futures import ProcessPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ProcessPoolExecutor(max_workers=4) as ex:', '        return list(ex.map(crunch, xs))'),
  },
  {
    name: 'CL301 is unsafe: safe fixing leaves it',
    before: lines('from concurrent.futures import ThreadPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ThreadPoolExecutor() as ex:', '        return ex.submit(crunch, 10)'),
    after: lines('from concurrent.futures import ThreadPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ThreadPoolExecutor() as ex:', '        return ex.submit(crunch, 10)'),
  },
  {
    name: 'CL301 module alias: only the attribute changes; shutdown is allowed',
    level: 'unsafe',
    before: lines('import concurrent.futures as cf', '', ...CRUNCH, '', 'def main(xs):', '    ex = cf.ThreadPoolExecutor(4)', '    out = list(ex.map(crunch, xs))', '    ex.shutdown()', '    return out'),
    after: lines('import concurrent.futures as cf', '', ...CRUNCH, '', 'def main(xs):', '    ex = cf.ProcessPoolExecutor(4)', '    out = list(ex.map(crunch, xs))', '    ex.shutdown()', '    return out'),
  },
  {
    name: 'CL301 the old name is still used elsewhere: the new one is added to the import',
    level: 'unsafe',
    before: lines('from concurrent.futures import ThreadPoolExecutor, as_completed', '', ...CRUNCH, '', 'def main(xs, other: ThreadPoolExecutor):', '    with ThreadPoolExecutor() as ex:', '        futures = [ex.submit(crunch, x) for x in xs]', '        return [f.result() for f in as_completed(futures)]'),
    after: lines('from concurrent.futures import ThreadPoolExecutor, as_completed, ProcessPoolExecutor', '', ...CRUNCH, '', 'def main(xs, other: ThreadPoolExecutor):', '    with ProcessPoolExecutor() as ex:', '        futures = [ex.submit(crunch, x) for x in xs]', '        return [f.result() for f in as_completed(futures)]'),
  },
  {
    name: 'CL301 ProcessPoolExecutor already imported: that name is used',
    level: 'unsafe',
    before: lines('from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ThreadPoolExecutor() as ex:', '        return list(ex.map(crunch, xs))', '', 'def other():', '    return ProcessPoolExecutor, ThreadPoolExecutor'),
    after: lines('from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ProcessPoolExecutor() as ex:', '        return list(ex.map(crunch, xs))', '', 'def other():', '    return ProcessPoolExecutor, ThreadPoolExecutor'),
  },

  // CL302: with lock around unlocked writes
  {
    name: 'CL302 global counter: a module lock is created after the imports',
    before: lines('import threading', '', 'counter = 0', '', '', 'def work():', '    global counter', '    counter += 1', '', '', 'for _ in range(4):', '    threading.Thread(target=work).start()'),
    after: lines('import threading', '', '_lock = threading.Lock()', '', 'counter = 0', '', '', 'def work():', '    global counter', '    with _lock:', '        counter += 1', '', '', 'for _ in range(4):', '    threading.Thread(target=work).start()'),
  },
  {
    name: 'CL302 the existing module lock is used; adjacent writes share one with',
    before: lines('import threading', '', 'hits = 0', 'misses = 0', 'stats_lock = threading.Lock()', '', 'def work(hit):', '    global hits, misses', '    hits += hit', '    misses += 1 - hit  # tally', '    return hit', '', 'threads = [threading.Thread(target=work, args=(1,)) for _ in range(2)]'),
    after: lines('import threading', '', 'hits = 0', 'misses = 0', 'stats_lock = threading.Lock()', '', 'def work(hit):', '    global hits, misses', '    with stats_lock:', '        hits += hit', '        misses += 1 - hit  # tally', '    return hit', '', 'threads = [threading.Thread(target=work, args=(1,)) for _ in range(2)]'),
  },
  {
    name: 'CL302 self attribute: the lock is created at the end of __init__',
    before: lines(
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      'class Crawler:',
      '    def __init__(self):',
      '        self.pages = 0',
      '',
      '    def fetch(self, url):',
      '        self.pages += 1',
      '',
      '    def run(self, urls):',
      '        with ThreadPoolExecutor() as ex:',
      '            ex.map(self.fetch, urls)',
    ),
    after: lines(
      'import threading',
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      'class Crawler:',
      '    def __init__(self):',
      '        self.pages = 0',
      '        self._lock = threading.Lock()',
      '',
      '    def fetch(self, url):',
      '        with self._lock:',
      '            self.pages += 1',
      '',
      '    def run(self, urls):',
      '        with ThreadPoolExecutor() as ex:',
      '            ex.map(self.fetch, urls)',
    ),
  },
  {
    name: 'CL302 nonlocal total uses the lock of the enclosing function; `from threading import Lock` style kept',
    before: lines('from threading import Lock, Thread', '', 'def tally(sizes):', '    total = 0', '    guard = Lock()', '', '    def add(n):', '        nonlocal total', '        total += n', '', '    for s in sizes:', '        Thread(target=add, args=(s,)).start()', '    return total'),
    after: lines('from threading import Lock, Thread', '', 'def tally(sizes):', '    total = 0', '    guard = Lock()', '', '    def add(n):', '        nonlocal total', '        with guard:', '            total += n', '', '    for s in sizes:', '        Thread(target=add, args=(s,)).start()', '    return total'),
  },
  {
    name: 'CL302 no imports at all: import and lock go in front of the code',
    before: lines('"""Counts."""', 'count = 0', '', 'def bump():', '    global count', '    count = count + 1', '', 'def start(pool):', '    import asyncio', '    return asyncio.to_thread(bump)'),
    after: lines('"""Counts."""', 'import threading', '', '_lock = threading.Lock()', '', 'count = 0', '', 'def bump():', '    global count', '    with _lock:', '        count = count + 1', '', 'def start(pool):', '    import asyncio', '    return asyncio.to_thread(bump)'),
  },

  // CL303: acquire/release pair -> with
  {
    name: 'CL303 acquire ... release becomes with, keeping comments',
    before: lines('import threading', '', 'lock = threading.Lock()', 'stock = {}', '', 'def reserve(item):', '    lock.acquire()  # serialise reservations', '    if stock[item] < 1:', '        raise ValueError(item)', '    # take one', '    stock[item] -= 1', '    lock.release()', '    return True'),
    after: lines('import threading', '', 'lock = threading.Lock()', 'stock = {}', '', 'def reserve(item):', '    with lock:  # serialise reservations', '        if stock[item] < 1:', '            raise ValueError(item)', '        # take one', '        stock[item] -= 1', '    return True'),
  },
  {
    name: 'CL303 a lock kept on self; the statements after the release stay outside',
    before: lines('import threading', '', 'class Gate:', '    def __init__(self):', '        self._lock = threading.Lock()', '        self.turns = []', '', '    def take_turn(self, who):', '        self._lock.acquire()', '        self.turns.append(who)', '', '        self._lock.release()', '        return len(self.turns)'),
    after: lines('import threading', '', 'class Gate:', '    def __init__(self):', '        self._lock = threading.Lock()', '        self.turns = []', '', '    def take_turn(self, who):', '        with self._lock:', '            self.turns.append(who)', '', '        return len(self.turns)'),
  },
  {
    name: 'CL303 tab-indented code stays tab-indented',
    before: 'import threading\nlock = threading.Lock()\ndef f(d):\n\tlock.acquire()\n\td["n"] += 1\n\tlock.release()\n',
    after: 'import threading\nlock = threading.Lock()\ndef f(d):\n\twith lock:\n\t\td["n"] += 1\n',
  },

  // CL401: main guard
  {
    name: 'CL401 module-level pool: everything from it to the end goes under the guard',
    before: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'sizes = [10, 20]', 'with Pool(2) as pool:', '    print(pool.map(crunch, sizes))', '# done', 'print("finished")'),
    after: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'sizes = [10, 20]', 'if __name__ == "__main__":', '    with Pool(2) as pool:', '        print(pool.map(crunch, sizes))', '    # done', '    print("finished")'),
  },
  {
    name: 'CL401 a call to a function that starts processes is guarded too',
    before: lines('import multiprocessing', '', ...CRUNCH, '', 'def main():', '    p = multiprocessing.Process(target=crunch, args=(5,))', '    p.start()', '    p.join()', '', '', 'main()'),
    after: lines('import multiprocessing', '', ...CRUNCH, '', 'def main():', '    p = multiprocessing.Process(target=crunch, args=(5,))', '    p.start()', '    p.join()', '', '', 'if __name__ == "__main__":', '    main()'),
  },
  {
    name: 'CL401 a variable set above the guard stays visible to workers: safe',
    before: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'FACTOR = 3', 'with Pool() as pool:', '    pool.map(scale, [1, 2])'),
    after: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'FACTOR = 3', 'if __name__ == "__main__":', '    with Pool() as pool:', '        pool.map(scale, [1, 2])'),
  },
  {
    name: 'CL401 is unsafe when a worker reads a variable the guard would hide: safe fixing leaves it',
    before: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'with Pool() as pool:', '    FACTOR = 3', '    pool.map(scale, [1, 2])'),
    after: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'with Pool() as pool:', '    FACTOR = 3', '    pool.map(scale, [1, 2])'),
  },
  {
    name: 'CL401 unsafe variant applies at the unsafe level',
    level: 'unsafe',
    before: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'with Pool() as pool:', '    FACTOR = 3', '    pool.map(scale, [1, 2])'),
    after: lines('from multiprocessing import Pool', '', 'def scale(x):', '    return x * FACTOR', '', 'if __name__ == "__main__":', '    with Pool() as pool:', '        FACTOR = 3', '        pool.map(scale, [1, 2])'),
  },

  // CL403: ProcessPoolExecutor -> ThreadPoolExecutor
  {
    name: 'CL403 process pool running only I/O-bound work becomes a thread pool (unsafe)',
    level: 'unsafe',
    before: lines('import requests', 'from concurrent.futures import ProcessPoolExecutor', '', ...FETCH, '', 'def main(urls):', '    with ProcessPoolExecutor(max_workers=8) as ex:', '        return list(ex.map(fetch, urls))'),
    after: lines('import requests', 'from concurrent.futures import ThreadPoolExecutor', '', ...FETCH, '', 'def main(urls):', '    with ThreadPoolExecutor(max_workers=8) as ex:', '        return list(ex.map(fetch, urls))'),
  },

  // CL404: with for unclosed pools
  {
    name: 'CL404 ProcessPoolExecutor assigned and never shut down becomes with (safe)',
    before: lines('from concurrent.futures import ProcessPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    ex = ProcessPoolExecutor()', '', '    futures = [ex.submit(crunch, x) for x in xs]', '    return [f.result() for f in futures]'),
    after: lines('from concurrent.futures import ProcessPoolExecutor', '', ...CRUNCH, '', 'def main(xs):', '    with ProcessPoolExecutor() as ex:', '', '        futures = [ex.submit(crunch, x) for x in xs]', '        return [f.result() for f in futures]'),
  },
  {
    name: 'CL404 Pool becomes with at the unsafe level (leaving with terminates the pool)',
    level: 'unsafe',
    before: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'def main(xs):', '    pool = Pool(4)  # workers', '    out = pool.map(crunch, xs)', '    print(out)'),
    after: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'def main(xs):', '    with Pool(4) as pool:  # workers', '        out = pool.map(crunch, xs)', '        print(out)'),
  },
  {
    name: 'CL404 Pool fix is unsafe: safe fixing leaves it',
    before: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'def main(xs):', '    pool = Pool(4)', '    return pool.map(crunch, xs)'),
    after: lines('from multiprocessing import Pool', '', ...CRUNCH, '', 'def main(xs):', '    pool = Pool(4)', '    return pool.map(crunch, xs)'),
  },
];

const noFix: NoFixCase[] = [
  ['CL301', 'a lambda submitted to the same executor', lines(...CRUNCH, 'from concurrent.futures import ThreadPoolExecutor', 'def main():', '    with ThreadPoolExecutor() as ex:', '        ex.submit(crunch, 5)', '        ex.submit(lambda: 1)'), /lambda/],
  ['CL301', 'threading.Thread', lines('import threading', ...CRUNCH, 'threading.Thread(target=crunch, args=(9,)).start()'), /by hand/],
  ['CL301', 'asyncio.to_thread', lines('import asyncio', ...CRUNCH, 'async def f():', '    await asyncio.to_thread(crunch, 9)'), /ProcessPoolExecutor/],
  ['CL301', 'run_in_executor(None, ...)', lines('import asyncio', ...CRUNCH, 'async def f():', '    loop = asyncio.get_running_loop()', '    await loop.run_in_executor(None, crunch, 9)'), /default executor/],
  ['CL301', 'an executor made at import time', lines('from concurrent.futures import ThreadPoolExecutor', ...CRUNCH, 'ex = ThreadPoolExecutor()', 'ex.submit(crunch, 3)'), /import time/],
  ['CL301', 'an argument ProcessPoolExecutor does not take', lines('from concurrent.futures import ThreadPoolExecutor', ...CRUNCH, 'def f():', '    with ThreadPoolExecutor(thread_name_prefix="w") as ex:', '        ex.submit(crunch, 3)'), /thread_name_prefix/],
  ['CL301', 'an executor kept on self', lines('from concurrent.futures import ThreadPoolExecutor', ...CRUNCH, 'class S:', '    def __init__(self):', '        self.ex = ThreadPoolExecutor()', '    def go(self):', '        self.ex.submit(crunch, 3)'), /self\.ex/],
  ['CL302', 'a class without __init__', lines('import threading', 'class C:', '    n = 0', '    def bump(self):', '        self.n += 1', '    def go(self):', '        for _ in range(2):', '            threading.Thread(target=self.bump).start()'), /__init__/],
  ['CL302', 'several module locks', lines('import threading', 'a = threading.Lock()', 'b = threading.Lock()', 'n = 0', 'def bump():', '    global n', '    n += 1', 'for _ in range(2):', '    threading.Thread(target=bump).start()'), /several locks/],
  ['CL302', 'a write sharing its line', lines('import threading', 'n = 0', 'def bump(x):', '    global n', '    if x: n += 1', 'for _ in range(2):', '    threading.Thread(target=bump, args=(1,)).start()'), /shares its line/],
  ['CL303', 'release in another block', lines('import threading', 'lock = threading.Lock()', 'def f(x):', '    lock.acquire()', '    if x:', '        lock.release()', '        return', '    lock.release()'), /acquired or released between/],
  ['CL303', 'acquire with a timeout', lines('import threading', 'lock = threading.Lock()', 'def f():', '    lock.acquire(timeout=2)', '    print(1)', '    lock.release()'), /timeout/],
  ['CL303', 'no release in the function', lines('import threading', 'lock = threading.Lock()', 'def f():', '    lock.acquire()', '    return 1'), /no `lock\.release\(\)`/],
  ['CL401', 'a definition after the offending code', lines('from multiprocessing import Pool', ...CRUNCH, 'with Pool() as p:', '    p.map(crunch, [1])', 'def later():', '    pass'), /definition or import follows/],
  ['CL401', 'an existing main guard further down', lines('from multiprocessing import Pool', ...CRUNCH, 'with Pool() as p:', '    p.map(crunch, [1])', 'if __name__ == "__main__":', '    pass'), /already has/],
  ['CL401', 'a multi-line string in the wrapped code', lines('from multiprocessing import Pool', ...CRUNCH, 'with Pool() as p:', '    p.map(crunch, [1])', 'print("""a', 'b""")'), /string spanning lines/],
  ['CL403', 'the same executor also runs CPU-bound work', lines('import requests', 'from concurrent.futures import ProcessPoolExecutor', ...FETCH, ...CRUNCH, 'def main(urls):', '    with ProcessPoolExecutor() as ex:', '        ex.map(fetch, urls)', '        ex.submit(crunch, 5)'), /also computes/],
  ['CL403', 'multiprocessing.Pool', lines('import requests', 'from multiprocessing import Pool', ...FETCH, 'def main(urls):', '    with Pool() as p:', '        return p.map(fetch, urls)'), /ThreadPool/],
  ['CL404', 'the pool used after the block', lines('from multiprocessing import Pool', ...CRUNCH, 'def main(xs, flag):', '    if flag:', '        pool = Pool(4)', '    return pool.map(crunch, xs)'), /outside the block/],
  ['CL404', 'a pool made for one call', lines('from multiprocessing import Pool', ...CRUNCH, 'def main(xs):', '    return Pool(2).map(crunch, xs)'), /with Pool\(2\) as pool/],
];

describe('fixes: threads and processes', () => {
  fixCases(cases);
  noFixCases(noFix);
});
