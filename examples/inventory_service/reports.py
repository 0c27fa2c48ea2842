"""Daily stock reports: a CSV on disk plus a supplier price check."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from storage import InventoryStore

REPORT_DIR = Path("var/reports")
TEMPLATE_DIR = "templates"

_downloads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="supplier-feed")


def render_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["sku", "name", "quantity", "warehouse"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_report(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def build_daily_report(store: InventoryStore, day: date, threshold: int = 5) -> Path:
    rows = await store.low_stock(threshold)
    header_path = Path(TEMPLATE_DIR, "report_header.txt")
    header = header_path.read_text(encoding="utf-8")
    path = REPORT_DIR / f"low-stock-{day:%Y-%m-%d}.csv"
    await asyncio.to_thread(write_report, path, header + render_csv(rows))
    return path


def _download_feed(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


async def supplier_prices(feed_url: str) -> dict[str, float]:
    future = _downloads.submit(_download_feed, feed_url)
    raw = future.result()
    return {entry["sku"]: float(entry["price"]) for entry in json.loads(raw)}
