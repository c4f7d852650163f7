"""Cluster mode's query routing and failover (docs/cluster.md "Query routing and failover"),
with real processes: one nats-server (JetStream), two omnihub-unifier processes in single-host
mode holding the same data (the same ingest lines injected into each), replica registry entries
that this test writes into OMNI_REPLICAS every 300 ms (the replicas themselves do not write them
yet), and omnihubctl and omnihub-api in cluster mode. Replica "a" reports one position more than
"b", so it is asked first; it is killed with SIGKILL while its entry still looks live (the worst
case: less than 3 s old), and the next query must answer from "b" within 2 s; the API's live feed
must go on from the other replica without a gap or a duplicate."""

import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import hub
from cluster_processes import NatsServer
from sse_client import SseStream

FAILOVER_RUNS = 10


class RegistryWriter:
    """Writes replica entries into the KV bucket OMNI_REPLICAS over the plain NATS protocol (a KV
    put is a publish on $KV.<bucket>.<key>), every `interval` seconds with a fresh updated_ms."""

    def __init__(self, port, interval=0.3):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.recv(4096)  # the server's INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n')
        self.entries = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.interval = interval
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def put(self, replica_id, endpoint, applied):
        with self.lock:
            self.entries[replica_id] = {"replica_id": replica_id, "partition": 0, "query_endpoint": endpoint,
                                        "admin_url": "", "applied_position": applied, "stream_created_ns": 1,
                                        "digest_position": 0, "digest": ""}
        self._write()

    def forget(self, replica_id):
        """Stops refreshing an entry: readers see it down 3 s after its last write."""
        with self.lock:
            self.entries.pop(replica_id, None)

    def _write(self):
        with self.lock:
            now_ms = int(time.time() * 1000)
            for replica_id, entry in self.entries.items():
                payload = json.dumps(dict(entry, updated_ms=now_ms)).encode()
                self.sock.sendall(f"PUB $KV.OMNI_REPLICAS.p00.{replica_id} {len(payload)}\r\n".encode()
                                  + payload + b"\r\n")

    def _run(self):
        while not self.stopped.wait(self.interval):
            self._write()

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.sock.close()


class ClusterRoutingTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="omnihub-routing-")
        self.nats = NatsServer()
        self.a = hub.Hub().start()
        self.b = hub.Hub().start()
        cluster = f"""
[cluster]
enabled = true
nats_urls = ["{self.nats.url}"]
partitions = 1
replicas = 1
"""
        # The client side: a config of its own whose unifier is never started; omnihubctl and
        # omnihub-api read it in cluster mode.
        self.client = hub.Hub(api=True, api_extra="sse_heartbeat_s = 1\n", extra=cluster)
        self.client.ctl("cluster", "init")
        self.client.ctl("cluster", "assign", "default", "0")
        self.token = self.client.api_token("routing-e2e", "read")  # also creates OMNI_REPLICAS
        self.registry = RegistryWriter(self.nats.port)

    def tearDown(self):
        self.registry.close()
        for h in (self.client, self.a, self.b):
            h.stop()
            h.cleanup()
        self.nats.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def inject_both(self, lines):
        for h in (self.a, self.b):
            h.inject_lines(lines)

    def query_endpoint(self, h):
        return "ipc://" + os.path.join(h.run_dir, "query.sock")

    def api_get(self, path, headers=None):
        req = urllib.request.Request(self.client.api_base + path,
                                     headers=dict({"Authorization": "Bearer " + self.token}, **(headers or {})))
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_queries_fail_over_and_the_live_feed_goes_on(self):
        t0 = 1_700_000_000_000_000
        first = [hub.sms("+12025550100", f"r{i}", hub.rfc3339(t0 + i)) for i in range(5)]
        self.inject_both(first)
        self.registry.put("a", self.query_endpoint(self.a), 11)
        self.registry.put("b", self.query_endpoint(self.b), 10)
        self.client.start_api()

        # Routed reads answer, with and without a position either replica has applied.
        status, body = self.api_get("/api/v1/customers/phone:+12025550100")
        self.assertEqual(status, 200, body)
        status, body = self.api_get("/api/v1/customers/phone:+12025550100", {"Omni-Min-Position": "0:10"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.client.timeline("phone:+12025550100", "--min-position", "0:11")[0][0]["provider_message_id"], "r4")
        # A position no replica has reached: 503 naming min_position after 2 s; omnihubctl exits 3.
        started = time.monotonic()
        status, body = self.api_get("/api/v1/customers/phone:+12025550100?min_position=0:12")
        self.assertEqual(status, 503, body)
        self.assertEqual(body["error"]["field"], "min_position")
        self.assertIn("min_position 0:12 not reached within 2000 ms", body["error"]["message"])
        self.assertGreaterEqual(time.monotonic() - started, 2.0)
        r = self.client.ctl("lookup", "phone:+12025550100", "--min-position", "0:12", check=False)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("min_position 0:12 not reached", r.stderr.decode())
        # A bad tenant or position is the client's mistake.
        status, body = self.api_get("/api/v1/customers/phone:+12025550100?tenant=acme.eu")
        self.assertEqual((status, body["error"]["field"]), (400, "tenant"), body)
        status, body = self.api_get("/api/v1/customers/phone:+12025550100?tenant=globex")
        self.assertEqual((status, body["error"]["field"]), (404, "tenant"), body)
        r = self.client.ctl("lookup", "phone:+12025550100", "--min-position", "zero", check=False)
        self.assertEqual(r.returncode, 2, r.stderr)

        # The live feed follows the default tenant only.
        other = SseStream("127.0.0.1", self.client.api_port, "/api/v1/stream?tenant=acme", self.token)
        self.assertEqual(other.status, 400)
        other.close()

        # The live feed, from change 1 on, served through replica a.
        last = self.a.stats()["last_change_seq"]
        self.assertEqual(last, self.b.stats()["last_change_seq"])
        stream = SseStream("127.0.0.1", self.client.api_port, "/api/v1/stream", self.token, last_event_id="1")
        self.assertEqual(stream.status, 200)
        seen = [int(e.id) for e in stream.changes(last - 1, timeout=15)]

        # What a whole omnihubctl timeline takes with both replicas up (process start, NATS
        # connect, registry load, one query), to tell the failover's share from the rest.
        baseline = []
        for _ in range(3):
            started = time.monotonic()
            self.client.timeline("phone:+12025550100", "--limit", "1")
            baseline.append(time.monotonic() - started)

        # Replica a dies; its entry still looks live. The API's next query answers from b in < 2 s.
        self.a.proc.send_signal(signal.SIGKILL)
        self.a.proc.wait()
        started = time.monotonic()
        status, body = self.api_get("/api/v1/customers/phone:+12025550100")
        api_failover = time.monotonic() - started
        self.assertEqual(status, 200, body)
        self.assertLess(api_failover, 2.0)

        # Every fresh omnihubctl asks a first (it is the most caught-up), then b.
        times = []
        for _ in range(FAILOVER_RUNS):
            started = time.monotonic()
            lines, err = self.client.timeline("phone:+12025550100", "--limit", "1")
            times.append(time.monotonic() - started)
            self.assertEqual(lines[0]["provider_message_id"], "r4", err)
        print(f"\nfailover: API {api_failover * 1000:.0f} ms; omnihubctl timeline (whole command) over "
              f"{FAILOVER_RUNS} runs: min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
              f"mean {sum(times) / len(times) * 1000:.0f} ms (with both replicas up: "
              f"{min(baseline) * 1000:.0f}-{max(baseline) * 1000:.0f} ms)")
        self.assertLess(max(times), 2.0)

        # More changes, now only on b: the feed goes on from where it was, no gap, no duplicate.
        more = [hub.sms("+12025550101", f"s{i}", hub.rfc3339(t0 + 100 + i)) for i in range(3)]
        self.b.inject_lines(more)
        total = self.b.stats()["last_change_seq"]
        self.assertGreater(total, last)
        seen += [int(e.id) for e in stream.changes(total - last, timeout=15)]
        self.assertEqual(seen, list(range(2, total + 1)))
        stream.close()


if __name__ == "__main__":
    unittest.main()
