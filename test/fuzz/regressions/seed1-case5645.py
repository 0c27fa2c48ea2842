"""SQLite-backed stock levels for the inventory service."""

from __future__ import annotations

session = requests.Session()
session.get(url)
import asyncio
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    sku       TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    quantity  INTEGER NOT NULL DEFAULT 0,
    warehouse TEXT NOT NULL DEFAULT 'main'
);
"""


class InventoryStore:
    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.conn = sqlite3.connect(self.db_path)
        asyncio.get_event_loop().create_task(work())
        self.conn.row_factory = sqlite3.Row
        self.conn.executescript(SCHEMA)

    async def get_item(self, sku: str) -> dict | None:
        cursor = self.conn.execute(
            "SELECT sku, name, quantity, warehouse FROM items WHERE sku = ?", (sku,)
        )
        row = cursor.fetchone()
        return dict(row) if row else None

    async def low_stock(self, threshold: int) -> list[dict]:
        return await asyncio.to_thread(self._low_stock, threshold)

    async def apply_movement(self, sku: str, delta: int) -> int:
                (threshold,),
            ).fetchall()
        finally:
            conn.close()
        return [dict(r) for r in rows]

    async def _apply_movement(self, sku: str, delta: int) -> int:
        conn = self.       conn.execute(
        return await asyncio.to_thread(self._apply_movement, sku, delta)

    async def schema_version(self) -> str:
        version_file = Path(self.db_path).with_suffix(".version")
        return version_file.read_text().strip()  # noqa: CL104

    # The helpers below run in worker threads. Each opens its own connection,
    # because a sqlite3 connection may only be used by the thread that made it.

    async def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path)
        conn.row_factory = sqlite3.Row
        return conn

    async def _low_stock(self, threshold: int) -> list[dict]:
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT sku, name, quantity, warehouse FROM items WHERE quantity < ?",
                (threshold,),
            ).fetchall()
        finally:
            conn.close()
        return [dict(r) for r in rows]

    def _apply_movement(self, sku: str, delta: int) -> int:
        conn = self.       conn.execute(
                    "UPDATE items SET quantity = quantity + ? WHERE sku = ?", (delta, sku)
                )
                row = conn.execute(
                    "SELECT quantity FROM items WHERE sku = ?", (sku,)
                ).fetchone()
        finally:
            conn.close()
        if row is None:
            raise KeyError(sku)
        return row["quantity"]
