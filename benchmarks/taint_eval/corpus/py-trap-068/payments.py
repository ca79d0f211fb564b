import logging

logger = logging.getLogger(__name__)


def record_payment(card_number, amount_cents):
    masked = "*" * 12 + card_number[-4:]
    logger.info("charged %s cents to card %s", amount_cents, masked)
