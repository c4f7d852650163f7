"""deploy/examples/multi-host/omnihub.toml run for real on one machine: its three hosts become
three loopback addresses (10.0.0.10 -> 127.0.0.10 and so on; Linux answers on all of 127/8),
each with a data directory of its own, and its ports free ones. The unifier binds the tcp://
bus on "hub-core"; the adapters on "hub-edge" and omnihub-api on "hub-api" connect to it. A
mail sent over SMTP to hub-edge must reach the timeline that omnihubctl on hub-api reads
over the query endpoint, and every process must be ready (/readyz 200, bus connected)."""

import json
import os
import re
import shutil
import signal
import smtplib
import subprocess
import tempfile
import tomllib
import unittest
import urllib.error
import urllib.request
from email.message import EmailMessage

import hub

EXAMPLE = os.path.join(hub.REPO, "deploy", "examples", "multi-host", "omnihub.toml")
HOSTS = {"hub-core": "10.0.0.10", "hub-edge": "10.0.0.20", "hub-api": "10.0.0.30"}
SERVICES = {"unifier": "hub-core", "email": "hub-edge", "sms": "hub-edge", "social": "hub-edge", "api": "hub-api"}
SECRETS = {"OMNIHUB_TWILIO_AUTH_TOKEN": "t", "OMNIHUB_VONAGE_SIGNATURE_SECRET": "v",
           "OMNIHUB_META_APP_SECRET": "m", "OMNIHUB_META_VERIFY_TOKEN": "mv",
           "OMNIHUB_TELEGRAM_SECRET_TOKEN": "tg", "OMNIHUB_X_CONSUMER_SECRET": "x"}
DEADLINE_S = 30


def loopback(address):
    return "127." + address.split(".", 1)[1]


class MultiHostTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="omnihub-multihost-")
        with open(EXAMPLE) as f:
            text = f.read()
        for address in HOSTS.values():
            text = text.replace(address, loopback(address))
        # Every port of the example becomes a free one (parallel runs), the same on every host.
        self.ports = {}
        for port in sorted(set(re.findall(r':(\d{2,5})"', text))):
            self.ports[int(port)] = hub.free_port()
            text = text.replace(f':{port}"', f':{self.ports[int(port)]}"')
        self.smtp_port = self.ports[25]
        text = text.replace('smtp_listen = "0.0.0.0:', f'smtp_listen = "{loopback(HOSTS["hub-edge"])}:')
        text = re.sub(r'tls_(certificate|private_key) = ".*"', r'tls_\1 = ""', text)
        self.configs = {}
        for host in HOSTS:
            data = os.path.join(self.dir, host)
            os.makedirs(data)
            path = os.path.join(self.dir, host + ".toml")
            with open(path, "w") as f:
                f.write(text.replace('data_dir = "/var/lib/omnihub"', f'data_dir = "{data}"'))
            self.configs[host] = path
        self.text = text
        self.procs = {}

    def tearDown(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def admin(self, service):
        return "http://" + tomllib.loads(self.text)[service]["admin_listen"]

    def readyz(self, service):
        try:
            with urllib.request.urlopen(self.admin(service) + "/readyz", timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return None

    def log(self, service):
        with open(os.path.join(self.dir, service + ".log"), errors="replace") as f:
            return f.read()[-4000:]

    def start(self, service):
        log = open(os.path.join(self.dir, service + ".log"), "ab")
        self.procs[service] = subprocess.Popen(
            [hub.binary("omnihub-" + service), "--config", self.configs[SERVICES[service]]],
            stdout=log, stderr=log, env=dict(os.environ, **SECRETS))
        log.close()
        hub.wait_until(lambda: self.procs[service].poll() is not None or self.readyz(service) == 200,
                       f"{service} on {SERVICES[service]} to be ready", DEADLINE_S)
        self.assertIsNone(self.procs[service].poll(), f"{service} exited:\n" + self.log(service))

    def ctl(self, host, *args):
        return subprocess.run([hub.binary("omnihubctl"), "--config", self.configs[host], *args],
                              capture_output=True, text=True, timeout=30)

    def test_adapters_and_api_on_other_hosts_reach_the_unifier_over_tcp(self):
        self.assertIn("tcp://127.0.0.10:", self.text)
        for service in SERVICES:
            self.start(service)  # ready = bus connected: the adapters and the api reached hub-core

        m = EmailMessage()
        m["From"] = "dora@example.net"
        m["To"] = "support@example.com"
        m["Subject"] = "across hosts"
        m["Message-ID"] = "<multi-host-1@example.net>"
        m.set_content("hello from hub-edge")
        with smtplib.SMTP(loopback(HOSTS["hub-edge"]), self.smtp_port, timeout=10) as smtp:
            smtp.send_message(m)

        def timeline():
            r = self.ctl("hub-api", "timeline", "email:dora@example.net", "--all")
            return [json.loads(l) for l in r.stdout.splitlines() if l.strip()] if r.returncode == 0 else None
        events = hub.wait_until(timeline, "the mail in the timeline read from hub-api", DEADLINE_S)
        self.assertEqual(events[0]["channel"], "email")
        # The unifier's data is on hub-core only; the adapter's outbox on hub-edge only.
        self.assertTrue(os.path.isdir(os.path.join(self.dir, "hub-core", "unifier")))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "hub-edge", "unifier")))
        self.assertTrue(os.path.isdir(os.path.join(self.dir, "hub-edge", "outbox", "email")))

        for service in ["api", "social", "sms", "email", "unifier"]:
            self.procs[service].send_signal(signal.SIGTERM)
            self.assertEqual(self.procs[service].wait(timeout=DEADLINE_S), 0, self.log(service))


if __name__ == "__main__":
    unittest.main(verbosity=2)
