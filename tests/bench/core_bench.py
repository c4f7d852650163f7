"""scripts/bench.sh core: runs omnihub-bench-ingest (the end-to-end ingest against raw synced
RocksDB in the same run, docs/benchmarks.md "core") --rounds times and summarizes each figure as
median and range over the rounds: the rates, the ratio to raw (goal >= 0.5), publish->committed
latency at half the peak rate (goal p99 < 20 ms) and the unifier's CPU per event: in process
(the BatchProcessor alone, goal <= 15 us), and end to end its ingest thread and whole process.

Options this driver does not know go to the binary (`--help` lists them); each round's own
JSON is kept in the result's "rounds"."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bench_rounds  # noqa: E402

GOAL_LATENCY_P99_MS = 20


def main():
    parsed = bench_rounds.parse_binary_driver("scripts/bench.sh core: omnihub-bench-ingest over several rounds, "
                                              "each figure as median and range", "omnihub-bench-ingest")
    if parsed is None:
        return
    args, binary_args = parsed

    rounds = bench_rounds.run_rounds(args, lambda r: bench_rounds.binary_round(args, binary_args, "core", r), lambda x: (
        f"e2e {x['e2e_peak']['events_per_s']:.0f} ev/s, raw {x['raw']['events_per_s']:.0f} ev/s, ratio "
        f"{x['ratio_e2e_to_raw']:.2f}; latency at half peak p99 {x['e2e_latency']['latency']['p99_ms']:.1f} ms; "
        f"CPU/event: in-process unifier {x['cpu_us_per_event']['in_process']:.1f} us, "
        f"ingest thread {x['cpu_us_per_event']['ingest_thread']:.1f} us"))
    figures = {
        "e2e_peak_events_per_s": lambda x: x["e2e_peak"]["events_per_s"],
        "raw_events_per_s": lambda x: x["raw"]["events_per_s"],
        "raw_batch_size": lambda x: x["raw"]["batch_size"],
        "raw_batch1_writes_per_s": lambda x: x["raw_batch1"]["events_per_s"],
        "ratio_e2e_to_raw": lambda x: x["ratio_e2e_to_raw"],
        "ratio_excluding_cpu_wait": lambda x: x["ratio_excluding_cpu_wait"],
        "latency_phase_events_per_s": lambda x: x["e2e_latency"]["events_per_s"],
        "latency_p50_ms": lambda x: x["e2e_latency"]["latency"]["p50_ms"],
        "latency_p99_ms": lambda x: x["e2e_latency"]["latency"]["p99_ms"],
        "unifier_cpu_us_per_event": lambda x: x["cpu_us_per_event"]["unifier_process"],
        "ingest_thread_cpu_us_per_event": lambda x: x["cpu_us_per_event"]["ingest_thread"],
    }
    if all("in_process_unifier" in x for x in rounds):
        figures["in_process_events_per_s"] = lambda x: x["in_process_unifier"]["events_per_s"]
        figures["in_process_cpu_us_per_event"] = lambda x: x["cpu_us_per_event"]["in_process"]
    bench_rounds.write_result(args.json, {
        "benchmark": "core", "settings": rounds[0]["settings"],
        "anchor": "raw synced RocksDB WriteBatches of the same records, same disk, same run",
        "goal_ratio": rounds[0]["goal_ratio"], "goal_latency_p99_ms": GOAL_LATENCY_P99_MS,
        "goal_unifier_cpu_us_per_event": rounds[0]["goal_unifier_cpu_us_per_event"],
        "figures": bench_rounds.summarize(rounds, figures),
        "rounds": rounds,
    })


if __name__ == "__main__":
    main()
