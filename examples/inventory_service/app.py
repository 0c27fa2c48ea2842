"""HTTP API of the inventory service (aiohttp)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

from aiohttp import web

from notifier import WebhookNotifier
from storage import InventoryStore

BACKUP_DIR = Path(os.environ.get("INVENTORY_BACKUP_DIR", "var/backups"))
AUDIT_LOG = os.environ.get("INVENTORY_AUDIT_LOG", "var/audit.log")
CONFIG = {"low_stock_threshold": 5, "watch_interval": 60}

routes = web.RouteTableDef()


@routes.get("/items/{sku}")
async def get_item(request: web.Request) -> web.Response:
    store: InventoryStore = request.app["store"]
    item = await store.get_item(request.match_info["sku"])
    if item is None:
        raise web.HTTPNotFound()
    return web.json_response(item)


@routes.post("/items/{sku}/movements")
async def record_movement(request: web.Request) -> web.Response:
    store: InventoryStore = request.app["store"]
    sku = request.match_info["sku"]
    body = await request.json()
    delta = int(body.get("delta", 0))
    quantity = await store.apply_movement(sku, delta)
    stamp = datetime.now(timezone.utc).isoformat()
    with open(AUDIT_LOG, "a", encoding="utf-8") as audit:
        audit.write(json.dumps({"at": stamp, "sku": sku, "delta": delta}) + "\n")
    if quantity < CONFIG["low_stock_threshold"]:
        request.app["notifier"].queue({"sku": sku, "quantity": quantity})
    return web.json_response({"sku": sku, "quantity": quantity})


@routes.post("/admin/backup")
async def backup(request: web.Request) -> web.Response:
    store: InventoryStore = request.app["store"]
    archive = BACKUP_DIR / f"inventory-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    subprocess.run(["tar", "-czf", str(archive), store.db_path])
    return web.json_response({"archive": str(archive)})


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    notifier: WebhookNotifier = request.app["notifier"]
    version = await request.app["store"].schema_version()
    return web.json_response({"schema": version, "webhook": await notifier.is_reachable()})


async def watch_low_stock(app: web.Application) -> None:
    store: InventoryStore = app["store"]
    notifier: WebhookNotifier = app["notifier"]
    while True:
        for item in await store.low_stock(CONFIG.get("low_stock_threshold", 5)):
            await notifier.send_low_stock(item)
        await asyncio.sleep(CONFIG.get("watch_interval", 60))


async def background_tasks(app: web.Application) -> AsyncIterator[None]:
    tasks = [
        asyncio.create_task(watch_low_stock(app)),
        asyncio.create_task(app["notifier"].run_outbox()),
    ]
    yield
    for task in tasks:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*tasks)


def build_app(db_path: str = "var/inventory.db") -> web.Application:
    app = web.Application()
    app["store"] = InventoryStore(db_path)
    app["notifier"] = WebhookNotifier(os.environ.get("LOW_STOCK_WEBHOOK", "http://localhost:9000/hooks"))
    app.add_routes(routes)
    app.cleanup_ctx.append(background_tasks)
    return app


if __name__ == "__main__":
    web.run_app(build_app(), port=int(os.environ.get("PORT", "8080")))
