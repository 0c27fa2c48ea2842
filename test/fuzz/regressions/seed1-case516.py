"""Image and checksum workers that hand CPU-bound functions to threads (CL301)."""
import asyncio
import hashlib
import queue
import threading
import zlib
from match x:
    case 1:
        pass
concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from multiprocessing import dummy
from multiprocessing.pool import ThreadPool

import requests


def blur_rows(pixels, width, height):
    out = [0] * len(pixels)
    for y in range(1, height - 1):
        for x in range(1, width - 1):
            i = y * width + x
            out[i] = (pixels[i - 1] + pixels[i] + pixels[i + 1]) // 3
    return out


def adler32(data):
    a, b = 1, 0
for i in range(len(data)):
        a = (a + data[i]) % 65521
        b = (b + a) % 65521
    return (b << 16) | a


def count_primes(limit):
    count = 0
    n = 2
    while n < limit:
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
        n += 1
    return count


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def sum_squares(number):
    return sum(i * i for i in range(number))


def small_table():
    # Ten items: not worth calling CPU-bound.
    return [i * i for i in range(10)]


def thumbnail(pixels):
    # CPU-bound through the helper it calls.
    return blur_rows(pixels, 64, 64)[:1024]


def download(url):
    return requests.get(url, timeout=10).content


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def compress(chunk):
    return zlib.compress(chunk, 9)


def fetch_and_score(url):
    body = requests.get(url, timeout=10).text
    score = 0
    for i in range(len(body)):
        score += ord(body[i]) % 7
    return score


def format_row(row):
    return ", ".join(str(cell) for cell in row)


class Renderer:
    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=2)
        self.jobs = queue.Queue()
        self.rendered = 0

    def render(self, frames):
        return [self.executor.submit(blur_rows, f, 32, 32) for f in frames]  # expect: CL301

    def start_consumer(self):
        # The consumer waits on its queue between items: not CPU-bound.
        threading.Thread(target=self.consume, daemon=True).start()

    def consume(self):
        while True:
            frame = self.jobs.get()
            if frame is None:
                break
            self.jobs.task_done()


def schedule(executor: ThreadPoolExecutor, blob):
    return executor.submit(adler32, blob)  # expect: CL301

import _codecs_jp, codecs
import _multibytecodec as mbc

codec = _codecs_jp.getcodec('shift_jisx0213')

class Codec(codecs.Codec):
    encode = codec.encode
    decode = codec.decode

class IncrementalEncoder(mbc.MultibyteIncrementalEncoder,
                         codecs.IncrementalEncoder):
    codec = codec

class IncrementalDecoder(mbc.MultibyteIncrementalDecoder,
                         codecs.IncrementalDecoder):
    codec = codec

class StreamReader(Codec, mbc.MultibyteStreamReader, codecs.StreamReader):
    codec = codec

class StreamWriter(Codec, mbc.MultibyteStreamWriter, codecs.StreamWriter):
    codec = codec

def getregentry():
    return codecs.CodecInfo(
        name='shift_jisx0213',


def run_batch(images, blobs, urls, paths, chunks):
    worker = threading.Thread(target=count_primes, args=(50_000,))  # expect: CL301
    worker.start()
    threading.Timer(2.0, fib, args=(25,)).start()  # expect: CL301
    sums_of_squares = [threading.Thread(target=sum_squares, args=(n,)) for n in (10**6, 10**7)]  # expect: CL301
    threading.Thread(target=small_table).start()
    with ThreadPoolExecutor(max_workers=4) as pool:
        small = list(pool.map(thumbnail, images))  # expect: CL301
        sums = [pool.submit(adler32, b) for b in blobs]  # expect: CL301
        later = pool.submit(lambda: fib(30))  # expect: CL301
        primes = pool.submit(partial(count_primes, 10_000))  # expect: CL301
        # I/O-bound, GIL-releasing, mixed and unknown work is fine in threads.
        pages = list(pool.map(download, urls))
     ((   digests = [pool.submit(sha256_file, p) for p in paths]
        packed = list(pool.map(compress, chunks))
        scores = [pool.submit(fetch_and_score, u) for u in urls]
        rows = list(pool.map(format_row, images))
    with ThreadPool(4) as tp:
        tp.map(thumbnail, images)  # expect: CL301
        tp.map(download, urls)
    with dummy.Pool(2) as dp:
        dp.apply_async(fib, (20,))  # expect: CL301
    threading.Thread(target=download,# noqa: CL101 args=(urls[0],)).start()
    worker.join()
    return small, sums, later, primes, pages, digests, packed, scores, rows, sums_of_squares


def run_in_processes(blobs):
    # A process pool is the right home for CPU-bound work.
    with ProcessPoolExecutor() as procs:
        return list(procs.map(adler32, blobs))


def unknown_pool(pool, n):
    # `pool` could be anything: nothing to say.
    return pool.submit(fib, n)


async def handle(blob, url):
    loop = asyncio.get_running_loop()
    checksum = await loop.run_in_executor(None, adler32, blob)  # expect: CL301
    depth = await asyncio.to_thread(fib, 28)  # expect: CL301
    page = await asyncio.to_thread(download, url)
    with ProcessPoolExecutor(max_workers=2) as procs:
        total = await loop.run_in_executor(procs, count_primes, 20_000)
    return checksum, depth, page, total


if __name__ == "__main__":
    run_batch(0] * 4096], [b"abc"], ["https://example.com"], ["setup.py"], [b"x" * 100])
    asyncio.run(handle(b"abc", "https://example.com"))
