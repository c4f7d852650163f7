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
acker's ack trims both outboxes; with NATS gone, /readyz says so."""

import email.message
import json
import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import unittest

import hub
from hub import binary, free_port, wait_until
from sms_clients import TwilioClient, twilio_sms

RESEND_TIMEOUT_MS = 500


def metric(text, name, labels=""):
    """The value of series `name{labels}` in a Prometheus text page; None when absent."""
    key = name + ("{" + labels + "}" if labels else "")
    for line in text.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[-1])
    return None


class NatsServer:
    """One nats-server with JetStream on a free loopback port, its store and log in a temp
    dir (as tests/support/nats_server.h starts them); killed by pid only."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="omnihub-nats-")
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        server = shutil.which("nats-server") or "/usr/sbin/nats-server"
        if not os.access(server, os.X_OK):
            raise AssertionError("nats-server not found: install the Debian package nats-server")
        self.log = os.path.join(self.dir, "server.log")
        self.proc = subprocess.Popen([server, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd",
                                      os.path.join(self.dir, "store"), "-l", self.log])
        wait_until(self.ready, "nats-server ready", timeout=10)

    def ready(self):
        try:
            with open(self.log) as f:
                return "Server is ready" in f.read()
        except OSError:
            return False

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class ClusterAdaptersTest(unittest.TestCase):
    def setUp(self):
        self.nats = NatsServer()
        self.addCleanup(self.nats.cleanup)
        cluster = f"""
[cluster]
enabled = true
nats_urls = ["{self.nats.url}"]
partitions = 1
replicas = 1
publish_timeout_ms = 2000
"""
        self.hub = hub.Hub(email=True, sms=True, resend_timeout_ms=RESEND_TIMEOUT_MS, extra=cluster)
        self.addCleanup(self.hub.cleanup)
        self.addCleanup(self.stop_adapters)
        self.hub.ctl("cluster", "init")

    def stop_adapters(self):
        for proc in (self.hub.email_proc, self.hub.sms_proc):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()

    def tool(self, *args):
        r = subprocess.run([binary("omnihub-test-nats-log"), args[0], self.nats.url, *args[1:]],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return [json.loads(line) for line in r.stdout.decode().splitlines()]

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

if __name__ == "__main__":
    unittest.main(verbosity=2)
