import random
import time


def with_retries(fn, attempts=5):
    for attempt in range(attempts):
        try:
            return fn()
        except ConnectionError:
            time.sleep(min(30, 2 ** attempt) + random.uniform(0, 1))
    raise ConnectionError("gave up")
