#!/usr/bin/env python3
"""The report of the peer benchmark (benchmarks/peers/run): reads cts-bench's Google
Benchmark JSON and ccxt_bench.mjs's JSON, pairs the measurements, and writes

* --out: every measurement (each repetition, its iterations and ns/op, the medians),
  the ratios and goals, the machine (CPU model, cores, load) and the versions (node,
  ccxt, cts git hash, compiler);
* --svg: a chart of the medians (log scale), drawn here with the standard library only;
* --doc: the table between the `<!-- peers:begin -->` and `<!-- peers:end -->` lines of
  docs/benchmarks.md.

Times are wall-clock (Google Benchmark's real_time; process.hrtime on Node), the median
of the repetitions. Exits 1 with a message when an input lacks a measurement.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
from xml.sax.saxutils import escape

# (key, what is measured, cts benchmark, ccxt benchmark, goal: cts at least this many
# times faster, or None, optional). An optional pair is left out when either side is
# absent from the run. The CPU-time ratio is given for the operations that run on one
# client thread only: a round trip's CPU time would leave out the server's.
COMPARISONS = [
    ("sign_binance", "Sign a Binance order (POST /api/v3/order)", "Sign/binance_order", "sign/binance_order", 50, False),
    ("sign_kraken", "Sign a Kraken AddOrder", "Sign/kraken_add_order", "sign/kraken_add_order", 50, False),
    ("parse_depth", "Parse a 1000-level Binance depth reply", "Parse/binance_depth_1000", "parse/binance_depth_1000",
     30, False),
    ("order_rest", "Order round trip, REST, same ctsctl sim", "Engine/sim_order_roundtrip", "order_roundtrip", 3, False),
    ("order_ws", "Order round trip, WebSocket API, same ctsctl sim", "Engine/sim_ws_order_roundtrip",
     "ws_order_roundtrip", None, True),
]

DOC_BEGIN = "<!-- peers:begin -->"
DOC_END = "<!-- peers:end -->"
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def fail(message):
    sys.exit(f"report.py: {message}")


def cts_measurements(document):
    """Per benchmark name: its repetitions (iterations, real and CPU ns/op) and medians."""
    found = {}
    for entry in document.get("benchmarks", []):
        name = re.sub(r"/real_time$", "", entry.get("run_name", entry["name"]))
        item = found.setdefault(name, {"runs": []})
        scale = UNIT_NS[entry.get("time_unit", "ns")]
        if entry.get("error_occurred"):
            fail(f"cts-bench {name}: {entry.get('error_message', 'error')}")
        if entry.get("run_type") == "iteration":
            item["runs"].append({"iterations": entry["iterations"], "ns_per_op": entry["real_time"] * scale,
                                 "cpu_ns_per_op": entry["cpu_time"] * scale})
        elif entry.get("aggregate_name") == "median":
            item["median_ns_per_op"] = entry["real_time"] * scale
            item["median_cpu_ns_per_op"] = entry["cpu_time"] * scale
    for name, item in found.items():
        if "median_ns_per_op" not in item:  # a single repetition has no aggregates
            item["median_ns_per_op"] = statistics.median(run["ns_per_op"] for run in item["runs"])
            item["median_cpu_ns_per_op"] = statistics.median(run["cpu_ns_per_op"] for run in item["runs"])
    return found


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine(cts_context, load_before, load_after):
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cts_bench_load_average": cts_context.get("load_avg"),
        "cpu_scaling_enabled": cts_context.get("cpu_scaling_enabled"),
    }


def compiler():
    """The C++ compiler of the release build, as `--version` names it."""
    try:
        with open("build/release/CMakeCache.txt", encoding="utf-8") as cache:
            for line in cache:
                if line.startswith("CMAKE_CXX_COMPILER:"):
                    return command_output([line.split("=", 1)[1].strip(), "--version"]).splitlines()[0]
    except (OSError, IndexError):
        pass
    return "unknown"


def cts_revision():
    """The commit measured, `+changes` when files other than the report's own differ."""
    head = command_output(["git", "rev-parse", "--short=12", "HEAD"]) or "unknown"
    status = command_output(["git", "status", "--porcelain", "--untracked-files=no"])
    own = ("docs/benchmarks.md", "docs/benchmarks-peers.svg")
    changed = [line for line in status.splitlines() if line[3:] not in own]
    return head + ("+changes" if changed else "")


def format_ns(ns):
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    return f"{ns / 1e6:.3g} ms"


def pairs(cts, ccxt):
    peer = {item["name"]: item for item in ccxt["benchmarks"]}
    result = []
    for key, label, cts_name, ccxt_name, goal, optional in COMPARISONS:
        if optional and (cts_name not in cts or ccxt_name not in peer):
            continue
        if cts_name not in cts:
            fail(f"cts-bench has no {cts_name}")
        if ccxt_name not in peer:
            fail(f"ccxt_bench has no {ccxt_name}")
        cts_ns = cts[cts_name]["median_ns_per_op"]
        ccxt_ns = peer[ccxt_name]["median_ns_per_op"]
        ratio = ccxt_ns / cts_ns
        cpu_ratio = None
        if not key.startswith("order_"):
            cpu_ratio = peer[ccxt_name]["median_cpu_ns_per_op"] / cts[cts_name]["median_cpu_ns_per_op"]
        result.append({
            "key": key, "label": label, "cts_benchmark": cts_name, "ccxt_benchmark": ccxt_name,
            "cts_median_ns_per_op": cts_ns, "ccxt_median_ns_per_op": ccxt_ns, "cts_faster_by": ratio,
            "goal_faster_by": goal, "goal_met": None if goal is None else ratio >= goal,
            "cts_median_cpu_ns_per_op": cts[cts_name]["median_cpu_ns_per_op"],
            "ccxt_median_cpu_ns_per_op": peer[ccxt_name].get("median_cpu_ns_per_op"),
            "cts_faster_by_cpu_time": cpu_ratio,
        })
    return result


def svg_chart(rows, subtitle):
    """Horizontal bars, cts and ccxt per operation, on a log scale of ns/op."""
    values = [v for row in rows for v in (row["cts_median_ns_per_op"], row["ccxt_median_ns_per_op"])]
    low = 10 ** math.floor(math.log10(min(values)))
    high = 10 ** math.ceil(math.log10(max(values)))
    left, right, top, bar, gap = 350, 130, 70, 18, 22  # left: room for the longest label
    width = 1030
    plot = width - left - right
    height = top + len(rows) * (2 * bar + gap) + 50

    def x(value):
        return left + plot * (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="20" y="24" font-size="16" font-weight="bold">cts vs ccxt: time per operation '
           f'(median, log scale, shorter is faster)</text>',
           f'<text x="20" y="44" fill="#555">{escape(subtitle)}</text>']
    decade = low
    while decade <= high * 1.0001:
        gx = x(decade)
        out.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{height - 40}" stroke="#ddd"/>')
        out.append(f'<text x="{gx:.1f}" y="{height - 22}" text-anchor="middle" fill="#555">'
                   f'{escape(format_ns(decade))}</text>')
        decade *= 10
    y = top
    for row in rows:
        goal = "" if row["goal_faster_by"] is None else (
            f' (goal ≥ {row["goal_faster_by"]}×: {"met" if row["goal_met"] else "not met"})')
        out.append(f'<text x="{left - 10}" y="{y + bar - 2}" text-anchor="end">{escape(row["label"])}</text>')
        out.append(f'<text x="{left - 10}" y="{y + 2 * bar + 2}" text-anchor="end" fill="#555">'
                   f'cts {row["cts_faster_by"]:.1f}× faster{escape(goal)}</text>')
        for offset, name, color, value in ((0, "cts", "#1f77b4", row["cts_median_ns_per_op"]),
                                           (bar, "ccxt", "#ff7f0e", row["ccxt_median_ns_per_op"])):
            end = x(value)
            out.append(f'<rect x="{left}" y="{y + offset}" width="{max(end - left, 1):.1f}" height="{bar - 3}" '
                       f'fill="{color}"/>')
            out.append(f'<text x="{end + 5:.1f}" y="{y + offset + bar - 7}">{name} {escape(format_ns(value))}</text>')
        y += 2 * bar + gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def doc_table(report):
    rows = ["| Operation | cts (median) | ccxt (median) | cts faster by | Goal | Met | CPU-time ratio |",
            "|---|---|---|---|---|---|---|"]
    for row in report["comparisons"]:
        goal = "—" if row["goal_faster_by"] is None else f'≥ {row["goal_faster_by"]}×'
        met = "—" if row["goal_met"] is None else ("met" if row["goal_met"] else "**not met**")
        cpu = "—" if row["cts_faster_by_cpu_time"] is None else f'{row["cts_faster_by_cpu_time"]:.1f}×'
        rows.append(f'| {row["label"]} (`{row["cts_benchmark"]}` / `{row["ccxt_benchmark"]}`) | '
                    f'{format_ns(row["cts_median_ns_per_op"])} | {format_ns(row["ccxt_median_ns_per_op"])} | '
                    f'{row["cts_faster_by"]:.1f}× | {goal} | {met} | {cpu} |')
    m, v = report["machine"], report["versions"]
    lines = [DOC_BEGIN, "", f'Measured {report["measured_at"]} by `benchmarks/peers/run` '
             f'({report["repetitions"]} repetitions of at least {report["min_time_s"]} s each, wall-clock medians; '
             'the goals are judged on them. The CPU-time ratio compares cts\'s benchmark thread with the Node.js '
             'process, garbage collector and compiler threads included; it is less sensitive to other load on the '
             'machine).', ""]
    lines += rows
    lines += ["", f'Machine: {m["cpu_model"]}, {m["cores"]} cores, Linux {m["kernel"]}; load average '
              f'{m["load_average_before"]} before and {m["load_average_after"]} after the run.',
              f'Versions: cts {v["cts"]} built by {v["compiler"]} (release preset), ccxt {v["ccxt"]} on Node.js '
              f'{v["node"]}. The simulator answered {report["simulator"]["requests"]} requests '
              f'({report["simulator"]["rate_limited"]} rate-limited).', "", DOC_END]
    return "\n".join(lines)


def update_doc(path, table):
    with open(path, encoding="utf-8") as doc:
        text = doc.read()
    begin, end = text.find(DOC_BEGIN), text.find(DOC_END)
    if begin < 0 or end < begin:
        fail(f"{path} has no {DOC_BEGIN} ... {DOC_END} section to fill")
    with open(path, "w", encoding="utf-8") as doc:
        doc.write(text[:begin] + table + text[end + len(DOC_END):])


def simulator_counts(path):
    """Requests and rate-limited answers from `ctsctl sim`'s closing line."""
    with open(path, encoding="utf-8") as log:
        text = log.read()
    found = re.search(r"after (\d+) requests \((\d+) faults injected, (\d+) rate-limited\)", text)
    if not found:
        fail(f"{path}: no closing line from ctsctl sim: {text.strip()}")
    return {"requests": int(found.group(1)), "faults": int(found.group(2)), "rate_limited": int(found.group(3))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag in ("--cts", "--ccxt", "--sim-log", "--load-before", "--load-after", "--out", "--svg", "--doc"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    with open(args.cts, encoding="utf-8") as f:
        cts_document = json.load(f)
    with open(args.ccxt, encoding="utf-8") as f:
        ccxt = json.load(f)
    cts = cts_measurements(cts_document)
    report = {
        "measured_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "repetitions": ccxt["repetitions"],
        "min_time_s": ccxt["min_time_s"],
        "time": "wall clock per operation: Google Benchmark real_time (cts), process.hrtime (ccxt)",
        "machine": machine(cts_document.get("context", {}), args.load_before, args.load_after),
        "versions": {"cts": cts_revision(), "compiler": compiler(), "node": ccxt["node_version"],
                     "ccxt": ccxt["ccxt_version"]},
        "simulator": simulator_counts(args.sim_log),
        "comparisons": pairs(cts, ccxt),
        "cts": cts,
        "ccxt": ccxt,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
        f.write("\n")
    m, v = report["machine"], report["versions"]
    subtitle = (f'{m["cpu_model"]}, {m["cores"]} cores, load {m["load_average_before"]}; '
                f'cts {v["cts"]}, ccxt {v["ccxt"]}, Node.js {v["node"]}; {report["measured_at"]}')
    with open(args.svg, "w", encoding="utf-8") as f:
        f.write(svg_chart(report["comparisons"], subtitle))
    update_doc(args.doc, doc_table(report))
    for row in report["comparisons"]:
        goal = "" if row["goal_faster_by"] is None else (
            f' goal >= {row["goal_faster_by"]}x {"met" if row["goal_met"] else "NOT MET"}')
        print(f'{row["label"]:48} cts {format_ns(row["cts_median_ns_per_op"]):>9}  '
              f'ccxt {format_ns(row["ccxt_median_ns_per_op"]):>9}  {row["cts_faster_by"]:7.1f}x{goal}')
    print(f"report.py: wrote {args.out}, {args.svg} and the table in {args.doc}")


if __name__ == "__main__":
    main()
