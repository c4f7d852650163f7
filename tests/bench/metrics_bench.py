"""scripts/bench.sh metrics: what the relationship metrics (docs/metrics.md) cost, the issue's
two figures in one run.

1. Ingest rate with and without the metrics consumer: the same --events events (default
   200,000 of 10,000 customers over 18 months, tests/e2e/metrics_timeline.py's generator: its
   first phase in time order, then its late events and deletions) through `omnihubctl inject`
   into a fresh hub with `[metrics] enabled = false` and one with `enabled = true`, one after
   the other on the same disk (the order alternates between rounds, so that neither side
   always runs on the warmer or the more contended machine). Timed until committed and, with
   metrics on, until the metrics have applied every change (omnihub_relationship_lag_changes
   0): events/s off, on (committed), on (metrics applied), and on/off (goal >= 0.9).
2. Query time of a 12-month report over that store (the metrics-on hub): `omnihubctl metrics
   --since <as_of - 12 months>` and `GET /api/v1/metrics?since=...` (urllib, a read token),
   each --by channel and without --by, --queries times each: p50/p99 ms (nearest rank). The
   command's time includes starting omnihubctl; the GET's is the HTTP round trip.

Both hubs run omnihub-api, so that only [metrics] differs between them. Each round's figures
are in the JSON; every figure is median and range over the rounds (bench_rounds.py)."""

import argparse
import datetime as dt
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
import api_bench  # noqa: E402
import metrics_reference  # noqa: E402
import metrics_timeline  # noqa: E402
import sse_fanout_bench  # noqa: E402  (cpu_s)

GOAL_RATIO = 0.9  # ingest with the metrics consumer: at most 10 % slower
# The queries of part 2: (name, extra omnihubctl arguments, extra GET parameters).
QUERIES = (("by_channel", ["--by", "channel"], {"by": "channel"}), ("total", [], {}))
FIGURES = ("off_events_per_s", "on_committed_events_per_s", "on_applied_events_per_s",
           "ratio_committed", "ratio_applied", "metrics_catchup_s", "off_unifier_cpu_us_per_event",
           "on_unifier_cpu_us_per_event") + tuple(
    f"{via}_{name}_{p}_ms" for via in ("cli", "api") for name, _, _ in QUERIES for p in ("p50", "p99"))


def write_events(path, events, customers):
    """The generated timeline as one ingest file; returns its line count."""
    first_files, second, _ = metrics_timeline.generate(events=events, customers=customers)
    lines = [line for part in first_files for line in part] + second
    with open(path, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    return len(lines)


def twelve_months_before(as_of):
    """The report's as_of ("2026-06-30T17:04:11.000000Z") minus 12 calendar months, RFC 3339."""
    t = dt.datetime.strptime(as_of, "%Y-%m-%dT%H:%M:%S.%fZ")
    day = min(t.day, 28) if t.month == 2 else t.day  # 29 February has no twin a year before
    return t.replace(year=t.year - 1, day=day).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ingest(args, path, metrics_on):
    """A fresh hub with [metrics] enabled = metrics_on ingests the file. Returns (hub, figures);
    the caller stops the hub."""
    h = hub.Hub(base_dir=args.workdir, api=True, api_extra="access_log = false",
                extra=f"[metrics]\nenabled = {'true' if metrics_on else 'false'}\n").start()
    try:
        started = time.monotonic()
        h.ctl("inject", path, timeout=6 * 3600)
        committed_s = time.monotonic() - started
        figures = {"committed_s": committed_s, "stored_events": h.stats()["events"]}
        if metrics_on:
            hub.wait_until(lambda: h.metrics_lag() == 0, "the metrics to apply every change", timeout=6 * 3600,
                           interval=0.1)
            figures["applied_s"] = time.monotonic() - started
        elif h.metrics_lag() is not None:
            raise SystemExit("[metrics] enabled = false, yet the unifier exports omnihub_relationship_lag_changes")
        # Whether the consumer's cost is CPU or waiting: the unifier's CPU (all its threads, the
        # search indexer's included, start-up being negligible) once everything is applied.
        figures["unifier_cpu_s"] = sse_fanout_bench.cpu_s(h.proc.pid)
        return h, figures
    except BaseException:
        h.stop()
        h.cleanup()
        raise


def timed(call, count):
    """Runs call() count times; the sorted milliseconds of each."""
    ms = []
    for _ in range(count):
        started = time.monotonic()
        call()
        ms.append((time.monotonic() - started) * 1000)
    return sorted(ms)


def query_times(h, count):
    """Part 2 over the hub's store: p50/p99 ms of each query through omnihubctl and the API."""
    as_of = json.loads(h.ctl("metrics").stdout)["as_of"]
    if as_of is None:
        raise SystemExit("the metrics report has no as_of: the store holds no counted message")
    since = twelve_months_before(as_of)
    authorization = f"Bearer {h.api_token('bench', 'read', '--rate', '1000000')}"
    figures = {"as_of": as_of, "since": since}
    for name, cli_args, params in QUERIES:
        cli = ["metrics", "--since", since, *cli_args]
        url = f"{h.api_base}/api/v1/metrics?{urllib.parse.urlencode({'since': since, **params})}"
        # The same report both ways (the API serves the unifier's report as it is), with figures in it.
        report = json.loads(h.ctl(*cli).stdout)
        if report != api_bench.get_json(url, authorization):
            raise SystemExit(f"omnihubctl {' '.join(cli)} and GET {url} answered different reports")
        if not report["totals"]["episodes"] or (params and not report["groups"]):
            raise SystemExit(f"omnihubctl {' '.join(cli)}: the 12-month report counts no episode")
        for via, call in (("cli", lambda: h.ctl(*cli, timeout=600)),
                          ("api", lambda: api_bench.get_json(url, authorization))):
            ms = timed(call, count)
            figures[f"{via}_{name}_p50_ms"] = metrics_reference.percentile(ms, 50)
            figures[f"{via}_{name}_p99_ms"] = metrics_reference.percentile(ms, 99)
    return figures


def one_round(args, path, number):
    figures = {"load_average": os.getloadavg()[0]}
    # Alternate which side goes first: a drift in the machine's load then shows as range, not bias.
    for metrics_on in ((False, True) if number % 2 == 0 else (True, False)):
        h, ingested = ingest(args, path, metrics_on)
        try:
            if metrics_on:
                figures["on"] = ingested
                figures.update(query_times(h, args.queries))
            else:
                figures["off"] = ingested
        finally:
            h.stop()
            h.cleanup()
    if figures["on"]["stored_events"] != figures["off"]["stored_events"]:
        raise SystemExit(f"the hubs stored different events: {figures['on']['stored_events']} with metrics, "
                         f"{figures['off']['stored_events']} without")
    figures["off_events_per_s"] = args.events / figures["off"]["committed_s"]
    figures["on_committed_events_per_s"] = args.events / figures["on"]["committed_s"]
    figures["on_applied_events_per_s"] = args.events / figures["on"]["applied_s"]
    figures["ratio_committed"] = figures["on_committed_events_per_s"] / figures["off_events_per_s"]
    figures["ratio_applied"] = figures["on_applied_events_per_s"] / figures["off_events_per_s"]
    figures["metrics_catchup_s"] = figures["on"]["applied_s"] - figures["on"]["committed_s"]
    for side in ("off", "on"):
        figures[f"{side}_unifier_cpu_us_per_event"] = figures[side]["unifier_cpu_s"] / args.events * 1e6
    return figures


def describe(r):
    return (f"off {r['off_events_per_s']:.0f} events/s, on {r['on_committed_events_per_s']:.0f} committed, "
            f"{r['on_applied_events_per_s']:.0f} applied (ratio {r['ratio_applied']:.3f}); 12-month report by "
            f"channel p50 {r['cli_by_channel_p50_ms']:.0f} ms (omnihubctl), {r['api_by_channel_p50_ms']:.0f} ms (GET)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=metrics_timeline.EVENTS, help="events ingested into each hub")
    ap.add_argument("--customers", type=int, default=metrics_timeline.CUSTOMERS, help="customers they belong to")
    ap.add_argument("--queries", type=int, default=20, help="times each report is asked for")
    bench_rounds.add_common_args(ap)
    args = ap.parse_args()
    if args.customers < metrics_timeline.MERGED or args.events < 2 * args.customers:
        raise SystemExit(f"--customers must be at least {metrics_timeline.MERGED} and --events at least twice "
                         f"--customers (every customer gets a contact)")
    if args.queries < 1:
        raise SystemExit("--queries must be at least 1")
    args.workdir = os.path.abspath(args.workdir)  # the hub's config names its paths from it
    os.makedirs(args.workdir, exist_ok=True)
    path = os.path.join(args.workdir, "metrics-timeline.jsonl")
    args.events = write_events(path, args.events, args.customers)
    try:
        rounds = bench_rounds.run_rounds(args, lambda n: one_round(args, path, n), describe)
    finally:
        os.remove(path)
    figures = bench_rounds.summarize(rounds, {k: (lambda r, k=k: r[k]) for k in FIGURES})
    bench_rounds.write_result(args.json, {
        "benchmark": "metrics", "events": args.events, "customers": args.customers, "queries": args.queries,
        "as_of": rounds[0]["as_of"], "since": rounds[0]["since"],
        "goal_ratio": GOAL_RATIO, "goal_met": figures["ratio_applied"]["median"] >= GOAL_RATIO,
        "figures": figures, "rounds": rounds})


if __name__ == "__main__":
    main()
