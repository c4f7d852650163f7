"""scripts/bench.sh social: webhook requests/s and latency p50/p99 with 64 connections (wrk)
against omnihub-social's Meta endpoint, every request a signed WhatsApp Cloud delivery of two
new messages (X-Hub-Signature-256), answered only once both are durable in the adapter's
outbox, with the unifier committing them. In the same run and the same hub: the SMS webhook
figure (signed Twilio posts to omnihub-sms, as scripts/bench.sh sms), and the same load on a
trivial route of the social server (/health: the HTTP stack's ceiling), with the ratios.

Each round starts fresh processes and databases under --workdir; figures are medians over the
rounds, and every round's figures are in the JSON."""

import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
import sms_bench  # noqa: E402
from social_clients import meta_signature, wa_text, whatsapp  # noqa: E402

META_PATH = "/meta/default"
MESSAGES_PER_DELIVERY = 2


def write_deliveries(prefix, threads, per_thread, customers, round_number):
    for t in range(threads):
        with open(f"{prefix}.{t}", "w") as f:
            for i in range(per_thread):
                n = t * per_thread + i
                number = f"1415555{n % customers:04d}"
                messages = [wa_text(f"wamid.B{round_number:02d}{t:02d}{n:010d}{k}", f"Order {n}: where is it?",
                                    frm=number) for k in range(MESSAGES_PER_DELIVERY)]
                body = json.dumps(whatsapp(messages=messages), separators=(",", ":")).encode()
                f.write(meta_signature(hub.META_APP_SECRET, body) + " " + body.decode() + "\n")


def one_round(args, number):
    h = hub.Hub(sms=True, sms_extra="access_log = false", social=True, social_extra="access_log = false",
                base_dir=args.workdir).start()
    try:
        social_prefix = os.path.join(h.dir, "deliveries")
        sms_prefix = os.path.join(h.dir, "requests")
        per_thread = args.max_rate * args.seconds // args.threads
        write_deliveries(social_prefix, args.threads, per_thread, args.customers, number)
        sms_bench.write_requests(sms_prefix, args.threads, per_thread, args.customers, number)

        start = time.monotonic()
        meta = sms_bench.wrk(h.social_base + META_PATH, social_prefix, args.connections, args.threads, args.seconds,
                             ("X-Hub-Signature-256", "application/json"))
        accepted = (meta["requests"] - meta["non_2xx"]) * MESSAGES_PER_DELIVERY
        h.wait_stats("events", accepted, timeout=600)
        committed = time.monotonic()
        stats = h.stats()
        if meta["non_2xx"] or meta["socket_errors"] or stats["duplicates"]:
            raise SystemExit(f"social round: {meta['non_2xx']} non-2xx answers, {meta['socket_errors']} socket "
                             f"errors, {stats['duplicates']} duplicates (raise --max-rate)")
        meta["messages_per_s"] = meta["requests_per_s"] * MESSAGES_PER_DELIVERY
        meta["committed_per_s"] = stats["events"] / (committed - start)

        sms = sms_bench.wrk(h.sms_base + sms_bench.PATH, sms_prefix, args.connections, args.threads, args.seconds)
        h.wait_stats("events", accepted + sms["requests"] - sms["non_2xx"], timeout=600)
        trivial = sms_bench.wrk(h.social_base + "/health", social_prefix, args.connections, args.threads, args.seconds)
        return {"whatsapp": meta, "sms": sms, "trivial": trivial,
                "ratio_to_trivial": meta["requests_per_s"] / trivial["requests_per_s"],
                "ratio_to_sms": meta["requests_per_s"] / sms["requests_per_s"]}
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
        raise SystemExit("wrk is missing: apt-get install wrk (scripts/bench.sh social does)")

    rounds = bench_rounds.run_rounds(args, lambda r: one_round(args, r), lambda x: (
        f"whatsapp {x['whatsapp']['requests_per_s']:.0f} req/s = {x['whatsapp']['messages_per_s']:.0f} msg/s "
        f"(p50 {x['whatsapp']['p50_us'] / 1000:.1f} ms, p99 {x['whatsapp']['p99_us'] / 1000:.1f} ms; committed "
        f"{x['whatsapp']['committed_per_s']:.0f}/s), sms {x['sms']['requests_per_s']:.0f} req/s "
        f"(p99 {x['sms']['p99_us'] / 1000:.1f} ms), trivial {x['trivial']['requests_per_s']:.0f} req/s; "
        f"ratios: to trivial {x['ratio_to_trivial']:.2f}, to sms {x['ratio_to_sms']:.2f}"))
    med = lambda f: bench_rounds.median(rounds, f)  # noqa: E731
    bench_rounds.write_result(args.json, {
        "benchmark": "social", "connections": args.connections, "seconds": args.seconds,
        "messages_per_delivery": MESSAGES_PER_DELIVERY,
        "whatsapp_requests_per_s": med(lambda x: x["whatsapp"]["requests_per_s"]),
        "whatsapp_messages_per_s": med(lambda x: x["whatsapp"]["messages_per_s"]),
        "whatsapp_p50_ms": med(lambda x: x["whatsapp"]["p50_us"] / 1000),
        "whatsapp_p99_ms": med(lambda x: x["whatsapp"]["p99_us"] / 1000),
        "whatsapp_committed_per_s": med(lambda x: x["whatsapp"]["committed_per_s"]),
        "sms_requests_per_s": med(lambda x: x["sms"]["requests_per_s"]),
        "sms_p50_ms": med(lambda x: x["sms"]["p50_us"] / 1000),
        "sms_p99_ms": med(lambda x: x["sms"]["p99_us"] / 1000),
        "trivial_requests_per_s": med(lambda x: x["trivial"]["requests_per_s"]),
        "trivial_p50_ms": med(lambda x: x["trivial"]["p50_us"] / 1000),
        "trivial_p99_ms": med(lambda x: x["trivial"]["p99_us"] / 1000),
        "ratio_to_trivial": med(lambda x: x["ratio_to_trivial"]),
        "ratio_to_sms": med(lambda x: x["ratio_to_sms"]),
        "rounds": rounds,
    })


if __name__ == "__main__":
    main()
