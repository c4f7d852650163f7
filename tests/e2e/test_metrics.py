"""Metrics and health end to end: a real omnihub-unifier, omnihub-email and omnihub-sms,
each scraped on its admin listener (GET /metrics, /healthz, /readyz) while events flow in
through SMTP (smtplib), a signed Twilio webhook and `omnihubctl inject`. The exposition is
parsed with prometheus_client's own parser (Debian: python3-prometheus-client)."""

import json
import smtplib
import sys
import time
import unittest
from email.message import EmailMessage

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's package installs for the system interpreter; a python3 from elsewhere on PATH
    # (pyenv) does not see it by itself.
    sys.path.append("/usr/lib/python3/dist-packages")
    from prometheus_client.parser import text_string_to_metric_families

import hub
from sms_clients import TwilioClient, twilio_sms

BUSINESS = "+12025550000"
CUSTOMER = "+14155550123"
DEADLINE_S = 30


def mail(subject, body="hello"):
    m = EmailMessage()
    m["From"] = "dora@example.net"
    m["To"] = "support@shop.example"
    m["Subject"] = subject
    m["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    m.set_content(body)
    return m


class Scrape:
    """One parsed /metrics answer: sample (name, labels) -> value."""

    def __init__(self, text):
        self.text = text
        self.samples = {}
        self.types = {}
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                self.types[s.name] = family.type
                self.samples[(s.name, frozenset(s.labels.items()))] = s.value

    def has(self, name):
        return any(n == name for n, _ in self.samples)

    def value(self, name, **labels):
        """The sum over the series of `name` whose labels include `labels` (0 if none)."""
        want = set(labels.items())
        return sum(v for (n, l), v in self.samples.items() if n == name and want <= l)


class MetricsTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True, sms=True).start()
        self.twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def scrape(self, service):
        status, content_type, body = self.hub.admin_get(service, "/metrics")
        self.assertEqual(status, 200, body)
        self.assertEqual(content_type, "text/plain; version=0.0.4; charset=utf-8")
        return Scrape(body)

    def wait_for(self, service, what, check):
        """Scrapes `service` until check(scrape) holds; fails after DEADLINE_S with the last text."""
        deadline = time.monotonic() + DEADLINE_S
        while True:
            s = self.scrape(service)
            if check(s):
                return s
            if time.monotonic() > deadline:
                self.fail(f"{service}: {what} not seen within {DEADLINE_S}s; last scrape:\n{s.text}")
            time.sleep(0.05)

    def readyz(self, service):
        status, content_type, body = self.hub.admin_get(service, "/readyz")
        self.assertEqual(content_type, "application/json")
        return status, json.loads(body)

    def wait_ready(self, service, ready):
        deadline = time.monotonic() + DEADLINE_S
        while True:
            status, body = self.readyz(service)
            if (status == 200) == ready:
                return status, body
            if time.monotonic() > deadline:
                self.fail(f"{service}: /readyz still {status} {body} after {DEADLINE_S}s")
            time.sleep(0.05)

    def send_mail(self, subject):
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            s.send_message(mail(subject))

    def test_every_process_exposes_its_series_and_they_move_with_traffic(self):
        before = {service: self.scrape(service) for service in ("unifier", "email", "sms")}
        for name in ("omnihub_unifier_events_committed_total", "omnihub_unifier_duplicates_total",
                     "omnihub_unifier_dead_letters_total", "omnihub_unifier_commit_batch_frames_count",
                     "omnihub_unifier_commit_duration_seconds_bucket", "omnihub_rocksdb_pending_compaction_bytes",
                     "omnihub_rocksdb_write_stall_seconds_total", "omnihub_rocksdb_write_stopped"):
            self.assertTrue(before["unifier"].has(name), name + "\n" + before["unifier"].text)
        for service in ("email", "sms"):
            for name in ("omnihub_outbox_depth", "omnihub_outbox_oldest_unacked_age_seconds",
                         "omnihub_publisher_ack_latency_seconds_count", "omnihub_publisher_acked_total",
                         "omnihub_outbox_append_failures_total", "omnihub_publisher_connected"):
                self.assertTrue(before[service].has(name), f"{service}: {name}\n{before[service].text}")
        self.assertEqual(before["unifier"].types["omnihub_unifier_commit_duration_seconds_bucket"], "histogram")

        # Traffic on every path: SMTP, a signed Twilio webhook (twice: a provider retry), a
        # webhook with a bad signature, and omnihubctl inject.
        self.send_mail("metrics check")
        msg = twilio_sms("SM" + "e" * 32, CUSTOMER, BUSINESS, "counted")
        for _ in range(2):
            status, body, _ = self.twilio.post("messages", msg)
            self.assertEqual(status, 200, body)
        status, body, _ = self.twilio.post("messages", msg, token="not-the-token")
        self.assertEqual(status, 403, body)
        self.hub.inject_lines([hub.sms("+14155550124", "inject-1", "2026-11-23T09:00:00Z", text="injected")])
        self.hub.wait_stats("events", 3)

        u = self.wait_for("unifier", "3 events and a duplicate committed",
                          lambda s: s.value("omnihub_unifier_events_committed_total") >= 3
                          and s.value("omnihub_unifier_duplicates_total") >= 1)
        self.assertGreater(u.value("omnihub_unifier_frames_received_total"),
                           before["unifier"].value("omnihub_unifier_frames_received_total"))
        self.assertGreaterEqual(u.value("omnihub_unifier_commit_batch_frames_count"), 1)
        self.assertGreaterEqual(u.value("omnihub_unifier_commit_batch_frames_sum"), 4)
        self.assertGreaterEqual(u.value("omnihub_unifier_commit_duration_seconds_count"), 1)
        self.assertEqual(u.value("omnihub_unifier_commit_duration_seconds_bucket", le="+Inf"),
                         u.value("omnihub_unifier_commit_duration_seconds_count"))

        e = self.wait_for("email", "the message acknowledged",
                          lambda s: s.value("omnihub_publisher_acked_total") >= 1
                          and s.value("omnihub_outbox_depth") == 0)
        self.assertEqual(e.value("omnihub_events_accepted_total", channel="email"), 1)
        self.assertGreaterEqual(e.value("omnihub_smtp_replies_total", code="250"), 3)  # EHLO, MAIL, RCPT, end of DATA
        self.assertEqual(e.value("omnihub_smtp_replies_total", code="354"), 1)
        self.assertEqual(e.value("omnihub_smtp_delivery_duration_seconds_count", **{"class": "2xx"}), 1)
        self.assertGreaterEqual(e.value("omnihub_publisher_ack_latency_seconds_count"), 1)
        self.assertEqual(e.value("omnihub_publisher_connected"), 1)
        self.assertEqual(e.value("omnihub_outbox_oldest_unacked_age_seconds"), 0)

        # A request is counted once its answer's last byte is written, which can follow the client's read of it.
        m = self.wait_for("sms", "both webhooks acknowledged and all three answers counted",
                          lambda s: s.value("omnihub_publisher_acked_total") >= 2
                          and s.value("omnihub_http_request_duration_seconds_count") >= 3)
        self.assertEqual(m.value("omnihub_events_accepted_total", channel="sms"), 2)
        self.assertEqual(m.value("omnihub_http_requests_total", code="200"), 2)
        self.assertEqual(m.value("omnihub_http_requests_total", code="403"), 1)
        self.assertEqual(m.value("omnihub_http_request_duration_seconds_count"), 3)
        self.assertGreaterEqual(m.value("omnihub_publisher_ack_latency_seconds_count"), 2)
        self.assertEqual(m.value("omnihub_outbox_append_failures_total"), 0)

        for service in ("unifier", "email", "sms"):
            scrape = self.scrape(service)
            self.assertEqual(scrape.value("omnihub_ready"), 1, service)
            self.assertGreater(scrape.value("omnihub_disk_size_bytes"), 0, service)
            status, _, body = self.hub.admin_get(service, "/healthz")
            self.assertEqual((status, json.loads(body)), (200, {"alive": True}), service)
            status, ready = self.readyz(service)
            self.assertEqual(status, 200, f"{service}: {ready}")
            self.assertTrue(ready["ready"])
            self.assertTrue(all(c["ok"] for c in ready["checks"].values()), ready)

    def test_adapters_turn_unready_while_the_unifier_is_down(self):
        for service in ("unifier", "email", "sms"):
            self.wait_ready(service, True)
        _, ready = self.readyz("unifier")
        self.assertEqual(set(ready["checks"]), {"store", "sockets", "shutdown"})

        self.hub.stop_unifier()
        for service in ("email", "sms"):
            status, body = self.wait_ready(service, False)
            self.assertEqual(status, 503)
            self.assertFalse(body["ready"])
            self.assertTrue(body["checks"]["outbox"]["ok"], body)
            self.assertFalse(body["checks"]["bus"]["ok"], body)
            self.assertIn("unifier", body["checks"]["bus"]["reason"])
            self.assertEqual(self.scrape(service).value("omnihub_ready"), 0, service)  # the same checks

        # Accepted meanwhile: waits in the outbox, which the gauges show.
        self.send_mail("while the unifier is down")
        self.wait_for("email", "one entry waiting and aging",
                      lambda s: s.value("omnihub_outbox_depth") == 1
                      and s.value("omnihub_outbox_oldest_unacked_age_seconds") > 0
                      and s.value("omnihub_publisher_connected") == 0)

        self.hub.start_unifier()
        for service in ("unifier", "email", "sms"):
            status, body = self.wait_ready(service, True)
            self.assertTrue(body["checks"]["bus"]["ok"] if service != "unifier" else body["ready"], body)
            self.wait_for(service, "omnihub_ready 1 again", lambda s: s.value("omnihub_ready") == 1)
        self.wait_for("email", "the waiting entry delivered",
                      lambda s: s.value("omnihub_outbox_depth") == 0 and s.value("omnihub_publisher_acked_total") >= 1)
        self.hub.wait_stats("events", 1)


if __name__ == "__main__":
    unittest.main()
