import time


async def poll():
    while True:
        time.sleep(5)
