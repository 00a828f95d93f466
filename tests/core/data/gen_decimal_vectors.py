#!/usr/bin/env python3
"""Generates decimal_vectors.txt: known answers for cts::Decimal multiplication,
division and rounding, computed with Python's exact integers (independent of the C++
code under test). Run: python3 gen_decimal_vectors.py > decimal_vectors.txt"""
import random

SCALE = 10**18
MAX_RAW = 2**127 - 1
MODES = ["toward_zero", "away_from_zero", "floor", "ceiling", "half_up", "half_down", "half_even"]


def fmt(raw):
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    i, f = divmod(raw, SCALE)
    if f == 0:
        return f"{sign}{i}"
    frac = f"{f:018d}".rstrip("0")
    return f"{sign}{i}.{frac}"


def round_div(n, d, mode):
    """n / d rounded to an integer with mode; d > 0 after sign handling."""
    neg = (n < 0) != (d < 0)
    n, d = abs(n), abs(d)
    q, r = divmod(n, d)
    if r:
        other = d - r
        up = {
            "toward_zero": False,
            "away_from_zero": True,
            "floor": neg,
            "ceiling": not neg,
            "half_up": r >= other,
            "half_down": r > other,
            "half_even": r > other or (r == other and q % 2 == 1),
        }[mode]
        if up:
            q += 1
    return -q if neg else q


def rand_raw(rng):
    kind = rng.random()
    if kind < 0.3:  # prices/quantities with up to 8 decimals
        digits = rng.randint(1, 15)
        v = rng.randrange(10**digits) * 10**10
    elif kind < 0.6:  # full 18-decimal values of moderate size
        v = rng.randrange(10**rng.randint(1, 25))
    elif kind < 0.8:  # large magnitudes
        v = rng.randrange(10**rng.randint(25, 38))
    else:  # small values with few significant digits
        v = rng.randrange(1, 1000) * 10**rng.randint(0, 12)
    return -v if rng.random() < 0.3 else v


def main():
    rng = random.Random(20261122)
    out = []
    for _ in range(4000):
        a, b = rand_raw(rng), rand_raw(rng)
        mode = rng.choice(MODES)
        p = round_div(a * b, SCALE, mode)
        out.append(f"mul {fmt(a)} {fmt(b)} {mode} " + (fmt(p) if abs(p) <= MAX_RAW else "error:out_of_range"))
        if b == 0:
            out.append(f"div {fmt(a)} 0 {mode} error:division_by_zero")
        else:
            q = round_div(a * SCALE, b, mode)
            out.append(f"div {fmt(a)} {fmt(b)} {mode} " + (fmt(q) if abs(q) <= MAX_RAW else "error:out_of_range"))
        inc = abs(rand_raw(rng)) or 1
        units = round_div(a, inc, mode)
        r = units * inc
        out.append(f"round_to {fmt(a)} {fmt(inc)} {mode} " + (fmt(r) if abs(r) <= MAX_RAW else "error:out_of_range"))
    # Hand-picked edges: ties, the range limits, tiny and huge operands.
    edges = [
        ("mul", 10**18 * 5 // 10, 10**18 // 10**17 * 1, "half_even"),
        ("mul", MAX_RAW, 10**18, "toward_zero"),
        ("mul", MAX_RAW, 10**18 + 1, "toward_zero"),
        ("mul", -MAX_RAW, 10**18, "floor"),
        ("mul", 1, 1, "toward_zero"),
        ("mul", 1, 1, "away_from_zero"),
        ("mul", 5 * 10**17, 1, "half_even"),
        ("mul", 15 * 10**17, 1, "half_even"),
        ("mul", -15 * 10**17, 1, "half_even"),
        ("mul", -5 * 10**17, 1, "half_up"),
        ("mul", -5 * 10**17, 1, "half_down"),
        ("div", 1, 3 * 10**18, "half_even"),
        ("div", 2 * 10**18, 3 * 10**18, "half_even"),
        ("div", -2 * 10**18, 3 * 10**18, "floor"),
        ("div", MAX_RAW, 10**17, "toward_zero"),
        ("div", MAX_RAW, 1, "toward_zero"),
        ("div", 1, MAX_RAW, "ceiling"),
        ("div", 10**18, 7 * 10**18, "toward_zero"),
        ("div", 64231570000 * 10**16, 123456789 * 10**10, "half_even"),
    ]
    for op, a, b, mode in edges:
        if op == "mul":
            p = round_div(a * b, SCALE, mode)
        else:
            p = round_div(a * SCALE, b, mode)
        out.append(f"{op} {fmt(a)} {fmt(b)} {mode} " + (fmt(p) if abs(p) <= MAX_RAW else "error:out_of_range"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
