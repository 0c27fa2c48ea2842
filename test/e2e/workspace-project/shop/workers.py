import threading

from shop.jobs import crunch_totals


def start():
    worker = threading.Thread(target=crunch_totals, args=(10_000_000,))
    worker.start()
    return worker
