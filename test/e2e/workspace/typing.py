import time


async def main():
    print("start")
