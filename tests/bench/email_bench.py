"""scripts/bench.sh email: messages/s for 5 KB messages from 20 concurrent SMTP clients
(Postfix's smtp-source) through a real omnihub-email into a real omnihub-unifier,
counted until the unifier has committed every message; and in the same run the core
ingest rate for the same events through `omnihubctl inject`, with the ratio.

Each round starts fresh processes and databases under --workdir. Figures are medians
over the rounds; every round's figures are in the JSON too."""

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

SENDER = "customer@example.net"
MAILBOX = "support@example.com"


def email_round(workdir, messages, sessions, size):
    h = hub.Hub(email=True, base_dir=workdir).start()
    try:
        cmd = ["smtp-source", "-s", str(sessions), "-m", str(messages), "-l", str(size),
               "-f", SENDER, "-t", MAILBOX, f"127.0.0.1:{h.smtp_port}"]
        start = time.monotonic()
        subprocess.run(cmd, check=True, capture_output=True, timeout=3600)
        acked = time.monotonic()  # every 250 received: all durable in the adapter's outbox
        h.wait_stats("events", messages, timeout=3600)
        committed = time.monotonic()
        stats = h.stats()
        if stats["events"] != messages or stats["dead_letters"] != 0:
            raise SystemExit(f"email round stored {stats['events']} events and {stats['dead_letters']} dead letters, "
                             f"expected {messages} and 0")
        return {"messages_per_s": messages / (committed - start), "acked_per_s": messages / (acked - start),
                "seconds": committed - start}
    finally:
        h.stop()
        h.cleanup()


def inject_round(workdir, messages, size):
    h = hub.Hub(base_dir=workdir).start()
    try:
        body = ("X" * 78 + "\n") * (size // 79)
        lines = [{"channel": "email", "account": MAILBOX, "direction": "inbound",
                  "provider_message_id": f"{i}.bench@example.net", "occurred_at": hub.rfc3339(1_795_000_000_000_000 + i),
                  "from": {"email": SENDER}, "to": [{"email": MAILBOX}], "subject": f"bench {i}", "text": body}
                 for i in range(messages)]
        path = h.write_file("events.jsonl", lines)
        start = time.monotonic()
        h.ctl("inject", path, timeout=3600)  # returns once the unifier has committed every line
        committed = time.monotonic()
        if h.stats()["events"] != messages:
            raise SystemExit("inject round did not store every event")
        return {"events_per_s": messages / (committed - start), "seconds": committed - start}
    finally:
        h.stop()
        h.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--size", type=int, default=5120, help="message body bytes")
    bench_rounds.add_common_args(ap)
    args = ap.parse_args()
    if shutil.which("smtp-source") is None:
        raise SystemExit("smtp-source is missing: apt-get install postfix (scripts/bench.sh email does)")

    def one_round(_):
        email = email_round(args.workdir, args.messages, args.sessions, args.size)
        inject = inject_round(args.workdir, args.messages, args.size)
        return {"email": email, "inject": inject, "ratio": email["messages_per_s"] / inject["events_per_s"]}

    rounds = bench_rounds.run_rounds(args, one_round, lambda x: (
        f"email {x['email']['messages_per_s']:.0f} msg/s (250s at {x['email']['acked_per_s']:.0f}/s), "
        f"inject {x['inject']['events_per_s']:.0f} ev/s, ratio {x['ratio']:.2f}"))
    med = lambda f: bench_rounds.median(rounds, f)  # noqa: E731
    bench_rounds.write_result(args.json, {
        "benchmark": "email",
        "messages": args.messages, "sessions": args.sessions, "body_bytes": args.size,
        "email_messages_per_s": med(lambda x: x["email"]["messages_per_s"]),
        "email_acked_per_s": med(lambda x: x["email"]["acked_per_s"]),
        "inject_events_per_s": med(lambda x: x["inject"]["events_per_s"]),
        "ratio": med(lambda x: x["ratio"]),
        "rounds": rounds,
    })


if __name__ == "__main__":
    main()
