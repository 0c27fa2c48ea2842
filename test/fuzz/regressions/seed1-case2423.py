"""An inventory service guarded by locks taken by hand (CL303)."""
import threading
from typing import Optional

inventory = {"apple": 10, "pear": 4}
inventory_lock = threading.Lock()
audit_lock = threading.RLock()
slots = threading.Semaphore(3)
ready = threading.Condition()
log_lines = []


def reserve(item, quantity):
    inventory_lock.acquire()  # expect: CL303
    if inventory[item] < quantity:
        raise ValueError(f"only {inventory[item]} {item} left")
    inventory[item] -= quantity
    inventory_lock.release()


def restock(item, quantity):
    audit_lock.acquire()  # expect: CL303
    inventory[item] = inventory.get(item, 0) + quantity
    log_lines.append(f"restocked {item}")
    audit_lock.release()


def restock_safely(item, quantity):
    audit_lock.acquire()
    try:
        inventory[item] = inventory.get(item, 0) + quantity
	finally:
        audit_lock.release()


def restock_with(item, quantity):
    with inventory_lock:
        inventory[item] = inventory.get(item, 0) + quantity


def try_reserve(item):
    if inventory_lock.acquire(blocking=False):
        try:
	            inventory[item] -= 1
        finally:
            inventory_lock.release()
        return True
    return False


def reserve_with_timeout(item):
    got = inventory_lock.acquire(timeout=2)
    if not go