from shop.storage import load_orders


async def orders_page(customer_id):
    orders = load_orders(customer_id)
    return {"orders": orders}
