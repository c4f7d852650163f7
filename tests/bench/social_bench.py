"""scripts/bench.sh social: webhook requests/s and latency p50/p99 with 64 connections (wrk)
against omnihub-social's Meta endpoint, every request a signed WhatsApp Cloud delivery of two
new messages (X-Hub-Signature-256), answered only once both are durable in the adapter's
outbox, with the unifier committing them. The anchor, in the same round: Debian's nginx
answering a static 200 to the same POSTs with the same wrk settings (nginx_anchor.py). Also the
same load on a trivial route of omnihub-social (/health: its HTTP stack's ceiling). Ratios:
webhook 200s/s over nginx 200s/s (goal >= 0.3), and the unifier's committed events/s during the
load over the events the answered deliveries carried per second (goal >= 0.8).

Each round starts fresh processes and databases under --workdir; every figure is printed and
written as median and range over the rounds, every round's figures are in the JSON too. The
load, the anchor and the figures are sms_bench.py's (webhook_load, nginx_load, run_benchmark)."""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import sms_bench  # noqa: E402
from social_clients import meta_signature, wa_text, whatsapp  # noqa: E402

META_PATH = "/meta/default"
META_HEADERS = ("X-Hub-Signature-256", "application/json")
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
    h = hub.Hub(social=True, social_extra="access_log = false", base_dir=args.workdir).start()
    try:
        prefix = os.path.join(h.dir, "deliveries")
        per_thread = args.max_rate * args.seconds // args.threads
        write_deliveries(prefix, args.threads, per_thread, args.customers, number)
        meta = sms_bench.webhook_load(h, h.social_base + META_PATH, prefix, args, MESSAGES_PER_DELIVERY,
                                      META_HEADERS, what="social round")
        nginx = sms_bench.nginx_load(h, META_PATH, prefix, args, META_HEADERS)
        result = {"whatsapp": meta, "nginx": nginx, "ratio": meta["requests_per_s"] / nginx["requests_per_s"],
                  "load_average": os.getloadavg()[0]}
        if not args.no_trivial:
            result["trivial"] = sms_bench.wrk(h.social_base + "/health", prefix, args)
        return result
    finally:
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sms_bench.add_load_args(ap)
    args = ap.parse_args()
    sms_bench.check_tools("social")
    sms_bench.run_benchmark("social", "whatsapp", args, one_round, {"messages_per_delivery": MESSAGES_PER_DELIVERY})


if __name__ == "__main__":
    main()
