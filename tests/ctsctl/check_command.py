#!/usr/bin/env python3
"""`ctsctl check` as an operator runs it.

Against the embedded Bybit and Binance simulators nothing fails (exit 0, one line per
check, the summary line; Binance spot's permissions are not checked, a WARN); against a `ctsctl sim` whose test account has another
secret than the one in the environment the credentials check fails (exit 1) without
the secret reaching the output; an unknown venue and an unknown option are refused
with a clear message and exit 2.

usage: check_command.py <path to ctsctl>
"""
import os
import socket
import subprocess
import sys
import tempfile

CTSCTL = sys.argv[1]
TIMEOUT = 120  # seconds; a check takes well under one on loopback
CHECKS = ("reachability", "clock", "credentials", "permissions", "instrument", "rate-limit")
failures = []


def run(label, args, env=None):
    try:
        return subprocess.run([CTSCTL, "check"] + args, capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        failures.append(f"{label}: still running after {TIMEOUT} s")
        return None


def expect(label, done, code, present=(), absent=()):
    if done is None:
        return
    out = done.stdout + done.stderr
    if done.returncode != code:
        failures.append(f"{label}: exit {done.returncode}, expected {code}; output: {out.strip()}")
    for text in present:
        if text not in out:
            failures.append(f"{label}: expected {text!r} in the output: {out.strip()}")
    for text in absent:
        if text in out:
            failures.append(f"{label}: {text!r} must not be in the output: {out.strip()}")


def check_lines(done):
    """The verdict of each check line, by check name."""
    verdicts = {}
    for line in done.stdout.splitlines():
        verdict, _, rest = line.partition(" ")
        if verdict in ("PASS", "WARN", "FAIL"):
            verdicts[rest.partition(":")[0]] = verdict
    return verdicts


for venue in ("bybit", "binance"):
    label = f"check --venue {venue}"
    done = run(label, ["--venue", venue])
    expect(label, done, 0, present=("check: ",), absent=("FAIL",))
    if done is not None:
        verdicts = check_lines(done)
        for name in CHECKS:
            if name not in verdicts:
                failures.append(f"{label}: no line for the {name} check: {done.stdout.strip()}")
        for name in ("reachability", "clock", "credentials", "instrument", "rate-limit"):
            if verdicts.get(name) != "PASS":
                failures.append(f"{label}: {name} is {verdicts.get(name)}, expected PASS: {done.stdout.strip()}")
        # Bybit reports the key's permissions (the simulator's key trades and cannot
        # withdraw); Binance spot's connector cannot ask and says so.
        expected_permissions = "PASS" if venue == "bybit" else "WARN"
        if verdicts.get("permissions") != expected_permissions:
            failures.append(f"{label}: permissions is {verdicts.get('permissions')}, expected {expected_permissions}")
        if venue == "bybit" and "cannot withdraw" not in done.stdout:
            failures.append(f"{label}: the permissions line does not say the key cannot withdraw: {done.stdout.strip()}")
        if venue == "binance" and "WARN permissions: not checked: " not in done.stdout:
            failures.append(f"{label}: no reason why the permissions were not checked: {done.stdout.strip()}")
        if "check: " not in done.stdout.splitlines()[-1]:
            failures.append(f"{label}: the last line is not the summary: {done.stdout.strip()}")

# An unlisted symbol fails the instrument check.
done = run("unlisted symbol", ["--venue", "bybit", "--symbol", "NOSUCHUSDT"])
expect("unlisted symbol", done, 1, present=("FAIL instrument: NOSUCHUSDT is not listed",))

# A simulator whose account has another secret than the one the environment holds.
WRONG_SECRET = "wrong-secret-0123456789abcdefXYZ"
sim = subprocess.Popen([CTSCTL, "sim", "--venue", "bybit", "--no-flow", "--api-key", "checkkey",
                        "--api-secret", "the-real-secret-of-the-sim"], stdout=subprocess.PIPE, text=True,
                       stdin=subprocess.DEVNULL)
try:
    base_url = sim.stdout.readline().strip()
    with tempfile.TemporaryDirectory(prefix="cts-check-") as scratch:
        config = os.path.join(scratch, "engine.conf")
        with open(config, "w") as f:
            f.write(f"venue = bybit\nbase_url = {base_url}\n")
        env = dict(os.environ, CTS_API_KEY="checkkey", CTS_API_SECRET=WRONG_SECRET)
        done = run("wrong secret", ["--config", config], env)
        expect("wrong secret", done, 1,
               present=("PASS reachability", "FAIL credentials", "CTS_API_KEY", "CTS_API_SECRET"),
               absent=(WRONG_SECRET, "the-real-secret-of-the-sim"))
        # A key without its secret: the public checks run, credentials fail.
        env = dict(os.environ, CTS_API_KEY="checkkey")
        env.pop("CTS_API_SECRET", None)
        done = run("key without secret", ["--config", config], env)
        expect("key without secret", done, 1,
               present=("FAIL credentials: CTS_API_KEY holds an API key but environment variable CTS_API_SECRET is "
                        "not set", "PASS instrument"))
        # Without a key only the public checks are made.
        env = {k: v for k, v in os.environ.items() if k not in ("CTS_API_KEY", "CTS_API_SECRET")}
        done = run("no key", ["--config", config], env)
        expect("no key", done, 0, present=("WARN credentials", "public checks only", "PASS instrument"))
finally:
    sim.terminate()
    sim.wait(timeout=30)

# Nothing listens: reachability fails, the checks that need the venue are not made.
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]
with tempfile.TemporaryDirectory(prefix="cts-check-") as scratch:
    config = os.path.join(scratch, "engine.conf")
    with open(config, "w") as f:
        f.write(f"venue = bybit\nbase_url = http://127.0.0.1:{closed_port}\n")
    done = run("unreachable", ["--config", config])
    expect("unreachable", done, 1, present=("FAIL reachability: server time request 1 of 3 failed",
                                            "WARN credentials: not checked: the venue cannot be reached",
                                            "check: 1 passed, 4 warnings, 1 failed"))

# A key that can withdraw is refused: an engine key must not withdraw.
sim = subprocess.Popen([CTSCTL, "sim", "--venue", "bybit", "--no-flow", "--key-can-withdraw"], stdout=subprocess.PIPE,
                       text=True, stdin=subprocess.DEVNULL)
try:
    lines = []  # the base URL, the stream URLs, then the account: read through api-secret
    while not lines or not lines[-1].startswith("api-secret: "):
        line = sim.stdout.readline()
        if not line:
            sys.exit("check_command: ctsctl sim ended before printing its account")
        lines.append(line.strip())
    base_url = lines[0]
    key = next(line.split(": ", 1)[1] for line in lines if line.startswith("api-key: "))
    secret = next(line.split(": ", 1)[1] for line in lines if line.startswith("api-secret: "))
    with tempfile.TemporaryDirectory(prefix="cts-check-") as scratch:
        config = os.path.join(scratch, "engine.conf")
        with open(config, "w") as f:
            f.write(f"venue = bybit\nbase_url = {base_url}\n")
        env = dict(os.environ, CTS_API_KEY=key, CTS_API_SECRET=secret)
        done = run("withdrawing key", ["--config", config], env)
        expect("withdrawing key", done, 1,
               present=("PASS credentials", "FAIL permissions: read-write, can trade, can withdraw",
                        "an engine key must not withdraw", "check: 5 passed, 0 warnings, 1 failed"),
               absent=(secret,))
finally:
    sim.terminate()
    sim.wait(timeout=30)

done = run("unknown venue", ["--venue", "nosuchvenue"])
expect("unknown venue", done, 2, present=("ctsctl check:", "nosuchvenue"))
done = run("unknown option", ["--bogus"])
expect("unknown option", done, 2, present=("ctsctl check: unknown option --bogus",))

if failures:
    print("check command: FAILED", file=sys.stderr)
    for failure in failures:
        print("  " + failure, file=sys.stderr)
    sys.exit(1)
print("check command: all checks passed")
