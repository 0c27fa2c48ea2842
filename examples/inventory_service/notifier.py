"""Sends low-stock alerts to the purchasing team's webhook."""

from __future__ import annotations

import asyncio
import functools
import logging
from time import sleep

import requests

log = logging.getLogger(__name__)


class WebhookNotifier:
    def __init__(self, url: str, *, retries: int = 4, flush_every: float = 30.0) -> None:
        self.url = url
        self.retries = retries
        self.flush_every = flush_every
        self.outbox: list[dict] = []
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "inventory-service/1.4"

    async def is_reachable(self) -> bool:
        response = self.session.get(self.url, timeout=2)
        return response.status_code < 500

    async def send_low_stock(self, item: dict) -> bool:
        payload = {
            "sku": item["sku"],
            "quantity": item.get("quantity", 0),
            "warehouse": item.get("warehouse", "main"),
        }
        for attempt in range(self.retries):
            response = self.session.post(self.url, json=payload, timeout=5)
            if response.ok:
                return True
            log.warning("webhook answered %s, retrying", response.status_code)
            sleep(2**attempt)
        return False

    def queue(self, item: dict) -> None:
        self.outbox.append({"sku": item["sku"], "quantity": item.get("quantity", 0)})

    async def flush(self) -> None:
        if not self.outbox:
            return
        batch, self.outbox = self.outbox, []
        response = await asyncio.to_thread(self.session.post, self.url, json=batch, timeout=10)
        response.raise_for_status()

    async def run_outbox(self) -> None:
        """Flushes queued alerts until the task is cancelled."""
        sleep = functools.partial(asyncio.sleep, self.flush_every)
        while True:
            try:
                await self.flush()
            except requests.RequestException as exc:
                log.error("could not deliver alerts: %s", exc)
            await sleep()
