// Concept notes, in two layers:
//  - CONCEPTS: the topics (event loop, GIL, processes, ...), one section each of
//    docs/concepts/README.md (generated from this file by `npm run docs`);
//  - CONSTRUCTS: a short note per concurrency construct (`async def`, `await`,
//    `asyncio.create_task`, `threading.Thread`, ...), shown when hovering it in the editor,
//    linking to the topic that explains it.
// Written for this project from the facts of shared/reference/concurrency-article.md;
// keep each note to two to four sentences of Markdown.
import { DOCS_BASE_URL } from '../types';

export interface Concept {
  title: string;
  body: string;
}

export const CONCEPTS = {
  'concurrency-vs-parallelism': {
    title: 'Concurrency and parallelism',
    body:
      'Concurrency means juggling several tasks over the same stretch of time: they may take turns on one core, ' +
      'each making progress while the others wait. Parallelism means tasks really execute at the same instant, ' +
      'which needs several CPU cores. Threads and asyncio give Python code concurrency; only processes (or native ' +
      'code that releases the GIL) give Python code parallelism.',
  },
  'io-vs-cpu-bound': {
    title: 'I/O-bound versus CPU-bound',
    body:
      'I/O-bound work spends most of its time waiting for something outside the CPU: a disk, a network peer, a ' +
      'database, a user. CPU-bound work spends its time computing, like parsing, encoding or number crunching. ' +
      'Waiting can be overlapped with other work by threads or asyncio; computing only gets faster with more ' +
      'cores, which in Python means more processes.',
  },
  'event-loop': {
    title: 'The event loop and cooperative multitasking',
    body:
      'asyncio runs all of its tasks on one thread, and the event loop decides which task runs next. ' +
      'A task keeps the thread until it reaches an `await` on something that is not ready; only then does the ' +
      'loop switch to another task. Nothing forces a switch, so any call that waits without `await` ' +
      '(`time.sleep`, a sync HTTP request, a file read) holds up every other task on the loop.',
  },
  coroutines: {
    title: 'Coroutines and tasks',
    body:
      'A function declared with `async def` is a coroutine function: calling it runs none of its body, it only ' +
      'builds a coroutine object, a computation that can pause and resume later. The body runs when something ' +
      'drives it: an `await` on it, or a task (`asyncio.create_task`, `asyncio.gather`, `TaskGroup`) that the ' +
      'event loop schedules. A coroutine nobody awaits or schedules never runs at all.',
  },
  'await-vs-create-task': {
    title: '`await` versus `asyncio.create_task()`',
    body:
      '`await coro()` starts the coroutine and suspends the current one until it finishes: use it when the ' +
      'next line needs the result. `asyncio.create_task(coro())` schedules the coroutine to start as soon as the ' +
      'loop gets a chance and lets the current code carry on, so several tasks can overlap their waits. ' +
      'Both run on the loop\'s one thread; keep a reference to the task and `await` it later to get its result ' +
      'and see its errors.',
  },
  'to-thread': {
    title: '`asyncio.to_thread()`',
    body:
      '`await asyncio.to_thread(func, *args)` runs a blocking sync function on a worker thread and suspends ' +
      'only the calling coroutine until it returns, while the loop keeps serving other tasks. Pass the function ' +
      'itself, not the result of calling it. It suits I/O waits, during which the thread releases the GIL; ' +
      'CPU-heavy Python code still competes for the GIL, so send that to a process instead.',
  },
  gil: {
    title: 'The Global Interpreter Lock (GIL)',
    body:
      'In CPython only the thread holding the GIL executes Python bytecode, so threads running pure Python ' +
      'computation take turns instead of using several cores. A thread lets go of the GIL while it waits: on ' +
      'file or network I/O, in `time.sleep` (the OS keeps the time), and inside native code written to release ' +
      'it, such as `hashlib`, `zlib` or NumPy kernels. That is why threads help I/O-bound work and not ' +
      'CPU-bound Python loops (free-threaded 3.13t/3.14t builds remove the lock).',
  },
  threads: {
    title: 'Threads',
    body:
      'Threads live inside one process and share its memory, which makes handing data between them cheap. ' +
      'The operating system switches between them preemptively, at any moment, so two threads that update the ' +
      'same object can interleave and lose updates (a race condition) unless a lock guards it. Careless locking ' +
      'brings the opposite risk, deadlock, and a thread that crashes badly can take the whole process with it.',
  },
  processes: {
    title: 'Processes',
    body:
      'Each process has its own memory, its own interpreter and its own GIL, so processes can run Python code on ' +
      'several cores at once. The isolation has a price: arguments and results travel between processes by ' +
      'inter-process communication, which means pickling them (lambdas and nested functions cannot be pickled), ' +
      'and starting a process and copying data cost far more than a thread switch. Use them for heavy ' +
      'computation, not for waiting.',
  },
  'decision-flow': {
    title: 'Choosing a concurrency model',
    body:
      'First ask whether the work is CPU-bound: if so, use processes (`ProcessPoolExecutor`, ' +
      '`multiprocessing`), since each has its own GIL. If it is I/O-bound with short, quick waits and a ' +
      'moderate number of them, threads (`ThreadPoolExecutor`) are simple and effective. If it is I/O-bound ' +
      'with slow waits and many of them at once (thousands of requests, long queries), asyncio scales best, ' +
      'with blocking or CPU-heavy pieces handed to `asyncio.to_thread` or a process pool.',
  },
} satisfies Record<string, Concept>;

export type ConceptKey = keyof typeof CONCEPTS;
export const CONCEPT_KEYS = Object.keys(CONCEPTS) as ConceptKey[];

/** docs/concepts/README.md on the project site; each section carries an anchor named after its key. */
export const CONCEPTS_DOCS_URL = DOCS_BASE_URL.replace(/rules\/$/, 'concepts/README.md');

export function conceptUrl(key: ConceptKey): string {
  return `${CONCEPTS_DOCS_URL}#${key}`;
}

/** A construct a hover can explain: what it is called on screen, what it does, where to read more. */
export interface ConstructNote {
  /** As written in the hover title, Markdown. */
  label: string;
  body: string;
  /** The topic that explains it (the hover links its docs section). */
  concept: ConceptKey;
}

export const CONSTRUCTS = {
  'async-def': {
    label: '`async def`',
    concept: 'coroutines',
    body:
      'Declares a coroutine function. Calling it does not run the body; it returns a coroutine object that ' +
      'runs only when awaited or wrapped in a task. Its body runs on the event loop\'s single thread and gives ' +
      'way to other tasks only at an `await` (cooperative multitasking), so a blocking call in here stalls them all.',
  },
  await: {
    label: '`await`',
    concept: 'event-loop',
    body:
      'Suspends this coroutine until the awaited coroutine, task or future has a result, and hands the thread ' +
      'back to the event loop meanwhile so other tasks can run. Only this coroutine waits, not the program. ' +
      'An `await` is the one place where asyncio switches tasks: nothing interrupts a coroutine between two of them.',
  },
  'asyncio.create_task': {
    label: '`asyncio.create_task()`',
    concept: 'await-vs-create-task',
    body:
      'Wraps a coroutine in a task and schedules it to start as soon as the event loop gets a turn, while the ' +
      'current coroutine carries on without waiting. No thread is created: the task shares the loop\'s thread ' +
      'and overlaps its waits with other tasks. Keep the returned task and `await` it later to get its result ' +
      'and its exception; the loop holds only a weak reference to it.',
  },
  'asyncio.gather': {
    label: '`asyncio.gather()`',
    concept: 'await-vs-create-task',
    body:
      'Runs several awaitables concurrently, wrapping each coroutine in a task, and returns their results in ' +
      'the order they were passed. Their waits overlap, so the whole takes about as long as the slowest one ' +
      'instead of the sum. All of them still share the one event-loop thread, so this speeds up waiting, not computing.',
  },
  'asyncio.to_thread': {
    label: '`asyncio.to_thread()`',
    concept: 'to-thread',
    body:
      'Runs a blocking sync function in a worker thread and suspends only the calling coroutine until it returns, ' +
      'while the event loop keeps serving other tasks. Pass the function and its arguments, not the result of ' +
      'calling it. Good for blocking I/O (the thread releases the GIL while it waits); CPU-heavy Python code ' +
      'still holds the GIL, so send that to a process pool.',
  },
  'asyncio.run': {
    label: '`asyncio.run()`',
    concept: 'event-loop',
    body:
      'Creates an event loop, runs the given coroutine on it until it finishes, then closes the loop. It is the ' +
      'entry point from synchronous code, normally called once at the top of the program. It cannot be called ' +
      'while a loop is already running in this thread: inside a coroutine, `await` the coroutine instead.',
  },
  'asyncio.sleep': {
    label: '`asyncio.sleep()`',
    concept: 'event-loop',
    body:
      'Suspends only the awaiting coroutine for the given time and lets the event loop run other tasks meanwhile. ' +
      'It must be awaited: without `await` nothing sleeps. This is the asyncio counterpart of `time.sleep`, which ' +
      'would stop the whole loop.',
  },
  'run-in-executor': {
    label: '`loop.run_in_executor()`',
    concept: 'processes',
    body:
      'Runs a sync function in an executor and returns a future the coroutine can await. With `None` it uses the ' +
      'loop\'s default thread pool (like `asyncio.to_thread`); with a `ProcessPoolExecutor` the function runs in ' +
      'another process, which is how CPU-heavy work leaves the event loop and the GIL behind. For a process pool ' +
      'the function and its arguments must be picklable.',
  },
  'threading.Thread': {
    label: '`threading.Thread`',
    concept: 'threads',
    body:
      'Runs `target` in a new thread of this process; threads share memory and the OS switches between them ' +
      'preemptively, at any point. Because of the GIL only one thread runs Python bytecode at a time: threads ' +
      'speed up waiting (I/O, `time.sleep`), not pure Python computation. Shared data they modify needs a lock.',
  },
  'concurrent.futures.ThreadPoolExecutor': {
    label: '`ThreadPoolExecutor`',
    concept: 'threads',
    body:
      'A pool of reusable threads that runs submitted functions and hands back futures. It fits I/O-bound work ' +
      'with a moderate number of quick waits: a thread releases the GIL while it waits. CPU-bound Python code ' +
      'gains nothing here, since the threads take turns on the GIL; use a `ProcessPoolExecutor` for that.',
  },
  'concurrent.futures.ProcessPoolExecutor': {
    label: '`ProcessPoolExecutor`',
    concept: 'processes',
    body:
      'A pool of worker processes, each with its own interpreter, memory and GIL, so CPU-bound Python code runs ' +
      'on several cores in parallel. Functions, arguments and results are pickled to cross between processes: ' +
      'use module-level functions, not lambdas or nested functions, and keep the data small. Starting workers ' +
      'costs far more than starting threads, so it pays off for heavy computation, not for waiting.',
  },
  'multiprocessing.Pool': {
    label: '`multiprocessing.Pool`',
    concept: 'processes',
    body:
      'A pool of worker processes for spreading CPU-bound work over several cores; each worker has its own ' +
      'interpreter and GIL. Tasks and results are pickled on their way between processes, so pass module-level ' +
      'functions and modest data. Create it under `if __name__ == "__main__":` and close it, ideally with `with`.',
  },
  'multiprocessing.Process': {
    label: '`multiprocessing.Process`',
    concept: 'processes',
    body:
      'Starts `target` in a separate process with its own memory and GIL: true parallelism, and isolation, so a ' +
      'crash there does not take this process down. The price is a costlier start and pickled arguments ' +
      '(no lambdas or nested functions); share results through a `Queue` or `Pipe`. Start it from under ' +
      '`if __name__ == "__main__":`.',
  },
  'time.sleep': {
    label: '`time.sleep()`',
    concept: 'gil',
    body:
      'Blocks the calling thread for the given time. The OS keeps the time and the thread releases the GIL ' +
      'meanwhile, so in a thread it lets other threads run, much like waiting on I/O. On the event loop it is ' +
      'different: inside `async def` it stops every task, so use `await asyncio.sleep()` there.',
  },
} satisfies Record<string, ConstructNote>;

export type ConstructKey = keyof typeof CONSTRUCTS;

/** Qualified names (after import resolution) and the construct each one is. */
export const CONSTRUCT_NAMES: ReadonlyMap<string, ConstructKey> = new Map<string, ConstructKey>([
  ['asyncio.create_task', 'asyncio.create_task'],
  ['asyncio.tasks.create_task', 'asyncio.create_task'],
  ['asyncio.ensure_future', 'asyncio.create_task'],
  ['asyncio.gather', 'asyncio.gather'],
  ['asyncio.tasks.gather', 'asyncio.gather'],
  ['asyncio.to_thread', 'asyncio.to_thread'],
  ['asyncio.threads.to_thread', 'asyncio.to_thread'],
  ['asyncio.run', 'asyncio.run'],
  ['asyncio.runners.run', 'asyncio.run'],
  ['asyncio.sleep', 'asyncio.sleep'],
  ['asyncio.tasks.sleep', 'asyncio.sleep'],
  ['asyncio.AbstractEventLoop.run_in_executor', 'run-in-executor'],
  ['threading.Thread', 'threading.Thread'],
  ['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
  ['concurrent.futures.thread.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
  ['concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['multiprocessing.Pool', 'multiprocessing.Pool'],
  ['multiprocessing.pool.Pool', 'multiprocessing.Pool'],
  ['multiprocessing.Process', 'multiprocessing.Process'],
  ['time.sleep', 'time.sleep'],
]);
