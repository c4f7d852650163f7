"""Test harness: runs a real omnihub-unifier in a temp directory and drives it with
the real omnihubctl. Only the Python standard library is used."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MANIFEST = os.path.join(REPO, "deploy", "services.manifest")
BIN_DIR = os.environ.get("OMNIHUB_BIN_DIR") or os.path.join(REPO, "build", "bin")


def read_manifest(path=MANIFEST):
    """The services of a manifest in start order: [{name, binary, ready, stop_grace_s}]
    (format: docs/supervisor.md)."""
    services = []
    with open(path) as f:
        for line in f:
            cols = line.split()
            if not cols or cols[0].startswith("#"):
                continue
            name, binary_name, ready, grace = cols
            services.append({"name": name, "binary": binary_name, "ready": ready, "stop_grace_s": int(grace)})
    return services


def write_manifest(path, services):
    with open(path, "w") as f:
        f.write("# written by tests/e2e/hub.py from deploy/services.manifest\n")
        for s in services:
            f.write(f"{s['name']} {s['binary']} {s['ready']} {s['stop_grace_s']}\n")
    return path


def alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is missing: build the project first")
    return path


class Hub:
    """One unifier with its own config, data and sockets under a temp dir.

    With supervise=True the services (the unifier, plus email and sms when asked for)
    run under the real omnihub-supervisor with deploy/services.manifest, its ready
    probes pointed at this hub's addresses, as scripts/run.sh runs them: tests can
    SIGKILL them at will. Without it the test starts and kills them by hand."""

    def __init__(self, supervise=False, batch_max_events=2000, window=4096, resend_timeout_ms=1000, email=False,
                 email_extra="", email_mailboxes='["support@shop.example"]', email_domains='["example.com"]',
                 base_dir=None, sms=False, sms_extra="", social=False, social_extra="",
                 extra_services=(), api=False, api_extra="", extra=""):
        # extra_services: more manifest entries for supervise=True ({name, binary, ready,
        # stop_grace_s}), e.g. a binary that exits at once to test crash loops.
        # base_dir: where the temp dir goes (benchmarks keep it on the disk they measure).
        # extra: TOML appended to the config, e.g. a [service] table.
        # email_mailboxes, email_domains: the TOML values of [email] mailboxes and domains.
        self.dir = tempfile.mkdtemp(prefix="omnihub-e2e-", dir=base_dir)
        self.config = os.path.join(self.dir, "omnihub.toml")
        run = os.path.join(self.dir, "run")
        # Every process's admin listener (/metrics, /healthz, /readyz) on a free port of its
        # own, so that parallel runs do not collide on the defaults (9101-9104).
        self.admin_ports = {"unifier": free_port()}
        if email:
            self.admin_ports["email"] = free_port()
        if sms:
            self.admin_ports["sms"] = free_port()
        if social:
            self.admin_ports["social"] = free_port()
        if api:
            self.admin_ports["api"] = free_port()
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
mailboxes = {email_mailboxes}
domains = {email_domains}
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
            if social:
                self.social_port = free_port()
                self.social_base = f"http://127.0.0.1:{self.social_port}"
                f.write(f"""[social]
listen = "127.0.0.1:{self.social_port}"
outbox_dir = "{self.dir}/outbox-social"
admin_listen = "127.0.0.1:{self.admin_ports['social']}"
{social_extra}
[social.meta.default]
app_secret_env = "E2E_META_APP_SECRET"
verify_token_env = "E2E_META_VERIFY_TOKEN"
[social.telegram.default]
secret_token_env = "E2E_TELEGRAM_SECRET"
[social.x.default]
consumer_secret_env = "E2E_X_SECRET"
""")
            if api:
                # omnihub-api (docs/api.md): tests create tokens with api_token().
                self.api_port = free_port()
                self.api_base = f"http://127.0.0.1:{self.api_port}"
                f.write(f"""[api]
listen = "127.0.0.1:{self.api_port}"
public_url = "{self.api_base}"
outbox_dir = "{self.dir}/outbox-api"
token_dir = "{self.dir}/api-tokens"
admin_listen = "127.0.0.1:{self.admin_ports['api']}"
{api_extra}
""")
            f.write(extra)
        self.log = open(os.path.join(self.dir, "unifier.log"), "ab")
        self.email_log = open(os.path.join(self.dir, "email.log"), "ab") if email else None
        self.email_proc = None
        self.sms_log = open(os.path.join(self.dir, "sms.log"), "ab") if sms else None
        self.sms_proc = None
        self.social_log = open(os.path.join(self.dir, "social.log"), "ab") if social else None
        self.social_proc = None
        self.api_log = open(os.path.join(self.dir, "api.log"), "ab") if api else None
        self.api_proc = None
        self.proc = None
        self._supervise = supervise
        self.run_dir = run
        self.supervisor = None
        self.extra_services = list(extra_services)

    # -- supervised ----------------------------------------------------------
    def _probes(self):
        """Each service's ready probe for this hub's config (the manifest's are for the default)."""
        probes = {"omnihub-unifier": f"ipc:{self.run_dir}/query.sock"}
        if self.email_log:
            probes["omnihub-email"] = f"tcp:127.0.0.1:{self.smtp_port}"
        if self.sms_log:
            probes["omnihub-sms"] = f"tcp:127.0.0.1:{self.sms_port}"
        if self.social_log:
            probes["omnihub-social"] = f"tcp:127.0.0.1:{self.social_port}"
        if self.api_log:
            probes["omnihub-api"] = f"tcp:127.0.0.1:{self.api_port}"
        return probes

    def _start_supervisor(self):
        probes = self._probes()
        services = [dict(s, ready=probes[s["name"]]) for s in read_manifest() if s["name"] in probes]
        services += self.extra_services
        self.manifest = write_manifest(os.path.join(self.dir, "services.manifest"), services)
        env = dict(os.environ, OMNIHUB_CONFIG=self.config, **ADAPTER_SECRETS)
        self.supervisor_log = open(os.path.join(self.dir, "supervisor.log"), "ab")
        self.supervisor = subprocess.Popen(
            [binary("omnihub-supervisor"), "--manifest", self.manifest, "--bin-dir", BIN_DIR,
             "--run-dir", self.run_dir, "--log-dir", self.dir],
            cwd=self.dir, env=env, stdout=self.supervisor_log, stderr=self.supervisor_log)
        for name in probes:
            self.wait_service_ready(name)

    def service_pid(self, name, ready=False):
        """The pid in the supervisor's RUN_DIR/<name>.pid (.ready with ready=True), or None."""
        try:
            with open(os.path.join(self.run_dir, name + (".ready" if ready else ".pid"))) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def wait_service_ready(self, name, timeout=20, not_pid=None):
        """Waits until the supervisor reports `name` ready (by a pid other than not_pid); returns the pid."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid = self.service_pid(name, ready=True)
            if pid and pid != not_pid and alive(pid):
                return pid
            if self.supervisor.poll() is not None:
                raise AssertionError(f"omnihub-supervisor exited {self.supervisor.returncode}:\n"
                                     + self.read_log("supervisor.log"))
            time.sleep(0.02)
        raise AssertionError(f"{name} was not ready within {timeout}s; log:\n" + self.read_log(name + ".log"))

    def kill_service(self, name, sig=signal.SIGKILL):
        """Sends sig to the supervised service; returns once that process is gone."""
        pid = self.service_pid(name)
        if pid is None:
            raise AssertionError(f"{name} has no pid file")
        os.kill(pid, sig)
        deadline = time.time() + 10
        while alive(pid):
            if time.time() > deadline:
                raise AssertionError(f"{name} (pid {pid}) still alive 10s after signal {sig}")
            time.sleep(0.01)
        return pid

    def starts(self, name):
        """How often the supervisor has started `name`, from its log."""
        return self.read_log(name + ".log", tail=None).count(f"supervisor: started {name} (pid ")

    @property
    def restarts(self):
        return self.starts("omnihub-unifier") - 1 if self._supervise else 0

    # -- lifecycle ---------------------------------------------------------
    def start(self):
        if self._supervise:
            self._start_supervisor()
            self.wait_ready()
            return self
        self._spawn()
        self.wait_ready()
        if self.email_log:
            self.start_email()
        if self.sms_log:
            self.start_sms()
        if self.social_log:
            self.start_social()
        if self.api_log:
            self.start_api()
        return self

    def _spawn(self):
        self.proc = subprocess.Popen([binary("omnihub-unifier"), "--config", self.config],
                                     stdout=self.log, stderr=self.log)

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
        with open(os.path.join(self.dir, "email.log"), errors="replace") as f:
            log = f.read()[-4000:]
        raise AssertionError(f"omnihub-email did not greet on its SMTP port within 20s "
                             f"(exit status {self.email_proc.poll()}); its log ends:\n{log}")

    def _start_webhook_adapter(self, name, port, log):
        """Starts omnihub-<name> (an HTTP webhook adapter) and waits until it listens."""
        proc = subprocess.Popen([binary("omnihub-" + name), "--config", self.config],
                                stdout=log, stderr=log, env=dict(os.environ, **ADAPTER_SECRETS))
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return proc
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"omnihub-{name} exited {proc.returncode}; its log ends:\n"
                                         + self.read_log(name + ".log"))
                time.sleep(0.1)
        raise AssertionError(f"omnihub-{name} did not listen within 20s")

    def start_sms(self):
        self.sms_proc = self._start_webhook_adapter("sms", self.sms_port, self.sms_log)

    def start_social(self):
        self.social_proc = self._start_webhook_adapter("social", self.social_port, self.social_log)

    def start_api(self):
        """Starts omnihub-api (not supervised) and waits until it listens."""
        self.api_proc = self._start_webhook_adapter("api", self.api_port, self.api_log)

    def kill_api(self):
        """SIGKILL omnihub-api (under supervise=True the supervisor restarts it)."""
        if self._supervise:
            return self.kill_service("omnihub-api")
        self.api_proc.send_signal(signal.SIGKILL)
        self.api_proc.wait()

    def api_token(self, name, scopes="read,write,ingest,admin", *extra):
        """A new API token (omnihubctl token create): the secret text."""
        r = self.ctl("token", "create", "--name", name, "--scope", scopes, *extra)
        return json.loads(r.stdout)["token"]

    def api(self, token=None):
        """An HTTP client of this hub's omnihub-api (tests/e2e/api_client.py) that validates every
        JSON response against the served OpenAPI document."""
        import api_client
        return api_client.ApiClient(self.api_base, token)

    def kill_social(self):
        if self._supervise:
            return self.kill_service("omnihub-social")
        self.social_proc.send_signal(signal.SIGKILL)
        self.social_proc.wait()

    def kill_sms(self):
        if self._supervise:
            return self.kill_service("omnihub-sms")
        self.sms_proc.send_signal(signal.SIGKILL)
        self.sms_proc.wait()

    def kill_email(self):
        if self._supervise:
            return self.kill_service("omnihub-email")
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

    def search_index_lag(self):
        """omnihub_search_index_lag_changes from the unifier's /metrics; None while unreadable."""
        status, _, body = self.admin_get("unifier", "/metrics")
        for line in body.splitlines() if status == 200 else []:
            if line.startswith("omnihub_search_index_lag_changes"):
                return float(line.split()[-1])
        return None

    def metrics_lag(self):
        """omnihub_relationship_lag_changes from the unifier's /metrics: the changes the
        relationship metrics have not applied yet; None while unreadable or not exported."""
        status, _, body = self.admin_get("unifier", "/metrics")
        for line in body.splitlines() if status == 200 else []:
            if line.startswith("omnihub_relationship_lag_changes"):
                return float(line.split()[-1])
        return None

    def kill_unifier(self):
        """SIGKILL the running unifier (under supervise=True the supervisor restarts it)."""
        if self._supervise:
            return self.kill_service("omnihub-unifier")
        pid = self.proc.pid
        os.kill(pid, signal.SIGKILL)
        self.proc.wait()
        return pid

    def wait_ready(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.ctl("stats", check=False, timeout=10).returncode == 0:
                return
            if self._supervise and self.supervisor.poll() is not None:
                raise AssertionError(f"omnihub-supervisor exited {self.supervisor.returncode}; log:\n"
                                     f"{self.read_log()}")
            if not self._supervise and self.proc.poll() is not None:
                raise AssertionError(f"unifier exited {self.proc.returncode}; log:\n{self.read_log()}")
            time.sleep(0.1)
        raise AssertionError(f"unifier did not answer within {timeout}s; log:\n{self.read_log()}")

    def stop(self):
        if self._supervise:
            return self._stop_supervisor()
        if self.email_proc and self.email_proc.poll() is None:
            self.email_proc.send_signal(signal.SIGTERM)
            rc = self.email_proc.wait(timeout=15)
            self.email_log.close()
            if rc != 0:
                raise AssertionError(f"omnihub-email exited {rc} on SIGTERM")
        for name, proc, log in (("api", self.api_proc, self.api_log), ("sms", self.sms_proc, self.sms_log),
                                ("social", self.social_proc, self.social_log)):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                rc = proc.wait(timeout=15)
                log.close()
                if rc != 0:
                    raise AssertionError(f"omnihub-{name} exited {rc} on SIGTERM")
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

    def _stop_supervisor(self):
        """SIGTERM to the supervisor: it must exit 0, every service having exited 0 on its SIGTERM."""
        if self.supervisor.poll() is None:
            self.supervisor.send_signal(signal.SIGTERM)
            grace = max(s["stop_grace_s"] for s in read_manifest(self.manifest))
            try:
                rc = self.supervisor.wait(timeout=grace + 15)
            except subprocess.TimeoutExpired:
                self.supervisor.kill()
                raise AssertionError("omnihub-supervisor did not stop after SIGTERM")
            if rc != 0:
                raise AssertionError(f"omnihub-supervisor exited {rc} on SIGTERM:\n" + self.read_log("supervisor.log"))
        for f in (self.log, self.email_log, self.sms_log, self.social_log, self.api_log, self.supervisor_log):
            if f:
                f.close()
        for name in self._probes():
            log = self.read_log(name + ".log", tail=None)
            for pid in re.findall(rf"supervisor: stopping {name} \(pid (\d+)\) with SIGTERM", log):
                if f"supervisor: {name} (pid {pid}) exited with status 0" not in log:
                    raise AssertionError(f"{name} did not exit 0 on SIGTERM; log:\n{log[-5000:]}")

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def read_log(self, name=None, tail=5000):
        """A log in the hub's directory (default: the unifier's), its last `tail` characters."""
        name = name or ("omnihub-unifier.log" if self._supervise else "unifier.log")
        try:
            with open(os.path.join(self.dir, name), "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return text[-tail:] if tail else text

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

    # -- waiting for commits -------------------------------------------------
    # An adapter's 200 or 250 means the event is durable in its outbox, not that the
    # unifier has committed it: a test reads what it sent only after one of these
    # waits. To check that something did NOT happen (a retry added nothing, an error
    # stored nothing), send a sentinel through the same adapter afterwards and wait for
    # the sentinel: the unifier applies a publisher's entries in sequence order, so
    # everything the adapter accepted before it has been applied too.

    def committed_through(self, kind, stats=None):
        """The sequence through which the unifier has committed the outbox of the one
        publisher of `kind` ("sms", "email", "inject"); 0 before its first commit."""
        marks = [seq for pid, seq in (stats or self.stats())["publishers"].items()
                 if pid.startswith(kind + "-")]
        if len(marks) > 1:
            raise AssertionError(f"{len(marks)} publishers of kind {kind}; name one")
        return marks[0] if marks else 0

    def wait_committed(self, kind, through, timeout=60):
        """The stats once the `kind` adapter's outbox entries 1..through are committed
        (each accepted message, status callback or dead letter is one entry)."""
        return wait_until(lambda: self._stats_if(lambda s: self.committed_through(kind, s) >= through),
                          f"the unifier to commit {kind} entries through {through}", timeout)

    def wait_event(self, identity, provider_message_id, timeout=60):
        """The identity's timeline once it holds the event with that provider message id."""
        def probe():
            r = self.ctl("timeline", identity, "--all", check=False, timeout=10)
            if r.returncode != 0:
                return None
            events = [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()]
            return events if any(e["provider_message_id"] == provider_message_id for e in events) else None
        return wait_until(probe, f"{provider_message_id} in the timeline of {identity}", timeout)

    def _stats_if(self, condition):
        r = self.ctl("stats", check=False, timeout=10)
        if r.returncode != 0:
            return None
        stats = json.loads(r.stdout)
        return stats if condition(stats) else None


def wait_until(probe, what, timeout=60, interval=0.05):
    """probe()'s first truthy result; fails naming `what` when there is none by the deadline.
    The deadline only bounds a wait for something that must happen: no test passes by it expiring."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# The secrets the harness gives omnihub-sms through the environment.
TWILIO_TOKEN = "e2e-twilio-auth-token"
VONAGE_SECRET = "e2e-vonage-signature-secret"
META_APP_SECRET = "e2e-meta-app-secret"
META_VERIFY_TOKEN = "e2e-meta-verify-token"
TELEGRAM_SECRET = "e2e-telegram-secret-token"
X_SECRET = "e2e-x-consumer-secret"
# The environment every adapter of a test hub starts with: its config names these variables.
ADAPTER_SECRETS = {"E2E_TWILIO_TOKEN": TWILIO_TOKEN, "E2E_VONAGE_SECRET": VONAGE_SECRET,
                   "E2E_META_APP_SECRET": META_APP_SECRET, "E2E_META_VERIFY_TOKEN": META_VERIFY_TOKEN,
                   "E2E_TELEGRAM_SECRET": TELEGRAM_SECRET, "E2E_X_SECRET": X_SECRET}


_handed_out_ports = set()


def free_port():
    """A loopback port nothing listens on, never the same twice in one test process: the kernel
    may offer a port it just handed out again once its probe socket is closed, and a hub takes
    several (SMTP, LMTP, webhooks, three admin listeners) before any of them is bound."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out_ports:
            _handed_out_ports.add(port)
            return port


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
