#!/usr/bin/env python3
"""`ctsctl journal inspect|export|compact` on a SQLite journal written by `ctsctl run`
against the embedded simulator (on_shutdown = keep, so orders stay open in it).

The expected values come from elsewhere than the commands under test: the run's summary
file (its position, realized PnL, fees and fill count) and the journal's rows read here
with Python's sqlite3, their bodies decoded by this script (space-separated key=value
fields, percent-escaped, decimals exact: src/store/record.cpp's format).

1. While the run owns the journal: inspect and export work (read-only), compact exits 1
   naming the holder and changes nothing.
2. export: one JSON object per line, exactly the documented fields of its kind, every
   row of the file in seq order with the same client ids and decimals; the fills sum to
   the summary's position and fees. `--output FILE` writes the same lines.
3. inspect --json: records by kind, seqs, the position (quantity, realized PnL) as the
   summary has it, and the open orders as the rows leave them.
4. compact --retention 0: fewer records (as the file then holds), bytes before and
   after, a snapshot; inspect then shows the same position and open orders.
5. Bad input exits 2 and changes nothing: a missing file (not created; migrate's
   --from too), a file that is not a journal, a malformed duration, a malformed URL, a multiplier for a symbol the
   journal does not trade.

usage: journal_tool.py <path to ctsctl> <scratch directory>
"""
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from decimal import Decimal

CTSCTL, SCRATCH = sys.argv[1], sys.argv[2]
failures = []

# The documented field set of each record kind (docs/engine.md, "ctsctl journal").
CREATED_KEYS = {"seq", "kind", "time", "client_order_id", "symbol", "side", "type", "time_in_force", "quantity",
                "price", "trigger_price", "reduce_only", "position_id"}
EVENT_KEYS = {"seq", "kind", "time", "client_order_id", "event", "venue_order_id", "reason", "quantity", "price",
              "trigger_price", "trade_id", "fill_quantity", "fill_price", "fee", "fee_asset"}
SNAPSHOT_KEYS = {"seq", "kind", "time", "positions", "orders"}
TERMINAL_EVENTS = {"denied", "rejected", "canceled", "expired"}


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def ctsctl(*args):
    return subprocess.run([CTSCTL, *args], capture_output=True, text=True, timeout=60)


def body_fields(body):
    """A record body's fields, decoded (key=value pairs, values percent-escaped)."""
    return {k: urllib.parse.unquote(v) for k, v in (field.split("=", 1) for field in body.split(" ") if field)}


def stored_rows(path):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [(seq, kind, client, body_fields(body)) for seq, kind, client, body in
                db.execute("SELECT seq, kind, client_id, body FROM journal ORDER BY seq")]


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def open_orders_of(rows):
    """Client id -> (side, quantity, price) of the orders the rows leave open."""
    orders, filled, closed = {}, {}, set()
    for _, kind, client, fields in rows:
        if kind == 1:
            orders[fields["id"]] = (fields["side"], Decimal(fields["qty"]), fields.get("px"))
        elif fields["ev"] in TERMINAL_EVENTS:
            closed.add(client)
        elif fields["ev"] == "fill":
            filled[client] = filled.get(client, Decimal(0)) + Decimal(fields["fqty"])
    return {cid: o for cid, o in orders.items() if cid not in closed and filled.get(cid, Decimal(0)) < o[1]}


def open_orders_shown(inspected):
    return {o["client_order_id"]: (o["side"], Decimal(o["quantity"]), o["price"]) for o in inspected["open_orders"]}


def position_of(inspected, symbol):
    found = [p for p in inspected["positions"] if p["symbol"] == symbol]
    return found[0] if found else None


def exported_lines(text):
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError as error:
            check(False, f"export line {number} is JSON: {error}: {line[:200]}")
    return lines


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    journal = os.path.join(SCRATCH, f"tool-{os.getpid()}.sqlite")
    summary_path = os.path.join(SCRATCH, f"tool-{os.getpid()}.summary.json")
    config = os.path.join(SCRATCH, f"tool-{os.getpid()}.conf")
    with open(config, "w", encoding="utf-8") as f:
        f.write("on_shutdown = keep\n")

    # 1. While a run owns the journal. It runs until stopped (SIGINT, a graceful stop)
    # once the checks below are done and it has traded 4 s, so that it still owns the
    # journal however slowly a loaded machine runs them.
    started = time.monotonic()
    run = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "120", "--journal", journal,
                            "--summary", summary_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The run owns the journal once its first order is in it.
    owned = False
    for _ in range(200):
        try:
            owned = len(stored_rows(journal)) > 0
        except sqlite3.Error:  # not created yet
            pass
        if owned or run.poll() is not None:
            break
        time.sleep(0.05)
    check(owned, "the run owns the journal and journals into it")
    live = ctsctl("journal", "inspect", "--journal", journal)
    check(live.returncode == 0 and "records" in live.stdout, f"inspect works while the run owns it ({live.stderr.strip()})")
    live_export = ctsctl("journal", "export", "--journal", journal)
    check(live_export.returncode == 0, f"so does export ({live_export.stderr.strip()})")
    before_refusal = len(stored_rows(journal))
    refused = ctsctl("journal", "compact", "--journal", journal, "--retention", "0")
    check(refused.returncode == 1, f"compact while the run owns it exits 1 ({refused.returncode})")
    check(f"is in use by process {run.pid}" in refused.stderr, f"naming the holder: {refused.stderr.strip()}")
    check(len(stored_rows(journal)) >= before_refusal, "and removes nothing")
    check(run.poll() is None, "the run still owned the journal through those checks")
    time.sleep(max(0.0, 4 - (time.monotonic() - started)))
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    check(run.returncode == 0, f"the run exits 0 ({run.returncode}{': ' + err[-300:] if run.returncode else ''})")
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    symbol = "BTC/USDT"
    rows = stored_rows(journal)
    check(len(rows) > 0 and summary["fills"] > 0, f"the run journaled {len(rows)} records, {summary['fills']} fills")

    # 2. export.
    exported = ctsctl("journal", "export", "--journal", journal)
    check(exported.returncode == 0, f"export exits 0 ({exported.stderr.strip()})")
    lines = exported_lines(exported.stdout)
    check([l["seq"] for l in lines] == [r[0] for r in rows], f"one line per row, in seq order ({len(lines)})")
    kinds = {1: ("order_created", CREATED_KEYS), 2: ("order_event", EVENT_KEYS)}
    same = True
    for l, (seq, kind, client, fields) in zip(lines, rows):
        name, keys = kinds[kind]
        same &= l["kind"] == name and set(l) == keys and l["client_order_id"] == client
        if kind == 1:
            same &= Decimal(l["quantity"]) == Decimal(fields["qty"]) and l["price"] == fields.get("px")
            same &= l["side"] == fields["side"] and l["symbol"] == fields["sym"]
        else:
            same &= l["event"] == fields["ev"]
            if fields["ev"] == "fill":
                same &= (l["fill_quantity"], l["fill_price"], l["fee"], l["fee_asset"], l["trade_id"]) == (
                    fields["fqty"], fields["fpx"], fields.get("fee"), fields.get("fasset"), fields["trade"])
            else:
                same &= l["fill_quantity"] is None and l["trade_id"] is None
    check(same, "each line has its kind's documented fields and the row's client id, side, decimals")
    sides = {l["client_order_id"]: l["side"] for l in lines if l["kind"] == "order_created"}
    fills = [l for l in lines if l["kind"] == "order_event" and l["event"] == "fill"]
    signed = sum((Decimal(f["fill_quantity"]) * (1 if sides[f["client_order_id"]] == "buy" else -1) for f in fills),
                 Decimal(0))
    fees = sum((Decimal(f["fee"]) for f in fills if f["fee"] is not None), Decimal(0))
    check(len(fills) == summary["fills"], f"the exported fills are the run's {summary['fills']}")
    check(signed == Decimal(summary["positions"][symbol]), f"they sum to its position {summary['positions'][symbol]}")
    check(fees == Decimal(summary["fees"]["USDT"]), f"and to its fees {summary['fees']['USDT']}")
    output = os.path.join(SCRATCH, f"tool-{os.getpid()}.jsonl")
    to_file = ctsctl("journal", "export", "--journal", journal, "--output", output)
    with open(output, encoding="utf-8") as f:
        check(to_file.returncode == 0 and f.read() == exported.stdout, "--output FILE writes the same lines")
    check(os.stat(output).st_mode & 0o777 == 0o600, "the exported file is private to its owner (0600)")
    # An export that fails leaves the earlier file whole, and no temporary file beside it.
    before = sorted(os.listdir(SCRATCH))
    refused = ctsctl("journal", "export", "--journal", os.path.join(SCRATCH, "no-such.sqlite"), "--output", output)
    with open(output, encoding="utf-8") as f:
        check(refused.returncode != 0 and f.read() == exported.stdout,
              f"a failed export leaves the earlier file as it was (exit {refused.returncode})")
    check(sorted(os.listdir(SCRATCH)) == before, "and nothing beside it")
    nowhere = ctsctl("journal", "export", "--journal", journal, "--output", os.path.join(SCRATCH, "no-dir", "x.jsonl"))
    check(nowhere.returncode == 2 and "--output" in nowhere.stderr and "No such file or directory" in nowhere.stderr,
          f"an --output in a missing directory is refused, exit 2: {nowhere.stderr.strip()}")

    # 3. inspect --json.
    shown = ctsctl("journal", "inspect", "--journal", journal, "--json")
    check(shown.returncode == 0 and shown.stdout.count("\n") == 1, "inspect --json prints one line")
    inspected = json.loads(shown.stdout)
    created = sum(1 for r in rows if r[1] == 1)
    check(inspected["records"] == {"total": len(rows), "order_created": created, "order_event": len(rows) - created,
                                   "fills": summary["fills"], "snapshot": 0, "refused": 0},
          f"records by kind: {inspected['records']}")
    check((inspected["first_seq"], inspected["last_seq"]) == (1, len(rows)), "first and last seq")
    check(inspected["backend"] == "sqlite" and inspected["snapshot"] is None, "backend sqlite, no snapshot")
    position = position_of(inspected, symbol)
    check(position is not None and Decimal(position["quantity"]) == Decimal(summary["positions"][symbol]) and
          Decimal(position["realized_pnl"]) == Decimal(summary["realized_pnl"]),
          f"the position as the summary has it: {position}")
    expected_open = open_orders_of(rows)
    check(len(expected_open) > 0 and open_orders_shown(inspected) == expected_open,
          f"the open orders as the rows leave them: {sorted(expected_open)}")

    # 5 (first, while the journal is known): bad input changes nothing.
    digest = file_digest(journal)
    missing = os.path.join(SCRATCH, "no-such-journal.sqlite")
    for sub in (("inspect", "--journal", missing), ("compact", "--journal", missing),
                ("migrate", "--from", missing, "--to", "postgresql://cts@127.0.0.1:1/db?stream=s")):
        r = ctsctl("journal", *sub)
        check(r.returncode == 2 and f"{missing}: no such file" in r.stderr and not os.path.exists(missing),
              f"{sub[0]} of a missing file exits 2, names it, creates nothing ({r.stderr.strip()})")
    not_journal = os.path.join(SCRATCH, f"tool-{os.getpid()}.txt")
    with open(not_journal, "w", encoding="utf-8") as f:
        f.write("not a journal\n")
    r = ctsctl("journal", "compact", "--journal", not_journal)
    check(r.returncode == 2 and "not a SQLite database" in r.stderr, f"a file that is not a journal: exit 2 ({r.stderr.strip()})")
    r = ctsctl("journal", "compact", "--journal", journal, "--retention", "3 weeks")
    check(r.returncode == 2 and "--retention" in r.stderr, f"a malformed duration: exit 2 ({r.stderr.strip()})")
    r = ctsctl("journal", "inspect", "--journal", "postgresql://cts:s3cret@127.0.0.1:1/db?stream=a b")
    check(r.returncode == 2 and "s3cret" not in r.stderr and "***" in r.stderr,
          f"a malformed URL: exit 2, its password not printed ({r.stderr.strip()})")
    r = ctsctl("journal", "compact", "--journal", journal, "--multiplier", "ETH/USDT:USDT=0.01")
    check(r.returncode == 2 and "does not trade" in r.stderr, f"a multiplier for a symbol not traded: exit 2 ({r.stderr.strip()})")
    check(file_digest(journal) == digest, "the journal is unchanged by all of them")

    # 4. compact.
    compacted = ctsctl("journal", "compact", "--journal", journal, "--retention", "0")
    check(compacted.returncode == 0, f"compact exits 0 ({compacted.stderr.strip()})")
    after = stored_rows(journal)
    check(f"records {len(rows)} -> {len(after)}\n" in compacted.stdout and len(after) < len(rows),
          f"prints the records before and after, as the file holds them: {compacted.stdout.strip()}")
    check("bytes " in compacted.stdout and " -> " in compacted.stdout, "and the bytes")
    again = json.loads(ctsctl("journal", "inspect", "--journal", journal, "--json").stdout)
    check(again["snapshot"] == {"seq": len(rows)} and again["records"]["total"] == len(after),
          f"inspect then shows the snapshot at seq {len(rows)} and {len(after)} records")
    check(position_of(again, symbol) == position, "the same position")
    check(open_orders_shown(again) == expected_open, "the same open orders")
    snapshot = exported_lines(ctsctl("journal", "export", "--journal", journal).stdout)[0]
    check(snapshot["kind"] == "snapshot" and set(snapshot) == SNAPSHOT_KEYS and
          {o["client_order_id"] for o in snapshot["orders"]} == set(expected_open),
          "the exported snapshot keeps the open orders' records")


main()
if failures:
    print(f"journal tool: {len(failures)} check(s) failed")
    sys.exit(1)
print("journal tool: all checks passed")
