// Concept hovers, engine side: which construct sits under the cursor (through every import
// form), nothing on unrelated names, and the notes themselves.
import { strict as assert } from 'node:assert';
import { PyDocument } from '../../src/core/parse/document';
import { FileModel } from '../../src/core/semantics/model';
import { Resolver } from '../../src/core/semantics/resolve';
import { conceptAt } from '../../src/core/knowledge/concept-at';
import { CONCEPTS, CONCEPT_KEYS, CONSTRUCTS, CONSTRUCT_NAMES, conceptUrl } from '../../src/core/knowledge/concepts';
import { getLinter } from './helpers';

/**
 * The construct under the marker `|` in `source` (the marker is removed; it stands before the
 * character the mouse is on), and the text of the span the hover covers.
 */
async function at(source: string): Promise<{ construct?: string; text?: string; qname?: string }> {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'no | marker');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const linter = await getLinter();
  const doc = new PyDocument(linter.grammar, text);
  try {
    const model = new FileModel(doc.syntax, doc.text);
    const hit = conceptAt(model, new Resolver(model), offset);
    return hit ? { construct: hit.construct, text: text.slice(hit.span.start, hit.span.end), qname: hit.qname } : {};
  } finally {
    doc.dispose();
  }
}

describe('concept hovers: what is under the cursor', () => {
  const found: [string, string, string, string][] = [
    // [case, source with | before the hovered character, construct, covered text]
    ['async keyword of a def', 'import asyncio\n|async def main():\n    pass\n', 'async-def', 'async'],
    ['inside the async keyword', 'as|ync def main():\n    pass\n', 'async-def', 'async'],
    ['async method', 'class C:\n    |async def run(self):\n        pass\n', 'async-def', 'async'],
    ['decorated async def', 'import functools\n@functools.cache\n|async def f():\n    pass\n', 'async-def', 'async'],
    ['await keyword', 'import asyncio\nasync def f():\n    x = |await g()\n', 'await', 'await'],
    ['last letter of await', 'async def f():\n    awai|t g()\n', 'await', 'await'],
    ['asyncio.create_task (the attribute)', 'import asyncio\nasync def f():\n    t = asyncio.|create_task(g())\n', 'asyncio.create_task', 'asyncio.create_task'],
    ['aliased module: aio.create_task', 'import asyncio as aio\nasync def f():\n    t = aio.create_|task(g())\n', 'asyncio.create_task', 'aio.create_task'],
    ['from asyncio import create_task', 'from asyncio import create_task\nasync def f():\n    t = |create_task(g())\n', 'asyncio.create_task', 'create_task'],
    ['asyncio.ensure_future', 'import asyncio\nasync def f():\n    t = asyncio.|ensure_future(g())\n', 'asyncio.create_task', 'asyncio.ensure_future'],
    ['asyncio.gather', 'import asyncio\nasync def f():\n    await asyncio.ga|ther(a(), b())\n', 'asyncio.gather', 'asyncio.gather'],
    ['asyncio.to_thread', 'import asyncio\nasync def f():\n    await asyncio.|to_thread(g)\n', 'asyncio.to_thread', 'asyncio.to_thread'],
    ['asyncio.run', 'import asyncio\nasyncio.|run(main())\n', 'asyncio.run', 'asyncio.run'],
    ['asyncio.sleep', 'import asyncio\nasync def f():\n    await asyncio.|sleep(1)\n', 'asyncio.sleep', 'asyncio.sleep'],
    ['threading.Thread', 'import threading\nt = threading.|Thread(target=work)\n', 'threading.Thread', 'threading.Thread'],
    ['from threading import Thread', 'from threading import Thread\nclass W(|Thread):\n    pass\n', 'threading.Thread', 'Thread'],
    ['ThreadPoolExecutor', 'import concurrent.futures\nwith concurrent.futures.|ThreadPoolExecutor() as ex:\n    pass\n', 'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
    ['aliased ProcessPoolExecutor', 'from concurrent.futures import ProcessPoolExecutor as PPE\nwith |PPE() as ex:\n    pass\n', 'concurrent.futures.ProcessPoolExecutor', 'PPE'],
    ['module alias cf.ProcessPoolExecutor', 'import concurrent.futures as cf\npool = cf.|ProcessPoolExecutor(4)\n', 'concurrent.futures.ProcessPoolExecutor', 'cf.ProcessPoolExecutor'],
    ['name on the import line', 'from concurrent.futures import |ProcessPoolExecutor as PPE\n', 'concurrent.futures.ProcessPoolExecutor', 'ProcessPoolExecutor as PPE'],
    ['alias on the import line', 'from concurrent.futures import ProcessPoolExecutor as |PPE\n', 'concurrent.futures.ProcessPoolExecutor', 'ProcessPoolExecutor as PPE'],
    ['plain name on the import line', 'from multiprocessing import |Pool, Process\n', 'multiprocessing.Pool', 'Pool'],
    ['second name on the import line', 'from multiprocessing import Pool, |Process\n', 'multiprocessing.Process', 'Process'],
    ['multiprocessing.Pool', 'import multiprocessing\nwith multiprocessing.|Pool(4) as p:\n    pass\n', 'multiprocessing.Pool', 'multiprocessing.Pool'],
    ['multiprocessing as mp: mp.Process', 'import multiprocessing as mp\np = mp.|Process(target=work)\n', 'multiprocessing.Process', 'mp.Process'],
    ['time.sleep', 'import time\ntime.|sleep(1)\n', 'time.sleep', 'time.sleep'],
    ['from time import sleep as nap', 'from time import sleep as nap\n|nap(1)\n', 'time.sleep', 'nap'],
    ['a reference, not a call', 'import threading\nfactory = threading.|Thread\n', 'threading.Thread', 'threading.Thread'],
    ['loop.run_in_executor', 'import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n    await loop.|run_in_executor(None, g)\n', 'run-in-executor', 'loop.run_in_executor'],
    ['the module part stands for the chain', 'import asyncio\n|asyncio.run(main())\n', 'asyncio.run', 'asyncio.run'],
    ['the module of time.sleep (where a CL101 squiggle starts)', 'import time\nasync def f():\n    ti|me.sleep(1)\n', 'time.sleep', 'time.sleep'],
    ['the middle of a dotted module chain', 'import concurrent.futures\nconcurrent.|futures.ProcessPoolExecutor()\n', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
    ['function-level import', 'def f():\n    import time as t\n    t.|sleep(1)\n', 'time.sleep', 't.sleep'],
  ];
  for (const [name, source, construct, text] of found) {
    it(name, async () => {
      const got = await at(source);
      assert.equal(got.construct, construct, JSON.stringify(got));
      assert.equal(got.text, text);
    });
  }

  const nothing: [string, string][] = [
    ['a module on its own', 'import asyncio\nloop = |asyncio\n'],
    ['the module part of an unknown chain', 'import asyncio\n|asyncio.whatever()\n'],
    ['a call on a construct\'s result', 'import threading\nthreading.Thread(target=f).|start()\n'],
    ['an unrelated call', 'import os\nos.|getcwd()\n'],
    ['an unrelated name', 'x = 1\nprint(|x)\n'],
    ['a local function named sleep', 'def sleep(n):\n    pass\n|sleep(1)\n'],
    ['a parameter shadowing the module', 'import time\ndef f(time):\n    time.|sleep(1)\n'],
    ['a keyword argument name', 'from time import sleep\nf(|sleep=1)\n'],
    ['a def named like the import', 'from asyncio import run\nclass C:\n    def |run(self):\n        pass\n'],
    ['a plain def', '|def main():\n    pass\n'],
    ['the def keyword of an async def', 'async |def main():\n    pass\n'],
    ['async with', 'async def f(l):\n    |async with l:\n        pass\n'],
    ['a string mentioning await', 'x = "|await asyncio.sleep(1)"\n'],
    ['a comment', '# |asyncio.create_task\n'],
    ['the module on an import line', 'from |concurrent.futures import ProcessPoolExecutor\n'],
    ['import of a module', 'import |multiprocessing\n'],
    ['whitespace', 'import time\ntime.sleep(1)|  \n'],
    ['end of file', 'import time\ntime.sleep(1)\n|'],
    ['an unknown attribute of a known module', 'import asyncio\nasyncio.|whatever()\n'],
    ['a method on an unknown object', 'pool.|submit(work)\n'],
  ];
  for (const [name, source] of nothing) {
    it(`nothing on ${name}`, async () => assert.deepEqual(await at(source), {}));
  }

  it('a file with a syntax error still answers for what parsed', async () => {
    const got = await at('import time\ndef f(:\n    pass\ntime.|sleep(1)\n');
    assert.equal(got.construct, 'time.sleep');
  });
});

describe('concept notes', () => {
  const sentences = (s: string) => s.split(/(?<=[.!?])\s+(?=[A-Z`(])/).filter(Boolean).length;

  it('every construct note has two to four sentences and links an existing topic', () => {
    for (const [key, note] of Object.entries(CONSTRUCTS)) {
      const n = sentences(note.body);
      assert.ok(n >= 2 && n <= 4, `${key}: ${n} sentences`);
      assert.ok(note.concept in CONCEPTS, `${key} links ${note.concept}`);
      assert.ok(note.label.includes('`'), key);
    }
  });

  it('every topic is a short paragraph', () => {
    for (const [key, c] of Object.entries(CONCEPTS)) {
      const n = sentences(c.body);
      assert.ok(n >= 2 && n <= 5, `${key}: ${n} sentences`);
      assert.ok(!c.body.includes('\n'), key);
    }
  });

  it('every qualified name maps to a construct with a note', () => {
    for (const [qname, key] of CONSTRUCT_NAMES) assert.ok(key in CONSTRUCTS, qname);
    const mapped = new Set(CONSTRUCT_NAMES.values());
    for (const key of Object.keys(CONSTRUCTS)) {
      if (key === 'async-def' || key === 'await') continue;
      assert.ok(mapped.has(key as never), `${key} is reachable from no name`);
    }
  });

  it('topic links point at anchors of docs/concepts/README.md', () => {
    for (const key of CONCEPT_KEYS) assert.match(conceptUrl(key), new RegExp(`/docs/concepts/README\\.md#${key}$`));
  });
});
