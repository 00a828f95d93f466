#!/usr/bin/env python3
"""End-to-end test of the reference engine against the simulator in another process.

Runs `ctsctl sim` and `ctsctl run` as separate processes over loopback and checks what a
user cares about: the bot trades; the position in the engine's summary equals the change
of the account's base balance at the venue (no fill lost or counted twice); with fault
injection (replies dropped after execution, 5xx, resets and a burst of rate-limit
answers; WebSocket drops with the market and user data streams on) the same holds and the
burst is waited out; after five
rounds of SIGKILL mid-run and restart on one journal the venue never holds more than
the market maker's bid and ask, and the journal, the tracker and the venue agree; a
journal lost between a SIGKILL and the restart is reported and its orphans adopted
and cancelled; two sessions (BTCUSDT, ETHUSDT) are paused and resumed over HTTP with
the control token ctsctl generated (its file private, never printed, removed at exit), and a
SIGINT stops both gracefully with their orders cancelled.

The venue is a parameter: `--venue bybit` runs clean, faults, sigkill and stream_faults
against the Bybit v5 simulator, trading BTCUSDT linear (`venue = bybit`, `category =
linear` in the config); `--venue okx` runs them against the OKX v5 simulator, trading the
BTC-USDT-SWAP perpetual in contracts (`venue = okx`, `category = swap`, a passphrase);
`--venue bingx` runs clean, faults and sigkill against the BingX simulator, trading the
BTC-USDT perpetual, orders over REST (`venue = bingx`, `category = swap`), and `--venue
bingx-spot` the same three trading its BTC-USDT spot (`category = spot`), and dead_man (the
venue's switch cancels the orders of an engine SIGKILLed and not restarted), as for OKX; `--venue orangex` runs
the same three against the OrangeX JSON-RPC simulator, trading BTC-USDT-PERPETUAL, orders over the WebSocket
(`venue = orangex`, `category = perpetual`; its faults run keeps the streams on, orders over the
WebSocket); `--venue pionex` runs
clean, faults, sigkill and stream_faults against the Pionex simulator, trading BTC_USDT
spot (`venue = pionex`); ctest runs the first three of each. The checks are venue-neutral: the position in the
engine's summary equals the venue's own (Binance spot: the base balance's change, also as
the summary shows it; Bybit linear: the signed size of /v5/position/list; OKX: the signed
`pos` of /api/v5/account/positions; BingX: the signed positionAmt of
/openApi/swap/v2/user/positions; BingX spot: the BTC balance's change; OrangeX: the `size` of /private/get_position; Pionex: the BTC balance's change); the fees the engine booked equal the venue's
executions' fees; a graceful run leaves no order of ours open at the venue.

usage: e2e_run.py <path to ctsctl> <scratch directory> [scenario...] [--venue binance|bybit|okx|bingx|bingx-spot|orangex|pionex]

With no scenario named, runs every scenario of the venue; ctest runs each as its own
test, in parallel (each scenario has its own simulator, port and files in the scratch
directory, the Bybit ones prefixed "bybit-", the OKX ones "okx-", the BingX ones "bingx-" and "bingx-spot-", the OrangeX
ones "orangex-", the Pionex ones "pionex-").
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

from e2e_common import (BINGX_SPOT_QUOTING_KEYS, BINGX_SWAP_QUOTING_KEYS, BYBIT_LINEAR_KEYS, OKX_SWAP_QUOTING_KEYS, ORANGEX_QUOTING_KEYS, PIONEX_QUOTING_KEYS,
                        QUOTING_KEYS, SIM_PASSPHRASE, check, failures, fresh_journal, journal_record_count,
                        reader_for, settle_reads, sim_arguments, wait_for_journal_records)

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]
START_BTC = Decimal("10")
START_ETH = Decimal("100")

# The simulator's faults in the faults run: a burst of rate-limit answers at start-up,
# then replies dropped or answered 503 after execution and connections reset; and the
# replies to the first two order requests the venue executes lost
# (lost_order_replies, every simulator front), so that unknown outcomes are certain
# whatever the random faults hit: a 10 s run places few orders at the slow venues, and
# even at the fast ones the random faults missed every order once in a CI run.
FAULTS = "burst429=3,drop_after=0.05,error_after=0.05,reset=0.05,seed=11,lost_order_replies=2"


class VenueProfile:
    """What a scenario needs to know of the venue it trades: the config keys that select
    it, the summary's name of the BTCUSDT position, the prefix of its files in the scratch
    directory, the scenarios it runs, the summary's counter of the simulator's burst
    fault (Binance answers it with HTTP 429, Bybit and OKX with a throttle code), the
    quoting keys (sized in contracts where the venue counts them), whether a balance's
    locked part is what open orders hold (OKX's frozenBal also holds a position's margin),
    whether the engine places orders over the venue's WebSocket by default (the
    default order_transport where the market has WebSocket order entry), and whether the
    market is spot (the position is the base balance's change: no venue position), the
    simulator's faults in the faults run, whether the faults run keeps the streams on
    (orders over the WebSocket, its lost replies resolved by client order id) rather than
    running on REST alone, which line of `ctsctl sim`'s output names its private stream
    (BingX spot's is not the swap's), and whether the sigkill scenario lifts the
    simulator's rate limits (so that its reader need not pace its reads)."""

    def __init__(self, name, config_keys, position_key, prefix, scenarios, burst_key, quoting_keys=QUOTING_KEYS,
                 locked_is_orders=True, ws_orders=False, spot=False, faults=FAULTS, ws_api_field="ws-api",
                 sigkill_lifts_limits=False, faults_over_ws=False):
        self.name, self.config_keys, self.position_key = name, config_keys, position_key
        self.prefix, self.scenarios, self.burst_key = prefix, scenarios, burst_key
        self.quoting_keys, self.locked_is_orders, self.ws_orders = quoting_keys, locked_is_orders, ws_orders
        self.spot = spot
        self.faults = faults
        self.ws_api_field = ws_api_field
        self.sigkill_lifts_limits = sigkill_lifts_limits
        self.faults_over_ws = faults_over_ws


PROFILES = {
    "binance": VenueProfile("binance", "", "BTC/USDT", "", None, "http_429", ws_orders=True, spot=True),
    # A linear contract's position is no balance: its summary key names the settle coin.
    # ctest runs clean, faults and sigkill (CI time); stream_faults runs by hand;
    # journal_lost and two_sessions are Binance's alone.
    "bybit": VenueProfile("bybit", BYBIT_LINEAR_KEYS, "BTC/USDT:USDT", "bybit-",
                          ("clean", "faults", "sigkill", "stream_faults"), "throttled", ws_orders=True),
    # The BTC-USDT-SWAP perpetual, sized in contracts; OKX's credentials add a passphrase.
    "okx": VenueProfile("okx", "venue = okx\ncategory = swap\napi_passphrase_env = CTS_E2E_PASSPHRASE\n",
                        "BTC/USDT:USDT", "okx-", ("clean", "faults", "sigkill", "stream_faults", "dead_man"),
                        "throttled",
                        OKX_SWAP_QUOTING_KEYS, locked_is_orders=False, ws_orders=True),
    # The BTC-USDT perpetual in BTC, orders over REST (BingX has no WebSocket order
    # entry); the balance's locked part holds the position's margin.
    "bingx": VenueProfile("bingx", "venue = bingx\ncategory = swap\n", "BTC/USDT:USDT", "bingx-",
                          ("clean", "faults", "sigkill"), "http_429", BINGX_SWAP_QUOTING_KEYS,
                          locked_is_orders=False),
    # BingX's BTC-USDT spot on the same simulator, orders over REST, the book and the
    # account (with the fills) from its /market streams, whose URL `ctsctl sim` prints as
    # ws-api-spot.
    "bingx-spot": VenueProfile("bingx-spot", "venue = bingx\ncategory = spot\n", "BTC/USDT", "bingx-spot-",
                               ("clean", "faults", "sigkill", "dead_man"), "http_429", BINGX_SPOT_QUOTING_KEYS,
                               spot=True, ws_api_field="ws-api-spot"),
    # The BTC-USDT-PERPETUAL perpetual over JSON-RPC, orders over the WebSocket, the book
    # and the account streamed: the burst fault is an HTTP 429. The faults run keeps the
    # streams on, so that its orders go over the WebSocket, where the REST faults do not
    # reach them: it also loses the replies to its first two order calls
    # (lost_order_replies: the simulator executes each and drops its connection), so that
    # unknown outcomes over the WebSocket are certain.
    "orangex": VenueProfile("orangex", "venue = orangex\ncategory = perpetual\n", "BTC/USDT:USDT", "orangex-",
                            ("clean", "faults", "sigkill"), "http_429", ORANGEX_QUOTING_KEYS, ws_orders=True,
                            faults_over_ws=True),
    # BTC_USDT spot over REST orders (no WebSocket order entry), the book and the account
    # from its streams; the burst answers HTTP 429 (with Retry-After: 1, the simulator's).
    # Its 10 weight a second leave the faults run 4 or 5 orders in 10 s, of which the
    # first two lose their replies (FAULTS). The sigkill scenario's six reads between runs would
    # each wait for a second of their own: it runs with the simulator's limits lifted (the
    # engine keeps to Pionex's by its own limiter; clean and faults run with the limits).
    "pionex": VenueProfile("pionex", "venue = pionex\n", "BTC/USDT", "pionex-",
                           ("clean", "faults", "sigkill", "stream_faults"), "http_429", PIONEX_QUOTING_KEYS,
                           spot=True, sigkill_lifts_limits=True),
}
# The engine reads the OKX passphrase from here (api_passphrase_env); the other venues
# ignore it.
os.environ["CTS_E2E_PASSPHRASE"] = SIM_PASSPHRASE


def parse_arguments(argv):
    """(venue profile, scenario names) from the arguments after the scratch directory."""
    venue, names, rest = "binance", [], list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--venue":
            venue = rest.pop(0) if rest else ""
        elif arg.startswith("--venue="):
            venue = arg.split("=", 1)[1]
        else:
            names.append(arg)
    if venue not in PROFILES:
        print(f"e2e: unknown venue {venue!r}; known: {', '.join(PROFILES)}")
        sys.exit(2)
    return PROFILES[venue], names


VENUE, CHOSEN = parse_arguments(sys.argv[3:])


def start_sim(seed, faults="", lift_limits=False):
    args = [CTSCTL, "sim", *sim_arguments(VENUE.name), "--seed", str(seed)]
    if faults:
        args += ["--faults", faults]
    if lift_limits:
        args.append("--no-rate-limits")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    fields = {}
    while not all(k in fields for k in ("ws", VENUE.ws_api_field, "api-key", "api-secret")):
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("ctsctl sim exited early")
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    STREAMS[url] = (fields["ws"], fields[VENUE.ws_api_field])
    return proc, url, fields["api-key"], fields["api-secret"]


def stop_sim(sim):
    """SIGTERM; returns (exit code, the simulator's standard error)."""
    sim.send_signal(signal.SIGTERM)
    _, err = sim.communicate(timeout=30)
    return sim.returncode, err


STREAMS = {}  # base URL -> (market streams URL, WebSocket API URL), as ctsctl sim printed them


def write_config(name, url, journal, streams=True):
    path = os.path.join(SCRATCH, VENUE.prefix + name + ".conf")
    ws_url, ws_api_url = STREAMS[url]
    with open(path, "w") as f:
        f.write(f"""# written by e2e_run.py
{VENUE.config_keys}base_url = {url}
streams = {"on" if streams else "off"}
ws_url = {ws_url}
ws_api_url = {ws_api_url}
api_key_env = CTS_E2E_KEY
api_secret_env = CTS_E2E_SECRET
journal = {journal}
""" + VENUE.quoting_keys)
    return path


def run_engine(config, env, duration, summary=None):
    settle_reads()
    args = [CTSCTL, "run", "--config", config, "--duration", str(duration)]
    if summary:
        args += ["--summary", summary]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=duration + 60)


def load(path):
    with open(path) as f:
        return json.load(f)


def consistent(summary, label, symbol="BTC/USDT", asset="BTC", start=START_BTC):
    position = Decimal(summary["positions"].get(symbol, "0"))
    held = summary["balances"].get(asset, {"free": "0", "locked": "0"})
    venue_delta = Decimal(held["free"]) + Decimal(held["locked"]) - start
    check(position == venue_delta,
          f"{label}: engine position {position} equals the venue's {asset} change {venue_delta}")


def reader(url, key, secret, paced=True):
    """The venue's signed REST reader of the account; `paced=False` against a simulator
    whose rate limits are lifted."""
    return reader_for(VENUE.name, url, key, secret, paced)


def venue_consistent(summary, label, venue):
    """The checks every venue shares after a run: the summary's position equals the one
    the venue reports, and the fees the engine booked equal those of the venue's executions
    (assets with a zero total left out on both sides)."""
    position = Decimal(summary["positions"].get(VENUE.position_key, "0"))
    at_venue = venue.position()
    check(position == at_venue, f"{label}: engine position {position} equals the venue's position {at_venue}")
    booked = {asset: Decimal(fee) for asset, fee in summary.get("fees", {}).items() if Decimal(fee) != 0}
    try:
        charged = {asset: fee for asset, fee in venue.commissions().items() if fee != 0}
    except RuntimeError as e:
        charged = f"unreadable: {e}"
    check(booked == charged, f"{label}: the engine's fees {booked} equal the venue's executions' fees {charged}")


def streamed_position_consistent(summary, stderr, label, venue):
    """Derivatives (Bybit linear): the venue's position in the summary (read when the run
    stopped) equals the venue's, and in a clean run the streamed position never differed
    from the engine's book long enough to make the session reconcile."""
    if VENUE.spot:
        return
    reported = summary.get("venue_positions", {}).get(VENUE.position_key)
    check(reported is not None, f"{label}: the summary has the venue's position")
    if reported is None:
        return
    at_venue = venue.position()
    check(Decimal(reported["quantity"]) == at_venue,
          f"{label}: the summary's venue position {reported['quantity']} equals the venue's {at_venue}")
    check("reconciling with the venue" not in stderr,
          f"{label}: the streamed position never disagreed with the engine's book")


def nothing_open(label, venue):
    """Checks that the venue lists no open order of the account on the traded symbol."""
    still_open = venue.open_orders()
    check(still_open == [], f"{label}: nothing is left open at the venue ({still_open})")


def spot_consistent(summary, label):
    """Spot (Binance, Pionex): the summary's position equals the base balance's change the
    summary shows. A linear position moves no base balance: for Bybit linear the venue's own
    position (venue_consistent) is the check."""
    if VENUE.spot:
        consistent(summary, label)


def http(method, url, headers=None):
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None,
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def fresh(name):
    return fresh_journal(SCRATCH, VENUE.prefix + name)


def scratch_file(name):
    return os.path.join(SCRATCH, VENUE.prefix + name)


def scenario_clean():
    sim, url, key, secret = start_sim(seed=3)
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        config = write_config("clean", url, fresh("clean.sqlite"))
        summary_path = scratch_file("clean.json")
        result = run_engine(config, env, 8, summary_path)
        check(result.returncode == 0, f"clean run exits 0 (stderr: {result.stderr[-300:]!r})")
        check("orders=" in result.stdout, "clean run prints status lines")
        s = load(summary_path)
        check(s["orders_submitted"] > 0, f"clean run submits orders ({s['orders_submitted']})")
        check(s["fills"] > 0, f"clean run gets fills ({s['fills']})")
        check(s["http_429"] == 0 and s["http_418"] == 0 and s["throttled"] == 0,
              "clean run causes no 429/418 and no throttle")
        orders_transported(s, "clean run")
        spot_consistent(s, "clean run")
        venue = reader(url, key, secret)
        venue_consistent(s, "clean run", venue)
        streamed_position_consistent(s, result.stderr, "clean run", venue)
        nothing_open("clean run", venue)
    finally:
        check(stop_sim(sim)[0] == 0, "ctsctl sim exits 0 on SIGTERM")


def orders_transported(s, label, streams=True):
    """Orders took the default transport: the venue's WebSocket where it takes orders
    there (with streams on), every create and cancel written on it in a clean run; REST
    otherwise."""
    if VENUE.ws_orders and streams:
        check(s["order_transport"] == "ws" and s["orders_over_ws"] > 0 and s["orders_over_rest"] == 0
              and s["ws_order_unknown_outcomes"] == 0,
              f"{label}: orders go over the WebSocket (transport {s['order_transport']}, {s['orders_over_ws']} over "
              f"ws, {s['orders_over_rest']} over REST, {s['ws_order_unknown_outcomes']} without reply)")
    else:
        check(s["order_transport"] == "rest" and s["orders_over_ws"] == 0,
              f"{label}: orders go over REST (transport {s['order_transport']})")


def burst_waited_out(s, label):
    """The simulator's burst of 3 rate-limit answers at start-up was counted and waited
    out, never escalating to a 418 ban."""
    check(s[VENUE.burst_key] == 3 and s["http_418"] == 0,
          f"{label}: the burst of 3 rate-limit answers is waited out, never escalating to 418 "
          f"({VENUE.burst_key}={s[VENUE.burst_key]}, 418={s['http_418']})")


def scenario_faults():
    sim, url, key, secret = start_sim(seed=5, faults=VENUE.faults)
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        # REST alone (streams = off): fills are found by polling, through the faults; or,
        # for a venue whose faults run keeps the streams, orders over the WebSocket.
        streams = VENUE.faults_over_ws
        config = write_config("faults", url, fresh("faults.sqlite"), streams=streams)
        summary_path = scratch_file("faults.json")
        result = run_engine(config, env, 10, summary_path)
        check(result.returncode == 0, f"faulty run exits 0 (stderr: {result.stderr[-300:]!r})")
        s = load(summary_path)
        check(s["orders_submitted"] > 0, f"faulty run submits orders ({s['orders_submitted']})")
        # With lost_order_replies=N the first N order requests the venue executed went
        # unanswered: at least N unknown outcomes (the bid's and the ask's first creates),
        # each resolved by client order id: the venue has the order. (An outcome unknown
        # because the request never reached the venue, a reset, is resolved as rejected only
        # after the executor's 6 s grace: one in the run's last seconds may stay open.)
        lost = re.search(r"lost_order_replies=(\d+)", VENUE.faults)
        at_least = int(lost.group(1)) if lost else 1
        check(s["unknown_outcomes"] >= at_least,
              f"faults produced unknown outcomes ({s['unknown_outcomes']}, at least {at_least})")
        check(s["unknown_outcomes_resolved"] >= at_least,
              f"the unknown outcomes were resolved by client order id ({s['unknown_outcomes_resolved']} of "
              f"{s['unknown_outcomes']}, at least {at_least})")
        if streams:
            # Orders over the WebSocket, where the lost replies reached them too.
            check(s["orders_over_ws"] > 0 and s["ws_order_unknown_outcomes"] > 0,
                  f"faulty run: orders over the WebSocket ({s['orders_over_ws']}), with unknown outcomes there "
                  f"({s['ws_order_unknown_outcomes']})")
        else:
            orders_transported(s, "faulty run", streams=False)
        burst_waited_out(s, "faulty run")
        spot_consistent(s, "faulty run")
        venue = reader(url, key, secret)
        venue_consistent(s, "faulty run", venue)
        nothing_open("faulty run", venue)
    finally:
        stop_sim(sim)


def scenario_stream_faults():
    # A burst of rate-limit answers at start-up (Binance: 429; Bybit: retCode 10006 in an
    # HTTP 200), WebSocket connections dropped every 40 frames (market streams and the
    # user data stream alike), and replies dropped after execution.
    sim, url, key, secret = start_sim(seed=17, faults="burst429=3,ws_drop_every=40,drop_after=0.03,seed=19")
    sim_err = ""
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        config = write_config("streams", url, fresh("streams.sqlite"))
        summary_path = scratch_file("streams.json")
        result = run_engine(config, env, 14, summary_path)
        check(result.returncode == 0, f"stream-fault run exits 0 (stderr: {result.stderr[-300:]!r})")
        check("book=live" in result.stdout and "user=live" in result.stdout,
              "the book and the user data stream come live over WebSocket")
        s = load(summary_path)
        burst_waited_out(s, "stream-fault run")
        check(s["orders_submitted"] > 0, f"stream-fault run submits orders ({s['orders_submitted']})")
        spot_consistent(s, "stream-fault run")
        venue = reader(url, key, secret)
        venue_consistent(s, "stream-fault run", venue)
        nothing_open("stream-fault run", venue)
        if VENUE.locked_is_orders:
            locked = {asset: b["locked"] for asset, b in s["balances"].items() if Decimal(b["locked"]) != 0}
        else:
            # OKX's frozenBal (the summary's `locked`) holds the position's margin too: what
            # orders hold is ordFrozen.
            locked = {asset: str(held) for asset, held in venue.order_frozen().items() if held != 0}
        check(not locked, f"stream-fault run: every order is known and cancelled at the end ({locked})")
    finally:
        _, sim_err = stop_sim(sim)
    drops = re.search(r"\((\d+) dropped by the ws_drop fault\)", sim_err)
    check(drops is not None and int(drops.group(1)) >= 2,
          f"the simulator dropped WebSocket connections mid-run ({sim_err.strip()[-160:]!r})")


def at_most_the_target_set(orders):
    """The market maker quotes one bid and one ask: no more of its orders may be open."""
    sides = [o.side for o in orders]
    return len(orders) <= 2 and sides.count("BUY") <= 1 and sides.count("SELL") <= 1


def run_and_kill(config, env, journal, new_records, or_when_idle=False):
    """Starts `ctsctl run` on `journal` and kills it with SIGKILL once the journal holds
    `new_records` more records than before (the engine journals an order before sending
    it), so each round has traded whatever the machine's speed; with `or_when_idle`, also
    once it has journaled at least one record and then nothing for a few seconds (its
    quotes rest in a quiet market). Returns its stderr."""
    before = journal_record_count(journal)
    settle_reads()
    victim = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "60"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_journal_records(journal, before + new_records, idle_after=before if or_when_idle else None)
    finally:
        victim.send_signal(signal.SIGKILL)
        _, err = victim.communicate(timeout=30)
    return err


def scenario_sigkill():
    # Five rounds of run + kill -9 on one journal: the orders each round leaves behind
    # are adopted by the next and managed, so the venue never holds more than the
    # market maker's bid and ask; then a graceful run.
    sim, url, key, secret = start_sim(seed=9, lift_limits=VENUE.sigkill_lifts_limits)
    try:
        venue = reader(url, key, secret, paced=not VENUE.sigkill_lifts_limits)
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        journal = fresh("restart.sqlite")
        config = write_config("restart", url, journal)
        left_open = []
        for new_records in (4, 2, 6, 3, 5):  # crash points vary from round to round
            run_and_kill(config, env, journal, new_records, or_when_idle=True)
            left_open.append(venue.open_orders())
        counts = [len(orders) for orders in left_open]
        check(any(counts), f"killed runs leave their quotes at the venue ({counts})")
        check(all(at_most_the_target_set(orders) for orders in left_open),
              f"5 rounds of run + SIGKILL leave at most one bid and one ask open (open after each: {counts})")
        summary_path = scratch_file("restart.json")
        result = run_engine(config, env, 3, summary_path)
        check(result.returncode == 0, f"restart after SIGKILL exits 0 (stderr: {result.stderr[-300:]!r})")
        replayed = [line for line in result.stdout.splitlines() if "records replayed" in line]
        check(bool(replayed) and not replayed[0].endswith(" 0 records replayed)"),
              f"restart replays the journal ({replayed[0] if replayed else 'no line'})")
        check("WARNING" not in result.stderr, "an intact journal raises no reconciliation warning")
        s = load(summary_path)
        spot_consistent(s, "after 5 SIGKILLs and a graceful run")
        venue_consistent(s, "after 5 SIGKILLs and a graceful run", venue)
        still_open = venue.open_orders()
        check(still_open == [], f"the graceful run leaves nothing open at the venue ({still_open})")
    finally:
        stop_sim(sim)


def scenario_journal_lost():
    # The journal is lost between a kill -9 and the restart (`: > journal.sqlite`, its
    # WAL gone too): the restart says so, adopts the orders still open at the venue by
    # their client-order-id scheme and manages them; nothing stays orphaned.
    sim, url, key, secret = start_sim(seed=21)
    try:
        venue = reader(url, key, secret)
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        journal = fresh("lost.sqlite")
        config = write_config("lost", url, journal)
        # Quotes 2 % away from the mid rest until the restart: the flow's trades would
        # fill the default ones (inside its spread) before the restart could see them.
        with open(config) as f:
            text = f.read().replace("quote.half_spread = 0.000001", "quote.half_spread = 0.02")
        with open(config, "w") as f:
            f.write(text)
        run_and_kill(config, env, journal, 4)  # both quotes sent and acknowledged
        orphans = venue.open_orders()
        check(len(orphans) > 0, f"the killed run left orders open ({len(orphans)})")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(journal + suffix):
                os.remove(journal + suffix)
        open(journal, "w").close()
        err = run_and_kill(config, env, journal, 2)
        # Orphans the market filled between the kill and the restart are no longer open.
        warning = re.search(r"WARNING: the venue had (\d+) open orders of ours that the journal \(0 records", err)
        check(warning is not None and 1 <= int(warning.group(1)) <= len(orphans),
              f"the restart on the lost journal warns with the count ({warning.group(0) if warning else err[-300:]!r})")
        after = venue.open_orders()
        orphan_ids = {o.client_id for o in orphans}
        check(at_most_the_target_set(after), f"after the lost journal the venue holds at most one bid and one ask "
                                             f"({[(o.client_id, o.side) for o in after]})")
        summary_path = scratch_file("lost.json")
        result = run_engine(config, env, 3, summary_path)
        check(result.returncode == 0, f"the graceful run exits 0 (stderr: {result.stderr[-300:]!r})")
        still_open = venue.open_orders()
        check(still_open == [], f"nothing stays open at the venue, the orphans {sorted(orphan_ids)} included "
                                f"({[o.client_id for o in still_open]})")
    finally:
        stop_sim(sim)


def scenario_two_sessions():
    sim, url, key, secret = start_sim(seed=13)
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        journal = fresh("two.sqlite")
        for symbol in ("BTCUSDT", "ETHUSDT"):
            fresh("two.sqlite." + symbol)
        config = write_config("two", url, journal)
        with open(config) as f:
            text = f.read().replace("symbol = BTCUSDT", "symbols = BTCUSDT,ETHUSDT")
        text += "ETHUSDT.quote.quantity = 0.01\nETHUSDT.quote.max_position = 0.04\n"
        text += "ETHUSDT.risk.max_position = 0.2\nmetrics_port = 0\n"
        with open(config, "w") as f:
            f.write(text)
        summary_path = scratch_file("two.json")
        engine = subprocess.Popen([CTSCTL, "run", "--config", config, "--summary", summary_path], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        base = None
        token_path = None
        while base is None or token_path is None:
            line = engine.stdout.readline()
            if not line:
                break
            if line.startswith("metrics and health at "):
                base = line.split()[4].rsplit("/", 1)[0]
            if "file written for this run, " in line:
                token_path = line.rstrip("\n").split("file written for this run, ", 1)[1]
        check(base is not None, "two sessions: the metrics port is announced")
        check(token_path is not None, "two sessions: the generated control token's file is announced")
        if base is None or token_path is None:
            engine.kill()
            return
        check(os.stat(token_path).st_mode & 0o777 == 0o600 and
              os.stat(os.path.dirname(token_path)).st_mode & 0o777 == 0o700,
              "the control token file is 0600 in a 0700 directory")
        with open(token_path) as f:
            token = f.read().strip()
        auth = {"Authorization": "Bearer " + token}
        control = dict(auth, **{"Content-Type": "application/json"})
        time.sleep(3)
        check(http("GET", base + "/sessions")[0] == 401, "GET /sessions without the token answers 401")
        check(http("POST", base + "/sessions/ETHUSDT/pause", auth)[0] == 415,
              "a POST without JSON or X-CTS-Control answers 415")
        status, body = http("GET", base + "/sessions", auth)
        sessions = {s["name"]: s for s in json.loads(body)["sessions"]} if status == 200 else {}
        check(sorted(sessions) == ["BTCUSDT", "ETHUSDT"] and
              all(s["state"] == "running" for s in sessions.values()),
              f"GET /sessions lists both sessions running ({status} {body[:200]!r})")
        status, body = http("POST", base + "/sessions/ETHUSDT/pause", control)
        check(status == 200 and json.loads(body)["state"] == "paused", f"pause ETHUSDT answers 200 paused ({status})")
        check(http("GET", base + "/sessions/ETHUSDT/pause", auth)[0] == 405, "GET on a POST route answers 405")
        check(http("POST", base + "/sessions/XRPUSDT/pause", control)[0] == 404, "an unknown session answers 404")
        time.sleep(2)
        status, metrics = http("GET", base + "/metrics")
        meta = [line.split()[:3] for line in metrics.splitlines() if line.startswith("# ")]
        check(status == 200 and len(meta) == len({tuple(m) for m in meta}),
              "GET /metrics has one HELP and one TYPE per family")
        check('cts_engine_open_orders{session="ETHUSDT"} 0' in metrics,
              "the paused session has no open orders")
        check('cts_engine_session_state{session="BTCUSDT",state="running"} 1' in metrics,
              "the other session keeps running")
        status, body = http("POST", base + "/sessions/ETHUSDT/resume", control)
        check(status == 200 and json.loads(body)["state"] == "running", f"resume ETHUSDT answers 200 running ({status})")
        check(http("GET", base + "/health")[0] == 200, "GET /health answers 200")
        time.sleep(2)
        engine.send_signal(signal.SIGINT)
        out, err = engine.communicate(timeout=60)
        check(engine.returncode == 0, f"SIGINT stops both sessions, exit 0 (stderr: {err[-300:]!r})")
        check(token not in out and token not in err, "the control token is never printed")
        check(not os.path.exists(os.path.dirname(token_path)), "the control token's directory is removed at exit")
        check("ETHUSDT running orders=" in out and "BTCUSDT running orders=" in out,
              "status lines show each session")
        s = load(summary_path)
        check("BTC/USDT" in s["positions"] and "ETH/USDT" in s["positions"], "the summary merges both positions")
        check(s["http_429"] == 0 and s["http_418"] == 0, "two sessions sharing one limiter cause no 429/418")
        consistent(s, "two sessions (BTC)")
        consistent(s, "two sessions (ETH)", "ETH/USDT", "ETH", START_ETH)
        locked = {asset: b["locked"] for asset, b in s["balances"].items() if Decimal(b["locked"]) != 0}
        check(not locked, f"on_shutdown = cancel left no order working ({locked})")
    finally:
        stop_sim(sim)


def scenario_dead_man():
    # The venue's dead-man switch (dead_man_switch_s = 10, OKX's and BingX's minimum): while
    # the engine runs it refreshes the switch, so its quotes outlive the 10 s; after a
    # SIGKILL, with no restart, the venue cancels every order of the account once the
    # switch runs out. Wide quotes that neither fill nor go stale keep the same two orders
    # resting throughout.
    sim, url, key, secret = start_sim(seed=13)
    try:
        venue = reader(url, key, secret)
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        config = write_config("dead-man", url, fresh("dead-man.sqlite"))
        with open(config) as f:
            text = f.read()
        text = re.sub(r"^quote\.half_spread = .*$", "quote.half_spread = 0.002", text, flags=re.M)
        text = re.sub(r"^quote\.tolerance = .*$", "quote.tolerance = 0.01", text, flags=re.M)
        with open(config, "w") as f:
            f.write(text + "dead_man_switch_s = 10\n")
        log_path = scratch_file("dead-man.log")
        with open(log_path, "w") as log:
            victim = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "60"], env=env,
                                      stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 20
            resting = []
            while time.monotonic() < deadline and len(resting) < 2 and victim.poll() is None:
                time.sleep(0.2)
                resting = venue.open_orders()
            check(len(resting) == 2, f"the engine quotes a bid and an ask ({resting})")
            # More than the switch's 10 s after it was armed (before the first quote):
            # refreshed, it has not fired.
            time.sleep(11)
            alive = victim.poll() is None
            check(alive, "the engine still runs 11 s after quoting")
            still = venue.open_orders()
            check(resting and all(order in still for order in resting),
                  f"the quotes outlive the 10 s switch while it is refreshed ({resting} then {still})")
        finally:
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
        killed_at = time.monotonic()
        with open(log_path) as f:
            output = f.read()
        check("dead-man switch armed" in output, "the engine armed the venue's dead-man switch")
        check("could not be refreshed" not in output, "every refresh of the switch succeeded")
        # Not restarted: the venue cancels them once the switch runs out (within 10 s of the
        # last refresh); a generous deadline, the simulator's clock is the judge.
        left = still = venue.all_open_orders()
        while left and time.monotonic() - killed_at < 30:
            time.sleep(0.25)
            left = venue.all_open_orders()
        waited = time.monotonic() - killed_at
        check(bool(still) and left == [],
              f"after SIGKILL the venue's switch cancelled every order of the account ({still} -> {left}, "
              f"{waited:.1f} s after the kill)")
        states = [venue.order_state(order.client_id) for order in resting]
        check(states == ["canceled"] * len(resting), f"the quotes were cancelled, not filled ({states})")
    finally:
        stop_sim(sim)


SCENARIOS = {
    "clean": scenario_clean,
    "faults": scenario_faults,
    "stream_faults": scenario_stream_faults,
    "sigkill": scenario_sigkill,
    "journal_lost": scenario_journal_lost,
    "two_sessions": scenario_two_sessions,
    "dead_man": scenario_dead_man,
}
known = VENUE.scenarios or tuple(SCENARIOS)
chosen = CHOSEN or list(known)
unknown = [name for name in chosen if name not in known]
if unknown:
    print(f"e2e: unknown scenario(s) {', '.join(unknown)} for {VENUE.name}; known: {', '.join(known)}")
    sys.exit(2)
for name in chosen:
    SCENARIOS[name]()
if failures:
    print(f"e2e: {len(failures)} check(s) failed")
    sys.exit(1)
print("e2e: all checks passed")
