import stripe

stripe.api_key = "sk_live_51Hx9TqLkZ2vB8yRw3nPq7sD4fG6hJ8kL0mN2bV5cX7zA9sD1fG3hJ5kL7"


def charge(customer_id, cents):
    return stripe.PaymentIntent.create(customer=customer_id, amount=cents, currency="usd")
