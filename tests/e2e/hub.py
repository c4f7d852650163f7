"""Test harness: runs a real omnihub-unifier in a temp directory and drives it with
the real omnihubctl. Only the Python standard library is used."""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN_DIR = os.environ.get("OMNIHUB_BIN_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "bin")


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is missing: build the project first")
    return path


class Hub:
    """One unifier with its own config, data and sockets under a temp dir.

    With supervise=True a watchdog thread restarts the unifier whenever it exits,
    like scripts/run.sh does, so tests can SIGKILL it at will."""

    def __init__(self, supervise=False, batch_max_events=2000, window=4096, resend_timeout_ms=1000, email=False,
                 email_extra="", base_dir=None, sms=False, sms_extra=""):
        # base_dir: where the temp dir goes (benchmarks keep it on the disk they measure).
        self.dir = tempfile.mkdtemp(prefix="omnihub-e2e-", dir=base_dir)
        self.config = os.path.join(self.dir, "omnihub.toml")
        run = os.path.join(self.dir, "run")
        # Every process's admin listener (/metrics, /healthz, /readyz) on a free port of its
        # own, so that parallel runs do not collide on the defaults (9101-9103).
        self.admin_ports = {"unifier": free_port()}
        if email:
            self.admin_ports["email"] = free_port()
        if sms:
            self.admin_ports["sms"] = free_port()
        with open(self.config, "w") as f:
            f.write(f"""data_dir = "{self.dir}"
[log]
level = "info"
[bus]
ingest = "ipc://{run}/ingest.sock"
changes = "ipc://{run}/changes.sock"
query = "ipc://{run}/query.sock"
[identity]
default_region = "US"
[unifier]
db_dir = "{self.dir}/unifier"
batch_max_events = {batch_max_events}
admin_listen = "127.0.0.1:{self.admin_ports['unifier']}"
[publisher]
window = {window}
resend_timeout_ms = {resend_timeout_ms}
[inject]
outbox_dir = "{self.dir}/outbox"
""")
            if email:
                self.smtp_port, self.lmtp_port = free_port(), free_port()
                f.write(f"""[email]
smtp_listen = "127.0.0.1:{self.smtp_port}"
lmtp_listen = "127.0.0.1:{self.lmtp_port}"
hostname = "mx.test"
mailboxes = ["support@shop.example"]
domains = ["example.com"]
outbox_dir = "{self.dir}/outbox-email"
admin_listen = "127.0.0.1:{self.admin_ports['email']}"
{email_extra}
""")
            if sms:
                self.sms_port = free_port()
                self.sms_base = f"http://127.0.0.1:{self.sms_port}"
                f.write(f"""[sms]
listen = "127.0.0.1:{self.sms_port}"
public_base_url = "https://hub.example.com"
outbox_dir = "{self.dir}/outbox-sms"
admin_listen = "127.0.0.1:{self.admin_ports['sms']}"
{sms_extra}
[sms.twilio.default]
auth_token_env = "E2E_TWILIO_TOKEN"
[sms.vonage.default]
signature_secret_env = "E2E_VONAGE_SECRET"
signature_method = "md5hash"
""")
        self.log = open(os.path.join(self.dir, "unifier.log"), "ab")
        self.email_log = open(os.path.join(self.dir, "email.log"), "ab") if email else None
        self.email_proc = None
        self.sms_log = open(os.path.join(self.dir, "sms.log"), "ab") if sms else None
        self.sms_proc = None
        self.proc = None
        self.restarts = 0
        self._supervise = supervise
        self._stopping = False
        self._lock = threading.Lock()
        self._watchdog = None

    # -- lifecycle ---------------------------------------------------------
    def start(self):
        self._spawn()
        self.wait_ready()
        if self.email_log:
            self.start_email()
        if self.sms_log:
            self.start_sms()
        if self._supervise:
            self._watchdog = threading.Thread(target=self._watch, daemon=True)
            self._watchdog.start()
        return self

    def _spawn(self):
        with self._lock:
            self.proc = subprocess.Popen([binary("omnihub-unifier"), "--config", self.config],
                                         stdout=self.log, stderr=self.log)

    def _watch(self):
        while not self._stopping:
            proc = self.proc
            if proc.poll() is not None and not self._stopping:
                time.sleep(0.2)
                if not self._stopping:
                    self._spawn()
                    self.restarts += 1
            time.sleep(0.05)

    def start_email(self):
        self.email_proc = subprocess.Popen([binary("omnihub-email"), "--config", self.config],
                                           stdout=self.email_log, stderr=self.email_log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1) as s:
                    if s.recv(512).startswith(b"220"):
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("omnihub-email did not greet on its SMTP port within 20s")

    def start_sms(self):
        env = dict(os.environ, E2E_TWILIO_TOKEN=TWILIO_TOKEN, E2E_VONAGE_SECRET=VONAGE_SECRET)
        self.sms_proc = subprocess.Popen([binary("omnihub-sms"), "--config", self.config],
                                         stdout=self.sms_log, stderr=self.sms_log, env=env)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.sms_port), timeout=1):
                    return
            except OSError:
                if self.sms_proc.poll() is not None:
                    raise AssertionError(f"omnihub-sms exited {self.sms_proc.returncode}")
                time.sleep(0.1)
        raise AssertionError("omnihub-sms did not listen within 20s")

    def kill_sms(self):
        self.sms_proc.send_signal(signal.SIGKILL)
        self.sms_proc.wait()

    def kill_email(self):
        self.email_proc.send_signal(signal.SIGKILL)
        self.email_proc.wait()

    def wait_stats(self, key, at_least, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.ctl("stats", check=False, timeout=10)
            if r.returncode == 0 and json.loads(r.stdout)[key] >= at_least:
                return json.loads(r.stdout)
            time.sleep(0.05)
        raise AssertionError(f"stats {key} did not reach {at_least} within {timeout}s")

    def stop_unifier(self):
        """SIGTERM the unifier (not supervised) and wait for it to exit."""
        with self._lock:
            self.proc.send_signal(signal.SIGTERM)
            rc = self.proc.wait(timeout=15)
        if rc != 0:
            raise AssertionError(f"unifier exited {rc} on SIGTERM; log:\n{self.read_log()}")

    def start_unifier(self):
        """Starts the unifier again after stop_unifier and waits until it answers."""
        self._spawn()
        self.wait_ready()

    # -- admin listeners -------------------------------------------------------
    def admin_get(self, service, path, timeout=10):
        """GET path from a process's admin listener: (status, content type, body text)."""
        url = f"http://127.0.0.1:{self.admin_ports[service]}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.headers.get("Content-Type"), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read().decode()

    def kill_unifier(self):
        """SIGKILL the running unifier (the watchdog restarts it)."""
        with self._lock:
            pid = self.proc.pid
            os.kill(pid, signal.SIGKILL)
            self.proc.wait()
        return pid

    def wait_ready(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.ctl("stats", check=False, timeout=10).returncode == 0:
                return
            if not self._supervise and self.proc.poll() is not None:
                raise AssertionError(f"unifier exited {self.proc.returncode}; log:\n{self.read_log()}")
            time.sleep(0.1)
        raise AssertionError(f"unifier did not answer within {timeout}s; log:\n{self.read_log()}")

    def stop(self):
        self._stopping = True
        if self.email_proc and self.email_proc.poll() is None:
            self.email_proc.send_signal(signal.SIGTERM)
            rc = self.email_proc.wait(timeout=15)
            self.email_log.close()
            if rc != 0:
                raise AssertionError(f"omnihub-email exited {rc} on SIGTERM")
        if self.sms_proc and self.sms_proc.poll() is None:
            self.sms_proc.send_signal(signal.SIGTERM)
            rc = self.sms_proc.wait(timeout=15)
            self.sms_log.close()
            if rc != 0:
                raise AssertionError(f"omnihub-sms exited {rc} on SIGTERM")
        if self._watchdog:
            self._watchdog.join(timeout=5)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("unifier did not stop within 15s of SIGTERM")
            if rc != 0:
                raise AssertionError(f"unifier exited {rc} on SIGTERM; log:\n{self.read_log()}")
        self.log.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def read_log(self):
        with open(os.path.join(self.dir, "unifier.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")[-5000:]

    # -- omnihubctl ----------------------------------------------------------
    def ctl_cmd(self, *args):
        return [binary("omnihubctl"), "--config", self.config, *args]

    def ctl(self, *args, check=True, input=None, timeout=300):
        r = subprocess.run(self.ctl_cmd(*args), input=input, capture_output=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"omnihubctl {' '.join(args)} exited {r.returncode}: {r.stderr.decode()}")
        return r

    def stats(self):
        return json.loads(self.ctl("stats", timeout=30).stdout)

    def inject_lines(self, lines, check=True):
        data = "".join(json.dumps(l) + "\n" for l in lines).encode()
        return self.ctl("inject", "-", input=data, check=check)

    def timeline(self, identity, *extra):
        r = self.ctl("timeline", identity, *extra)
        return [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()], r.stderr.decode()

    def export(self):
        r = self.ctl("export", timeout=600)
        return [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()]

    def write_file(self, name, lines):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            for l in lines:
                f.write(json.dumps(l) + "\n")
        return path


# The secrets the harness gives omnihub-sms through the environment.
TWILIO_TOKEN = "e2e-twilio-auth-token"
VONAGE_SECRET = "e2e-vonage-signature-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sms(number, pid, at, text="hello", account="+12025550000", direction="inbound"):
    ev = {"channel": "sms", "account": account, "provider_message_id": pid, "direction": direction,
          "occurred_at": at, "text": text}
    if direction == "inbound":
        ev["from"] = {"phone": number}
    else:
        ev["from"] = {"phone": account}
        ev["to"] = [{"phone": number}]
    return ev


def rfc3339(us):
    secs, micro = divmod(us, 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{micro:06d}Z"
