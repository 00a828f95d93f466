"""What the end-to-end scripts (e2e_run.py, chaos_run.py, e2e_signals.py,
e2e_crash_safety.py) share: `ctsctl sim` started in its own process, the market maker's
quoting and risk keys they all trade with, a journal path with no earlier run's files, a
wait for a journal to hold records (kill a run once it has traded, not after a fixed time),
and signed reads of the account at the venue."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

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
# The same quotes on BingX's BTC-USDT perpetual (sizes in BTC), and on its BTC-USDT spot.
BINGX_SWAP_QUOTING_KEYS = QUOTING_KEYS.replace("symbol = BTCUSDT", "symbol = BTC-USDT")
BINGX_SPOT_QUOTING_KEYS = BINGX_SWAP_QUOTING_KEYS
# The same quotes on Pionex's BTC_USDT spot; its rules ask 10 USDT at least (0.001 BTC is
# about 60).
PIONEX_QUOTING_KEYS = QUOTING_KEYS.replace("symbol = BTCUSDT", "symbol = BTC_USDT")
# The same quotes on OKX's BTC-USDT-SWAP, whose sizes are contracts of 0.01 BTC: 0.1
# contract is QUOTING_KEYS' 0.001 BTC, and the position limits and skew scale alike.
OKX_SWAP_QUOTING_KEYS = """symbol = BTC-USDT-SWAP
quote.half_spread = 0.000001
quote.quantity = 0.1
quote.max_position = 0.4
quote.skew_per_unit = 0.00002
quote.tolerance = 0.000002
quote.refresh_ms = 150
risk.max_position = 2
risk.max_orders_per_second = 8
"""
# The configuration keys that select Bybit's linear perpetuals (QUOTING_KEYS' BTCUSDT).
BYBIT_LINEAR_KEYS = "venue = bybit\ncategory = linear\n"
# QUOTING_KEYS on OrangeX's BTC-USDT-PERPETUAL (sized in BTC).
ORANGEX_QUOTING_KEYS = QUOTING_KEYS.replace("symbol = BTCUSDT", "symbol = BTC-USDT-PERPETUAL")


def fresh_journal(scratch, name):
    """Returns scratch/name after removing a journal and its WAL files left there."""
    path = os.path.join(scratch, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


# What the check() calls of a script found wrong; the script exits non-zero when any did.
failures = []


def check(condition, what):
    """Prints "ok" or "FAIL" and `what`; a failed check is added to `failures`."""
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def journal_record_count(path):
    """The number of records in the engine's SQLite journal at `path`; 0 while it does not
    exist yet or is locked for a moment by the writer."""
    if not os.path.exists(path):
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM journal").fetchone()[0]
    except sqlite3.Error:
        return 0


def wait_for_journal_records(path, at_least=1, deadline_s=120, idle_after=None, idle_s=5):
    """Waits until the engine's SQLite journal at `path` holds `at_least` records (it journals
    an order before sending it), so that a run is killed only once it has traded, however
    slow the machine. With `idle_after`, it also returns once the journal holds more than
    `idle_after` records and has not grown for `idle_s` seconds: an engine whose quotes
    rest in a quiet market journals nothing new, and has traded all the same. Returns the
    count; raises TimeoutError past the deadline."""
    end = time.monotonic() + deadline_s
    count = journal_record_count(path)
    changed_at = time.monotonic()
    while time.monotonic() < end:
        now_count = journal_record_count(path)
        if now_count != count:
            count, changed_at = now_count, time.monotonic()
        if count >= at_least:
            return count
        if idle_after is not None and count > idle_after and time.monotonic() - changed_at >= idle_s:
            return count
        time.sleep(0.1)
    raise TimeoutError(f"{path}: {count} journal records after {deadline_s} s, wanted {at_least}")


class OpenOrder:
    """One of the account's open orders as every venue reader reports it: its client order
    id and its side, "BUY" or "SELL"."""

    def __init__(self, client_id, side):
        self.client_id, self.side = client_id, side

    def __eq__(self, other):
        return isinstance(other, OpenOrder) and (self.client_id, self.side) == (other.client_id, other.side)

    def __repr__(self):
        return f"{self.side} {self.client_id}"


# What the readers share: each venue reader answers open_orders(symbol), all_open_orders(),
# position(symbol) and commissions() from signed REST reads, retried through the
# simulator's faults (reads are safe to repeat); a venue that never answers raises
# RuntimeError.
READ_ATTEMPTS = 40


def read_json(request):
    """The JSON body of `request`; None after an injected 5xx, reset or dropped reply (the
    caller asks again)."""
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return json.loads(response.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class BinanceReader:
    """Signed Binance spot REST reads of the account (HMAC-SHA256 over the query, the key in
    X-MBX-APIKEY)."""

    venue = "binance"
    # The funded test account's base balance at the simulator's start: the spot position
    # is its change.
    START_BASE = Decimal("10")

    def __init__(self, url, key, secret):
        self.url, self.key, self.secret = url, key, secret.encode()

    def get(self, path, params):
        for _ in range(READ_ATTEMPTS):
            signed = {**params, "timestamp": int(time.time() * 1000)}
            query = "&".join(f"{k}={v}" for k, v in signed.items())
            signature = hmac.new(self.secret, query.encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(f"{self.url}{path}?{query}&signature={signature}",
                                             headers={"X-MBX-APIKEY": self.key})
            body = read_json(request)
            if body is not None:
                return body
            time.sleep(0.1)
        raise RuntimeError(f"the venue did not answer GET {path}")

    @staticmethod
    def _open(rows):
        return [OpenOrder(row["clientOrderId"], row["side"]) for row in rows]

    def open_orders(self, symbol="BTCUSDT"):
        """The account's open orders on `symbol` (GET /api/v3/openOrders)."""
        return self._open(self.get("/api/v3/openOrders", {"symbol": symbol}))

    def all_open_orders(self):
        """The account's open orders on every symbol (GET /api/v3/openOrders)."""
        return self._open(self.get("/api/v3/openOrders", {}))

    def base_balance(self):
        account = self.get("/api/v3/account", {})
        for balance in account["balances"]:
            if balance["asset"] == "BTC":
                return Decimal(balance["free"]) + Decimal(balance["locked"])
        return Decimal(0)

    def position(self, symbol="BTCUSDT"):
        """The spot position in BTC: the base balance's change since the start."""
        return self.base_balance() - self.START_BASE

    def commissions(self):
        """The commissions of the account's BTCUSDT trades, per asset (GET /api/v3/myTrades)."""
        total = {}
        for trade in self.get("/api/v3/myTrades", {"symbol": "BTCUSDT", "limit": 1000}):
            asset = trade["commissionAsset"]
            total[asset] = total.get(asset, Decimal(0)) + Decimal(trade["commission"])
        return total


class BybitReader:
    """Signed Bybit v5 REST reads of the account in one category (linear by default): the
    headers X-BAPI-API-KEY, X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW and X-BAPI-SIGN, the hex
    HMAC-SHA256 of timestamp + key + recv window + query string. A reply with a non-zero
    retCode (10016 is the simulator's injected 5xx) is asked again."""

    venue = "bybit"
    RECV_WINDOW = "5000"
    EXECUTIONS_PAGE = 100  # /v5/execution/list's largest limit

    def __init__(self, url, key, secret, category="linear"):
        self.url, self.key, self.secret, self.category = url, key, secret.encode(), category

    def get(self, path, params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        last = None
        for _ in range(READ_ATTEMPTS):
            timestamp = str(int(time.time() * 1000))
            signature = hmac.new(self.secret, (timestamp + self.key + self.RECV_WINDOW + query).encode(),
                                 hashlib.sha256).hexdigest()
            request = urllib.request.Request(f"{self.url}{path}?{query}", headers={
                "X-BAPI-API-KEY": self.key, "X-BAPI-TIMESTAMP": timestamp,
                "X-BAPI-RECV-WINDOW": self.RECV_WINDOW, "X-BAPI-SIGN": signature})
            body = read_json(request)
            if body is not None and body.get("retCode") == 0:
                return body["result"]
            last = body if body is not None else last
            time.sleep(0.1)
        raise RuntimeError(f"the venue did not answer GET {path} (last reply {last})")

    def _open(self, params):
        rows = self.get("/v5/order/realtime", {"category": self.category, **params})["list"]
        return [OpenOrder(row["orderLinkId"], row["side"].upper()) for row in rows]

    def open_orders(self, symbol="BTCUSDT"):
        """The account's open orders on `symbol` (GET /v5/order/realtime, openOnly=0)."""
        return self._open({"symbol": symbol})

    def all_open_orders(self):
        """The account's open orders on every USDT-settled symbol of the category."""
        return self._open({"settleCoin": "USDT"} if self.category == "linear" else {})

    def position(self, symbol="BTCUSDT"):
        """The signed size of the position in `symbol` (GET /v5/position/list): positive
        long (side Buy), negative short (side Sell), 0 when flat."""
        rows = self.get("/v5/position/list", {"category": self.category, "symbol": symbol})["list"]
        total = Decimal(0)
        for row in rows:
            size = Decimal(row["size"])
            total += {"Buy": size, "Sell": -size, "": Decimal(0)}[row["side"]]
        return total

    def commissions(self, symbol="BTCUSDT"):
        """The fees of the account's executions on `symbol` per asset (GET /v5/execution/list);
        a linear execution's fee is in the settle coin (feeCurrency is empty there). Raises
        RuntimeError when the account has more executions than one page holds: the sum would
        be partial."""
        rows = self.get("/v5/execution/list", {"category": self.category, "symbol": symbol,
                                               "limit": self.EXECUTIONS_PAGE})["list"]
        if len(rows) >= self.EXECUTIONS_PAGE:
            raise RuntimeError(f"{len(rows)} executions fill a page: their fees cannot all be read")
        total = {}
        for row in rows:
            asset = row["feeCurrency"] or "USDT"
            total[asset] = total.get(asset, Decimal(0)) + Decimal(row["execFee"])
        return total


class OkxReader:
    """Signed OKX v5 REST reads of the account's BTC-USDT-SWAP perpetual: the headers
    OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO 8601 UTC, milliseconds)
    and OK-ACCESS-SIGN, the base64 HMAC-SHA256 of timestamp + "GET" + path and query. A
    reply whose code is not "0" (50001 and 50013 are the simulator's injected failures) is
    asked again. Sizes are contracts, as OKX reports them."""

    venue = "okx"
    INST_ID = "BTC-USDT-SWAP"
    FILLS_PAGE = 100  # /api/v5/trade/fills' largest limit

    def __init__(self, url, key, secret, passphrase):
        self.url, self.key, self.secret, self.passphrase = url, key, secret.encode(), passphrase

    def get(self, path, params):
        target = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        last = None
        for _ in range(READ_ATTEMPTS):
            now = datetime.datetime.now(datetime.timezone.utc)
            timestamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
            signature = base64.b64encode(hmac.new(self.secret, (timestamp + "GET" + target).encode(),
                                                  hashlib.sha256).digest()).decode()
            request = urllib.request.Request(self.url + target, headers={
                "OK-ACCESS-KEY": self.key, "OK-ACCESS-PASSPHRASE": self.passphrase,
                "OK-ACCESS-TIMESTAMP": timestamp, "OK-ACCESS-SIGN": signature})
            body = read_json(request)
            if body is not None and body.get("code") == "0":
                return body["data"]
            last = body if body is not None else last
            time.sleep(0.1)
        raise RuntimeError(f"the venue did not answer GET {path} (last reply {last})")

    def _open(self, params):
        rows = self.get("/api/v5/trade/orders-pending", {"instType": "SWAP", **params})
        return [OpenOrder(row["clOrdId"], row["side"].upper()) for row in rows]

    def open_orders(self, symbol=INST_ID):
        """The account's open orders on `symbol` (GET /api/v5/trade/orders-pending)."""
        return self._open({"instId": symbol})

    def all_open_orders(self):
        """The account's open orders on every SWAP instrument."""
        return self._open({})

    def position(self, symbol=INST_ID):
        """The signed size of the net position in `symbol`, in contracts (GET
        /api/v5/account/positions: `pos` is signed in net mode); 0 when flat."""
        rows = self.get("/api/v5/account/positions", {"instType": "SWAP", "instId": symbol})
        return sum((Decimal(row["pos"] or "0") for row in rows), Decimal(0))

    def order_frozen(self):
        """What open orders hold per currency (GET /api/v5/account/balance: ordFrozen; the
        frozenBal the engine reads as `locked` adds the cross positions' initial margin)."""
        rows = self.get("/api/v5/account/balance", {})
        return {d["ccy"]: Decimal(d["ordFrozen"] or "0") for row in rows for d in row["details"]}

    def order_state(self, client_id, symbol=INST_ID):
        """The state of our order `client_id` on `symbol` (GET /api/v5/trade/order): live,
        partially_filled, filled, canceled."""
        return self.get("/api/v5/trade/order", {"instId": symbol, "clOrdId": client_id})[0]["state"]

    def commissions(self, symbol=INST_ID):
        """The fees of the account's fills on `symbol` per asset (GET /api/v5/trade/fills):
        OKX writes a charge as a negative fee. Raises RuntimeError when the fills fill a
        page: the sum would be partial."""
        rows = self.get("/api/v5/trade/fills", {"instType": "SWAP", "instId": symbol, "limit": self.FILLS_PAGE})
        if len(rows) >= self.FILLS_PAGE:
            raise RuntimeError(f"{len(rows)} fills fill a page: their fees cannot all be read")
        total = {}
        for row in rows:
            total[row["feeCcy"]] = total.get(row["feeCcy"], Decimal(0)) - Decimal(row["fee"])
        return total


def bingx_wire_client_id(client_id):
    """The BingX wire form of client order id `client_id` (the inverse of bingx_client_id):
    a capital as '_' + its lower-case letter, '_' as '__'."""
    return "".join("__" if c == "_" else "_" + c.lower() if c.isupper() else c for c in client_id)


def bingx_client_id(wire):
    """The client order id whose BingX wire form is `wire`: BingX writes clientOrderId in
    lower case, so the connector sends a capital as '_' + its lower-case letter and '_'
    as '__' (docs/venues.md, BingX); this reads it back."""
    out, i = [], 0
    while i < len(wire):
        if wire[i] == "_" and i + 1 < len(wire) and (wire[i + 1] == "_" or wire[i + 1].islower()):
            out.append("_" if wire[i + 1] == "_" else wire[i + 1].upper())
            i += 2
        else:
            out.append(wire[i])
            i += 1
    return "".join(out)


class BingxReader:
    """Signed BingX swap REST reads of the account's BTC-USDT perpetual: the key in
    X-BX-APIKEY, `timestamp` and `signature` = hex HMAC-SHA256 of the query as sent. A
    reply whose code is not 0 (100500 and 100410 are the simulator's injected failures)
    is asked again. Sizes are in BTC."""

    venue = "bingx"
    SYMBOL = "BTC-USDT"
    FILLS_PAGE = 1000  # /openApi/swap/v2/trade/fillHistory's largest pageSize

    def __init__(self, url, key, secret):
        self.url, self.key, self.secret = url, key, secret.encode()

    def get(self, path, params):
        last = None
        for _ in range(READ_ATTEMPTS):
            signed = {**params, "timestamp": int(time.time() * 1000)}
            query = "&".join(f"{k}={v}" for k, v in signed.items())
            signature = hmac.new(self.secret, query.encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(f"{self.url}{path}?{query}&signature={signature}",
                                             headers={"X-BX-APIKEY": self.key})
            body = read_json(request)
            if body is not None and body.get("code") == 0:
                return body["data"]
            last = body if body is not None else last
            time.sleep(0.1)
        raise RuntimeError(f"the venue did not answer GET {path} (last reply {last})")

    def _open(self, params):
        rows = self.get("/openApi/swap/v2/trade/openOrders", params)["orders"]
        return [OpenOrder(bingx_client_id(row["clientOrderId"]), row["side"]) for row in rows]

    def open_orders(self, symbol=SYMBOL):
        """The account's open orders on `symbol` (GET /openApi/swap/v2/trade/openOrders)."""
        return self._open({"symbol": symbol})

    def all_open_orders(self):
        """The account's open orders on every symbol."""
        return self._open({})

    def position(self, symbol=SYMBOL):
        """The signed size of the one-way position in `symbol` (GET
        /openApi/swap/v2/user/positions: positionAmt, signed for positionSide BOTH; a SHORT
        leg negative); 0 when flat."""
        total = Decimal(0)
        for row in self.get("/openApi/swap/v2/user/positions", {"symbol": symbol}):
            amount = Decimal(row["positionAmt"])
            total += -abs(amount) if row["positionSide"] == "SHORT" else amount
        return total

    def commissions(self, symbol=SYMBOL):
        """The fees of the account's fills on `symbol` per asset (GET
        /openApi/swap/v2/trade/fillHistory over the last day): BingX writes a charge as a
        negative commission. Raises RuntimeError when the fills fill a page."""
        now = int(time.time() * 1000)
        rows = self.get("/openApi/swap/v2/trade/fillHistory", {
            "symbol": symbol, "startTs": now - 86_400_000, "endTs": now + 60_000,
            "pageSize": self.FILLS_PAGE})["fill_history_orders"]
        if len(rows) >= self.FILLS_PAGE:
            raise RuntimeError(f"{len(rows)} fills fill a page: their fees cannot all be read")
        total = {}
        for row in rows:
            asset = row["commissionAsset"]
            total[asset] = total.get(asset, Decimal(0)) - Decimal(row["commission"])
        return total


class BingxSpotReader(BingxReader):
    """Signed BingX spot REST reads of the account's BTC-USDT, signed as the swap's
    (BingxReader.get). The position is the BTC balance's change since the start."""

    venue = "bingx-spot"
    TRADES_PAGE = 1000  # /openApi/spot/v1/trade/myTrades's largest limit
    # The funded test account's base balance at the simulator's start.
    START_BASE = Decimal("10")

    def _open(self, params):
        rows = self.get("/openApi/spot/v1/trade/openOrders", params)["orders"]
        return [OpenOrder(bingx_client_id(row["clientOrderID"]), row["side"]) for row in rows]

    def open_orders(self, symbol=BingxReader.SYMBOL):
        """The account's open spot orders on `symbol` (GET /openApi/spot/v1/trade/openOrders)."""
        return self._open({"symbol": symbol})

    def order_state(self, client_id, symbol=BingxReader.SYMBOL):
        """The state of our spot order `client_id` on `symbol` in lower case (GET
        /openApi/spot/v1/trade/query by clientOrderID: pending, partially_filled, filled,
        canceled)."""
        row = self.get("/openApi/spot/v1/trade/query", {"symbol": symbol, "clientOrderID": bingx_wire_client_id(client_id)})
        return row["status"].lower()

    def position(self, symbol=BingxReader.SYMBOL):
        """The spot position in BTC: the BTC balance's change (free + locked) since the start."""
        for row in self.get("/openApi/spot/v1/account/balance", {})["balances"]:
            if row["asset"] == "BTC":
                return Decimal(row["free"]) + Decimal(row["locked"]) - self.START_BASE
        return -self.START_BASE

    def commissions(self, symbol=BingxReader.SYMBOL):
        """The fees of the account's spot trades on `symbol` per asset (GET
        /openApi/spot/v1/trade/myTrades): BingX writes a charge as a negative commission.
        Raises RuntimeError when the trades fill a page."""
        rows = self.get("/openApi/spot/v1/trade/myTrades", {"symbol": symbol, "limit": self.TRADES_PAGE})["fills"]
        if len(rows) >= self.TRADES_PAGE:
            raise RuntimeError(f"{len(rows)} trades fill a page: their fees cannot all be read")
        total = {}
        for row in rows:
            asset = row["commissionAsset"]
            total[asset] = total.get(asset, Decimal(0)) - Decimal(str(row["commission"]))
        return total


class OrangexReader:
    """OrangeX JSON-RPC reads of the account's BTC-USDT-PERPETUAL: a session token from
    /public/auth (grant_type client_signature: the hex of the ASCII of the hex HMAC-SHA256
    of "client_id\ntimestamp\nnonce\n", as the official SDK signs it), then each call
    POSTed to /api/v1<method> with `Authorization: bearer <token>`. An error reply (the
    simulator's injected -32000, 10028, an expired token's 13009) is asked again, after a
    new login."""

    venue = "orangex"
    INSTRUMENT = "BTC-USDT-PERPETUAL"
    TRADES_PAGE = 1000  # /private/get_user_trades_by_instrument's largest count

    def __init__(self, url, key, secret):
        self.url, self.key, self.secret = url, key, secret.encode()
        self.token = None

    def _post(self, method, params, headers=None):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
        request = urllib.request.Request(self.url + "/api/v1" + method, data=body, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=3) as response:
                return json.loads(response.read().decode(), parse_float=Decimal)
        except urllib.error.HTTPError as e:
            try:
                return json.loads(e.read().decode(), parse_float=Decimal)
            except ValueError:
                return None
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
            return None

    def _login(self):
        timestamp, nonce = str(int(time.time() * 1000)), "e2e"
        digest = hmac.new(self.secret, f"{self.key}\n{timestamp}\n{nonce}\n".encode(), hashlib.sha256).hexdigest()
        reply = self._post("/public/auth", {"grant_type": "client_signature", "client_id": self.key,
                                            "timestamp": timestamp, "nonce": nonce,
                                            "signature": digest.encode().hex()})
        if reply is not None and "result" in reply:
            self.token = reply["result"]["access_token"]

    def call(self, method, params):
        last = None
        for _ in range(READ_ATTEMPTS):
            if self.token is None:
                self._login()
            reply = self._post(method, params, {"Authorization": f"bearer {self.token}"})
            if reply is not None and "result" in reply:
                return reply["result"]
            last = reply if reply is not None else last
            self.token = None
            time.sleep(0.1)
        raise RuntimeError(f"the venue did not answer {method} (last reply {last})")

    def _open(self, symbol):
        rows = self.call("/private/get_open_orders_by_instrument", {"instrument_name": symbol})
        return [OpenOrder(row["label"], row["direction"].upper()) for row in rows]

    def open_orders(self, symbol=INSTRUMENT):
        """The account's open orders on `symbol` (/private/get_open_orders_by_instrument)."""
        return self._open(symbol)

    def all_open_orders(self):
        """The account's open orders: the simulator lists one instrument."""
        return self._open(self.INSTRUMENT)

    def position(self, symbol=INSTRUMENT):
        """The signed size of the position in `symbol` (/private/get_position)."""
        return Decimal(str(self.call("/private/get_position", {"instrument_name": symbol})["size"]))

    def commissions(self, symbol=INSTRUMENT):
        """The fees of the account's trades on `symbol` per currency
        (/private/get_user_trades_by_instrument). Raises RuntimeError when there are more
        trades than one page holds: the sum would be partial."""
        page = self.call("/private/get_user_trades_by_instrument",
                         {"instrument_name": symbol, "count": self.TRADES_PAGE, "sorting": "desc"})
        if page["has_more"]:
            raise RuntimeError(f"more than {self.TRADES_PAGE} trades: their fees cannot all be read")
        total = {}
        for row in page["trades"]:
            total[row["fee_currency"]] = total.get(row["fee_currency"], Decimal(0)) + Decimal(str(row["fee"]))
        return total


class PionexReader:
    """Signed Pionex REST reads of the account's BTC_USDT spot: `timestamp` in the query and
    the headers PIONEX-KEY and PIONEX-SIGNATURE, the hex HMAC-SHA256 of "GET" + path + "?" +
    the query sorted by name (openapi.yaml, "Signing Process"). A reply whose result is not
    true (or an injected 5xx, reset or dropped reply) is asked again.

    Pionex allows 10 weight a second per IP and per account and bans the IP for 60 s beyond
    (the simulator counts whole seconds of its clock, this machine's). The scripts read
    while the engine is stopped, so a read never shares a second with the engine's requests:
    the reader's first read goes at the start of the next second (the engine may have used
    the current one before it stopped), the reads after it in that same second while its
    weight and time allow, else at the start of the next; and settle_reads(), called before
    an engine starts, waits for the second after the last read. Against a simulator whose
    limits are lifted (`ctsctl sim --no-rate-limits`), `paced=False` reads at once."""

    venue = "pionex"
    SYMBOL = "BTC_USDT"
    # The funded test account's base balance at the simulator's start: the spot position
    # is its change.
    START_BASE = Decimal("10")
    FILLS_PAGE = 100  # GET /api/v1/trade/fills returns the latest 100
    LIMIT = 10  # weight a second per IP and per account (openapi.yaml, "Rate Limits")
    WEIGHTS = {"/api/v1/trade/openOrders": 5, "/api/v1/trade/fills": 5, "/api/v1/account/balances": 1}
    # A read starts no later than this far into its second, so that it arrives within it;
    # a second is entered this far past its start.
    LATEST_START = 0.7
    MARGIN = 0.02
    # The second the last read may have been counted in (the class's: readers share the
    # IP), and the weight reads were counted with in it.
    second, used = None, 0

    def __init__(self, url, key, secret, paced=True):
        self.url, self.key, self.secret = url, key, secret.encode()
        self.paced = paced

    @classmethod
    def _turn(cls, weight):
        """Waits until a read of `weight` may go, and counts it."""
        now = time.time()
        if cls.second != int(now) or cls.used + weight > cls.LIMIT or now - int(now) > cls.LATEST_START:
            time.sleep(int(now) + 1 + cls.MARGIN - now)
            cls.second, cls.used = int(time.time()), 0
        cls.used += weight

    @classmethod
    def _done(cls):
        """After a read: one that ended in a later second than it began may have been
        counted in either, so the next goes in a fresh one."""
        if int(time.time()) != cls.second:
            cls.second, cls.used = int(time.time()), cls.LIMIT

    def get(self, path, params):
        last = None
        for _ in range(READ_ATTEMPTS):
            if self.paced:
                self._turn(self.WEIGHTS[path])
            signed = {**params, "timestamp": int(time.time() * 1000)}
            query = "&".join(f"{k}={v}" for k, v in sorted(signed.items()))
            signature = hmac.new(self.secret, f"GET{path}?{query}".encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(f"{self.url}{path}?{query}",
                                             headers={"PIONEX-KEY": self.key, "PIONEX-SIGNATURE": signature})
            body = read_json(request)
            if self.paced:
                self._done()
            if body is not None and body.get("result") is True:
                return body["data"]
            last = body if body is not None else last
        raise RuntimeError(f"the venue did not answer GET {path} (last reply {last})")

    def open_orders(self, symbol=SYMBOL):
        """The account's open orders on `symbol` (GET /api/v1/trade/openOrders)."""
        rows = self.get("/api/v1/trade/openOrders", {"symbol": symbol})["orders"]
        return [OpenOrder(row["clientOrderId"], row["side"]) for row in rows]

    def all_open_orders(self):
        """The account's open orders on the simulator's two symbols."""
        return self.open_orders("BTC_USDT") + self.open_orders("ETH_USDT")

    def base_balance(self):
        for balance in self.get("/api/v1/account/balances", {})["balances"]:
            if balance["coin"] == "BTC":
                return Decimal(balance["free"]) + Decimal(balance["frozen"])
        return Decimal(0)

    def position(self, symbol=SYMBOL):
        """The spot position in BTC: the base balance's change since the start."""
        return self.base_balance() - self.START_BASE

    def commissions(self, symbol=SYMBOL):
        """The fees of the account's fills on `symbol` per asset (GET /api/v1/trade/fills,
        newest first, paged back by endTime and deduplicated by fill id)."""
        total, seen, end = {}, set(), None
        while True:
            params = {"symbol": symbol} if end is None else {"symbol": symbol, "endTime": end}
            rows = self.get("/api/v1/trade/fills", params)["fills"]
            fresh = [row for row in rows if row["id"] not in seen]
            for row in fresh:
                seen.add(row["id"])
                total[row["feeCoin"]] = total.get(row["feeCoin"], Decimal(0)) + Decimal(row["fee"])
                end = row["timestamp"] if end is None else min(end, row["timestamp"])
            if len(rows) < self.FILLS_PAGE or not fresh:
                return total


READERS = {"binance": BinanceReader, "bybit": BybitReader, "okx": OkxReader, "bingx": BingxReader,
           "bingx-spot": BingxSpotReader, "orangex": OrangexReader, "pionex": PionexReader}
# The passphrase the scripts give `ctsctl sim --venue okx` (--passphrase) and the engine
# (the environment variable CTS_E2E_PASSPHRASE): OKX's credentials have a third part.
SIM_PASSPHRASE = "cts-e2e-passphrase"


def reader_for(venue, url, key, secret, paced=True):
    """The signed reader of `venue` ("binance", "bybit", "okx", "bingx", "bingx-spot", "orangex" or "pionex") at `url` with the
    account's key (OKX's with SIM_PASSPHRASE); `paced=False` for a simulator whose rate
    limits are lifted (only Pionex's reader paces itself)."""
    if venue == "okx":
        return OkxReader(url, key, secret, SIM_PASSPHRASE)
    if venue == "pionex":
        return PionexReader(url, key, secret, paced)
    return READERS[venue](url, key, secret)


def settle_reads():
    """Before an engine starts: waits for the second after the last paced read (Pionex's,
    whose venue counts one-second windows), so that the engine never shares one with the
    reader. Returns at once when no read is that recent."""
    if PionexReader.second is not None:
        wait = PionexReader.second + 1 + PionexReader.MARGIN - time.time()
        if wait > 0:
            time.sleep(wait)


def venue_argument(argv, venues, script):
    """The venue `--venue NAME` names in `argv`, one of `venues` (binance when `argv` is
    empty); anything else exits 2 with a message naming `script`."""
    if not argv:
        return "binance"
    if len(argv) != 2 or argv[0] != "--venue" or argv[1] not in venues:
        print(f"{script}: expected --venue {'|'.join(venues)}, got {argv}")
        sys.exit(2)
    return argv[1]


def sim_arguments(venue):
    """The `ctsctl sim` arguments that select `venue` (its reader's name: "bingx-spot" is
    BingX's simulator) and its credentials."""
    return ["--venue", venue.removesuffix("-spot")] + (["--passphrase", SIM_PASSPHRASE] if venue == "okx" else [])


class Sim:
    """`ctsctl sim` in its own process, with what it prints at start-up: its base URL, its
    market-stream and WebSocket API URLs, and the account's key and secret."""

    def __init__(self, ctsctl, seed, faults=None, venue="binance"):
        command = [ctsctl, "sim", *sim_arguments(venue), "--seed", str(seed)] + (["--faults", faults] if faults else [])
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        fields = {}
        while not all(k in fields for k in ("ws", "ws-api", "api-key", "api-secret")):
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("ctsctl sim exited early")
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        self.ws, self.ws_api = fields["ws"], fields["ws-api"]
        self.key, self.secret = fields["api-key"], fields["api-secret"]
        self.venue = reader_for(venue, self.url, self.key, self.secret)

    def open_orders(self):
        """The account's open orders on every symbol, retried through the faults; None when
        the venue never answered."""
        try:
            return self.venue.all_open_orders()
        except RuntimeError:
            return None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=30)
