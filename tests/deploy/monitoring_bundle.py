#!/usr/bin/env python3
"""The monitoring bundle in deploy/ checked with Debian's promtool against a live engine.

Usage: monitoring_bundle.py <ctsctl> <deploy dir>

* `promtool check config` on deploy/prometheus/prometheus.yml (with a token file next
  to it, as deploy/README.md says), which also checks the rule file it names;
* `promtool check rules` and `promtool test rules` (cts-rules.test.yml: each alert fires
  on series that show its failure and clears when they recover);
* each rule has `for:`, a severity label, a summary and a description;
* `ctsctl run` against its embedded simulator: /metrics scraped with the control token
  after the first order round trips, piped to `promtool check metrics` (no problem may
  be reported), and every cts_* / process_* name that the rules, their tests and the
  Grafana dashboard (deploy/grafana/cts-dashboard.json, which must parse, with a uid,
  a datasource variable and panels) use must be a family the engine exposes.

promtool comes with Debian's `prometheus` package (scripts/install-deps installs it);
without it the test is skipped (exit 77, ctest's SKIP_RETURN_CODE), saying so.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TOKEN = "monitoring-bundle-test-token-3e9b5d20"
NAME = re.compile(r"\b(?:cts|process)_[a-zA-Z0-9_]+")
failures = []


def check(condition, what):
    print(("PASS " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def promtool(promtool_path, *args, stdin=None, cwd=None):
    run = subprocess.run([promtool_path, *args], input=stdin, cwd=cwd, capture_output=True, timeout=60)
    return run.returncode, (run.stdout + run.stderr).decode("utf-8", "replace")


def exposed_names(text):
    """Every name a PromQL expression may use for the families of an exposition."""
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()[:4]
            names.add(name)
            if kind == "histogram":
                names.update({name + "_bucket", name + "_sum", name + "_count"})
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def rule_blocks(rules_text):
    """The text of each `- alert:` rule."""
    return re.split(r"\n\s*- alert: ", rules_text)[1:]


def start_engine(ctsctl, scratch):
    env = dict(os.environ, CTS_CONTROL_TOKEN=TOKEN)
    engine = subprocess.Popen([ctsctl, "run", "--duration", "60", "--metrics-port", "0"], env=env, cwd=scratch,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = None
    while base is None:
        line = engine.stdout.readline().decode("utf-8", "replace")
        if not line:
            break
        match = re.match(r"metrics and health at (http://127\.0\.0\.1:\d+)/metrics", line)
        if match:
            base = match.group(1)
    # The status lines go on every second: read them, so that the pipe never fills.
    threading.Thread(target=lambda: engine.stdout.read(), daemon=True).start()
    return engine, base


def scrape(base):
    request = urllib.request.Request(base + "/metrics", headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read().decode("utf-8")


def main():
    ctsctl, deploy = sys.argv[1], sys.argv[2]
    promtool_path = shutil.which("promtool")
    if promtool_path is None:
        print("SKIP: promtool not found: install Debian's prometheus package (scripts/install-deps does)")
        return 77
    prometheus_dir = os.path.join(deploy, "prometheus")
    rules_path = os.path.join(prometheus_dir, "cts-rules.yml")
    rules_test_path = os.path.join(prometheus_dir, "cts-rules.test.yml")
    dashboard_path = os.path.join(deploy, "grafana", "cts-dashboard.json")
    scratch = tempfile.mkdtemp(prefix="cts-monitoring-bundle-")
    engine = None
    try:
        config_dir = os.path.join(scratch, "prometheus")
        shutil.copytree(prometheus_dir, config_dir)
        with open(os.path.join(config_dir, "cts-control-token"), "w") as token_file:
            token_file.write(TOKEN + "\n")
        code, out = promtool(promtool_path, "check", "config", "prometheus.yml", cwd=config_dir)
        check(code == 0 and "1 rule files found" in out, "promtool check config: the scrape config and its rule file\n" + out)
        code, out = promtool(promtool_path, "check", "rules", rules_path)
        check(code == 0, "promtool check rules\n" + out)
        code, out = promtool(promtool_path, "test", "rules", os.path.basename(rules_test_path), cwd=prometheus_dir)
        check(code == 0 and "SUCCESS" in out, "promtool test rules: every alert fires and clears\n" + out)

        with open(rules_path) as f:
            rules_text = f.read()
        blocks = rule_blocks(rules_text)
        check(len(blocks) >= 6, f"the rules cover the engine's failure modes ({len(blocks)} alerts)")
        for block in blocks:
            name = block.split()[0]
            check(all(key in block for key in ("expr:", "for:", "severity:", "summary:", "description:")),
                  f"{name} has expr, for, a severity label, a summary and a description")
        with open(rules_test_path) as f:
            tested = set(re.findall(r"alertname: (\w+)", f.read()))
        check(tested == {block.split()[0] for block in blocks}, f"every alert has a unit test ({sorted(tested)})")

        with open(dashboard_path) as f:
            dashboard = json.load(f)
        variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
        check(bool(dashboard.get("uid")) and dashboard.get("schemaVersion", 0) >= 36,
              f"the dashboard parses, with a uid and schemaVersion {dashboard.get('schemaVersion')}")
        check(variables.get("datasource", {}).get("type") == "datasource", "the dashboard has a datasource variable")
        targets = [t["expr"] for p in dashboard.get("panels", []) for t in p.get("targets", [])]
        check(len(targets) >= 15, f"the dashboard has panels with queries ({len(targets)})")
        queries = targets + [v.get("definition", "") for v in variables.values()]

        engine, base = start_engine(ctsctl, scratch)
        check(base is not None, f"ctsctl run announces its metrics port ({base})")
        if base is None:
            return 1
        text = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = scrape(base)
            if re.search(r"^cts_engine_order_rtt_seconds_count\{.*\} [1-9]", text, re.M):
                break
            time.sleep(0.5)
        check(re.search(r"^cts_engine_order_rtt_seconds_count\{.*\} [1-9]", text, re.M) is not None,
              "the engine traded: order round trips in the histogram")
        code, out = promtool(promtool_path, "check", "metrics", stdin=text.encode("utf-8"))
        check(code == 0 and out.strip() == "", "promtool check metrics reports no problem on a live scrape\n" + out)

        exposed = exposed_names(text)
        used = {
            "cts-rules.yml": set(NAME.findall("\n".join(l for l in rules_text.splitlines() if "expr" in l or l.startswith("          ")))),
            "cts-rules.test.yml": set(NAME.findall(open(rules_test_path).read())),
            "cts-dashboard.json": set(NAME.findall("\n".join(queries))),
        }
        for source, names in used.items():
            missing = sorted(names - exposed)
            check(names and not missing, f"{source}: its {len(names)} metric names are exposed" +
                  (f"; not exposed: {missing}" if missing else ""))
    finally:
        if engine is not None:
            engine.terminate()
            try:
                engine.wait(timeout=30)
            except subprocess.TimeoutExpired:
                engine.kill()
        shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print(f"monitoring bundle: {len(failures)} check(s) failed")
        return 1
    print("monitoring bundle: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
