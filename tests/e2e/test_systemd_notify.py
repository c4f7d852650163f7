"""sd_notify end to end, as systemd sees it under Type=notify with NotifyAccess=main: each
service is started with $NOTIFY_SOCKET naming an AF_UNIX datagram socket this test binds, and
must send READY=1 from its main process once it is ready, then STOPPING=1 on SIGTERM and
exit 0. Ready means (docs/operations.md, "Installing on one machine"):
  - omnihub-unifier: the store is open and the sockets bound, so /readyz answers 200;
  - adapters and omnihub-api: the outbox is open and the listener bound, so a connection is
    accepted (delivery to the unifier is /readyz's "bus" check, which follows).
The sender's pid comes from the kernel (SCM_CREDENTIALS), as systemd checks it."""

import array
import os
import signal
import socket
import struct
import subprocess
import time
import unittest
import urllib.error
import urllib.request

import hub

# Bounds waits for something that must happen; no check passes by a wait expiring.
DEADLINE_S = 30


class NotifySocket:
    """A bound AF_UNIX datagram socket like systemd's notify socket; receives (pid, fields)."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)

    def receive(self, timeout=DEADLINE_S):
        """The next datagram as (sender pid, {KEY: value}); fails after `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            data, ancillary, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(struct.calcsize("3i")))
        except socket.timeout:
            raise AssertionError(f"no notification on {self.path} within {timeout}s")
        pid = None
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = array.array("i", payload[:struct.calcsize("3i")])[0]
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        return pid, fields

    def close(self):
        self.sock.close()


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


class SystemdNotifyTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True, sms=True, social=True, api=True)
        self.procs = []
        self.sockets = []

    def tearDown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for s in self.sockets:
            s.close()
        for log in (self.hub.log, self.hub.email_log, self.hub.sms_log, self.hub.social_log, self.hub.api_log):
            log.close()
        self.hub.cleanup()

    def notify_socket(self, name):
        s = NotifySocket(os.path.join(self.hub.dir, name + ".notify"))
        self.sockets.append(s)
        return s

    def spawn(self, name, notify_path):
        log = open(os.path.join(self.hub.dir, name + ".log"), "ab")
        env = dict(os.environ, NOTIFY_SOCKET=notify_path, **hub.ADAPTER_SECRETS)
        proc = subprocess.Popen([hub.binary("omnihub-" + name), "--config", self.hub.config],
                                stdout=log, stderr=log, env=env)
        log.close()
        self.procs.append(proc)
        return proc

    def admin(self, name, path):
        return f"http://127.0.0.1:{self.hub.admin_ports[name]}{path}"

    def expect_ready(self, name, proc, notify):
        pid, fields = notify.receive()
        self.assertEqual(pid, proc.pid, f"{name}: READY=1 must come from the main process (NotifyAccess=main)")
        self.assertEqual(fields.get("READY"), "1", f"{name}: first notification {fields}")
        self.assertTrue(fields.get("STATUS"), f"{name}: READY=1 carries a STATUS line")
        return fields

    def expect_stop(self, name, proc, notify):
        proc.send_signal(signal.SIGTERM)
        pid, fields = notify.receive()
        self.assertEqual(pid, proc.pid, name)
        self.assertEqual(fields.get("STOPPING"), "1", f"{name}: notification after SIGTERM {fields}")
        self.assertEqual(proc.wait(timeout=DEADLINE_S), 0, f"{name} exit status after SIGTERM:\n"
                         + self.hub.read_log(name + ".log"))

    def test_each_service_notifies_ready_then_stopping(self):
        started = time.monotonic()
        unifier_notify = self.notify_socket("unifier")
        unifier = self.spawn("unifier", unifier_notify.path)
        fields = self.expect_ready("unifier", unifier, unifier_notify)
        # Sent at the moment /readyz first passes: it must pass as soon as READY=1 is received.
        self.assertEqual(http_status(self.admin("unifier", "/readyz")), 200, self.hub.read_log("unifier.log"))
        self.assertIn("serving", fields["STATUS"])
        print(f"unifier ready {time.monotonic() - started:.2f}s after start")

        adapters = [("email", self.hub.smtp_port), ("sms", self.hub.sms_port),
                    ("social", self.hub.social_port), ("api", self.hub.api_port)]
        running = []
        for name, port in adapters:
            started = time.monotonic()
            notify = self.notify_socket(name)
            proc = self.spawn(name, notify.path)
            self.expect_ready(name, proc, notify)
            # The documented condition: the listener is bound (a connection is accepted) and the
            # process answers on its admin listener.
            self.assertTrue(accepts(port), f"{name}: READY=1 before its listener on {port} accepts")
            self.assertEqual(http_status(self.admin(name, "/healthz")), 200, name)
            # With the unifier up, delivery follows: /readyz passes too.
            hub.wait_until(lambda n=name: http_status(self.admin(n, "/readyz")) == 200,
                           f"{name} /readyz 200 with the unifier running", DEADLINE_S)
            print(f"{name} ready {time.monotonic() - started:.2f}s after start")
            running.append((name, proc, notify))

        for name, proc, notify in running:
            self.expect_stop(name, proc, notify)
        self.expect_stop("unifier", unifier, unifier_notify)

    def test_adapter_is_ready_to_accept_while_the_unifier_is_down(self):
        # Type=notify must not hold an adapter's start back until the unifier is reachable:
        # it accepts into its outbox meanwhile, and /readyz says why delivery waits.
        notify = self.notify_socket("sms")
        proc = self.spawn("sms", notify.path)
        self.expect_ready("sms", proc, notify)
        self.assertTrue(accepts(self.hub.sms_port))
        self.assertEqual(http_status(self.admin("sms", "/readyz")), 503)
        self.expect_stop("sms", proc, notify)

    def test_an_unreachable_notify_socket_does_not_stop_a_service(self):
        missing = os.path.join(self.hub.dir, "nobody-listens.notify")
        proc = self.spawn("unifier", missing)
        hub.wait_until(lambda: proc.poll() is not None or http_status(self.admin("unifier", "/readyz")) == 200,
                       "the unifier to answer /readyz", DEADLINE_S)
        self.assertIsNone(proc.poll(), self.hub.read_log("unifier.log"))
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=DEADLINE_S), 0)
        self.assertIn("could not notify systemd (READY=1)", self.hub.read_log("unifier.log"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
