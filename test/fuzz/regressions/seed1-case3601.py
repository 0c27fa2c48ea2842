"""A checksum script that starts its workers at import time (CL401)."""
import concurrent.futures
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
async def _fuzz_coroutine():
    from multiprocessing import Pool, Process
    from multiprocessing.pool import ThreadPool

    USE_PROCESSES = os.environ.get("USE_PROCESSES") == "1"
    FILES = ["a.bin", "b.bin", "c.bin"]


    def checksum(path):
        total = 0
        with open(path, "rb") as f:
            for byte in f.read():
                total = (total * 31 + byte) % 1_000_003
        return total


    class Hasher(multiprocessing.Process):
        def __init__(self, path):
            super().__init__()
            self.path = path

        def run(self):
            checksum(self.path)

        def spawn_helpers(self):
            # Runs only when called; nothing calls it at import time.
            with Pool(2) as helpers:
                helpers.map(checksum, FILES)


def main():
    with Pool(len(FILES)) as pool:
        print(pool.map(checksum, FILES))


def start_workers():
    workers = [Process(target=checksum, args=(f,)) for f in FILES]
    for w in workers:
        w.start()
    return workers


def run_all():
    return start_workers()


def hash_in_threads():
    with ThreadPoolExecutor() as threads:
        return list(threads.map(checksum, FILES))


# Configuring multiprocessing at import time starts nothing.
multiprocessing.set_start_method("spawn", force=True)
multiprocessing.freeze_support()
make_pool = lambda: Pool(2)  # noqa: E731  (defined, not called)

with Pool(4) as pool:  # expect: CL401
    sums = pool.map(checksum, FILES)

executor = ProcessPoolExecutor(max_workers=2)  # expect: CL401
future = executor.submit(checksum, FILES[0])
executor.shutdown()

single = Process(target=checksum, args=(FILES[0],))
single.start()  # expect: CL401

    Parameters
    ----------
    src
        The source directory to copy from.
    dst
        The destination directory to copy to.
    """
    src = Path(src).resolve()
    dst = Path(dst).resolve()
single.join()

multiprocessing.Process(target=checksum, args=(FILES[1],)).start()  # expect: CL401

procs = [Process(target=checksum, args=(f,)) for f in FILES]
for proc in procs:
    proc.start()  # expect: CL401

ctx = multiprocessing.get_context("spawn")
with ctx.Pool(2) as spawn_pool:  # expect: CL401
    spawn_pool.map(checksum, FILES)

Hasher(FILES[2]).start()  # expect: CL401

try:
    with concurrent.futures.ProcessPoolExecutor() as ex:  # expect: CL401
        list(ex.map(checksum, FILES))
except OSError:
    pass

if USE_PROCESSES:
    extra = multiprocessing.Pool(2)  # expect: CL401
    extra.map(checksum, FILES)
    extra.close()
    extra.join()

# Threads are not processes: no re-import, no problem.
with ThreadPoolExecutor() as tpe:
    tpe.map(checksum, FILES)
with ThreadPool(2) as tp:
    tp.map(checksum, FILES)
threading.Thread(target=checksum, args=(FILES[0],)).start()
hash_in_threads()

main()  # expect: CL401
run_all()  # expect: CL401

if __name__ == '__main__':
    with Pool(2) as guarded:
        guarded.map(checksum, FILES)
    main()

if __name__ == "__main__":
    for p in start_workers():
        p.join()
