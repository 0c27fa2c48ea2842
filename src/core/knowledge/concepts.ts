// Short concept notes, shown as hovers on concurrency constructs (`async def`, `await`,
// `asyncio.to_thread`, `threading.Thread`, ...) and by the decision-flow command. Written
// for this project from the facts of shared/reference/concurrency-article.md; keep each
// note to a few sentences of Markdown.

export interface Concept {
  title: string;
  body: string;
}

export const CONCEPTS: Record<string, Concept> = {
  'event-loop': {
    title: 'The event loop and cooperative multitasking',
    body:
      'asyncio runs all of its tasks on one thread, and the event loop decides which task runs next. ' +
      'A task keeps the thread until it reaches an `await` on something that is not ready; only then does the ' +
      'loop switch to another task. Nothing forces a switch, so any call that waits without `await` ' +
      '(`time.sleep`, a sync HTTP request, a file read) holds up every other task on the loop.',
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
  'io-vs-cpu-bound': {
    title: 'I/O-bound versus CPU-bound',
    body:
      'I/O-bound work spends most of its time waiting for something outside the CPU: a disk, a network peer, a ' +
      'database, a user. CPU-bound work spends its time computing, like parsing, encoding or number crunching. ' +
      'Waiting can be overlapped with other work by threads or asyncio; computing only gets faster with more ' +
      'cores, which in Python means more processes.',
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
};
