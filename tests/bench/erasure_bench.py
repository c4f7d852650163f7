"""scripts/bench.sh erasure: the time `omnihubctl customer erase` takes for one customer with
--events events (default 10,000) among --others other customers' events, against the time
the same hub took to ingest that customer's events (omnihubctl inject until committed), in
the same run. The erase time is split into what the receipt and the command report: the
whole command (logical delete, purge with compaction of the store and the search index,
adapter and outbox compaction, byte scan of the data directories, kept verification).

Each round starts a fresh hub under --workdir; figures are medians over the rounds, and
every round's figures are in the JSON."""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402

T0 = 1_760_000_000_000_000


def lines(number, count, prefix, text):
    return [hub.sms(number, f"{prefix}-{i:07d}", hub.rfc3339(T0 + i * 1_000_000), text=f"{text} {i}")
            for i in range(count)]


def one_round(args, number):
    h = hub.Hub(base_dir=args.workdir).start()
    try:
        others = [hub.sms(f"+1212555{i % 1000:04d}", f"other-{number}-{i:07d}", hub.rfc3339(T0 + i * 1_000_000),
                          text=f"other customer message {i}") for i in range(args.others)]
        h.ctl("inject", h.write_file("others.jsonl", others), timeout=3600)
        target = h.write_file("target.jsonl", lines("+14155550100", args.events, f"t-{number}",
                                                    "order question from the erased customer"))
        started = time.monotonic()
        h.ctl("inject", target, timeout=3600)
        ingest_s = time.monotonic() - started

        # The purge waits for the search index to reflect the erasure; wait for it to catch up
        # with ingest first, so that the erase figure is the erasure's own cost (the indexing
        # rate is the search benchmark's subject), and report the wait beside it.
        started = time.monotonic()
        hub.wait_until(lambda: h.search_index_lag() == 0, "the search index to catch up", timeout=3600, interval=0.2)
        catchup_s = time.monotonic() - started

        started = time.monotonic()
        r = h.ctl("customer", "erase", "phone:+14155550100", "--reason", "benchmark", "--actor", "bench",
                  timeout=3600)
        erase_s = time.monotonic() - started
        receipt = json.loads(r.stdout)
        if not receipt["verification"]["clean"]:
            raise AssertionError(f"the verification scan found data: {receipt['verification']}")
        return {"events": args.events, "others": args.others, "ingest_s": ingest_s, "index_catchup_s": catchup_s,
                "erase_s": erase_s,
                "erase_vs_ingest": erase_s / ingest_s, "removed": receipt.get("removed", {}),
                "bytes_scanned": receipt["verification"].get("bytes_scanned", 0)}
    finally:
        h.stop()
        h.cleanup()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_rounds.add_common_args(p)
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--others", type=int, default=20_000)
    args = p.parse_args()
    rounds = bench_rounds.run_rounds(args, lambda n: one_round(args, n),
                                     lambda r: f"erase {r['erase_s']:.2f} s, ingest {r['ingest_s']:.2f} s")
    bench_rounds.write_result(args.json, {
        "benchmark": "erasure", "events": args.events, "others": args.others,
        "erase_s": bench_rounds.median(rounds, lambda r: r["erase_s"]),
        "ingest_s": bench_rounds.median(rounds, lambda r: r["ingest_s"]),
        "erase_vs_ingest": bench_rounds.median(rounds, lambda r: r["erase_vs_ingest"]),
        "rounds": rounds})


if __name__ == "__main__":
    main()
