"""scripts/bench.sh sms: webhook requests/s and latency p50/p99 with 64 connections (wrk)
against omnihub-sms's Twilio endpoint, every request a new MessageSid with a valid
X-Twilio-Signature, answered only once durable in the adapter's outbox, with the unifier
committing them; in the same run the same load against a trivial route of the same
server (/health: the HTTP stack's ceiling), and the ratio.

Each round starts fresh processes and databases under --workdir; figures are medians over
the rounds, and every round's figures are in the JSON."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
from sms_clients import twilio_signature, twilio_sms  # noqa: E402

LUA = os.path.join(os.path.dirname(__file__), "wrk_signed_posts.lua")
PUBLIC_BASE = "https://hub.example.com"  # the harness's sms.public_base_url
PATH = "/twilio/default/messages"


def write_requests(prefix, threads, per_thread, customers, round_number):
    for t in range(threads):
        with open(f"{prefix}.{t}", "w") as f:
            for i in range(per_thread):
                n = t * per_thread + i
                sid = f"SM{round_number:02d}{t:02d}{n:028d}"
                params = list(twilio_sms(sid, f"+1415555{n % customers:04d}", "+12025550000",
                                         f"Order {n}: where is it?").items())
                sig = twilio_signature(hub.TWILIO_TOKEN, PUBLIC_BASE + PATH, params)
                f.write(sig + " " + urllib.parse.urlencode(params) + "\n")


def wrk(url, prefix, connections, threads, seconds, header_and_type=()):
    """wrk's figures for POSTing the signed requests under `prefix` (header_and_type: the
    signature header and content type, when not Twilio's)."""
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", LUA, url, "--", prefix, *header_and_type], check=True, capture_output=True,
                         text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["requests_per_s"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def one_round(args, number):
    h = hub.Hub(sms=True, sms_extra="access_log = false", base_dir=args.workdir).start()
    try:
        prefix = os.path.join(h.dir, "requests")
        # Enough distinct requests that no MessageSid repeats within the run.
        per_thread = args.max_rate * args.seconds // args.threads
        write_requests(prefix, args.threads, per_thread, args.customers, number)
        base = h.sms_base
        start = time.monotonic()
        twilio = wrk(base + PATH, prefix, args.connections, args.threads, args.seconds)
        h.wait_stats("events", twilio["requests"] - twilio["non_2xx"], timeout=600)
        committed = time.monotonic()
        stats = h.stats()
        if twilio["non_2xx"] or twilio["socket_errors"] or stats["duplicates"]:
            raise SystemExit(f"sms round: {twilio['non_2xx']} non-2xx answers, {twilio['socket_errors']} socket "
                             f"errors, {stats['duplicates']} duplicates (raise --max-rate)")
        twilio["committed_per_s"] = stats["events"] / (committed - start)
        trivial = wrk(base + "/health", prefix, args.connections, args.threads, args.seconds)
        return {"twilio": twilio, "trivial": trivial, "ratio": twilio["requests_per_s"] / trivial["requests_per_s"]}
    finally:
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--seconds", type=int, default=10, help="duration of each load phase")
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--max-rate", type=int, default=20000, help="requests/s the signed request set is sized for")
    bench_rounds.add_common_args(ap)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (scripts/bench.sh sms does)")

    rounds = bench_rounds.run_rounds(args, lambda r: one_round(args, r), lambda x: (
        f"twilio {x['twilio']['requests_per_s']:.0f} req/s (p50 {x['twilio']['p50_us'] / 1000:.1f} ms, "
        f"p99 {x['twilio']['p99_us'] / 1000:.1f} ms; committed {x['twilio']['committed_per_s']:.0f}/s), trivial "
        f"{x['trivial']['requests_per_s']:.0f} req/s (p50 {x['trivial']['p50_us'] / 1000:.1f} ms), "
        f"ratio {x['ratio']:.2f}"))
    med = lambda f: bench_rounds.median(rounds, f)  # noqa: E731
    bench_rounds.write_result(args.json, {
        "benchmark": "sms", "connections": args.connections, "seconds": args.seconds,
        "twilio_requests_per_s": med(lambda x: x["twilio"]["requests_per_s"]),
        "twilio_p50_ms": med(lambda x: x["twilio"]["p50_us"] / 1000),
        "twilio_p99_ms": med(lambda x: x["twilio"]["p99_us"] / 1000),
        "twilio_committed_per_s": med(lambda x: x["twilio"]["committed_per_s"]),
        "trivial_requests_per_s": med(lambda x: x["trivial"]["requests_per_s"]),
        "trivial_p50_ms": med(lambda x: x["trivial"]["p50_us"] / 1000),
        "trivial_p99_ms": med(lambda x: x["trivial"]["p99_us"] / 1000),
        "ratio": med(lambda x: x["ratio"]),
        "rounds": rounds,
    })


if __name__ == "__main__":
    main()
