import requests


def load_orders(customer_id):
    response = requests.get(f"https://orders.example.com/{customer_id}")
    return response.json()
