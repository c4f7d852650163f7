"""Graceful shutdown and log reopening end to end (docs/operations.md, "Stopping and draining"
and "Log files and rotation"), with real processes, sockets and clients.

For each adapter (email, sms, social, api) a thread sends messages continuously and records
every one acknowledged (250, 200, 202). The test holds one request in flight — an SMTP DATA
half sent, an HTTP body not yet sent after its `100 Continue` — and keeps one idle connection
open (HTTP: also one accepted with nothing sent yet), then sends SIGTERM. Once the service logs
that it drains and /readyz says "draining": the idle SMTP session's next command gets 421, the
idle HTTP keep-alive connection is closed, the unused HTTP connection's request gets 503 with
Retry-After and Connection: close, a new connection gets 421 (SMTP) or is refused (HTTP), and
the held request, finished now, is served (HTTP: with Connection: close); omnihub-api's live
event stream is ended. The process exits 0 within
[service] shutdown_timeout_ms. After a restart every acknowledged message is in its timeline
exactly once, and none that was refused.

The unifier gets SIGTERM while omnihub-sms publishes; it exits 0 and after its restart every
acknowledged message is committed. A request held past a short deadline makes the process
exit 1 naming what it abandoned. SIGHUP makes a service with [log] file reopen it after a
rename (and keeps it running), and the shipped deploy/logrotate/omnihub is checked with the
real logrotate."""

import http.client
import json
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.request

import hub
from sms_clients import TwilioClient, twilio_sms
from social_clients import tg_message, tg_user
from sse_client import SseStream, parse_head, read_head

SHUTDOWN_MS = 5000
SERVICE_CONFIG = f"[service]\nshutdown_timeout_ms = {SHUTDOWN_MS}\n"
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOGROTATE_CONF = os.path.join(REPO_ROOT, "deploy", "logrotate", "omnihub")

SMS_CUSTOMER = "+14155550142"
SMS_BUSINESS = "+14155550000"
TG_USER = tg_user(424242, "Dana")
API_CUSTOMER = "email:dana.drain@example.com"
MAIL_CUSTOMER = "carla.drain@example.net"


class Load(threading.Thread):
    """Calls send(n) for n = 1001, 1002, ... until stopped: True = acknowledged, False = refused
    (421, 503); an error (refused connection, reset, closed) counts as neither."""

    def __init__(self, send):
        super().__init__(daemon=True)
        self.send = send
        self.acked, self.refused, self.errors = [], [], []
        self.stopped = threading.Event()
        self.first = 1_000  # ids below are the test's own (the held and idle connections' messages)

    def run(self):
        n = self.first
        while not self.stopped.is_set():
            n += 1
            try:
                (self.acked if self.send(n) else self.refused).append(n)
            except (OSError, http.client.HTTPException, smtplib.SMTPException):
                time.sleep(0.005)
            except Exception as e:  # an answer the test did not expect: the test fails with it
                self.errors.append(repr(e))
                return

    def stop(self):
        """Stops sending; fails if an answer was unexpected."""
        self.stopped.set()
        self.join(30)
        assert not self.errors, self.errors


def http_head(method, path, body, headers, port):
    """Request head bytes with Content-Length for `body`."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_http_response(sock):
    """(status, headers with lower-case names, body) of one response with a Content-Length."""
    sock.settimeout(30)
    head, body = read_head(sock, "the held request")
    status, headers = parse_head(head)
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


class HeldHttpRequest:
    """A request whose head (with Expect: 100-continue) the server has read and answered with
    100 Continue, so it counts as begun; its body is sent by finish()."""

    def __init__(self, port, path, body, headers):
        self.body = body
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(http_head("POST", path, body, dict(headers, Expect="100-continue"), port))
        head, rest = read_head(self.sock, f"POST {path}")
        assert head.startswith(b"HTTP/1.1 100 Continue") and not rest, head

    def finish(self, log=""):
        self.sock.sendall(self.body)
        try:
            return read_http_response(self.sock)
        except AssertionError as e:
            raise AssertionError(f"{e}; the service's log ends:\n{log[-3000:]}")
        finally:
            self.sock.close()


def connection_refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except ConnectionRefusedError:
        return True


class GracefulShutdownTest(unittest.TestCase):
    def setUp(self):
        self.hubs = []

    def tearDown(self):
        for h in self.hubs:
            try:
                h.stop()
            finally:
                h.cleanup()

    def new_hub(self, **kw):
        h = hub.Hub(extra=kw.pop("extra", SERVICE_CONFIG), **kw)
        self.hubs.append(h)
        return h.start()

    def wait_log(self, h, name, text):
        hub.wait_until(lambda: text in h.read_log(name, tail=None), f"'{text}' in {name}", timeout=10)

    def sigterm_and_wait(self, proc):
        """SIGTERM; returns (exit status, seconds to exit)."""
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        return started, lambda: (proc.wait(timeout=SHUTDOWN_MS / 1000 + 10), time.monotonic() - started)

    def assert_each_once(self, h, identity, pmids, absent=()):
        """Every pmid in the identity's timeline exactly once (after the last one arrived), none of `absent`."""
        last = pmids[-1]
        h.wait_event(identity, last)
        def complete():
            events = h.timeline(identity, "--all")[0]
            seen = [e["provider_message_id"] for e in events]
            return seen if set(pmids) <= set(seen) else None
        seen = hub.wait_until(complete, f"all {len(pmids)} acknowledged messages of {identity}", timeout=60)
        counts = {p: seen.count(p) for p in pmids}
        self.assertEqual([p for p, c in counts.items() if c != 1], [], "not exactly once")
        self.assertEqual(set(absent) & set(seen), set(), "refused messages were stored")

    def assert_not_ready(self, h, name):
        """While it drains, the service's /readyz says so (a load balancer stops sending)."""
        url = f"http://127.0.0.1:{h.admin_ports[name]}/readyz"
        try:
            urllib.request.urlopen(url, timeout=10)
            self.fail(f"{name}: /readyz answered 200 while draining")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 503)
            report = json.loads(e.read())
        self.assertFalse(report["ready"])
        self.assertFalse(report["checks"]["shutdown"]["ok"], report)
        self.assertTrue(report["checks"]["shutdown"]["reason"].startswith("draining: "), report)

    # -- HTTP adapters -----------------------------------------------------------------------

    def check_http_drain(self, h, name, port, path, request_of, identity, pmid_of, expect_status, open_stream=None):
        """The shared scenario of omnihub-sms, -social and -api: request_of(n) -> (body, headers);
        open_stream() -> an SseStream the drain must end."""
        proc = getattr(h, name + "_proc")

        def send(n):
            body, headers = request_of(n)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", path, body, headers)
                r = conn.getresponse()
                r.read()
                if r.status not in (expect_status, 503):
                    raise AssertionError(f"{name}: unexpected {r.status}")
                return r.status == expect_status
            finally:
                conn.close()

        load = Load(send)
        load.start()
        hub.wait_until(lambda: len(load.acked) >= 20, f"{name} load to get 20 answers", timeout=30)
        # Connected, nothing sent yet. Accepted once the idle connection below, made after it,
        # is served: the listener accepts in order.
        fresh = socket.create_connection(("127.0.0.1", port), timeout=10)
        idle = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body, headers = request_of(1)
        idle.request("POST", path, body, headers)
        first = idle.getresponse()
        first.read()
        self.assertEqual(first.status, expect_status)
        held = HeldHttpRequest(port, path, *request_of(2))
        stream = open_stream() if open_stream else None

        started, wait_exit = self.sigterm_and_wait(proc)
        self.wait_log(h, name + ".log", "draining: new requests get 503")
        self.assert_not_ready(h, name)
        idle.sock.settimeout(10)
        self.assertEqual(idle.sock.recv(1), b"", "the idle keep-alive connection was not closed")
        idle.close()
        body, headers = request_of(3)
        fresh.sendall(http_head("POST", path, body, headers, port) + body)  # after the drain began
        status, refused_headers, refused_body = read_http_response(fresh)
        fresh.close()
        self.assertEqual(status, 503, refused_body)
        self.assertEqual(refused_headers.get("retry-after"), str(SHUTDOWN_MS // 1000))
        self.assertEqual(refused_headers.get("connection"), "close")
        self.assertEqual(json.loads(refused_body)["error"]["code"], "unavailable")
        if stream:
            # Ended by the drain, well before the deadline would end it with the process (the
            # held request keeps the process there until then).
            hub.wait_until(lambda: stream.next_event(timeout=0.5) is None and stream.closed,
                           f"{name}: the drain to end the stream", timeout=SHUTDOWN_MS / 2000)
            self.assertIsNone(proc.poll(), f"{name} exited before its stream ended")
            stream.close()
        hub.wait_until(lambda: connection_refused(port), f"{name} to stop accepting connections", timeout=5)
        status, held_headers, answer = held.finish(h.read_log(name + ".log"))
        self.assertEqual(status, expect_status, answer)
        self.assertEqual(held_headers.get("connection"), "close")
        rc, took = wait_exit()
        load.stop()
        self.assertEqual(rc, 0, h.read_log(name + ".log"))
        self.assertLess(took, SHUTDOWN_MS / 1000)
        self.assertIn("stopped cleanly", h.read_log(name + ".log"))

        getattr(h, "start_" + name)()
        acked = [1, 2] + load.acked
        self.assert_each_once(h, identity, [pmid_of(n) for n in acked], [pmid_of(n) for n in [3] + load.refused])
        return load

    def test_sms_drains_under_load(self):
        h = self.new_hub(sms=True)
        client = TwilioClient(h, hub.TWILIO_TOKEN)

        def request_of(n):
            return client.signed_form("messages", twilio_sms(f"SM{n:032d}", SMS_CUSTOMER, SMS_BUSINESS, f"drain {n}"))

        self.check_http_drain(h, "sms", h.sms_port, "/twilio/default/messages", request_of,
                              "phone:" + SMS_CUSTOMER, lambda n: f"SM{n:032d}", 200)

    def test_social_drains_under_load(self):
        h = self.new_hub(social=True)

        def request_of(n):
            body = json.dumps(tg_message(n, n, TG_USER, 1718000000 + n, text=f"drain {n}")).encode()
            return body, {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": hub.TELEGRAM_SECRET}

        self.check_http_drain(h, "social", h.social_port, "/telegram/default", request_of,
                              f"telegram:{TG_USER['id']}", lambda n: f"{TG_USER['id']}:{n}", 200)

    def test_api_drains_under_load(self):
        # The load is far above the per-token rate limit of the defaults.
        h = self.new_hub(api=True, api_extra="rate_limit_per_s = 1000000\nrate_limit_burst = 1000000")
        token = h.api_token("drain.test")

        def request_of(n):
            event = {"channel": "email", "account": "support@example.com", "provider_message_id": f"api-drain-{n}",
                     "direction": "inbound", "occurred_at": "2026-11-23T10:00:00Z",
                     "from": {"email": API_CUSTOMER.split(":", 1)[1]}, "text": f"drain {n}"}
            return json.dumps(event).encode(), {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

        def open_stream():
            stream = SseStream("127.0.0.1", h.api_port, "/api/v1/stream", token)
            self.assertEqual(stream.status, 200)
            return stream

        self.check_http_drain(h, "api", h.api_port, "/api/v1/events", request_of, API_CUSTOMER,
                              lambda n: f"api-drain-{n}", 202, open_stream)

    # -- SMTP -----------------------------------------------------------------------------------

    def test_email_drains_under_load(self):
        h = self.new_hub(email=True)
        port = h.smtp_port

        def message(n):
            return (f"From: <{MAIL_CUSTOMER}>\r\nTo: <support@shop.example>\r\nSubject: drain {n}\r\n"
                    f"Message-ID: <drain-{n}@mail.test>\r\n\r\nmessage {n}\r\n").encode()

        def send(n):
            try:
                client = smtplib.SMTP("127.0.0.1", port, timeout=30)
            except smtplib.SMTPConnectError as e:
                if e.smtp_code == 421:
                    return False  # the drain's greeting
                raise
            with client:
                client.ehlo("load.test")
                code, _ = client.mail(MAIL_CUSTOMER)
                if code == 421:
                    return False
                client.rcpt("support@shop.example")
                code, _ = client.data(message(n))
                return code == 250

        load = Load(send)
        load.start()
        hub.wait_until(lambda: len(load.acked) >= 20, "email load to get 20 answers", timeout=30)
        idle = smtplib.SMTP("127.0.0.1", port, timeout=30)
        idle.ehlo("idle.test")
        held = socket.create_connection(("127.0.0.1", port), timeout=10)
        held_file = held.makefile("rb")
        held_file.readline()  # 220
        held.sendall(b"EHLO held.test\r\n")
        while not held_file.readline().startswith(b"250 "):
            pass
        for command in (f"MAIL FROM:<{MAIL_CUSTOMER}>", "RCPT TO:<support@shop.example>", "DATA"):
            held.sendall(command.encode() + b"\r\n")
            self.assertIn(held_file.readline()[:3], (b"250", b"354"))
        text = message(2)
        held.sendall(text[:40])  # half of the message: the transaction is in progress

        started, wait_exit = self.sigterm_and_wait(h.email_proc)
        self.wait_log(h, "email.log", "draining: new connections and transactions get 421")
        self.assert_not_ready(h, "email")
        code, reply = idle.mail(MAIL_CUSTOMER)
        self.assertEqual((code, reply), (421, b"4.3.2 mx.test shutting down, try again later"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as late:
            self.assertEqual(late.makefile("rb").readline(), b"421 4.3.2 mx.test shutting down, try again later\r\n")
        held.sendall(text[40:] + b".\r\n")
        self.assertTrue(held_file.readline().startswith(b"250 2.0.0 Ok: queued as"))
        held.close()
        rc, took = wait_exit()
        load.stop()
        self.assertEqual(rc, 0, h.read_log("email.log"))
        self.assertLess(took, SHUTDOWN_MS / 1000)

        h.start_email()
        self.assert_each_once(h, "email:" + MAIL_CUSTOMER, [f"drain-{n}@mail.test" for n in [2] + load.acked],
                              [f"drain-{n}@mail.test" for n in load.refused])

    # -- the unifier ------------------------------------------------------------------------------

    def test_unifier_stops_cleanly_while_an_adapter_publishes(self):
        h = self.new_hub(sms=True)
        client = TwilioClient(h, hub.TWILIO_TOKEN)

        def send(n):
            status, _, _ = client.post("messages", twilio_sms(f"SM{n:032d}", SMS_CUSTOMER, SMS_BUSINESS, f"u {n}"))
            return status == 200

        load = Load(send)
        load.start()
        hub.wait_until(lambda: len(load.acked) >= 30, "sms load to get 30 answers", timeout=30)
        started, wait_exit = self.sigterm_and_wait(h.proc)
        rc, took = wait_exit()
        self.assertEqual(rc, 0, h.read_log())
        self.assertLess(took, SHUTDOWN_MS / 1000)
        self.assertIn("stopped cleanly", h.read_log())
        acked_while_down = len(load.acked)
        hub.wait_until(lambda: len(load.acked) >= acked_while_down + 10, "omnihub-sms to accept while the unifier is down")
        h.start_unifier()
        load.stop()
        self.assert_each_once(h, "phone:" + SMS_CUSTOMER, [f"SM{n:032d}" for n in load.acked])

    # -- the deadline ----------------------------------------------------------------------------

    def test_work_held_past_the_deadline_is_abandoned_with_exit_1(self):
        h = self.new_hub(sms=True, extra="[service]\nshutdown_timeout_ms = 500\n")
        client = TwilioClient(h, hub.TWILIO_TOKEN)
        held = HeldHttpRequest(h.sms_port, "/twilio/default/messages",
                               *client.signed_form("messages", twilio_sms("SM" + "9" * 32, SMS_CUSTOMER, SMS_BUSINESS, "x")))
        started, wait_exit = self.sigterm_and_wait(h.sms_proc)
        rc, took = wait_exit()
        held.sock.close()
        log = h.read_log("sms.log")
        self.assertEqual(rc, 1, log)
        self.assertGreaterEqual(took, 0.5)
        self.assertIn("stopped uncleanly: shutdown deadline of 500 ms passed with 1 HTTP request still in flight", log)

    # -- SIGHUP and logrotate --------------------------------------------------------------------

    def test_sighup_reopens_the_log_file_after_a_rename(self):
        h = self.new_hub(sms=True)
        h.sms_proc.send_signal(signal.SIGTERM)
        self.assertEqual(h.sms_proc.wait(timeout=15), 0)
        # The same config with [log] file, for omnihub-sms alone.
        log_dir = os.path.join(h.dir, "log")
        os.mkdir(log_dir)
        log_path = os.path.join(log_dir, "omnihub-sms.log")
        with open(h.config) as f:
            text = f.read().replace("[log]\n", f'[log]\nfile = "{log_path}"\n', 1)
        config = os.path.join(h.dir, "with-log-file.toml")
        with open(config, "w") as f:
            f.write(text)
        proc = subprocess.Popen([hub.binary("omnihub-sms"), "--config", config], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=dict(os.environ, **hub.ADAPTER_SECRETS))
        try:
            hub.wait_until(lambda: "SMS webhooks on" in open(log_path).read() if os.path.exists(log_path) else None,
                           "omnihub-sms to log to its file", timeout=20)
            client = TwilioClient(h, hub.TWILIO_TOKEN)
            status, _, _ = client.post("messages", twilio_sms("SM" + "1" * 32, SMS_CUSTOMER, SMS_BUSINESS, "before"))
            self.assertEqual(status, 200)
            self.wait_file(log_path, "POST /twilio/default/messages")

            # What logrotate does, for real: the shipped config with this directory's path.
            state = os.path.join(h.dir, "logrotate.state")
            conf = os.path.join(h.dir, "logrotate.conf")
            with open(LOGROTATE_CONF) as f:
                shipped = f.read()
            self.assertIn("/var/log/omnihub/*.log {", shipped)
            with open(conf, "w") as f:
                f.write(shipped.replace("/var/log/omnihub/*.log", os.path.join(log_dir, "*.log")))
            os.chmod(conf, 0o644)
            r = subprocess.run([self.logrotate(), "-f", "-s", state, conf], capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.exists(log_path + ".1"), os.listdir(log_dir))
            # Under systemd postrotate sends the HUP; here the test does.
            proc.send_signal(signal.SIGHUP)
            self.wait_file(log_path, "reopened log file " + log_path)
            status, _, _ = client.post("messages", twilio_sms("SM" + "2" * 32, SMS_CUSTOMER, SMS_BUSINESS, "after"))
            self.assertEqual(status, 200)
            self.wait_file(log_path, "POST /twilio/default/messages")
            self.assertIsNone(proc.poll(), "SIGHUP stopped omnihub-sms")
            with open(log_path + ".1") as f:
                rotated = f.read()
            self.assertIn("SMS webhooks on", rotated)
            self.assertNotIn("reopened log file", rotated)
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=15), 0)
            with open(log_path) as f:
                self.assertIn("stopped cleanly", f.read())
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
        h.sms_proc = None

    def test_shipped_logrotate_config_parses(self):
        r = subprocess.run([self.logrotate(), "-d", "-s", os.devnull, LOGROTATE_CONF], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("error", r.stderr.lower(), r.stderr)
        self.assertIn("rotating pattern: /var/log/omnihub/*.log", r.stderr)

    @staticmethod
    def logrotate():
        path = shutil.which("logrotate") or "/usr/sbin/logrotate"
        if not os.path.exists(path):
            raise AssertionError("logrotate is not installed: run scripts/install-deps.sh")
        return path

    @staticmethod
    def wait_file(path, text):
        def probe():
            if not os.path.exists(path):  # renamed away, not yet reopened
                return None
            with open(path) as f:
                return text in f.read()
        hub.wait_until(probe, f"'{text}' in {path}", timeout=10)


if __name__ == "__main__":
    unittest.main()
