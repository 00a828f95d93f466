#!/usr/bin/env python3
"""`ctsctl sim --no-rate-limits` as a benchmark uses it.

A `ctsctl sim` (Binance's protocol) answers the 101st new order within 10 seconds with
HTTP 429 and code -1015 (Binance's ORDERS limit of the spot API: 100 per 10 SECOND);
with --no-rate-limits it accepts 150 orders sent back to back. The orders are signed
here as Binance documents it (HMAC-SHA256 of the query, hex, in `signature`).

usage: sim_rate_limits.py <path to ctsctl>
"""
import hashlib
import hmac
import http.client
import json
import subprocess
import sys
import time
import urllib.parse

CTSCTL = sys.argv[1]
failures = []


def start_sim(extra):
    """A `ctsctl sim --no-flow` process, its base URL, API key and secret."""
    sim = subprocess.Popen([CTSCTL, "sim", "--no-flow"] + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, text=True)
    lines = {}
    url = sim.stdout.readline().strip()
    while "api-secret" not in lines:
        line = sim.stdout.readline()
        if not line:
            raise RuntimeError(f"ctsctl sim {extra}: exited early: {sim.stderr.read()}")
        key, _, value = line.strip().partition(": ")
        lines[key] = value
    return sim, url, lines["api-key"], lines["api-secret"]


def place_orders(url, key, secret, count):
    """Sends `count` IOC limit buys far below the market; the (status, code) of each reply."""
    host, _, port = urllib.parse.urlsplit(url).netloc.partition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    replies = []
    for i in range(count):
        query = urllib.parse.urlencode({
            "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC", "quantity": "0.001",
            "price": "9000", "newClientOrderId": f"rate-limits-{i}", "timestamp": int(time.time() * 1000),
        })
        signature = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()
        connection.request("POST", "/api/v3/order", body=f"{query}&signature={signature}",
                           headers={"X-MBX-APIKEY": key, "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        body = json.loads(response.read())
        replies.append((response.status, body.get("code") if isinstance(body, dict) else None))
    connection.close()
    return replies


def stop(sim):
    sim.terminate()
    try:
        sim.wait(timeout=30)
    except subprocess.TimeoutExpired:
        sim.kill()
        sim.wait()


sim, url, key, secret = start_sim([])
try:
    replies = place_orders(url, key, secret, 101)
    accepted = [r for r in replies[:100] if r[0] != 200]
    if accepted:
        failures.append(f"default limits: orders 1-100 refused: {accepted[:3]}")
    if replies[100] != (429, -1015):
        failures.append(f"default limits: the 101st order answered {replies[100]}, expected (429, -1015)")
finally:
    stop(sim)

sim, url, key, secret = start_sim(["--no-rate-limits"])
try:
    replies = place_orders(url, key, secret, 150)
    refused = [(i, r) for i, r in enumerate(replies) if r[0] != 200]
    if refused:
        failures.append(f"--no-rate-limits: {len(refused)} of 150 orders refused, first {refused[0]}")
finally:
    stop(sim)

for failure in failures:
    print(f"FAIL {failure}")
if failures:
    sys.exit(1)
print("sim rate limits: all checks passed")
