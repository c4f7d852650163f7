"""Prometheus end to end: a real hub (omnihub-unifier, -email, -sms, -social, -api) scraped by
a real Prometheus (Debian's `prometheus`) running deploy/prometheus/prometheus.yml with its
rules file deploy/prometheus/alerts.yml. Events flow in through every channel (smtplib, signed
Twilio and Telegram webhooks, the API's POST /events); the test then asks Prometheus' HTTP API
whether every target is up, the counters moved and the alert rules loaded and evaluate.

The config is the shipped one with exactly two changes, made in prometheus_config():
  - each target's address becomes the hub's admin port of that `service` (random ports);
  - global.scrape_interval is 1s instead of 15s, so that the test waits seconds, not minutes.
Everything else, rule_files included, is as shipped: alerts.yml is linked next to the
rewritten config so that its relative rule_files entry loads the real rules."""

import json
import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage

try:
    import yaml
except ImportError:
    # Debian's python3-yaml installs for the system interpreter; a python3 from elsewhere on
    # PATH (pyenv) does not see it by itself.
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml

import hub
from sms_clients import TwilioClient, twilio_sms
from social_clients import SocialClient, tg_message, tg_user

PROMETHEUS_DIR = os.path.join(hub.REPO, "deploy", "prometheus")
TEST_SCRAPE_INTERVAL = "1s"
SERVICES = ("unifier", "email", "sms", "social", "api")
# Rule groups are evaluated every evaluation_interval (15 s, as shipped): the first evaluation
# may come that long after start.
TIMEOUT_S = 40


def prometheus_config(admin_ports):
    """deploy/prometheus/prometheus.yml with the targets pointed at `admin_ports` (service ->
    port) and the shorter scrape interval; nothing else changed."""
    with open(os.path.join(PROMETHEUS_DIR, "prometheus.yml")) as f:
        config = yaml.safe_load(f)
    config["global"]["scrape_interval"] = TEST_SCRAPE_INTERVAL
    for job in config["scrape_configs"]:
        for static in job["static_configs"]:
            static["targets"] = [f"127.0.0.1:{admin_ports[static['labels']['service']]}"]
    return config


class Prometheus:
    """A real prometheus on loopback with a temp storage dir; stopped by its pid."""

    def __init__(self, config):
        binary = shutil.which("prometheus") or "/usr/bin/prometheus"
        if not os.access(binary, os.X_OK):
            raise RuntimeError("prometheus is not installed: run scripts/install-deps.sh (Debian package prometheus)")
        self.dir = tempfile.mkdtemp(prefix="omnihub-prometheus-")
        config_file = os.path.join(self.dir, "prometheus.yml")
        with open(config_file, "w") as f:
            yaml.safe_dump(config, f, sort_keys=False)
        for rules in config["rule_files"]:
            os.symlink(os.path.join(PROMETHEUS_DIR, rules), os.path.join(self.dir, rules))
        self.port = hub.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir, "prometheus.log"), "ab")
        self.proc = subprocess.Popen(
            ["prometheus", f"--config.file={config_file}", f"--storage.tsdb.path={self.dir}/data",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            executable=binary, stdout=self.log, stderr=self.log)

    def ready(self):
        """True once GET /-/ready answers 200: before that the API answers 503 (starting up)."""
        if self.proc.poll() is not None:
            raise AssertionError(f"prometheus exited {self.proc.returncode}:\n{self.read_log()}")
        try:
            with urllib.request.urlopen(f"{self.base}/-/ready", timeout=10) as r:
                return r.status == 200
        except OSError:  # not listening yet, or 503 (urllib's HTTPError is an OSError)
            return False

    def api(self, path, **params):
        """The `data` of a successful answer of /api/v1/<path> (once ready())."""
        url = f"{self.base}/api/v1/{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                answer = json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"GET {url}: {e.code} {e.read()[:500]!r}")
        if answer.get("status") != "success":
            raise AssertionError(f"GET {url}: {answer}")
        return answer["data"]

    def query(self, expr):
        """An instant query's samples as {frozenset(labels): value}."""
        return {frozenset(s["metric"].items()): float(s["value"][1]) for s in self.api("query", query=expr)["result"]}

    def value(self, expr, **labels):
        """The value of the one sample of `expr` whose labels include `labels`, or None."""
        want = set(labels.items())
        found = [v for l, v in self.query(expr).items() if want <= l]
        return found[0] if len(found) == 1 else None

    def read_log(self):
        with open(os.path.join(self.dir, "prometheus.log"), errors="replace") as f:
            return f.read()[-4000:]

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def mail(subject):
    m = EmailMessage()
    m["From"] = "dora@example.net"
    m["To"] = "support@shop.example"
    m["Subject"] = subject
    m["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    m.set_content("hello")
    return m


class PrometheusTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True, sms=True, social=True, api=True).start()
        self.addCleanup(self.hub.cleanup)
        self.addCleanup(self.hub.stop)
        self.prometheus = Prometheus(prometheus_config(self.hub.admin_ports))
        self.addCleanup(self.prometheus.stop)

    def wait_until(self, probe, what):
        try:
            return hub.wait_until(probe, what, timeout=TIMEOUT_S, interval=0.2)
        except AssertionError as e:
            raise AssertionError(f"{e}\nprometheus log:\n{self.prometheus.read_log()}") from None

    def test_scrapes_every_service_and_loads_the_rules(self):
        p = self.prometheus
        self.wait_until(p.ready, "prometheus ready (GET /-/ready)")

        # Every service's target is up, named by its `service` label.
        def targets_up():
            active = p.api("targets")["activeTargets"]
            up = {t["labels"]["service"]: t for t in active if t["health"] == "up"}
            return up if set(up) == set(SERVICES) else None
        targets = self.wait_until(targets_up, "every target up")
        for service, target in targets.items():
            self.assertEqual(target["labels"]["job"], "omnihub")
            self.assertEqual(target["scrapeUrl"], f"http://127.0.0.1:{self.hub.admin_ports[service]}/metrics")
        self.assertEqual(len(p.api("targets")["activeTargets"]), len(SERVICES))

        # The unifier's committed events as Prometheus saw them before any traffic.
        committed = 'omnihub_unifier_events_committed_total{service="unifier"}'
        committed_before = self.wait_until(lambda: [v for v in [p.value(committed)] if v is not None],
                                           "a first scrape of the unifier's counters")[0]

        # Traffic through every channel.
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            s.send_message(mail("scraped"))
        status, body, _ = TwilioClient(self.hub, hub.TWILIO_TOKEN).post(
            "messages", twilio_sms("SM" + "7" * 32, "+14155550123", "+12025550000", "scraped"))
        self.assertEqual(status, 200, body)
        social = SocialClient(self.hub.social_base, hub.META_APP_SECRET, hub.META_VERIFY_TOKEN,
                              hub.TELEGRAM_SECRET, hub.X_SECRET)
        status, body, _ = social.telegram(tg_message(555001, 7, tg_user(4242, "Tess"), 1718000000, text="scraped"))
        self.assertEqual(status, 200, body)
        api = self.hub.api(self.hub.api_token("prometheus-e2e", "ingest"))
        api.post("/api/v1/events", {"channel": "email", "account": "support@example.com",
                                    "provider_message_id": "prom-api-1", "direction": "inbound",
                                    "occurred_at": "2026-11-23T10:00:00Z", "from": {"email": "ana@example.com"},
                                    "text": "scraped"}, expect=202)

        # Each adapter's accepted counter moved for its channel (the series did not exist before
        # its first event), and the unifier committed all four.
        expected = {"email": "email", "sms": "sms", "social": "telegram", "api": "email"}

        def counters_moved():
            for service, channel in expected.items():
                v = p.value("omnihub_events_accepted_total", service=service, channel=channel)
                if v is None or v < 1:
                    return None
            v = p.value(committed)
            return v is not None and v >= committed_before + 4
        self.wait_until(counters_moved, "accepted counters per channel and the unifier's commits in Prometheus")
        self.assertEqual(p.value("omnihub_events_accepted_total", service="sms", channel="sms"), 1)

        # The gauges every service exposes: ready, and its data directory's filesystem.
        data_dirs = {"unifier": "unifier", "email": "outbox-email", "sms": "outbox-sms", "social": "outbox-social",
                     "api": "outbox-api"}
        for service in SERVICES:
            self.wait_until(lambda: p.value("omnihub_ready", service=service) == 1, f"omnihub_ready of {service}")
            path = os.path.join(self.hub.dir, data_dirs[service])
            free = p.value("omnihub_disk_free_bytes", service=service, path=path)
            size = p.value("omnihub_disk_size_bytes", service=service, path=path)
            self.assertIsNotNone(free, f"{service}: no omnihub_disk_free_bytes{{path={path!r}}}")
            self.assertGreater(size, 0, service)
            self.assertLessEqual(free, size, service)
        # What OmnihubDiskAlmostFull divides: one ratio per service, matched on every label.
        self.assertEqual(len(p.query("omnihub_disk_free_bytes / omnihub_disk_size_bytes")), len(SERVICES))

        # The shipped rules loaded, and every one has been evaluated without error.
        with open(os.path.join(PROMETHEUS_DIR, "alerts.yml")) as f:
            shipped = {r["alert"] for g in yaml.safe_load(f)["groups"] for r in g["rules"]}
        self.assertIn("OmnihubServiceDown", shipped)

        def rules_evaluated():
            rules = [r for g in p.api("rules")["groups"] for r in g["rules"]]
            if {r["name"] for r in rules} != shipped or any(r["health"] == "unknown" for r in rules):
                return None
            return rules
        rules = self.wait_until(rules_evaluated, "every rule of alerts.yml evaluated")
        for rule in rules:
            self.assertEqual(rule["health"], "ok", rule)
            self.assertEqual(rule["type"], "alerting", rule)
            self.assertIn(rule["labels"]["severity"], ("critical", "warning"), rule)
            self.assertTrue(rule["annotations"]["runbook_url"].startswith("docs/operations.md#"), rule)
        # A healthy hub fires nothing.
        firing = [a for a in p.api("alerts")["alerts"] if a["state"] == "firing"]
        self.assertEqual(firing, [])


if __name__ == "__main__":
    unittest.main()
