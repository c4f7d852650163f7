"""Adapters in cluster mode (docs/cluster.md, "Adapters in cluster mode"): a real
omnihub-email and a real omnihub-sms with [cluster] enabled, against a real nats-server
(JetStream, one server, R1), fed by a real SMTP client (smtplib) and a signed Twilio webhook
(urllib). No unifier runs: the test plays the replica with omnihub-test-nats-log, which
reads OMNI_P00 and publishes omnihub.v1.Ack on omni.acks.<publisher> as the replica-ack
contract says.

Checked: each entry is in OMNI_P00 with Nats-Msg-Id <publisher>/0/<sequence>, the email's
blobs in OMNI_BLOBS (the frame carries them with empty data); the outboxes are not trimmed
while no replica acks (past several resend timeouts); an adapter killed with SIGKILL before
the ack resends its entry under the same id on restart and the stream holds it once; the
acker's ack trims both outboxes; with NATS gone, /readyz says so.

TwoPartitionAdapterTest: one omnihub-sms whose Twilio accounts belong to two tenants on two
partitions, with a real omnihub-unifier replica on each (docs/cluster.md, "Acks with several
partitions"): its entries are split over OMNI_P00 and OMNI_P01, chained by partition_prev, and
the two replicas' acks together trim its outbox to nothing, also after the adapter is killed
with SIGKILL halfway and restarted."""

import email.message
import json
import os
import signal
import smtplib
import subprocess
import sys
import unittest

import hub
from cluster_processes import NatsServer, ReplicaProcess, cluster_toml, metric
from hub import binary, wait_until
from sms_clients import TwilioClient, twilio_sms

RESEND_TIMEOUT_MS = 500


def nats_log_tool(nats_url, command, *args):
    """omnihub-test-nats-log COMMAND URL ARGS...: its JSON lines."""
    r = subprocess.run([binary("omnihub-test-nats-log"), command, nats_url, *args], capture_output=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError(f"omnihub-test-nats-log {command} failed: {r.stderr.decode()}")
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


class ClusterAdaptersTest(unittest.TestCase):
    def setUp(self):
        self.nats = NatsServer()
        self.addCleanup(self.nats.cleanup)
        self.hub = hub.Hub(email=True, sms=True, resend_timeout_ms=RESEND_TIMEOUT_MS,
                           extra=cluster_toml(self.nats.url, partitions=1))
        self.addCleanup(self.hub.cleanup)
        self.addCleanup(self.stop_adapters)
        self.hub.ctl("cluster", "init")

    def stop_adapters(self):
        for proc in (self.hub.email_proc, self.hub.sms_proc):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()

    def tool(self, *args):
        return nats_log_tool(self.nats.url, *args)

    def frames(self):
        return self.tool("messages", "0")

    def metrics(self, service):
        status, _, text = self.hub.admin_get(service, "/metrics")
        self.assertEqual(status, 200)
        return text

    def send_mail(self, attachment):
        msg = email.message.EmailMessage()
        msg["From"] = "alice@example.com"
        msg["To"] = "support@shop.example"
        msg["Subject"] = "invoice"
        msg["Message-ID"] = "<cluster-1@example.com>"
        msg.set_content("Please find the invoice attached.")
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="invoice.pdf")
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as smtp:
            smtp.send_message(msg)

    def test_entries_go_to_the_log_and_are_trimmed_only_on_a_replica_ack(self):
        self.hub.ctl("cluster", "assign", "default", "0")
        self.hub.start_email()
        self.hub.start_sms()
        attachment = os.urandom(200_000)
        self.send_mail(attachment)
        twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)
        status, body, _ = twilio.post("messages", twilio_sms("SM" + "c" * 32, "+12025550123", "+12025550000", "hi"))
        self.assertEqual(status, 200, body)

        wait_until(lambda: len(self.frames()) == 2, "both entries in OMNI_P00", timeout=15)
        by_publisher = {f["publisher_id"].split("-")[0]: f for f in self.frames()}
        self.assertEqual(sorted(by_publisher), ["email", "sms"])
        for frame in by_publisher.values():
            self.assertEqual(frame["msg_id"], f"{frame['publisher_id']}/0/{frame['sequence']}")
            self.assertEqual(frame["sequence"], 1)
        mail = by_publisher["email"]
        self.assertTrue(mail["blobs"], mail)
        for blob in mail["blobs"]:
            self.assertTrue(blob["in_blob_store"], blob)
            self.assertEqual(blob["data_bytes"], 0, blob)
            self.assertEqual(self.tool("blob", blob["sha256"]), [{"size": blob["size_bytes"]}])
        self.assertIn(len(attachment), [b["size_bytes"] for b in mail["blobs"]])
        self.assertLess(mail["frame_bytes"], 100_000)  # the attachment travels in OMNI_BLOBS

        # No replica acks: the outboxes keep their entries through several resend timeouts,
        # and the resends land on the log's dedup.
        wait_until(lambda: (metric(self.metrics("email"), "omnihub_publisher_log_appends_total",
                                   'outcome="duplicate"') or 0) >= 2, "email resends deduplicated", timeout=15)
        for service in ("email", "sms"):
            self.assertEqual(metric(self.metrics(service), "omnihub_outbox_depth"), 1.0, service)

        # SIGKILL before any ack; the restarted adapter sends entry 1 again under the same id.
        self.hub.kill_email()
        self.hub.start_email()
        wait_until(lambda: (metric(self.metrics("email"), "omnihub_publisher_log_appends_total",
                                   'outcome="duplicate"') or 0) >= 1, "restarted email resends", timeout=15)
        self.assertEqual(metric(self.metrics("email"), "omnihub_outbox_depth"), 1.0)
        ids = [f["msg_id"] for f in self.frames()]
        self.assertEqual(len(ids), 2, ids)
        self.assertEqual(len(set(ids)), 2, ids)

        # A replica's ack (the test acker, as the contract says) trims each outbox.
        for publisher in (by_publisher["email"]["publisher_id"], by_publisher["sms"]["publisher_id"]):
            self.assertEqual(self.tool("ack", "0", publisher)[0]["cumulative_ack"], 1)
        for service in ("email", "sms"):
            wait_until(lambda: metric(self.metrics(service), "omnihub_outbox_depth") == 0.0,
                       f"{service} outbox trimmed by the ack", timeout=10)
        self.assertEqual(metric(self.metrics("email"), "omnihub_publisher_unmapped_tenant_entries"), 0.0)
        self.assertEqual(metric(self.metrics("email"), "omnihub_publisher_acked_total"), 1.0)
        self.assertEqual(metric(self.metrics("sms"), "omnihub_publisher_connected"), 1.0)

        # NATS gone: /readyz names it.
        self.nats.kill()
        wait_until(lambda: self.hub.admin_get("sms", "/readyz")[0] == 503, "sms not ready without NATS",
                   timeout=15)
        self.assertIn("NATS", self.hub.admin_get("sms", "/readyz")[2])
        wait_until(lambda: metric(self.metrics("sms"), "omnihub_publisher_connected") == 0.0,
                   "sms not connected without NATS", timeout=5)

    def test_an_entry_of_an_unmapped_tenant_waits_until_the_tenant_is_assigned(self):
        self.hub.start_sms()
        twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)
        status, body, _ = twilio.post("messages", twilio_sms("SM" + "d" * 32, "+12025550124", "+12025550000", "hi"))
        self.assertEqual(status, 200, body)  # accepted: durable in the outbox
        wait_until(lambda: metric(self.metrics("sms"), "omnihub_publisher_unmapped_tenant_entries") == 1.0,
                   "the entry held back for its unmapped tenant", timeout=15)
        self.assertEqual(self.frames(), [])
        self.assertIn("tenant 'default' is not in the shard map", self.hub.read_log("sms.log"))

        self.hub.ctl("cluster", "assign", "default", "0")
        wait_until(lambda: len(self.frames()) == 1, "the entry in OMNI_P00 once assigned", timeout=15)
        wait_until(lambda: metric(self.metrics("sms"), "omnihub_publisher_unmapped_tenant_entries") == 0.0,
                   "nothing held back", timeout=5)
        self.assertEqual(metric(self.metrics("sms"), "omnihub_outbox_depth"), 1.0)  # still no replica ack

class TwoPartitionAdapterTest(unittest.TestCase):
    def setUp(self):
        self.nats = NatsServer()
        self.addCleanup(self.nats.cleanup)
        self.hub = hub.Hub(sms=True, resend_timeout_ms=RESEND_TIMEOUT_MS, extra=cluster_toml(self.nats.url, partitions=2),
                           sms_extra='[sms.twilio.acme]\nauth_token_env = "E2E_TWILIO_TOKEN"\ntenant = "acme"\n')
        self.addCleanup(self.hub.cleanup)
        self.addCleanup(self.kill_sms)
        self.hub.ctl("cluster", "init")
        self.hub.ctl("cluster", "assign", "default", "0")
        self.hub.ctl("cluster", "assign", "acme", "1")
        self.replicas = [ReplicaProcess(self.hub.dir, f"r{p}", p, self.nats.url, 2) for p in (0, 1)]
        for replica in self.replicas:
            self.addCleanup(replica.kill)

    def kill_sms(self):
        if self.hub.sms_proc is not None and self.hub.sms_proc.poll() is None:
            self.hub.sms_proc.send_signal(signal.SIGKILL)
            self.hub.sms_proc.wait()

    def tool(self, *args):
        return nats_log_tool(self.nats.url, *args)

    def sms_metric(self, name):
        status, _, text = self.hub.admin_get("sms", "/metrics")
        return metric(text, name) if status == 200 else None

    def send(self, first, last):
        """Messages first..last; every third goes to acme's number, the rest to the default
        tenant's: the outbox's sequences alternate between the two partitions."""
        for n in range(first, last + 1):
            account = "acme" if n % 3 == 0 else "default"
            twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN, account=account)
            status, body, _ = twilio.post("messages", twilio_sms(f"SM{n:032d}", f"+1202555{n:04d}",
                                                                 "+12025550000", f"message {n}"))
            self.assertEqual(status, 200, body)

    def wait_depth(self, depth, what):
        try:
            wait_until(lambda: self.sms_metric("omnihub_outbox_depth") == depth, what, timeout=30)
        except AssertionError:
            for replica in self.replicas:
                sys.stderr.write(f"{replica.dir} log:\n{replica.read_log()}\n")
            raise

    def test_the_acks_of_two_partitions_trim_one_adapters_outbox_to_nothing(self):
        self.hub.start_sms()
        self.send(1, 8)
        self.wait_depth(0.0, "the sms outbox trimmed by both partitions' acks")

        # Partition 1's replica is down: 9 (acme's) holds the trim back, whatever partition 0
        # applies after it (10, 11, 13, 14, 16).
        self.replicas[1].kill()
        self.send(9, 16)
        # Partition 0's replica applies its 11 frames (1..16 but acme's) and acks 16; resend
        # rounds of acme's entries go by; the outbox still keeps 9..16.
        wait_until(lambda: self.replicas[0].applied_position() == 11.0, "partition 0 applied through 16",
                   timeout=15)
        wait_until(lambda: (metric(self.hub.admin_get("sms", "/metrics")[2], "omnihub_publisher_log_appends_total",
                                   'outcome="duplicate"') or 0) >= 6, "acme's entries resent", timeout=15)
        self.assertEqual(self.sms_metric("omnihub_outbox_depth"), 8.0)
        self.assertEqual(self.sms_metric("omnihub_publisher_acked_total"), 8.0)

        # The adapter is killed and restarted with them unacknowledged: it sends them again
        # (each partition's first one chained from its acknowledged mark, 8); then the replica
        # comes back and the rest goes through.
        self.kill_sms()
        self.hub.start_sms()
        self.replicas[1].start()
        self.send(17, 24)
        self.wait_depth(0.0, "the sms outbox trimmed to nothing after the restarts")
        self.assertEqual(self.sms_metric("omnihub_publisher_unmapped_tenant_entries"), 0.0)
        self.assertGreaterEqual(self.sms_metric("omnihub_publisher_acked_total"), 16.0)

        # Each entry is in its tenant's partition once, under its id, chained within it.
        frames = {p: [f for f in self.tool("messages", str(p)) if f["publisher_id"].startswith("sms-")]
                  for p in (0, 1)}
        self.assertEqual(sorted(f["sequence"] for f in frames[1]), [n for n in range(1, 25) if n % 3 == 0])
        self.assertEqual(sorted(f["sequence"] for f in frames[0]), [n for n in range(1, 25) if n % 3 != 0])
        for p, partition_frames in frames.items():
            for frame in partition_frames:
                self.assertEqual(frame["msg_id"], f"{frame['publisher_id']}/{p}/{frame['sequence']}")
                self.assertLess(frame["partition_prev"], frame["sequence"], frame)
                self.assertLessEqual(frame["acked_floor"], frame["partition_prev"], frame)
        # 12 kept the copy its first sender appended (the restarted one's went to the dedup).
        by_sequence = {f["sequence"]: f for f in frames[1]}
        self.assertEqual(by_sequence[12]["partition_prev"], 9)


if __name__ == "__main__":
    unittest.main(verbosity=2)
