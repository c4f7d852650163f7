"""scripts/bench.sh sms: webhook requests/s and latency p50/p99 with 64 connections (wrk)
against omnihub-sms's Twilio endpoint, every request a new MessageSid with a valid
X-Twilio-Signature, answered only once durable in the adapter's outbox, with the unifier
committing them. The anchor, in the same round: Debian's nginx answering a static 200 to the
same POSTs (nginx_anchor.py) with the same wrk settings (script, connections, threads,
seconds). Also the same load on a trivial route of omnihub-sms (/health: its HTTP stack's
ceiling). Ratios: webhook 200s/s over nginx 200s/s (goal >= 0.3), and the unifier's committed
rate during the load over the webhook rate (goal >= 0.8).

Each round starts fresh processes and databases under --workdir; every figure is printed and
written as median and range over the rounds, every round's figures are in the JSON too. What
this module defines for one webhook load (wrk, webhook_load, nginx_load) the social benchmark
uses as well, and run_benchmark the rounds and figures of both."""

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
import nginx_anchor  # noqa: E402
from sms_clients import twilio_signature, twilio_sms  # noqa: E402

LUA = os.path.join(os.path.dirname(__file__), "wrk_signed_posts.lua")
PUBLIC_BASE = "https://hub.example.com"  # the harness's sms.public_base_url
PATH = "/twilio/default/messages"
GOAL_RATIO = 0.3  # webhook 200s/s over nginx 200s/s
GOAL_COMMITTED_RATIO = 0.8  # the unifier's committed events/s during the load over the webhook's


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


def wrk(url, prefix, args, header_and_type=()):
    """wrk's figures for POSTing the signed requests under `prefix` with args.connections,
    args.threads and args.seconds (header_and_type: the signature header and content type,
    when not Twilio's)."""
    out = subprocess.run(["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
                          "--latency", "-s", LUA, url, "--", prefix, *header_and_type], check=True,
                         capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["requests_per_s"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def webhook_load(h, url, prefix, args, events_per_request=1, header_and_type=(), what="webhook"):
    """wrk against an adapter's webhook, then waits until the unifier has committed every
    answered request's events. Adds committed_during_per_s (events the unifier committed while
    wrk ran, over wrk's duration), committed_per_s (from wrk's start to the last commit) and
    committed_ratio (committed_during_per_s over the events the answered requests carried per
    second). Fails on a non-2xx answer, a socket error or a duplicate."""
    before = h.stats()["events"]
    start = time.monotonic()
    figures = wrk(url, prefix, args, header_and_type)
    during = h.stats()["events"] - before
    accepted = (figures["requests"] - figures["non_2xx"]) * events_per_request
    h.wait_stats("events", before + accepted, timeout=600)
    committed = time.monotonic()
    stats = h.stats()
    if figures["non_2xx"] or figures["socket_errors"] or stats["duplicates"]:
        raise SystemExit(f"{what}: {figures['non_2xx']} non-2xx answers, {figures['socket_errors']} socket errors, "
                         f"{stats['duplicates']} duplicates (raise --max-rate)")
    seconds = figures["duration_us"] / 1e6
    figures["events_per_s"] = figures["requests_per_s"] * events_per_request
    figures["committed_during_per_s"] = during / seconds
    figures["committed_per_s"] = (stats["events"] - before) / (committed - start)
    figures["committed_ratio"] = figures["committed_during_per_s"] / figures["events_per_s"]
    return figures


def nginx_load(h, path, prefix, args, header_and_type=()):
    """The same POSTs with the same wrk settings against nginx (nginx_anchor.py), started for
    this load and removed after it."""
    with nginx_anchor.NginxAnchor(h.dir, hub.free_port()) as nginx:
        figures = wrk(nginx.base + path, prefix, args, header_and_type)
        figures["workers"] = nginx.workers
    if figures["non_2xx"] or figures["socket_errors"]:
        raise SystemExit(f"nginx: {figures['non_2xx']} non-2xx answers, {figures['socket_errors']} socket errors")
    return figures


def add_load_args(ap):
    """The load options sms and social share."""
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--seconds", type=int, default=10, help="duration of each load phase")
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--max-rate", type=int, default=20000, help="requests/s the signed request set is sized for")
    ap.add_argument("--no-trivial", action="store_true", help="skip the adapter's trivial route (/health)")
    bench_rounds.add_common_args(ap)


def check_tools(name):
    if shutil.which("wrk") is None:
        raise SystemExit(f"wrk is missing: apt-get install wrk (scripts/bench.sh {name} does)")
    if nginx_anchor.missing():
        raise SystemExit(f"the nginx anchor needs {nginx_anchor.missing()}")


def one_round(args, number):
    h = hub.Hub(sms=True, sms_extra="access_log = false", base_dir=args.workdir).start()
    try:
        prefix = os.path.join(h.dir, "requests")
        # Enough distinct requests that no MessageSid repeats within the run.
        per_thread = args.max_rate * args.seconds // args.threads
        write_requests(prefix, args.threads, per_thread, args.customers, number)
        twilio = webhook_load(h, h.sms_base + PATH, prefix, args, what="sms round")
        nginx = nginx_load(h, PATH, prefix, args)
        result = {"twilio": twilio, "nginx": nginx, "ratio": twilio["requests_per_s"] / nginx["requests_per_s"],
                  "load_average": os.getloadavg()[0]}
        if not args.no_trivial:
            result["trivial"] = wrk(h.sms_base + "/health", prefix, args)
        return result
    finally:
        h.stop()
        h.cleanup()


def describe(key, x):
    """One round's line: the webhook load under x[key], the anchor, the trivial route."""
    w = x[key]
    return (f"{key} {w['requests_per_s']:.0f} req/s = {w['events_per_s']:.0f} events/s (p50 {w['p50_us'] / 1000:.1f} "
            f"ms, p99 {w['p99_us'] / 1000:.1f} ms; unifier committed {w['committed_during_per_s']:.0f}/s during = "
            f"{w['committed_ratio']:.2f} of the events), nginx {x['nginx']['requests_per_s']:.0f} req/s (p50 "
            f"{x['nginx']['p50_us'] / 1000:.1f} ms), ratio {x['ratio']:.2f}"
            + (f"; trivial route {x['trivial']['requests_per_s']:.0f} req/s" if "trivial" in x else ""))


def run_benchmark(name, key, args, one_round, settings=None):
    """Runs the rounds of a webhook benchmark whose one_round(args, number) returns {key: the
    webhook load, "nginx": the anchor, "ratio", ["trivial"]}, and writes its figures."""
    rounds = bench_rounds.run_rounds(args, lambda r: one_round(args, r), lambda x: describe(key, x))
    figures = {
        f"{key}_requests_per_s": lambda x: x[key]["requests_per_s"],
        f"{key}_events_per_s": lambda x: x[key]["events_per_s"],
        f"{key}_p50_ms": lambda x: x[key]["p50_us"] / 1000,
        f"{key}_p99_ms": lambda x: x[key]["p99_us"] / 1000,
        f"{key}_committed_during_per_s": lambda x: x[key]["committed_during_per_s"],
        f"{key}_committed_per_s": lambda x: x[key]["committed_per_s"],
        "committed_ratio": lambda x: x[key]["committed_ratio"],
        "nginx_requests_per_s": lambda x: x["nginx"]["requests_per_s"],
        "nginx_p50_ms": lambda x: x["nginx"]["p50_us"] / 1000,
        "nginx_p99_ms": lambda x: x["nginx"]["p99_us"] / 1000,
        "ratio": lambda x: x["ratio"],
    }
    if not args.no_trivial:
        figures["trivial_requests_per_s"] = lambda x: x["trivial"]["requests_per_s"]
        figures["ratio_to_trivial"] = lambda x: x[key]["requests_per_s"] / x["trivial"]["requests_per_s"]
    bench_rounds.write_result(args.json, {
        "benchmark": name, "connections": args.connections, "threads": args.threads, "seconds": args.seconds,
        **(settings or {}),
        "anchor": "nginx (Debian nginx-light) answering a static 200 after reading the body, same wrk settings",
        "nginx_workers": rounds[0]["nginx"]["workers"], "goal_ratio": GOAL_RATIO,
        "goal_committed_ratio": GOAL_COMMITTED_RATIO,
        "figures": bench_rounds.summarize(rounds, figures),
        "rounds": rounds,
    })


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_args(ap)
    args = ap.parse_args()
    check_tools("sms")
    run_benchmark("sms", "twilio", args, one_round)


if __name__ == "__main__":
    main()
