"""Nightly maintenance: stock checksums, label rendering, and a cache warm-up.

Written quickly, like the rest of the service: it runs, but it uses the wrong kind of
concurrency in a few places.
"""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from storage import InventoryStore

_warm_skus: set[str] = set()
_warmed = 0


def stock_checksum(quantities: list[int]) -> int:
    """Pure computation over every stock row: CPU-bound."""
    checksum = 0
    for i in range(len(quantities)):
        checksum = (checksum * 31 + quantities[i] * (i + 1)) % 1_000_000_007
    return checksum


def load_label_template(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def render_labels(skus: list[str], template_path: str) -> list[str]:
    template = load_label_template(template_path)
    return [template.format(sku=sku) for sku in skus]


def warm_one(sku: str) -> None:
    global _warmed
    _warm_skus.add(sku)
    _warmed += 1


async def refresh_cache(store: InventoryStore) -> None:
    rows = await store.low_stock(10_000)
    print(json.dumps({"refreshed": len(rows)}))


async def nightly(store: InventoryStore, quantities: list[int], skus: list[str]) -> int:
    # Fire-and-forget: nothing keeps a reference to the task.
    asyncio.create_task(refresh_cache(store))

    # Runs a CPU-bound checksum in threads, where the GIL serialises it.
    with ThreadPoolExecutor(max_workers=4) as pool:
        checksum = pool.submit(stock_checksum, quantities).result()

    # The template is read from disk by a helper two calls away.
    labels = render_labels(skus, "templates/label.txt")

    # Several threads bump a shared counter without a lock.
    workers = [threading.Thread(target=warm_one, args=(sku,)) for sku in skus]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    # A lambda cannot be pickled into another process.
    with ProcessPoolExecutor() as processes:
        doubled = list(processes.map(lambda q: q * 2, quantities))

    return checksum + len(labels) + sum(doubled)
