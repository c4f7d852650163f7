"""scripts/bench.sh cluster: runs omnihub-bench-cluster (docs/benchmarks.md "cluster") --rounds
times and summarizes each figure as median and range over the rounds. Each round sends the same
events through cluster mode (the adapters' log publisher, three nats-server processes clustered
on loopback, one partition stream with 3 replicas, two unifier replicas; an event counts once
every replica applied and synced it) and through a single host (the ZeroMQ bus, one unifier):
the peak events/s of each, and publish -> applied latency p50/p99 at one fixed offered rate, half
the cluster's peak. Everything runs on this one machine, so the figures are the overhead of
cluster mode, not its scale.

Options this driver does not know go to the binary (`--help` lists them); each round's own
JSON is kept in the result's "rounds"."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bench_rounds  # noqa: E402

NOTE = ("one machine, loopback: three NATS servers, two unifier replicas and the publisher share its cores, "
        "so this measures the overhead of cluster mode, not its scale")


def main():
    parsed = bench_rounds.parse_binary_driver("scripts/bench.sh cluster: omnihub-bench-cluster over several rounds, "
                                              "each figure as median and range", "omnihub-bench-cluster")
    if parsed is None:
        return
    args, binary_args = parsed

    print(f"note: {NOTE}", flush=True)
    rounds = bench_rounds.run_rounds(args, lambda r: bench_rounds.binary_round(args, binary_args, "cluster", r), lambda x: (
        f"cluster {x['cluster']['peak']['events_per_s']:.0f} ev/s, single host "
        f"{x['single_host']['peak']['events_per_s']:.0f} ev/s (ratio {x['ratio_cluster_to_single_peak']:.2f}); "
        f"at {x['cluster']['latency']['target_rate']:.0f} ev/s p50/p99: cluster "
        f"{x['cluster']['latency']['latency']['p50_ms']:.1f}/{x['cluster']['latency']['latency']['p99_ms']:.1f} ms, "
        f"single host {x['single_host']['latency']['latency']['p50_ms']:.1f}/"
        f"{x['single_host']['latency']['latency']['p99_ms']:.1f} ms; load {x['load_average']:.1f}"))
    figures = {"ratio_cluster_to_single_peak": lambda x: x["ratio_cluster_to_single_peak"],
               "load_average": lambda x: x["load_average"]}
    for setup in ("cluster", "single_host"):
        figures.update({
            f"{setup}_peak_events_per_s": lambda x, s=setup: x[s]["peak"]["events_per_s"],
            f"{setup}_latency_rate_events_per_s": lambda x, s=setup: x[s]["latency"]["target_rate"],
            f"{setup}_latency_p50_ms": lambda x, s=setup: x[s]["latency"]["latency"]["p50_ms"],
            f"{setup}_latency_p99_ms": lambda x, s=setup: x[s]["latency"]["latency"]["p99_ms"],
            f"{setup}_unifier_cpu_us_per_event": lambda x, s=setup: x[s]["unifier_cpu_us_per_event"],
        })
    bench_rounds.write_result(args.json, {
        "benchmark": "cluster", "settings": rounds[0]["settings"], "note": NOTE,
        "anchor": "single host: the same events through the ZeroMQ bus into one unifier, same machine, same run",
        "figures": bench_rounds.summarize(rounds, figures),
        "rounds": rounds,
    })


if __name__ == "__main__":
    main()
