"""Interactive admin console: `python console.py var/inventory.db`."""

from __future__ import annotations

import asyncio
import sys
from datetime import date

import reports
from storage import InventoryStore

HELP = "commands: show SKU | add SKU N | report | prices URL | quit"


async def run_command(store: InventoryStore, line: str) -> str:
    command, *args = line.split()
    if command == "show" and len(args) == 1:
        item = await store.get_item(args[0])
        return str(item) if item else f"{args[0]}: unknown SKU"
    if command == "add" and len(args) == 2:
        quantity = await store.apply_movement(args[0], int(args[1]))
        return f"{args[0]}: {quantity} in stock"
    if command == "report":
        path = asyncio.run(reports.build_daily_report(store, date.today()))
        return f"report written to {path}"
    if command == "prices" and len(args) == 1:
        prices = await reports.supplier_prices(args[0])
        return "\n".join(f"{sku}: {price:.2f}" for sku, price in sorted(prices.items()))
    return HELP


async def console(store: InventoryStore) -> None:
    print(HELP)
    while True:
        line = input("inventory> ").strip()
        if line in {"quit", "exit"}:
            break
        if line:
            print(await run_command(store, line))


def main() -> None:
    db_path = sys.argv[1] if len(sys.argv) > 1 else "var/inventory.db"
    asyncio.run(console(InventoryStore(db_path)))


if __name__ == "__main__":
    main()
