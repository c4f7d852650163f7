"""scripts/bench.sh api: latency p50/p99 of GET /api/v1/customers/{id}/timeline?limit=50 on
omnihub-api (wrk, 32 connections, a read token made with --rate 1000000) over a hub holding
--events events (default 1,000,000, or $OMNIHUB_BENCH_API_EVENTS) for --events/10 customers
plus three customers with 10, 1,000 and 100,000 events; in the same run the same page from
PostgreSQL 15 holding the same rows in events(customer_id, occurred_at, event_id, channel,
direction, kind, body jsonb) with an index (customer_id, occurred_at desc, event_id), measured
two ways: over HTTP through a minimal front (pg_timeline_front.py, the anchor the ratios use)
and with pgbench -M prepared (the database alone, no HTTP). Then the live-update fan-out
(sse_fanout_bench.py) with --sse-clients streams.

The events reach the hub the way production events do: one ingest JSON Lines file through
`omnihubctl inject` (durable outbox, ingest bus, the unifier's apply code), and the timing
starts only once the search index has caught up, so the indexer does not share the CPU with
the measured requests. docs/benchmarks.md has the method and the figures."""

import argparse
import csv
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
from api_client import quote  # noqa: E402
from pg_cluster import TempCluster  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "wrk_timeline.lua")
T0 = 1_700_000_000_000_000
ACCOUNT = "+12025550000"
# The customers with a history of a given length, beside the population of 10 events each.
HISTORIES = {10: "+16465550110", 1000: "+16465550111", 100000: "+16465550112"}
PAGE = 50


def population_number(c):
    return f"+1212{2000000 + c:07d}"


def pg_customer_id(c):
    """The PostgreSQL table's customer id of customer index c: as long as omnihub's (a UUID)."""
    return f"00000000-0000-7000-8000-{c:012d}"


class Dataset:
    """Customers 0..customers-1 (the population, `per` events each) then one customer per entry
    of HISTORIES; their events in ingest order, numbered i (occurred_at = T0 + i ms)."""

    def __init__(self, events, customers):
        self.customers = customers
        self.per = max(1, events // customers)
        self.histories = [(customers + k, number, n) for k, (n, number) in enumerate(sorted(HISTORIES.items()))]
        self.total = self.per * customers + sum(n for _, _, n in self.histories)

    def events(self):
        """(customer index, phone number, event number within the customer, i)."""
        i = 0
        for j in range(self.per):  # rounds, so every customer's events spread over the run
            for c in range(self.customers):
                yield c, population_number(c), j, i
                i += 1
        for c, number, n in self.histories:
            for j in range(n):
                yield c, number, j, i
                i += 1

    def write(self, ingest_path, csv_path):
        with open(ingest_path, "w") as ingest, open(csv_path, "w", newline="") as table:
            rows = csv.writer(table)
            for c, number, j, i in self.events():
                direction = "outbound" if j % 3 == 2 else "inbound"
                at = hub.rfc3339(T0 + i * 1000)
                line = hub.sms(number, f"bench-{i}", at, text=f"Order {i}: where is my parcel? (message {j})",
                               account=ACCOUNT, direction=direction)
                ingest.write(json.dumps(line) + "\n")
                body = {k: v for k, v in line.items() if k not in ("channel", "direction", "occurred_at")}
                rows.writerow([pg_customer_id(c), at, f"00000000-0000-7000-9000-{i:012d}", "sms", direction,
                               "message", json.dumps(body)])


def wrk(url, paths_file, authorization, args):
    out = subprocess.run(["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
                          "--timeout", "10s", "--latency", "-s", LUA, url, "--", paths_file, authorization],
                         check=True, capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    if figures["non_2xx"] or figures["socket_errors"]:
        raise SystemExit(f"{url} ({'omnihub-api' if authorization else 'the PostgreSQL front'}): "
                         f"{figures['non_2xx']} non-2xx answers, {figures['socket_errors']} socket errors")
    return summarize(figures["requests"], figures["duration_us"] / 1e6, figures["p50_us"], figures["p99_us"])


def summarize(requests, seconds, p50_us, p99_us):
    return {"requests_per_s": requests / seconds, "p50_ms": p50_us / 1000, "p99_ms": p99_us / 1000,
            "requests": requests}


def pgbench(cluster, script, name, args, workdir):
    """pgbench's figures for `script` with the same clients and duration as wrk; the
    percentiles come from its per-transaction log (-l), latency in microseconds."""
    logs = os.path.join(workdir, f"pgbench-{name}")
    os.makedirs(logs, exist_ok=True)
    script_path = os.path.join(logs, "page.sql")
    with open(script_path, "w") as f:
        f.write(script)
    cluster.pgbench("-n", "-M", "prepared", "-c", str(args.connections), "-j", str(args.threads), "-T",
                    str(args.seconds), "-f", script_path, "-l", "--log-prefix", os.path.join(logs, "log"), cwd=logs)
    latencies = []
    for path in glob.glob(os.path.join(logs, "log.*")):
        with open(path) as f:
            latencies.extend(int(line.split()[2]) for line in f)
    shutil.rmtree(logs)
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return summarize(len(latencies), args.seconds, pct(0.50), pct(0.99))


def pg_page_sql(customer_expr):
    return ("SELECT event_id, occurred_at, channel, direction, kind, body FROM events "
            f"WHERE customer_id = {customer_expr} ORDER BY occurred_at DESC, event_id LIMIT {PAGE + 1};\n")


def load_postgres(cluster, csv_path):
    import psycopg2
    timings = {}
    with psycopg2.connect(cluster.dsn()) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE events (customer_id text NOT NULL, occurred_at timestamptz NOT NULL, "
                    "event_id text NOT NULL, channel text NOT NULL, direction text NOT NULL, kind text NOT NULL, "
                    "body jsonb NOT NULL)")
        started = time.monotonic()
        with open(csv_path) as f:
            cur.copy_expert("COPY events FROM STDIN WITH (FORMAT csv)", f)
        conn.commit()
        timings["postgres_copy_s"] = time.monotonic() - started
        started = time.monotonic()
        cur.execute("CREATE INDEX events_timeline ON events (customer_id, occurred_at DESC, event_id)")
        conn.commit()
        timings["postgres_index_s"] = time.monotonic() - started
    conn = psycopg2.connect(cluster.dsn())
    try:
        conn.autocommit = True  # VACUUM runs outside a transaction
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE events")
    finally:
        conn.close()
    return timings


def start_front(cluster, port):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "pg_timeline_front.py"), "--dsn", cluster.dsn(),
                             "--port", str(port)], stdout=subprocess.PIPE, text=True, start_new_session=True)
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit("pg_timeline_front.py did not start")
    return proc


def get_json(url, authorization=None):
    import urllib.request
    req = urllib.request.Request(url, headers={"Authorization": authorization} if authorization else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def run_sse(args):
    """The live-update fan-out with args.sse_clients streams: tests/bench/sse_fanout_bench.py,
    on a hub of its own (this one is stopped by then, so they do not share the machine)."""
    out = os.path.join(args.workdir, "sse-fanout.json")
    subprocess.run([sys.executable, os.path.join(HERE, "sse_fanout_bench.py"), "--clients", str(args.sse_clients),
                    "--workdir", args.workdir, "--json", out], check=True)
    with open(out) as f:
        figures = json.load(f)
    os.remove(out)
    return figures


def api_customer_id(api, number):
    """The customer id omnihub-api gives the customer of phone `number` (api: hub.api(token))."""
    r = api.get(f"/api/v1/customers/{quote('phone:' + number)}/timeline", params={"limit": 1}, expect=200)
    return r.json["customer"]["customer_id"]


def timeline_path(customer_id):
    """The request target wrk_timeline.lua gets for one customer's page."""
    return f"/api/v1/customers/{customer_id}/timeline?limit={PAGE}"


def run(args):
    data = Dataset(args.events, args.customers)
    h = hub.Hub(api=True, api_extra="access_log = false", base_dir=args.workdir).start()
    cluster = front = None
    result = {"benchmark": "api", "events": data.total, "population_events": data.per * data.customers,
              "customers": data.customers + len(data.histories), "connections": args.connections,
              "seconds": args.seconds, "page": PAGE,
              "anchor": "PostgreSQL 15 over HTTP (pg_timeline_front.py: Python http.server + psycopg2, one process "
                        "per core); pgbench -M prepared for the database alone"}
    try:
        ingest_path, csv_path = os.path.join(h.dir, "events.jsonl"), os.path.join(h.dir, "events.csv")
        t = time.monotonic()
        data.write(ingest_path, csv_path)
        load = {"generate_s": time.monotonic() - t}
        print(f"generated {data.total} events in {load['generate_s']:.1f} s", flush=True)

        t = time.monotonic()
        h.ctl("inject", ingest_path, timeout=6 * 3600)
        load["inject_s"] = time.monotonic() - t
        load["inject_events_per_s"] = data.total / load["inject_s"]
        if h.stats()["events"] < data.total:
            raise SystemExit(f"the hub holds {h.stats()['events']} of {data.total} events")
        t = time.monotonic()
        hub.wait_until(lambda: h.search_index_lag() == 0, "the search index to catch up", timeout=6 * 3600,
                       interval=1)
        load["index_catchup_s"] = time.monotonic() - t
        print(f"injected in {load['inject_s']:.0f} s ({load['inject_events_per_s']:.0f} events/s), "
              f"index caught up {load['index_catchup_s']:.0f} s later", flush=True)

        cluster = TempCluster(args.workdir, hub.free_port()).start()
        load.update(load_postgres(cluster, csv_path))
        os.remove(csv_path)
        os.remove(ingest_path)
        print(f"postgres: copy {load['postgres_copy_s']:.0f} s, index {load['postgres_index_s']:.0f} s", flush=True)
        result["load"] = load
        front_port = hub.free_port()
        front = start_front(cluster, front_port)
        front_base = f"http://127.0.0.1:{front_port}"

        token = h.api_token("bench", "read", "--rate", "1000000")
        authorization = f"Bearer {token}"
        api = h.api(token)  # validates each answer against the OpenAPI document

        sample = random.Random(7).sample(range(data.customers), min(args.sample, data.customers))
        phases = [("population", data.per, [(c, population_number(c)) for c in sample])]
        phases += [(f"history_{n}", n, [(c, number)]) for c, number, n in data.histories]
        result["phases"] = {}
        for name, history, customers in phases:
            api_paths = os.path.join(h.dir, f"{name}.api-paths")
            pg_paths = os.path.join(h.dir, f"{name}.pg-paths")
            with open(api_paths, "w") as a, open(pg_paths, "w") as p:
                for c, number in customers:
                    a.write(timeline_path(api_customer_id(api, number)) + "\n")
                    p.write(f"/timeline/{pg_customer_id(c)}?limit={PAGE}\n")
            # Both answer the same page before anything is timed.
            c, number = customers[0]
            got_api = api.get(f"/api/v1/customers/{api_customer_id(api, number)}/timeline", params={"limit": PAGE},
                              expect=200).json["events"]
            got_pg = get_json(f"{front_base}/timeline/{pg_customer_id(c)}?limit={PAGE}")["events"]
            if not len(got_api) == len(got_pg) == min(PAGE, history):
                raise SystemExit(f"{name}: the API answered {len(got_api)} events, PostgreSQL {len(got_pg)}, "
                                 f"expected {min(PAGE, history)}")
            if name == "population":
                customer = f"'00000000-0000-7000-8000-' || lpad(:c::text, 12, '0')"
                script = f"\\set c random(0, {data.customers - 1})\n" + pg_page_sql(customer)
            else:
                script = pg_page_sql(f"'{pg_customer_id(c)}'")
            figures = {"history": history, "customers": len(customers),
                       # The machine's 1-minute load when the phase started: other work skews it.
                       "load_average": os.getloadavg()[0],
                       "api": wrk(h.api_base, api_paths, authorization, args),
                       "postgres_http": wrk(front_base, pg_paths, "", args),
                       "postgres_pgbench": pgbench(cluster, script, name, args, h.dir)}
            for anchor in ("postgres_http", "postgres_pgbench"):
                for q in ("p50", "p99"):
                    figures[f"ratio_{q}_vs_{anchor}"] = figures["api"][f"{q}_ms"] / figures[anchor][f"{q}_ms"]
            result["phases"][name] = figures
            print(f"{name}: api p50 {figures['api']['p50_ms']:.2f} ms p99 {figures['api']['p99_ms']:.2f} ms "
                  f"({figures['api']['requests_per_s']:.0f}/s); postgres over HTTP p50 "
                  f"{figures['postgres_http']['p50_ms']:.2f} ms p99 {figures['postgres_http']['p99_ms']:.2f} ms "
                  f"({figures['postgres_http']['requests_per_s']:.0f}/s); pgbench p50 "
                  f"{figures['postgres_pgbench']['p50_ms']:.2f} ms p99 {figures['postgres_pgbench']['p99_ms']:.2f} ms; "
                  f"ratio p50 {figures['ratio_p50_vs_postgres_http']:.2f} p99 "
                  f"{figures['ratio_p99_vs_postgres_http']:.2f}", flush=True)

        os.killpg(front.pid, signal.SIGTERM)
        front.wait()
        front = None
        cluster.stop()
        cluster = None
        return result
    finally:
        if front:
            os.killpg(front.pid, signal.SIGTERM)
            front.wait()
        if cluster:
            cluster.stop()
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=int(os.environ.get("OMNIHUB_BENCH_API_EVENTS", 1_000_000)),
                    help="events of the population (default 1,000,000 or $OMNIHUB_BENCH_API_EVENTS)")
    ap.add_argument("--customers", type=int, default=0, help="population customers (default events / 10)")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads and pgbench jobs")
    ap.add_argument("--seconds", type=int, default=10, help="duration of each measurement")
    ap.add_argument("--sample", type=int, default=1000, help="population customers the requests pick from")
    ap.add_argument("--sse-clients", type=int, default=1000, help="live streams for the fan-out (0: none)")
    ap.add_argument("--workdir", required=True, help="temporary databases and sockets (keep it on a real disk)")
    ap.add_argument("--json", required=True, help="where the figures go")
    args = ap.parse_args()
    args.customers = args.customers or max(1, args.events // 10)
    for tool in ("wrk", "/usr/lib/postgresql/15/bin/pgbench"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: scripts/bench.sh api installs wrk, postgresql-15, python3-psycopg2")
    os.makedirs(args.workdir, exist_ok=True)
    started = time.monotonic()
    result = run(args)
    if args.sse_clients:
        result["sse"] = run_sse(args)
    result["total_s"] = time.monotonic() - started
    bench_rounds.write_result(args.json, result)


if __name__ == "__main__":
    main()
