import os

import stripe

stripe.api_key = os.environ["STRIPE_API_KEY"]


def charge(customer_id, cents):
    return stripe.PaymentIntent.create(customer=customer_id, amount=cents, currency="usd")
