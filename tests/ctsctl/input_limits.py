#!/usr/bin/env python3
"""ctsctl refuses bad input fast, with a clear typed message and a non-zero exit.

Each case runs ctsctl as a user would and checks the exit status and the message: file
inputs that are devices, FIFOs, directories or too large; numbers out of range;
control characters in values that end up in requests; and `notify --deadline` against
an endpoint that accepts connections and never answers. No raw C++ exception text may
reach the user. A case that hangs is killed after a generous timeout and fails.

usage: input_limits.py <path to ctsctl>
"""
import os
import socket
from concurrent.futures import ThreadPoolExecutor
import subprocess
import sys
import tempfile
import time

CTSCTL = sys.argv[1]
HANG_LIMIT = 60  # seconds before a case counts as hanging (reading /dev/zero never ends)
RAW_EXCEPTION_MARKERS = ("what()", "terminate called", "basic_ios", "basic_filebuf", "std::", "Aborted")
PARALLEL = 4  # cases run at once: each mostly waits for ctsctl to start
failures = []


def run(args, expect_code, expect_in, stream="stderr", absent=()):
    """Runs ctsctl with args; checks the exit code and that the message contains expect_in."""
    label = " ".join(args)
    start = time.monotonic()
    try:
        done = subprocess.run([CTSCTL] + args, capture_output=True, text=True, timeout=HANG_LIMIT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        failures.append(f"{label}: still running after {HANG_LIMIT} s")
        return None
    elapsed = time.monotonic() - start
    text = done.stderr if stream == "stderr" else done.stdout
    if done.returncode != expect_code:
        failures.append(f"{label}: exit {done.returncode}, expected {expect_code}; stderr: {done.stderr.strip()}")
    if expect_in not in text:
        failures.append(f"{label}: expected {expect_in!r} in {stream}, got {text.strip()!r}")
    for marker in RAW_EXCEPTION_MARKERS + tuple(absent):
        if marker in done.stdout or marker in done.stderr:
            failures.append(f"{label}: output contains {marker!r}: {done.stdout.strip()} {done.stderr.strip()}")
    return elapsed


with tempfile.TemporaryDirectory(prefix="cts-input-limits-") as scratch:
    fifo = os.path.join(scratch, "fifo")
    os.mkfifo(fifo)  # no writer: a blocking open would hang
    big = os.path.join(scratch, "big.conf")
    with open(big, "w") as f:
        f.write("# padding\n" * (2 * 1024 * 1024 // 10 + 1))  # just over 2 MiB of comments
    big_scenario = os.path.join(scratch, "big.scn")
    with open(big_scenario, "w") as f:
        f.write("# padding\n" * (5 * 1024 * 1024 // 10))  # 5 MiB, over the 4 MiB limit

    cases = []

    def case(*arguments):
        """Queues one run(...) call; the queue runs PARALLEL at a time below."""
        cases.append(arguments)

    # File inputs: config, scenario, secret file.
    case(["run", "--config", "/dev/zero"], 1, "not a regular file (a character device)")
    case(["run", "--config", scratch], 1, "not a regular file (a directory)")
    case(["run", "--config", fifo], 1, "not a regular file (a FIFO)")
    case(["run", "--config", big], 1, "larger than the limit of 1048576 bytes")
    case(["run", "--config", os.path.join(scratch, "missing.conf")], 1, "No such file or directory")
    case(["scenario", "/dev/zero"], 1, "FAIL /dev/zero:0: a readable scenario file / invalid_argument", "stdout", ("PASS",))
    case(["scenario", scratch], 1, f"FAIL {scratch}:0: a readable scenario file / invalid_argument", "stdout", ("PASS",))
    case(["scenario", fifo], 1, "not a regular file (a FIFO)", "stdout", ("PASS",))
    case(["scenario", big_scenario], 1, "larger than the limit", "stdout", ("PASS",))
    case(["sign", "binance", "--secret-file", "/dev/zero"], 2, "not a regular file (a character device)")
    case(["sign", "binance", "--secret-file", scratch], 2, "not a regular file (a directory)")

    # Numbers out of range.
    case(["run", "--duration", "9223372036"], 1, "--duration: expected a number of seconds")
    for bad in ("-1", "inf", "nan", "1e3", ""):
        case(["run", "--duration", bad], 1, "--duration: expected a number of seconds")
    case(["sign", "binance", "--secret", "s", "--timestamp", "-1"], 2, "--timestamp \"-1\"")
    case(["sign", "binance", "--secret", "s", "--timestamp", "99999999999999999999"], 2, "--timestamp")
    case(["sign", "binance", "--secret", "s", "--timestamp", "2262-04-12T00:00:00Z"], 2, "from 1970 to 2099")
    case(["sign", "binance", "--secret", "s", "--recv-window", "-5"], 2, "--recv-window: expected a whole number from 1 to 60000")
    case(["sign", "binance", "--secret", "s", "--recv-window", "60001"], 2, "--recv-window")
    case(["sign", "binance", "--ws", "--secret", "s", "--recv-window", "0"], 2, "--recv-window")
    case(["sign", "kraken", "--secret", "a2V5", "--nonce", "-3"], 2, "--nonce: expected a whole number")
    case(["notify", "--channel", "log", "--alertname", "x", "--deadline", "inf"], 2, "--deadline: expected")
    case(["notify", "--channel", "log", "--alertname", "x", "--deadline", "-5"], 2, "--deadline: expected")
    case(["sim", "--seed", "1e30"], 2, "--seed")
    for bad in ("9", "60001", "-50", "1.5"):
        case(["sim", "--flow-ms", bad], 2, "--flow-ms: expected a whole number from 10 to 60000")

    # Control characters in values that end up in requests.
    case(["sign", "binance", "--secret", "s", "--path", "/api/v3/order\r\nX-Injected: 1"], 2,
        "--path contains a control character (0x0d); refused")
    case(["sign", "binance", "--secret", "s", "--query", "a=1\nb=2"], 2, "--query contains a control character (0x0a)")
    case(["sign", "binance", "--secret", "s", "--host", "h\x01"], 2, "--host contains a control character (0x01)")

    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(lambda arguments: run(*arguments), cases))

    # A notification endpoint that accepts connections and never answers: the whole
    # command ends within its --deadline (bound: 4 times it, for slow machines).
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    elapsed = run(["notify", "--channel", "webhook", "--url", f"http://127.0.0.1:{port}/hook", "--alertname", "t",
                   "--deadline", "2"], 1, "not delivered")
    if elapsed is not None and elapsed > 8:
        failures.append(f"notify --deadline 2 against a silent endpoint took {elapsed:.1f} s")
    silent.close()

if failures:
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1)
print("input limits: all checks passed")
