"""What the end-to-end scripts (e2e_run.py, chaos_run.py) share: the market maker's
quoting and risk keys they all trade with, and a journal path with no earlier run's files."""
import os

# Quotes inside the simulated flow's spread, small enough to stay within the position
# limit, refreshed often: every run gets fills in a few seconds.
QUOTING_KEYS = """symbol = BTCUSDT
quote.half_spread = 0.000001
quote.quantity = 0.001
quote.max_position = 0.004
quote.skew_per_unit = 0.002
quote.tolerance = 0.000002
quote.refresh_ms = 150
risk.max_orders_per_second = 8
"""


def fresh_journal(scratch, name):
    """Returns scratch/name after removing a journal and its WAL files left there."""
    path = os.path.join(scratch, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path
