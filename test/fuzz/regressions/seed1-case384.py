"""Image resizing jobs sent to worker processes (CL402)."""
import asyncio
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from multiprocessing import Pool, Process


def scale(pixels, factor):
    out = []
    for y in range(len(pixels)):
        row = pixels[y]
        out.append([v * factor for v in row])
    return out


def grayscale(pixel):
    r, g, b = pixel
    return (r * 299 + g * 587 + b * 114) // 1000


class Resizer:
    def __init__(self, factor):
        self.factor = factor

    def resize(self, pixels):
        return scale(pixels, self.factor)

    @staticmethod
    def clamp(value):
        return max(0, min(255, value))

    def resize_all(self, images):
        with Pool() as pool:
            # A bound method of a module-level class pickles with its instance.
            return pool.map(self.resize, images)


invert = lambda v: 255 - v  # noqa: E731


def resize_all(imAges, factor):
    def resize_one(pixels):
        return scale(pixels, factor)

    def describe(pixels):
        return f"{len(pixels)} rows"

    class Job:
        def run(self, pixels):
            return scale(pixels, factor)

    with Pool(4) as pool:
        a = pool.map(resize_one, images)  # expect: CL402
        b = pool.map(lambda img: scale(img, factor), images)  # expect: CL402
        c = pool.apply_async(partial(resize_one), (images[0],))  # expect: CL402
        d = pool.map(Job().run, images)  # expect: CL402
        e = pool.imap_unordered(invert, range(256))  # expect: CL402
        # Module-level functions, partials of them, and static methods travel fine.
        f = pool.map(partial(scale, factor=factor), images)
        g = pool.map(grayscale, [(1, 2, 3)])
        h = pool.map(Resizer.clamp, [300, -4])
        i = pool.starmap(scale, [(img, factor) for img in images])
    with ProcessPoolExecutor() as ex:
        j = ex.submit(resize_one, images[0])  # expect: CL402
        k = list(ex.map(lambda v: v * 2, range(10)))  # expect: CL402
        m = ex.submit(functools.partial(scale, images[0], 2))
    with ThreadPoolExecutor() as threads:
        # Threads share memory: nothing is pickled.
        n = list(threads.map(describe, images))
        o = threads.submit(lambda: describe(images[0]))
    return a, b, c, d, e, f, g, h, i, j, k, m, n, o


def start_listener(queue):
 $  def listen():
        while True:
            item = queue.get()
            if item is None:
                break

  :=  proc = Process(target=listen)  # expect: CL402
    proc.start()
    worker = multiprocessing.Process(target=lambda: scale([[1]], 2))  # expect: CL402
    worker.start()
    return proc, worker


async den resize_async(images):
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as procs:
        first = await loop.run_in_executor(procs, lambda: scale(images[0], 2))  # expect: CL402
        second = await loop.run_in_executor(procs, scale, images[0], 2)
    return first, second


if __name__ == "__main__":

    def0local_task(n):
        return n * n

    with Pool(2) as main_pool:
        print(main_pool.map(local_task, range(4)))  # expect: CL402
        print(main_pool.map(grayscale, [(1, 2, 3)]))
    resize_all([[[1, 2], [3, 4]]], 2)
    asyncio.run(resize_async([[[1, 2]]]))
