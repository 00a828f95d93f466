"""What the ctsctl tests that need the ctest fixtures' servers share: the URL of the
PostgreSQL server of the fixture "postgres" (the file $CTS_TEST_POSTGRES_URL_FILE names),
the URL of the Redis server of the fixture cts_redis ($CTS_TEST_REDIS_DIR/url), and rows
read from PostgreSQL with psql (not with cts's own code). Run by hand without a server,
a test says so loudly and exits 77 (ctest: skipped); with CTS_TEST_REQUIRE_SERVERS=1
(scripts/test) a missing server is a failure (exit 1)."""
import glob
import os
import shutil
import subprocess
import sys


def _missing(test, why):
    if os.environ.get("CTS_TEST_REQUIRE_SERVERS") == "1":
        print(f"FAIL {test}: {why}")
        sys.exit(1)
    print(f"\n*** {test} SKIPPED: {why}: run it through ctest or scripts/test, whose fixtures start the "
          "servers ***\n")
    sys.exit(77)


def _read_url(path):
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return ""


def postgres_url(test):
    """The fixture's PostgreSQL URL (postgresql://cts@127.0.0.1:PORT/cts_test), or exit as above."""
    path = os.environ.get("CTS_TEST_POSTGRES_URL_FILE", "")
    url = _read_url(path)
    if not url:
        _missing(test, f"no PostgreSQL server (CTS_TEST_POSTGRES_URL_FILE={path!r})")
    return url


def redis_url(test):
    """The fixture's Redis URL (redis://127.0.0.1:PORT), or exit as above."""
    directory = os.environ.get("CTS_TEST_REDIS_DIR", "")
    url = _read_url(os.path.join(directory, "url")) if directory else ""
    if not url:
        _missing(test, f"no Redis server (CTS_TEST_REDIS_DIR={directory!r})")
    return url


def psql_path():
    """The newest installed psql (Debian keeps it under /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))
    return found[-1] if found else shutil.which("psql")


def psql_rows(url, sql, *params):
    """The rows of `sql` on the database at `url`, as lists of text; `params` are the psql
    variables :'v1', :'v2', ... (quoted by psql)."""
    args = [psql_path(), url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    for i, value in enumerate(params, start=1):
        args += ["-v", f"v{i}={value}"]
    out = subprocess.run(args, input=sql, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]
