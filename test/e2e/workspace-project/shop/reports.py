import time


async def nightly_report():
    time.sleep(5)
