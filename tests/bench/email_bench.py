"""scripts/bench.sh email: messages/s for 5 KB messages from 20 concurrent SMTP clients
(Postfix's smtp-source) through a real omnihub-email into a real omnihub-unifier, counted
until the unifier has committed every message. The anchor, in the same round: Debian's Postfix
receiving the same messages from smtp-source (same count, size and sessions) into its queue
(postfix_anchor.py), counted until every message is queued. Ratio: omnihub committed/s over
Postfix queued/s (goal >= 3). Optionally (--inject) the core ingest rate of the same events
through `omnihubctl inject`, as extra information.

Runs as root: a private Postfix instance needs it. Each round starts fresh processes and
databases under --workdir; every figure is printed and written as median and range over the
rounds, every round's figures are in the JSON too."""

import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
import postfix_anchor  # noqa: E402

SENDER = "customer@example.net"
MAILBOX = "support@example.com"
GOAL_RATIO = 3


def smtp_source(port, args, messages=None):
    """Sends `messages` (default args.messages) messages of args.size bytes over args.sessions
    concurrent sessions; returns when every one got its 250."""
    cmd = ["smtp-source", "-s", str(args.sessions), "-m", str(messages or args.messages), "-l", str(args.size),
           "-f", SENDER, "-t", MAILBOX, f"127.0.0.1:{port}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=3600)


def email_round(args):
    h = hub.Hub(email=True, base_dir=args.workdir).start()
    try:
        smtp_source(h.smtp_port, args, args.warmup)
        h.wait_stats("events", args.warmup, timeout=600)
        start = time.monotonic()
        smtp_source(h.smtp_port, args)
        acked = time.monotonic()  # every 250 received: all durable in the adapter's outbox
        expected = args.warmup + args.messages
        h.wait_stats("events", expected, timeout=3600)
        committed = time.monotonic()
        stats = h.stats()
        if stats["events"] != expected or stats["dead_letters"] != 0:
            raise SystemExit(f"email round stored {stats['events']} events and {stats['dead_letters']} dead letters, "
                             f"expected {expected} and 0")
        return {"messages_per_s": args.messages / (committed - start), "acked_per_s": args.messages / (acked - start),
                "seconds": committed - start}
    finally:
        h.stop()
        h.cleanup()


def postfix_round(args):
    with postfix_anchor.PostfixAnchor(args.workdir, hub.free_port(), MAILBOX.split("@")[1]) as postfix:
        smtp_source(postfix.port, args, args.warmup)
        postfix.wait_queued(args.warmup)
        start = time.monotonic()
        smtp_source(postfix.port, args)
        acked = time.monotonic()
        expected = args.warmup + args.messages
        queued = postfix.wait_queued(expected)  # all on hold before the rate is taken
        if postfix.queued() != expected:
            raise SystemExit(f"postfix queued {postfix.queued()} messages, expected {expected}")
        return {"queued_per_s": args.messages / (queued - start), "acked_per_s": args.messages / (acked - start),
                "seconds": queued - start}


def inject_round(args):
    h = hub.Hub(base_dir=args.workdir).start()
    try:
        body = ("X" * 78 + "\n") * (args.size // 79)
        lines = [{"channel": "email", "account": MAILBOX, "direction": "inbound",
                  "provider_message_id": f"{i}.bench@example.net", "occurred_at": hub.rfc3339(1_795_000_000_000_000 + i),
                  "from": {"email": SENDER}, "to": [{"email": MAILBOX}], "subject": f"bench {i}", "text": body}
                 for i in range(args.messages)]
        path = h.write_file("events.jsonl", lines)
        start = time.monotonic()
        h.ctl("inject", path, timeout=3600)  # returns once the unifier has committed every line
        committed = time.monotonic()
        if h.stats()["events"] != args.messages:
            raise SystemExit("inject round did not store every event")
        return {"events_per_s": args.messages / (committed - start), "seconds": committed - start}
    finally:
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--size", type=int, default=5120, help="message body bytes")
    ap.add_argument("--warmup", type=int, default=100,
                    help="messages sent to each side before the clock starts (processes started, code paged in)")
    ap.add_argument("--inject", action="store_true", help="also the same events through omnihubctl inject")
    bench_rounds.add_common_args(ap)
    args = ap.parse_args()
    if postfix_anchor.missing():
        raise SystemExit(f"the Postfix anchor needs {postfix_anchor.missing()}")

    def one_round(_):
        result = {"email": email_round(args), "postfix": postfix_round(args), "load_average": os.getloadavg()[0]}
        result["ratio"] = result["email"]["messages_per_s"] / result["postfix"]["queued_per_s"]
        if args.inject:
            result["inject"] = inject_round(args)
        return result

    rounds = bench_rounds.run_rounds(args, one_round, lambda x: (
        f"email {x['email']['messages_per_s']:.0f} msg/s committed (250s at {x['email']['acked_per_s']:.0f}/s), "
        f"postfix {x['postfix']['queued_per_s']:.0f} msg/s queued, ratio {x['ratio']:.2f}"
        + (f"; inject {x['inject']['events_per_s']:.0f} ev/s" if "inject" in x else "")))
    figures = {
        "email_messages_per_s": lambda x: x["email"]["messages_per_s"],
        "email_acked_per_s": lambda x: x["email"]["acked_per_s"],
        "postfix_queued_per_s": lambda x: x["postfix"]["queued_per_s"],
        "ratio": lambda x: x["ratio"],
    }
    if args.inject:
        figures["inject_events_per_s"] = lambda x: x["inject"]["events_per_s"]
    bench_rounds.write_result(args.json, {
        "benchmark": "email", "messages": args.messages, "sessions": args.sessions, "body_bytes": args.size,
        "anchor": "Postfix (Debian) receiving the same smtp-source messages into its hold queue",
        "goal_ratio": GOAL_RATIO,
        "figures": bench_rounds.summarize(rounds, figures),
        "rounds": rounds,
    })


if __name__ == "__main__":
    if shutil.which("smtp-source") is None:
        raise SystemExit("smtp-source is missing: apt-get install postfix (scripts/bench.sh email does)")
    main()
