import asyncio
import subprocess
import time

import requests


async def handler(url):
    time.sleep(0.5)  # expect: CL101
    page = requests.get(url)  # expect: CL102
    subprocess.run(["ls"])  # expect: CL103
    with open("log.txt", "a") as f:  # expect: CL104
        f.write(page.text)  # expect: CL104


async def nested():
    asyncio.run(handler("http://localhost"))  # expect: CL110
