"""Cluster mode's query routing and failover (docs/cluster.md "Query routing and failover"),
with real processes: one nats-server (JetStream), two omnihub-unifier processes in single-host
mode holding the same data (the same ingest lines injected into each), replica registry entries
that this test writes into OMNI_REPLICAS every 300 ms (the replicas themselves do not write them
yet), and omnihubctl and omnihub-api in cluster mode. Replica "a" reports one position more than
"b", so it is asked first; it is killed with SIGKILL while its entry still looks live (the worst
case: less than 3 s old), and the next query must answer from "b" within 2 s; the API's live feed
must go on from the other replica without a gap or a duplicate.

TenantLiveFeedTest: the live feed of a tenant (docs/cluster.md "The live feed") with real
cluster-mode replicas: tenants default on partition 0, acme and globex on partition 1, one
omnihub-unifier replica applying each partition, events ingested through omnihub-api with their
tenant. An SSE client of acme is served from partition 1's change log and gets acme's new
changes, each with partition 1's change_seq, and neither globex's (same partition) nor the
default tenant's (the other partition); a default-tenant client gets the default's."""

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
from cluster_processes import NatsServer, ReplicaProcess, cluster_toml
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

        # A tenant on no partition has no live feed: 400 naming tenant.
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


class TenantLiveFeedTest(unittest.TestCase):
    def setUp(self):
        self.nats = NatsServer()
        self.addCleanup(self.nats.cleanup)
        # omnihub-api's and omnihubctl's config; its own unifier is never started.
        self.client = hub.Hub(api=True, api_extra="sse_heartbeat_s = 1\n", extra=cluster_toml(self.nats.url, 2))
        self.addCleanup(self.client.cleanup)
        self.addCleanup(self.client.stop)
        self.client.ctl("cluster", "init")
        for tenant, partition in (("default", "0"), ("acme", "1"), ("globex", "1")):
            self.client.ctl("cluster", "assign", tenant, partition)
        self.token = self.client.api_token("tenant-feed-e2e", "read,ingest")
        self.replicas = [ReplicaProcess(self.client.dir, f"p{p}", p, self.nats.url, 2) for p in (0, 1)]
        for replica in self.replicas:
            self.addCleanup(replica.kill)
        self.client.start_api()
        self.n = 0

    def ingest(self, tenant, phone):
        """One inbound SMS of `tenant` through the API (its outbox sends it to the tenant's
        partition)."""
        self.n += 1
        line = dict(hub.sms(phone, f"{tenant}-{self.n}", hub.rfc3339(1_700_000_000_000_000 + self.n * 1000)),
                    tenant=tenant)
        req = urllib.request.Request(self.client.api_base + "/api/v1/events", data=json.dumps(line).encode(),
                                     headers={"Authorization": "Bearer " + self.token,
                                              "Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            self.assertEqual(r.status, 202)

    def applied(self, partition, position):
        """Waits until partition's replica has applied `position` (one event of the API a
        position), so that the change numbers below are known."""
        replica = self.replicas[partition]
        try:
            hub.wait_until(lambda: (replica.applied_position() or 0) >= position,
                           f"partition {partition} to apply position {position}", timeout=60, interval=0.2)
        except AssertionError:
            print(f"\n{replica.dir} log:\n{replica.read_log()}")
            raise

    def stream(self, tenant, last_event_id):
        query = "" if tenant == "default" else "?tenant=" + tenant
        s = SseStream("127.0.0.1", self.client.api_port, "/api/v1/stream" + query, self.token,
                      last_event_id=str(last_event_id))
        self.addCleanup(s.close)
        self.assertEqual(s.status, 200)
        return s

    def next_change(self, stream):
        got = stream.changes(1, timeout=30)[0]
        return got.id, got.json

    def test_a_tenants_stream_gets_its_changes_of_its_partition_only(self):
        # Partition 1: acme's first event (changes 1 and 2), then globex's (3 and 4); partition
        # 0: the default tenant's (1 and 2). Each is applied before the next is sent.
        self.ingest("acme", "+12025550201")
        self.applied(1, 1)
        self.ingest("globex", "+12025550202")
        self.applied(1, 2)
        self.ingest("default", "+12025550203")
        self.applied(0, 1)

        # Each stream replays its tenant's last change, served from its partition's change log.
        acme = self.stream("acme", 1)
        seq, change = self.next_change(acme)
        self.assertEqual((seq, change["kind"], change["tenant"]), ("2", "event_added", "acme"), change)
        acme_ana = change["customer_id"]
        globex = self.stream("globex", 3)
        seq, change = self.next_change(globex)
        self.assertEqual((seq, change["kind"], change["tenant"]), ("4", "event_added", "globex"), change)
        globex_ben = change["customer_id"]
        self.assertNotEqual(acme_ana, globex_ben)
        default = self.stream("default", 1)
        seq, change = self.next_change(default)
        self.assertEqual((seq, change["kind"]), ("2", "event_added"), change)
        self.assertNotIn("tenant", change)
        default_cy = change["customer_id"]

        # The default tenant's and globex's new events (globex's is partition 1's change 5), then
        # acme's: acme's stream passes over 5 and gets 6, its own.
        self.ingest("default", "+12025550203")
        self.ingest("globex", "+12025550202")
        seq, change = self.next_change(globex)
        self.assertEqual((seq, change["kind"], change["tenant"], change["customer_id"]),
                         ("5", "event_added", "globex", globex_ben), change)
        self.ingest("acme", "+12025550201")
        seq, change = self.next_change(acme)
        self.assertEqual((seq, change["kind"], change["tenant"], change["customer_id"]),
                         ("6", "event_added", "acme", acme_ana), change)
        self.ingest("acme", "+12025550201")
        seq, change = self.next_change(acme)
        self.assertEqual((seq, change.get("tenant")), ("7", "acme"), change)

        # The default tenant's stream (partition 0) gets its own new change, without a "tenant".
        seq, change = self.next_change(default)
        self.assertEqual((seq, change["kind"], change["customer_id"]), ("3", "event_added", default_cy), change)
        self.assertNotIn("tenant", change)

        # A tenant the shard map does not know has no stream: 400 naming tenant.
        other = SseStream("127.0.0.1", self.client.api_port, "/api/v1/stream?tenant=initech", self.token)
        self.addCleanup(other.close)
        self.assertEqual(other.status, 400)

if __name__ == "__main__":
    unittest.main()
