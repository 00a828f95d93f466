#!/usr/bin/env python3
"""`ctsctl run` and `ctsctl journal migrate` on a PostgreSQL journal, on the server the
ctest fixture "postgres" starts (tests/support/postgres-server).

1. `ctsctl run --journal postgresql://...?stream=S` against the embedded simulator places
   orders and journals them in PostgreSQL: the rows (read here with psql) are the
   stream's records 1..N without a gap, creations among them; the output names the
   journal, and a restart replays the N records. The restart, with
   `journal.max_size = 1k`, fails its journal:size check with the stream's size: the
   bytes of its records' stored values (as the server sums them, between the sums
   before and after the restart).
   Two symbols in a config (`symbols = BTCUSDT,ETHUSDT`, `journal = ...?stream=M`)
   open the streams M.BTCUSDT and M.ETHUSDT.
2. While one run owns the stream, a second is refused (exit 1) naming the holder's pid.
3. A URL with a password never shows it (a database that does not exist: the error
   names the URL with `***`).
4. `ctsctl journal migrate` copies a SQLite journal written by `ctsctl run` into a
   stream: every row (seq, kind, client id, body, checksum) equal to SQLite's; a second
   migrate into the same stream is refused; a run on the stream replays them all.
5. `ctsctl journal` on a stream: inspect and export show the migrated stream as they
   show its SQLite source (tests/ctsctl/journal_tool.py checks those against a run);
   while a run owns a stream inspect works and compact exits 1 naming the holder;
   compact folds the stream (fewer rows, the same position); a stream that does not
   exist exits 2 and is not created; a password is never printed.

Without the server (run by hand), it says so loudly and exits 77 (ctest: skipped);
with CTS_TEST_REQUIRE_SERVERS=1 (scripts/test) that is a failure.

usage: journal_postgres.py <path to ctsctl> <scratch directory>
"""
import json
import os
import re
import sqlite3
import subprocess
import sys

from test_servers import postgres_url, psql_rows

CTSCTL, SCRATCH = sys.argv[1], sys.argv[2]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


URL = postgres_url("ctsctl/journal_postgres")
STREAM_PREFIX = f"ctsctl-{os.getpid()}-"


def rows(sql, *params):
    """The rows of `sql` on the fixture's database as lists of text (test_servers.psql_rows)."""
    return psql_rows(URL, sql, *params)


STREAM_ROWS = ("SELECT r.seq, r.kind, r.client_id, r.body, r.checksum FROM cts_journal_record r "
               "JOIN cts_journal_stream s ON s.id = r.stream_id WHERE s.name = :'v1' ORDER BY r.seq")


def run(journal, seconds, *extra):
    return subprocess.run([CTSCTL, "run", "--duration", str(seconds), "--journal", journal, *extra],
                          capture_output=True, text=True, timeout=120)


def stream_count(stream):
    """The number of rows of `stream` (a snapshot's body spans several lines of psql's output)."""
    return int(rows("SELECT count(*) FROM cts_journal_record r JOIN cts_journal_stream s ON s.id = r.stream_id "
                    "WHERE s.name = :'v1'", stream)[0][0])


def journal_tool(*args):
    return subprocess.run([CTSCTL, "journal", *args], capture_output=True, text=True, timeout=120)


def journaled_and_replayed():
    stream = STREAM_PREFIX + "run"
    journal = f"{URL}?stream={stream}"
    first = run(journal, 4)
    check(first.returncode == 0, f"ctsctl run on {journal} exits 0 ({first.returncode}: {first.stderr[-300:]})")
    check(f"(journal {journal}, 0 records replayed)" in first.stdout, "the first run names the journal, replays nothing")
    monitor = [line for line in first.stdout.splitlines() if line.startswith("monitor:")]
    check(len(monitor) == 1 and "postgresql" not in monitor[0] and monitor[0].endswith("/monitor.db"),
          f"the monitor history is a temporary file, not a name made of the URL: {monitor}")
    stored = rows(STREAM_ROWS, stream)
    check(len(stored) > 0, f"the run journaled {len(stored)} records in PostgreSQL")
    check([int(r[0]) for r in stored] == list(range(1, len(stored) + 1)), "their seqs are 1..N without a gap")
    check(any(r[1] == "1" for r in stored) and any(r[1] == "2" for r in stored), "creations and events among them")
    # The restart watches the stream's size against a limit it is past already.
    os.makedirs(SCRATCH, exist_ok=True)
    config, summary = (os.path.join(SCRATCH, f"restart-{os.getpid()}.{ext}") for ext in ("conf", "json"))
    with open(config, "w", encoding="utf-8") as f:
        f.write("journal.max_size = 1k\n")
    size_before = stream_size(stream)
    second = run(journal, 2, "--config", config, "--summary", summary)
    check(second.returncode == 0, "the restart exits 0")
    check(f"{len(stored)} records replayed)" in second.stdout, f"the restart replays the {len(stored)} records")
    check(len(rows(STREAM_ROWS, stream)) > len(stored), "and journals more after them")
    size_after = stream_size(stream)
    with open(summary, encoding="utf-8") as f:
        reasons = json.load(f).get("health_reasons", [])
    reported = [int(m.group(1)) for m in (re.search(r"journal:size: the journal takes (\d+) bytes of journal.max_size 1024 ",
                                                    r) for r in reasons) if m]
    check(len(reported) == 1 and size_before <= reported[0] <= size_after,
          f"journal:size fails at journal.max_size 1k, with the stream's size ({reported}, between {size_before} and "
          f"{size_after}, the stored values' bytes as the server sums them): {reasons}")


def stream_size(stream):
    """The bytes of the stream's records as stored values, summed by the server: the text
    of their client ids and bodies and 22 bytes of fixed-width columns each (docs/order.md)."""
    return int(rows("SELECT coalesce(sum(octet_length(r.client_id) + octet_length(r.body) + 22), 0) "
                    "FROM cts_journal_record r JOIN cts_journal_stream s ON s.id = r.stream_id WHERE s.name = :'v1'",
                    stream)[0][0])


def two_symbols():
    stream = STREAM_PREFIX + "pair"
    os.makedirs(SCRATCH, exist_ok=True)
    config = os.path.join(SCRATCH, f"pair-{os.getpid()}.conf")
    with open(config, "w", encoding="utf-8") as f:
        f.write(f"symbols = BTCUSDT,ETHUSDT\njournal = {URL}?stream={stream}\n")
    both = subprocess.run([CTSCTL, "run", "--duration", "4", "--config", config], capture_output=True, text=True,
                          timeout=120)
    check(both.returncode == 0, f"a run of two symbols exits 0 ({both.stderr[-300:]})")
    for symbol in ("BTCUSDT", "ETHUSDT"):
        check(f"(journal {URL}?stream={stream}.{symbol}, 0 records replayed)" in both.stdout,
              f"the {symbol} session journals into the stream {stream}.{symbol}")
        check(rows("SELECT count(*) FROM cts_journal_stream WHERE name = :'v1'", f"{stream}.{symbol}") == [["1"]],
              "a stream of the database")
    # The market maker quotes BTCUSDT at once (ETHUSDT's book may give it nothing to do
    # in a few seconds).
    check(len(rows(STREAM_ROWS, f"{stream}.BTCUSDT")) > 0, "the BTCUSDT stream holds records")


def one_owner():
    stream = STREAM_PREFIX + "owned"
    journal = f"{URL}?stream={stream}"
    owner = subprocess.Popen([CTSCTL, "run", "--duration", "60", "--journal", journal], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        # The stream is owned once the owner printed its "trading" line.
        line = ""
        while "trading" not in line:
            line = owner.stdout.readline()
            if not line:
                break
        check("trading" in line, "the first run owns the stream")
        refused = run(journal, 2)
        check(refused.returncode == 1, f"a second run on the stream exits 1 ({refused.returncode})")
        check(f"is in use by cts pid {owner.pid} on " in refused.stderr,
              f"naming the holder's pid {owner.pid}: {refused.stderr.strip()[:300]}")
        shown = journal_tool("inspect", "--journal", journal, "--json")
        check(shown.returncode == 0 and json.loads(shown.stdout)["stream"] == stream,
              f"journal inspect reads the stream while the run owns it ({shown.stderr.strip()[:300]})")
        held = stream_count(stream)
        compact = journal_tool("compact", "--journal", journal, "--retention", "0")
        check(compact.returncode == 1 and f"is in use by cts pid {owner.pid} on " in compact.stderr,
              f"journal compact exits 1 naming the holder ({compact.returncode}: {compact.stderr.strip()[:300]})")
        check(stream_count(stream) >= held, "and removes nothing")
    finally:
        owner.terminate()
        owner.communicate(timeout=60)


def password_redacted():
    host = URL.split("@", 1)[1].split("/", 1)[0]
    journal = f"postgresql://cts:s3cret-word@{host}/no_such_database?stream=x"
    refused = run(journal, 2)
    check(refused.returncode == 1, "a database that does not exist: exit 1")
    check("s3cret-word" not in refused.stdout + refused.stderr, "the password is not printed")
    check(f"postgresql://cts:***@{host}/no_such_database" in refused.stderr, "the URL is, redacted")
    for sub in ("inspect", "export", "compact"):
        r = journal_tool(sub, "--journal", journal)
        check(r.returncode == 1 and "s3cret-word" not in r.stdout + r.stderr and "cts:***@" in r.stderr,
              f"journal {sub} on it exits 1 without printing the password ({r.returncode})")


def migrate():
    os.makedirs(SCRATCH, exist_ok=True)
    path = os.path.join(SCRATCH, f"migrate-{os.getpid()}.sqlite")
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    written = run(path, 3)
    check(written.returncode == 0, "a run journals into SQLite")
    with sqlite3.connect(path) as db:
        source = [[str(v) for v in row] for row in
                  db.execute("SELECT seq, kind, client_id, body, checksum FROM journal ORDER BY seq")]
    check(len(source) > 0, f"the SQLite journal holds {len(source)} records")
    stream = STREAM_PREFIX + "migrated"
    target = f"{URL}?stream={stream}"
    moved = subprocess.run([CTSCTL, "journal", "migrate", "--from", path, "--to", target], capture_output=True,
                           text=True, timeout=120)
    check(moved.returncode == 0, f"journal migrate exits 0 ({moved.stderr.strip()})")
    check(f"migrated {len(source)} records (seq 1 to {len(source)})" in moved.stdout, "and says how many")
    check(rows(STREAM_ROWS, stream) == source, "every row equals SQLite's: seq, kind, client id, body, checksum")
    again = subprocess.run([CTSCTL, "journal", "migrate", "--from", path, "--to", target], capture_output=True,
                           text=True, timeout=120)
    check(again.returncode == 1 and "not empty" in again.stderr, "a second migrate into the stream is refused")
    check(len(rows(STREAM_ROWS, stream)) == len(source), "and adds nothing")
    inspected = {}
    for name, location in (("sqlite", path), ("postgresql", target)):
        shown = journal_tool("inspect", "--journal", location, "--json")
        check(shown.returncode == 0, f"journal inspect of the {name} journal exits 0 ({shown.stderr.strip()[:300]})")
        inspected[name] = json.loads(shown.stdout) if shown.returncode == 0 else {}
    check(inspected["postgresql"].get("stream") == stream and inspected["postgresql"].get("size_bytes", 0) > 0,
          "the stream's inspection names it and its size")
    same_keys = ("records", "first_seq", "last_seq", "first_time", "last_time", "open_orders", "positions")
    check(all(inspected["sqlite"].get(k) == inspected["postgresql"].get(k) for k in same_keys),
          "and shows what the SQLite source shows: records, seqs, times, open orders, positions")
    exports = [journal_tool("export", "--journal", location).stdout for location in (path, target)]
    check(exports[0] == exports[1] and exports[0].count("\n") == len(source),
          "journal export writes the same lines from both")
    replayed = run(target, 2)
    check(f"{len(source)} records replayed)" in replayed.stdout, "a run on the stream replays the migrated records")
    before = json.loads(journal_tool("inspect", "--journal", target, "--json").stdout)
    held = stream_count(stream)
    compacted = journal_tool("compact", "--journal", target, "--retention", "0")
    after = stream_count(stream)
    check(compacted.returncode == 0 and f"records {held} -> {after}\n" in compacted.stdout and after < held,
          f"journal compact folds the stream ({compacted.returncode}, {held} -> {after} rows): {compacted.stdout.strip()} {compacted.stderr.strip()[:300]}")
    folded = json.loads(journal_tool("inspect", "--journal", target, "--json").stdout)
    check(folded["positions"] == before["positions"] and folded["open_orders"] == before["open_orders"],
          "the same positions and open orders after it")
    check(folded["snapshot"] == {"seq": before["last_seq"]}, "from a snapshot at the last seq")
    missing = f"{URL}?stream={STREAM_PREFIX}absent"
    for sub in ("inspect", "compact"):
        r = journal_tool(sub, "--journal", missing)
        check(r.returncode == 2 and "no such stream" in r.stderr, f"journal {sub} of a missing stream exits 2 ({r.stderr.strip()[:300]})")
    check(rows("SELECT count(*) FROM cts_journal_stream WHERE name = :'v1'", STREAM_PREFIX + "absent") == [["0"]],
          "and does not create it")


journaled_and_replayed()
two_symbols()
one_owner()
password_redacted()
migrate()
if failures:
    print(f"journal postgres: {len(failures)} check(s) failed")
    sys.exit(1)
print("journal postgres: all checks passed")
