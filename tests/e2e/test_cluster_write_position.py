"""Read-your-writes with real processes (docs/cluster.md "Read-your-writes"): one nats-server
(JetStream), two omnihub-unifier replicas of partition 0 in cluster mode, omnihub-api and
omnihubctl in cluster mode. A write through the API answers its log position (header
Omni-Position and member "position"); read back at once with that token as Omni-Min-Position
it is seen although one replica is held back with SIGSTOP: the read goes to the replica that has
applied it, or waits for one. omnihubctl's commands print the token ("position: P:N") and a
read with --min-position sees the command's effect. And `omnihubctl cluster init` made the
replica registry OMNI_REPLICAS the replicas write."""

import json
import shutil
import signal
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import hub
from cluster_processes import NatsServer, ReplicaProcess


class ClusterWritePositionTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="omnihub-write-position-")
        self.nats = NatsServer()
        cluster = f"""
[cluster]
enabled = true
nats_urls = ["{self.nats.url}"]
partitions = 1
replicas = 1
"""
        # omnihubctl's and omnihub-api's config; its own unifier is never started.
        self.client = hub.Hub(api=True, extra=cluster)
        init = self.client.ctl("cluster", "init")
        streams = [json.loads(line)["stream"] for line in init.stdout.decode().splitlines()]
        self.assertIn("KV_OMNI_REPLICAS", streams)
        self.client.ctl("cluster", "assign", "default", "0")
        self.token = self.client.api_token("position-e2e", "read,write,ingest")
        self.replicas = {rid: ReplicaProcess(self.dir, rid, 0, self.nats.url, 1) for rid in ("a", "b")}
        self.client.start_api()

    def tearDown(self):
        for r in self.replicas.values():
            r.kill()
        self.client.stop()
        self.client.cleanup()
        self.nats.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def call(self, method, path, body=None, headers=None, content_type="application/json"):
        """(status, headers, JSON body) of one API request."""
        data = None if body is None else json.dumps(body).encode()
        h = dict({"Authorization": "Bearer " + self.token}, **(headers or {}))
        if data is not None:
            h["Content-Type"] = content_type
        req = urllib.request.Request(self.client.api_base + path, data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read())

    def timeline_texts(self, identity, token):
        status, _, body = self.call("GET", "/api/v1/customers/" + urllib.parse.quote(identity, safe="")
                                    + "/timeline?limit=50", headers={"Omni-Min-Position": token})
        self.assertEqual(status, 200, body)
        return [e.get("text") for e in body["events"]]

    def write_note(self, identity, text):
        status, headers, body = self.call("POST", "/api/v1/customers/" + urllib.parse.quote(identity, safe="")
                                          + "/notes", {"text": text})
        self.assertEqual(status, 201, body)
        token = headers.get("Omni-Position")
        self.assertEqual(body["position"], token)
        return token

    def test_a_write_read_back_with_its_token_is_seen_while_a_replica_is_held_back(self):
        phone = "phone:+12025550123"
        # An ingested event: 202 with its position; read back with it, the customer is there.
        status, headers, body = self.call("POST", "/api/v1/events",
                                          hub.sms("+12025550123", "m1", hub.rfc3339(1_700_000_000_000_000),
                                                  text="first"))
        self.assertEqual(status, 202, body)
        token = headers.get("Omni-Position")
        self.assertRegex(token or "", r"^0:[1-9][0-9]*$")
        self.assertEqual(body["position"], token)
        # The replicas start, apply and register while this waits for the first (up to 2 s a try).
        hub.wait_until(lambda: self.call("GET", "/api/v1/customers/" + phone,
                                         headers={"Omni-Min-Position": token})[0] == 200,
                       "a replica to apply the ingested event", timeout=60, interval=0.5)
        # Both replicas up to date before either is held back: the one left running must hold every
        # write (a replica still starting would leave the router only the stopped one).
        applied = int(token.split(":")[1])
        for rid, replica in self.replicas.items():
            hub.wait_until(lambda: (replica.applied_position() or 0) >= applied,
                           f"replica {rid} to apply position {applied}", timeout=30, interval=0.2)

        # Replica b held back: every write after this is only on a, and a read with the token
        # must go there (b's registry entry shows less, then goes stale).
        for rid, held in (("b", "a"), ("a", "b")):
            self.replicas[rid].signal(signal.SIGSTOP)
            self.replicas[held].signal(signal.SIGCONT)
            text = f"note while {rid} is stopped"
            started = time.monotonic()
            token = self.write_note(phone, text)
            written = time.monotonic() - started
            self.assertIn(text, self.timeline_texts(phone, token),
                          f"the read with {token} did not see the note; logs:\n{self.replicas[held].read_log()}")
            print(f"\nnote with {rid} stopped: written with its position in {written * 1000:.0f} ms, "
                  f"read back with it in {(time.monotonic() - started - written) * 1000:.0f} ms")

        # omnihubctl: a command prints its position; a read with it sees the command's effect.
        self.replicas["a"].signal(signal.SIGCONT)
        r = self.client.ctl("customer", "link", phone, "email:ana@example.com", "--reason", "same person")
        lines = [line for line in r.stderr.decode().splitlines() if line.startswith("position: ")]
        self.assertEqual(len(lines), 1, r.stderr)
        position = lines[0][len("position: "):]
        self.assertRegex(position, r"^0:[1-9][0-9]*$")
        looked_up = self.client.ctl("lookup", "email:ana@example.com", "--min-position", position)
        self.assertIn("+12025550123", looked_up.stdout.decode())


if __name__ == "__main__":
    unittest.main()
