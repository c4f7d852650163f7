"""scripts/bench.sh api (the live-updates part): how fast omnihub-api fans committed changes out
to many server-sent-event streams. --clients (default 1000) clients hold GET /api/v1/stream
open, spread over --procs processes that each serve their sockets with one selector loop; then
--events events are injected at --rate events/s (omnihubctl inject, batches of --batch) and
every client reads every change. The latency of one delivery is the local wall clock when its
bytes were read minus the change's committed_at (the unifier's wall clock on the same machine):
commit to client, through the change feed, the API's change hub and HTTP. Also checked: every
client got every change exactly once and in order.

Runs standalone (it starts its own hub, Hub(api=True), under --workdir):
  python3 tests/bench/sse_fanout_bench.py [--clients N] [--events M] [--json FILE]
Prints the figures as JSON (and writes them to --json)."""

import argparse
import datetime
import json
import multiprocessing
import os
import resource
import selectors
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402
from sse_client import ChunkedDecoder, SseParser, parse_head, request_bytes  # noqa: E402

T0 = 1_790_000_000_000_000


def committed_at_s(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Client:
    """One stream on a non-blocking socket."""

    def __init__(self, port, token, committed):
        self.committed = committed  # change_seq -> committed_at in seconds, shared by the process's clients
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.connect_ex(("127.0.0.1", port))
        self.out = request_bytes("127.0.0.1", port, "/api/v1/stream", token)
        self.head = b""
        self.status = None
        self.decoder = ChunkedDecoder()
        self.parser = SseParser()
        self.started = False  # the stream's first bytes came
        self.last_id = None   # the last change id read
        self.out_of_order = 0
        self.latencies_ms = []

    def on_writable(self):
        sent = self.sock.send(self.out)
        self.out = self.out[sent:]
        return not self.out

    def on_readable(self):
        data = self.sock.recv(1 << 16)
        now = time.time()
        if not data:
            raise ConnectionError("the server closed a stream")
        if self.status is None:
            self.head += data
            if b"\r\n\r\n" not in self.head:
                return
            head, data = self.head.split(b"\r\n\r\n", 1)
            self.status, _ = parse_head(head)
            if self.status != 200:
                raise ConnectionError(f"GET /api/v1/stream answered {self.status}")
        for e in self.parser.feed(self.decoder.feed(data).decode()):
            if e.retry is not None:
                self.started = True
            if e.event != "change":
                continue
            seq = int(e.id)
            if self.last_id is not None and seq != self.last_id + 1:
                self.out_of_order += 1
            self.last_id = seq
            committed = self.committed.get(seq)
            if committed is None:  # every client of the process gets the same change: parse it once
                committed = self.committed[seq] = committed_at_s(json.loads(e.data)["committed_at"])
            self.latencies_ms.append((now - committed) * 1000.0)


def worker(port, token, count, ready, end_seq, results, timeout_s):
    """Holds `count` streams; reports ready once all started, reads until each has end_seq."""
    sel = selectors.DefaultSelector()
    clients = []
    committed = {}
    for _ in range(count):
        c = Client(port, token, committed)
        clients.append(c)
        sel.register(c.sock, selectors.EVENT_WRITE, c)
    reported = False
    deadline = time.monotonic() + timeout_s
    error = None
    while time.monotonic() < deadline:
        for key, mask in sel.select(timeout=0.1):
            c = key.data
            try:
                if mask & selectors.EVENT_WRITE:
                    if c.on_writable():
                        sel.modify(c.sock, selectors.EVENT_READ, c)
                else:
                    c.on_readable()
            except (ConnectionError, OSError) as e:
                error = str(e)
                sel.unregister(c.sock)
        if not reported and all(c.started for c in clients):
            ready.put(True)
            reported = True
        end = end_seq.value
        if end and all(c.last_id is not None and c.last_id >= end for c in clients):
            break
    latencies = [x for c in clients for x in c.latencies_ms]
    results.put({"latencies_ms": latencies, "out_of_order": sum(c.out_of_order for c in clients),
                 "incomplete": sum(1 for c in clients if not end_seq.value or c.last_id is None
                                   or c.last_id < end_seq.value),
                 "started": sum(c.started for c in clients), "error": error})
    for c in clients:
        c.sock.close()


def inject_paced(h, events, rate, batch, number):
    """Injects `events` SMS in batches at about `rate` events/s; returns the seconds it took."""
    started = time.monotonic()
    for first in range(0, events, batch):
        n = min(batch, events - first)
        # Ten senders: after their first events, one change per event (event_added).
        lines = [hub.sms(f"+141555500{(first + i) % 10:02d}", f"fan-{number}-{first + i:07d}",
                         hub.rfc3339(T0 + (first + i) * 1_000_000), text=f"fan-out {first + i}") for i in range(n)]
        h.inject_lines(lines)
        wait = started + (first + n) / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    return time.monotonic() - started


def cpu_s(pid):
    """User + system CPU seconds of process `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def one_round(args, number):
    # One token for every client: its rate limit must not refuse the connections.
    extra = "rate_limit_per_s = 1000000\nrate_limit_burst = 1000000\naccess_log = false\n"
    h = hub.Hub(api=True, api_extra=extra, base_dir=args.workdir).start()
    procs = []
    try:
        token = h.api_token("fanout-bench", "read")
        ctx = multiprocessing.get_context("fork")
        ready, results = ctx.Queue(), ctx.Queue()
        end_seq = ctx.Value("Q", 0)
        per = [args.clients // args.procs + (1 if i < args.clients % args.procs else 0) for i in range(args.procs)]
        connect_started = time.monotonic()
        for n in per:
            p = ctx.Process(target=worker, args=(h.api_port, token, n, ready, end_seq, results, args.timeout))
            p.start()
            procs.append(p)
        for _ in per:
            ready.get(timeout=args.timeout)
        connect_s = time.monotonic() - connect_started

        start_seq = h.stats()["last_change_seq"]
        api_cpu_before = cpu_s(h.api_proc.pid)
        inject_s = inject_paced(h, args.events, args.rate, args.batch, number)
        end = h.stats()["last_change_seq"]
        end_seq.value = end
        parts = [results.get(timeout=args.timeout + 60) for _ in per]
        api_cpu = cpu_s(h.api_proc.pid) - api_cpu_before
        for p in procs:
            p.join(timeout=30)
        latencies = sorted(x for part in parts for x in part["latencies_ms"])
        errors = [part["error"] for part in parts if part["error"]]
        changes = end - start_seq
        return {"clients": args.clients, "events": args.events, "changes": changes,
                "deliveries": len(latencies), "expected_deliveries": changes * args.clients,
                "out_of_order": sum(part["out_of_order"] for part in parts),
                "incomplete_clients": sum(part["incomplete"] for part in parts),
                "errors": errors[:5], "connect_s": round(connect_s, 3), "inject_s": round(inject_s, 3),
                # omnihub-api's CPU while the changes were fanned out, and per delivery.
                "api_cpu_s": round(api_cpu, 3),
                "api_cpu_us_per_delivery": round(api_cpu * 1e6 / len(latencies), 2) if latencies else None,
                "load_average": os.getloadavg()[0],
                "latency_ms": {"p50": percentile(latencies, 0.50), "p99": percentile(latencies, 0.99),
                               "max": latencies[-1] if latencies else None,
                               "mean": statistics.fmean(latencies) if latencies else None}}
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        h.stop()
        h.cleanup()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--events", type=int, default=300)
    p.add_argument("--rate", type=float, default=20.0, help="events injected per second")
    p.add_argument("--batch", type=int, default=5, help="events per omnihubctl inject")
    p.add_argument("--procs", type=int, default=4, help="client processes")
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--workdir", default=os.path.join(hub.REPO, "build", "bench-work"))
    p.add_argument("--json", help="also write the figures here")
    args = p.parse_args()
    # Every stream is a socket here and one in omnihub-api (started from this process).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.clients * 2 + 1024
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    os.makedirs(args.workdir, exist_ok=True)
    rounds = bench_rounds.run_rounds(args, lambda n: one_round(args, n),
                                     lambda r: f"p50 {r['latency_ms']['p50']:.1f} ms, p99 {r['latency_ms']['p99']:.1f} ms, "
                                               f"{r['deliveries']} of {r['expected_deliveries']} deliveries")
    result = {"benchmark": "sse_fanout", "clients": args.clients, "events": args.events, "rate": args.rate,
              "p50_ms": bench_rounds.median(rounds, lambda r: r["latency_ms"]["p50"]),
              "p99_ms": bench_rounds.median(rounds, lambda r: r["latency_ms"]["p99"]),
              "api_cpu_us_per_delivery": bench_rounds.median(rounds, lambda r: r["api_cpu_us_per_delivery"] or 0),
              "complete": all(r["deliveries"] == r["expected_deliveries"] and r["out_of_order"] == 0
                              and r["incomplete_clients"] == 0 for r in rounds),
              "rounds": rounds}
    if args.json:
        bench_rounds.write_result(args.json, result)
    else:
        print(json.dumps(result, indent=2))
    if not result["complete"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
