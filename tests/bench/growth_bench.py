"""scripts/bench.sh growth: how ingest and timeline reads hold up as the store grows. At each
point of stored events (--points, default 0,1M,5M,10M) on one hub: the ingest rate of
--measure-events fresh events through `omnihubctl inject` (outbox, ingest bus, the unifier's
apply code, until committed), and the p99 of a 50-event timeline page through omnihub-api (wrk,
as the api benchmark: api_bench.wrk and wrk_timeline.lua), each --rounds times; every point's
median relative to the empty store's (goal: within 20 %).

What stays the same at every point, so that only the store's size differs:
- the measured events go to the same --probe-customers customers, each of whom got 50 events
  before the first point (their page is always a full 50 events, and an event of theirs is never
  a customer's first sight);
- the pages read are those customers' newest 50;
- the search index has caught up before each measurement.
Between points the store is filled with events of a population of customers (10 each, as in
the api benchmark) through `omnihubctl inject`, the fastest honest path (durable, committed,
indexed like any event), in files of --fill-chunk lines written before each is injected.

May take an hour at the default points; not part of the test suite. Each point's figures are
printed and written as median and range over the rounds, every round's figures are in the JSON."""

import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
import api_bench  # noqa: E402

T0 = 1_700_000_000_000_000
ACCOUNT = "+12025550000"
HISTORY = api_bench.PAGE  # events each probe customer gets before the first point
GOAL_WITHIN = 0.2
UNITS = {"": 1, "k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}


def parse_points(text):
    """'0,100k,1M' -> [0, 100000, 1000000], ascending and distinct; SystemExit naming a bad one."""
    points = []
    for item in text.split(","):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)([kKmM]?)\s*", item)
        if not m:
            raise SystemExit(f"--points: '{item}' is not a count of events (e.g. 0, 500k, 1M)")
        points.append(int(float(m.group(1)) * UNITS[m.group(2)]))
    if points != sorted(set(points)) or points[0] != 0:
        raise SystemExit(f"--points: '{text}' must start at 0 (the anchor) and be distinct and ascending")
    return points


def label(n):
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def probe_number(k):
    return f"+1646{5000000 + k:07d}"


class Events:
    """Numbers every event the benchmark sends (its occurred_at and provider id) and writes them
    as ingest JSON Lines."""

    def __init__(self, h):
        self.h = h
        self.next = 0
        self.fill_sent = 0

    def _line(self, number, text):
        i = self.next
        self.next += 1
        direction = "outbound" if i % 3 == 2 else "inbound"
        return json.dumps(hub.sms(number, f"growth-{i}", hub.rfc3339(T0 + i * 1000), text=text, account=ACCOUNT,
                                  direction=direction)) + "\n"

    def write_probe(self, path, count, probes):
        """count events over the probe customers, round robin."""
        with open(path, "w") as f:
            for n in range(count):
                f.write(self._line(probe_number(n % probes), f"Order {self.next}: where is my parcel?"))

    def write_fill(self, path, count, customers):
        """count events of the fill population, customer = n mod customers (10 each at the end)."""
        with open(path, "w") as f:
            for _ in range(count):
                c = self.fill_sent % customers
                self.fill_sent += 1
                f.write(self._line(api_bench.population_number(c), f"Order {self.next}: where is my parcel?"))

    def inject(self, path):
        """omnihubctl inject of the file; returns the seconds until every line was committed."""
        started = time.monotonic()
        self.h.ctl("inject", path, timeout=6 * 3600)
        seconds = time.monotonic() - started
        os.remove(path)
        return seconds


def wait_index(h):
    hub.wait_until(lambda: h.search_index_lag() == 0, "the search index to catch up", timeout=6 * 3600, interval=0.5)


def fill_to(h, events, target, args):
    """Injects fill events until the hub holds `target` events beyond the warm-up; returns the
    fill's figures."""
    path = os.path.join(h.dir, "fill.jsonl")
    started = time.monotonic()
    injected = inject_s = 0.0
    while True:
        missing = target - (h.stats()["events"] - args.warmup_events)
        if missing <= 0:
            break
        count = min(missing, args.fill_chunk)
        events.write_fill(path, count, args.fill_customers)
        inject_s += events.inject(path)
        injected += count
        print(f"  filled {h.stats()['events'] - args.warmup_events} of {target} "
              f"({injected / inject_s:.0f} events/s injected)", flush=True)
    wait_index(h)
    return {"events": int(injected), "seconds": time.monotonic() - started,
            "inject_events_per_s": injected / inject_s if inject_s else 0}


def measure(h, events, paths_file, authorization, args):
    """One round at the current point: the ingest rate of args.measure_events probe events, then
    (index caught up) the timeline page latency."""
    path = os.path.join(h.dir, "measure.jsonl")
    events.write_probe(path, args.measure_events, args.probe_customers)
    before = h.stats()["events"]
    seconds = events.inject(path)
    if h.stats()["events"] - before != args.measure_events:
        raise SystemExit(f"the hub stored {h.stats()['events'] - before} of {args.measure_events} measured events")
    wait_index(h)
    page = api_bench.wrk(h.api_base, paths_file, authorization, args)
    return {"ingest_events_per_s": args.measure_events / seconds, "ingest_s": seconds,
            "page_p50_ms": page["p50_ms"], "page_p99_ms": page["p99_ms"],
            "pages_per_s": page["requests_per_s"], "load_average": os.getloadavg()[0]}


POINT_FIGURES = ("ingest_events_per_s", "page_p99_ms", "page_p50_ms", "pages_per_s")


def run(args, points, on_point):
    """Measures every point; calls on_point(results so far) after each."""
    h = hub.Hub(api=True, api_extra="access_log = false", base_dir=args.workdir).start()
    try:
        events = Events(h)
        # The probe customers' histories: a full page each before the first point.
        path = os.path.join(h.dir, "warmup.jsonl")
        events.write_probe(path, args.warmup_events, args.probe_customers)
        events.inject(path)
        wait_index(h)
        token = h.api_token("bench", "read", "--rate", "1000000")
        api = h.api(token)
        paths_file = os.path.join(h.dir, "probe.api-paths")
        with open(paths_file, "w") as f:
            for k in range(args.probe_customers):
                f.write(api_bench.timeline_path(api_bench.api_customer_id(api, probe_number(k))) + "\n")
        first = api_bench.api_customer_id(api, probe_number(0))
        got = api.get(f"/api/v1/customers/{first}/timeline", params={"limit": api_bench.PAGE},
                      expect=200).json["events"]
        if len(got) != api_bench.PAGE:
            raise SystemExit(f"a probe customer's page has {len(got)} events, expected {api_bench.PAGE}")

        results = []
        for point in points:
            print(f"point {label(point)}: filling...", flush=True)
            fill = fill_to(h, events, point, args)
            stored = h.stats()["events"]
            rounds = []
            for r in range(args.rounds):
                rounds.append(measure(h, events, paths_file, f"Bearer {token}", args))
                x = rounds[-1]
                print(f"point {label(point)} round {r + 1}: ingest {x['ingest_events_per_s']:.0f} events/s, "
                      f"page p50 {x['page_p50_ms']:.2f} ms p99 {x['page_p99_ms']:.2f} ms "
                      f"({x['pages_per_s']:.0f}/s)", flush=True)
            results.append({"point": point, "stored_events": stored, "fill": fill, "rounds": rounds,
                            "figures": bench_rounds.summarize(rounds, {k: (lambda x, k=k: x[k])
                                                                      for k in POINT_FIGURES})})
            on_point(results)
        return results
    finally:
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description="scripts/bench.sh growth: ingest rate and timeline page p99 as the "
                                             "store grows")
    ap.add_argument("--points", default="0,1M,5M,10M", help="stored events to measure at (k and M allowed)")
    ap.add_argument("--measure-events", type=int, default=30000, help="events of each ingest measurement")
    ap.add_argument("--probe-customers", type=int, default=200, help="customers the measured events and pages use")
    ap.add_argument("--fill-customers", type=int, default=0, help="fill population (default: last point / 10)")
    ap.add_argument("--fill-chunk", type=int, default=500_000, help="lines per fill file")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--seconds", type=int, default=10, help="duration of each page measurement")
    bench_rounds.add_common_args(ap)
    args = ap.parse_args()
    points = parse_points(args.points)
    if args.measure_events < 1 or args.probe_customers < 1:
        raise SystemExit("--measure-events and --probe-customers must be at least 1")
    args.fill_customers = args.fill_customers or max(1, points[-1] // 10)
    args.warmup_events = args.probe_customers * HISTORY
    if args.rounds < bench_rounds.MIN_ROUNDS:
        print(f"warning: {args.rounds} round(s): the range of each figure needs at least {bench_rounds.MIN_ROUNDS}",
              flush=True)
    os.makedirs(args.workdir, exist_ok=True)

    started = time.monotonic()

    def result(points_done):
        """The JSON of the points measured so far (written after each: a long run that stops
        keeps what it measured)."""
        empty = points_done[0]["figures"]
        figures = {}
        for p in points_done:
            name = label(p["point"])
            for k in POINT_FIGURES:
                figures[f"{k}@{name}"] = p["figures"][k]
            p["ingest_vs_empty"] = (p["figures"]["ingest_events_per_s"]["median"]
                                    / empty["ingest_events_per_s"]["median"])
            p["page_p99_vs_empty"] = p["figures"]["page_p99_ms"]["median"] / empty["page_p99_ms"]["median"]
            p["within_goal"] = p["ingest_vs_empty"] >= 1 - GOAL_WITHIN and p["page_p99_vs_empty"] <= 1 + GOAL_WITHIN
            figures[f"ingest_vs_empty@{name}"] = bench_rounds.spread([p["ingest_vs_empty"]])
            figures[f"page_p99_vs_empty@{name}"] = bench_rounds.spread([p["page_p99_vs_empty"]])
        return {
            "benchmark": "growth", "points": points, "points_done": len(points_done),
            "rounds_per_point": args.rounds, "measure_events": args.measure_events,
            "probe_customers": args.probe_customers, "warmup_events": args.warmup_events,
            "fill_customers": args.fill_customers, "connections": args.connections, "seconds": args.seconds,
            "page": api_bench.PAGE,
            "anchor": "the same hub at point 0 (the empty store apart from the probe customers' histories)",
            "goal_within": GOAL_WITHIN, "goal_met": all(p["within_goal"] for p in points_done),
            "total_s": time.monotonic() - started,
            "figures": figures,
            "rounds": points_done,
        }

    def save(points_done):
        with open(args.json, "w") as f:
            json.dump(result(points_done), f, indent=2)

    bench_rounds.write_result(args.json, result(run(args, points, save)))


if __name__ == "__main__":
    main()
