"""Retrying requests that fail for a passing reason (a timeout, a node down or restarting) with
exponential backoff, and giving up with a clear error once a deadline has passed."""

import random
import time


def transient_errors() -> tuple:
    """The driver's errors that a retry can cure."""
    import cassandra
    from cassandra.cluster import NoHostAvailable
    from cassandra.connection import ConnectionException

    return (
        cassandra.OperationTimedOut, cassandra.ReadTimeout, cassandra.WriteTimeout,
        cassandra.Unavailable, cassandra.CoordinationFailure, NoHostAvailable,
        ConnectionException, ConnectionError,
    )  # fmt: skip


class Backoff:
    """Delays of 0.1 s doubling up to 5 s (with jitter) until ``retry_seconds`` have passed."""

    def __init__(self, retry_seconds: float):
        self.deadline = time.monotonic() + retry_seconds
        self.attempts = 0

    def next_delay(self):
        """The delay before the next attempt, or None when it would pass the deadline."""
        delay = min(5.0, 0.1 * 2**self.attempts) * random.uniform(0.8, 1.2)
        return None if time.monotonic() + delay > self.deadline else delay

    def wait_or_give_up(self) -> bool:
        """Sleeps before the next attempt; False when the deadline has passed."""
        delay = self.next_delay()
        if delay is None:
            return False
        self.attempts += 1
        time.sleep(delay)
        return True


def call_with_retry(call, describe, retry_seconds: float):
    """``call()``, retried on transient errors for up to ``retry_seconds``; then raises
    TimeoutError saying what failed (``describe()``), how often and the last error."""
    errors = transient_errors()
    backoff = Backoff(retry_seconds)
    while True:
        try:
            return call()
        except errors as error:
            if not backoff.wait_or_give_up():
                raise TimeoutError(
                    f"{describe()} failed {backoff.attempts + 1} times over {retry_seconds:g} s; "
                    f"last error: {type(error).__name__}: {error}"
                ) from error
