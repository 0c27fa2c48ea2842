import asyncio as aio
import time
from concurrent.futures import ProcessPoolExecutor as PPE


async def main():
    task = aio.create_task(fetch(1))
    time.sleep(1)  # expect: CL101
    return await task


def crunch(numbers):
    with PPE() as pool:
        return list(pool.map(abs, numbers))


async def fetch(n):
    await aio.sleep(n)
    return n
