"""End-to-end test of scripts/run.sh, the one-command way to run the hub.

Runs the real script with the built binaries (OMNIHUB_BIN_DIR, set by ctest) in a
temporary working directory and checks what a person trying the hub relies on:
the sample is loaded once and the printed omnihubctl commands show it (the SMS and
the WhatsApp messages of one number in one timeline); the agent console line, whose
one-time login link sets the session cookie (and the admin token printed once); a
unifier killed with SIGKILL is back within 2 s; SIGTERM stops everything, exit 0, no
process left. The relationship-metrics sample is loaded too (every one of its events in
`omnihubctl export`), the printed `omnihubctl metrics --by month` equals the reference
(metrics_reference.py) over that export, and scripts/make-sample-data.py regenerates the
committed sample byte for byte.
"""

import importlib.util
import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import metrics_reference
from sms_clients import request, twilio_signature, twilio_sms
from social_clients import meta_signature, wa_text, whatsapp

REPO = Path(__file__).resolve().parents[2]
RUN_SH = REPO / "scripts" / "run.sh"
SAMPLE = REPO / "deploy" / "sample" / "sample-events.jsonl"
RELATIONSHIP_SAMPLE = REPO / "deploy" / "sample" / "relationship-sample.jsonl"
MAKE_SAMPLE = REPO / "scripts" / "make-sample-data.py"
BIN_DIR = Path(os.environ.get("OMNIHUB_BIN_DIR", REPO / "build" / "bin")).resolve()

READY_TIMEOUT_S = 120    # first start: readiness (<= 60 s) plus loading the sample
RESTART_PROMISE_S = 2.0  # run.sh restarts a dead service within this
MARGIN_S = 0.5           # scheduling slack on a loaded 2-core machine
ANSWER_AGAIN_S = 5.0     # restart plus the unifier reopening its database
READY_AGAIN_S = 15.0     # the adapters reconnected to a restarted unifier
STOP_TIMEOUT_S = 15


# The admin listeners of the embedded default config (common/config/default_config.toml).
ADMIN_PORTS = {"omnihub-unifier": 9101, "omnihub-email": 9102, "omnihub-sms": 9103, "omnihub-social": 9104}


def readyz_ok(port):
    """Whether GET /readyz on 127.0.0.1:port answers 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=0.5) as r:
            return r.status == 200
    except OSError:
        return False


def proc_stat(pid):
    """(ppid, start time) of a live, non-zombie process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), fields[19]


def descendants(root):
    """{pid: start time} of every live process below root (by parent pid)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat:
                parents[int(entry.name)] = stat
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, start) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = start
                frontier.append(pid)
    return found


def still_running(pids):
    """The (pid, start time) pairs that still name the same live process."""
    return {pid: start for pid, start in pids.items()
            if (stat := proc_stat(pid)) and stat[1] == start}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hands a redirect back as an HTTPError instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def get_without_redirect(url, headers=None, timeout=10):
    """(status, headers, body) of one GET; a redirect is not followed. Retries while the
    connection is refused (the API may still be starting): a refused connection uses no code."""
    opener = urllib.request.build_opener(NoRedirect)
    deadline = time.monotonic() + READY_AGAIN_S
    while True:
        try:
            with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()
        except urllib.error.URLError as e:
            if not isinstance(e.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def customer_key(identity):
    if "email" in identity:
        return "email:" + identity["email"].strip().lower()
    if "phone" in identity:
        return "phone:+" + re.sub(r"\D", "", identity["phone"])
    return f"{identity.get('platform')}:{identity.get('user_id')}"


def sample_by_customer():
    """{customer key: [sample events]}; the customer is `from` when inbound, else `to[0]`."""
    customers = {}
    for line in SAMPLE.read_text().splitlines():
        if line.strip():
            event = json.loads(line)
            who = event["from"] if event["direction"] == "inbound" else event["to"][0]
            customers.setdefault(customer_key(who), []).append(event)
    return customers


def argument_key(argument):
    kind, _, value = argument.partition(":")
    if kind in ("phone", "whatsapp"):
        return "phone:+" + re.sub(r"\D", "", value)
    if kind == "email":
        return "email:" + value.lower()
    return argument


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def lines_with_text(output, text):
    """How many output lines carry `text` as a JSON string value (or, for a line
    that is not JSON, as a substring)."""
    count = 0
    for line in output.splitlines():
        try:
            values = list(strings_in(json.loads(line)))
        except ValueError:
            values = [line]
        if any(text in value for value in values):
            count += 1
    return count


class Hub:
    """One scripts/run.sh process: stdout read by a thread, stderr in a file."""

    def __init__(self, test, workdir, launch_dir):
        self.test = test
        self.workdir = Path(workdir)
        self.launch_dir = Path(launch_dir)
        self.stderr_path = self.launch_dir / f"run-{time.monotonic_ns()}.stderr"
        self.env = dict(os.environ, OMNIHUB_BIN_DIR=str(BIN_DIR))
        self.env.pop("OMNIHUB_CONFIG", None)
        # The embedded default config's development secrets stand in for these.
        self.env.pop("OMNIHUB_TWILIO_AUTH_TOKEN", None)
        self.env.pop("OMNIHUB_VONAGE_SIGNATURE_SECRET", None)
        self.lines = queue.Queue()
        self.stdout = []
        self.known_pids = {}
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen(
                [str(RUN_SH), "--no-build", "--workdir", str(self.workdir)],
                cwd=self.launch_dir, env=self.env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=stderr, text=True,
                start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        test.addCleanup(self.kill)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def logs(self):
        text = self.stderr_path.read_text(errors="replace")
        return "\n--- run.sh stdout ---\n" + "\n".join(self.stdout) + \
               "\n--- run.sh stderr (tail) ---\n" + text[-6000:]

    def stderr_text(self):
        return self.stderr_path.read_text(errors="replace")

    def wait_for_commands(self):
        """The printed commands as [(cwd, argv)], once the hub says it is running."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.test.fail("run.sh printed no commands within "
                               f"{READY_TIMEOUT_S} s" + self.logs())
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.test.fail(f"run.sh exited ({self.proc.wait()}) before the hub "
                               "was up" + self.logs())
            self.stdout.append(line)
            if line.startswith("Ctrl-C stops the hub"):
                break
        commands, cwd = [], self.launch_dir
        for line in self.stdout:
            if not line.startswith("    "):
                continue
            argv = shlex.split(line, comments=True)
            if argv[:1] == ["cd"]:
                cwd = Path(argv[1])
            elif argv and Path(argv[0]).name == "omnihubctl":
                commands.append((cwd, argv))
        self.test.assertTrue(commands, "no omnihubctl commands printed" + self.logs())
        return commands

    def ctl(self, *args, timeout=30):
        return subprocess.run([str(BIN_DIR / "omnihubctl"), *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def unifier_pid(self):
        return self.service_pid("omnihub-unifier")

    def service_pid(self, name):
        try:
            text = (self.workdir / "var" / "run" / f"{name}.pid").read_text()
            return int(text.strip())
        except (OSError, ValueError):
            return None

    def remember_processes(self):
        self.known_pids.update(descendants(self.proc.pid))

    def stop(self):
        """SIGTERM run.sh; returns its exit status."""
        self.remember_processes()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.test.fail(f"run.sh did not exit within {STOP_TIMEOUT_S} s of "
                           "SIGTERM" + self.logs())

    def kill(self):
        """Cleanup after a failure: leave nothing running."""
        if self.proc.poll() is None:
            self.remember_processes()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        for pid in still_running(self.known_pids):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.stdout.close()


class RunScriptTest(unittest.TestCase):
    def setUp(self):
        for name in ("omnihub-unifier", "omnihubctl"):
            self.assertTrue((BIN_DIR / name).exists(), f"{BIN_DIR / name} is not built")
        tmp = tempfile.TemporaryDirectory(prefix="omnihub-run-")
        self.addCleanup(tmp.cleanup)
        self.workdir = Path(tmp.name) / "work"
        self.launch_dir = Path(tmp.name) / "launch"
        self.launch_dir.mkdir()

    def start(self):
        return Hub(self, self.workdir, self.launch_dir)

    def run_printed(self, hub, commands):
        """Runs every printed command; returns {argv tuple: stdout}."""
        outputs = {}
        for cwd, argv in commands:
            result = subprocess.run(argv, cwd=cwd, env=hub.env, capture_output=True,
                                    text=True, timeout=30)
            self.assertEqual(result.returncode, 0,
                             f"{shlex.join(argv)} failed:\n{result.stderr}" + hub.logs())
            self.assertTrue(result.stdout.strip(), f"{shlex.join(argv)} printed nothing")
            outputs[tuple(argv[1:])] = result.stdout
        return outputs

    def check_timelines(self, hub, outputs):
        """Every printed timeline shows each of its customer's sample events once."""
        customers = sample_by_customer()
        timelines = 0
        for args, output in outputs.items():
            if args[0] != "timeline":
                continue
            timelines += 1
            expected = customers.get(argument_key(args[1]))
            self.assertTrue(expected, f"{args[1]} is not a sample customer")
            for event in expected:
                self.assertEqual(
                    lines_with_text(output, event["text"]), 1,
                    f"timeline {args[1]} should show {event['provider_message_id']} "
                    f"exactly once:\n{output}")
        self.assertGreaterEqual(timelines, 3, "too few timeline commands printed")

        shared = [args for args in outputs
                  if args[0] == "timeline" and argument_key(args[1]) == "phone:+4915112345678"]
        self.assertTrue(shared, "no timeline printed for the number used by SMS and WhatsApp")
        channels = {e["channel"] for e in customers["phone:+4915112345678"]}
        self.assertEqual(channels, {"sms", "whatsapp"})
        for args in shared:
            for channel in ("sms", "whatsapp"):
                texts = [e["text"] for e in customers["phone:+4915112345678"]
                         if e["channel"] == channel]
                self.assertTrue(all(lines_with_text(outputs[args], t) for t in texts),
                                f"{channel} messages missing from {args[1]}")

    def check_console(self, hub):
        """The printed console line: its one-time login link answers 303 to / with the session
        cookie, GET /api/v1/session with that cookie answers 200 for the admin token, and the
        link does not work twice. The admin token printed on the first start authenticates."""
        out = "\n".join(hub.stdout)
        m = re.search(r"^Console: (\S+)/  \(one-time login: (\S+)\)$", out, re.M)
        self.assertIsNotNone(m, "run.sh printed no console line" + hub.logs())
        base, link = m.group(1), m.group(2)
        self.assertEqual(base, "http://127.0.0.1:8080")  # api.public_url of the default config
        self.assertRegex(link, r"^http://127\.0\.0\.1:8080/login\?code=[A-Za-z0-9_-]{43}$")

        status, headers, body = get_without_redirect(link)
        self.assertEqual(status, 303, body)
        self.assertEqual(headers["Location"], "/")
        cookie = headers["Set-Cookie"]
        self.assertRegex(cookie, r"^omnihub_session=[^;]+; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200$")
        status, _, body = get_without_redirect(base + "/api/v1/session", {"Cookie": cookie.split(";")[0]})
        self.assertEqual(status, 200, body)
        session = json.loads(body)
        self.assertEqual(session["name"], "admin")
        self.assertEqual(session["scopes"], ["read", "write", "ingest", "admin"])
        self.assertRegex(session["csrf_token"], r"^[0-9a-f]{64}$")
        status, _, body = get_without_redirect(link)
        self.assertEqual(status, 401, body)
        self.assertEqual(json.loads(body)["error"]["code"], "unauthorized")

        tokens = re.findall(r"^    (ohk_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$", out, re.M)
        self.assertEqual(len(tokens), 1, "the admin token should be printed once on the first start" + hub.logs())
        status, _, body = get_without_redirect(base + "/api/v1/session", {"Authorization": "Bearer " + tokens[0]})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["name"], "admin")

    def event_count(self, outputs):
        return sum(len(out.splitlines()) for args, out in outputs.items()
                   if args[0] == "timeline")

    def stop_and_check_clean(self, hub):
        status = hub.stop()
        self.assertEqual(status, 0, "run.sh should exit 0 after SIGTERM" + hub.logs())
        self.assertTrue(hub.known_pids, "no child processes of run.sh were seen")
        deadline = time.monotonic() + 1.0
        while still_running(hub.known_pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = still_running(hub.known_pids)
        self.assertFalse(left, f"processes left after run.sh exited: {sorted(left)}"
                         + hub.logs())
        self.assertFalse((self.workdir / "var" / "run" / "omnihub-unifier.pid").exists())

    def check_relationship_sample(self, hub, outputs):
        """Every event of the relationship sample is stored (export), and the printed
        `metrics --by month` is the reference's report over the stored events."""
        self.assertIn(f"first start: loading the sample ({RELATIONSHIP_SAMPLE})", hub.stderr_text())
        result = hub.ctl("export", timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        exported = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        stored = {(e["channel"], e["account"], e["provider_message_id"]) for e in exported}
        sample = [json.loads(line) for line in RELATIONSHIP_SAMPLE.read_text().splitlines() if line.strip()]
        missing = [e["provider_message_id"] for e in sample
                   if (e["channel"], e["account"], e["provider_message_id"]) not in stored]
        self.assertFalse(missing, f"{len(missing)} relationship sample events not stored: {missing[:5]}")
        printed = [json.loads(out) for args, out in outputs.items() if args[:1] == ("metrics",)]
        self.assertEqual(len(printed), 1, "no `omnihubctl metrics --by month` printed")
        self.assertEqual(printed[0]["by"], "month")
        self.assertGreaterEqual(len(printed[0]["groups"]), 6, "the sample spans six months")
        expected = metrics_reference.build_report(exported, by="month")
        self.assertIsNone(metrics_reference.first_difference(printed[0], expected))

    def test_sample_timelines_restart_after_kill_and_clean_stop(self):
        hub = self.start()
        commands = hub.wait_for_commands()
        self.assertIn("first start: loading the sample", hub.stderr_text())
        self.assertTrue((self.workdir / "var" / ".sample-loaded").exists())
        outputs = self.run_printed(hub, commands)
        self.check_timelines(hub, outputs)
        self.check_relationship_sample(hub, outputs)
        self.check_console(hub)

        old_pid = hub.unifier_pid()
        self.assertIsNotNone(old_pid, "run.sh wrote no var/run/omnihub-unifier.pid")
        self.assertIn(b"omnihub-unifier",
                      Path(f"/proc/{old_pid}/cmdline").read_bytes(),
                      "the pid file does not name the unifier")
        hub.remember_processes()
        os.kill(old_pid, signal.SIGKILL)
        killed_at = time.monotonic()

        new_pid = None
        while time.monotonic() - killed_at < RESTART_PROMISE_S + MARGIN_S:
            pid = hub.unifier_pid()
            if pid and pid != old_pid and proc_stat(pid):
                new_pid = pid
                break
            time.sleep(0.02)
        self.assertIsNotNone(new_pid, "the unifier was not restarted within "
                             f"{RESTART_PROMISE_S} s" + hub.logs())

        answered = False
        while time.monotonic() - killed_at < ANSWER_AGAIN_S:
            try:
                answered = hub.ctl("stats", timeout=1).returncode == 0
            except subprocess.TimeoutExpired:
                pass
            if answered:
                break
            time.sleep(0.05)
        self.assertTrue(answered, f"omnihubctl stats did not answer within {ANSWER_AGAIN_S} s "
                        "of the kill" + hub.logs())

        self.stop_and_check_clean(hub)

    def test_every_service_killed_is_back_and_ready_within_2s(self):
        """Under run.sh, each service of the manifest SIGKILLed is restarted and answers 200 on
        its admin listener's /readyz (the embedded default config's ports) within 2 s."""
        hub = self.start()
        hub.wait_for_commands()
        for name, port in ADMIN_PORTS.items():
            # The adapters are unready while their unifier is away (the previous kill); start
            # each kill from a hub that is ready as a whole again.
            deadline = time.monotonic() + READY_AGAIN_S
            while not all(readyz_ok(p) for p in ADMIN_PORTS.values()) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(all(readyz_ok(p) for p in ADMIN_PORTS.values()),
                            f"the hub is not ready before killing {name}" + hub.logs())
            old_pid = hub.service_pid(name)
            self.assertIsNotNone(old_pid, f"run.sh wrote no var/run/{name}.pid")
            hub.remember_processes()
            os.kill(old_pid, signal.SIGKILL)
            killed_at = time.monotonic()
            ready = False
            while not ready and time.monotonic() - killed_at < RESTART_PROMISE_S:
                pid = hub.service_pid(name)
                ready = pid is not None and pid != old_pid and proc_stat(pid) is not None and readyz_ok(port)
                if not ready:
                    time.sleep(0.02)
            self.assertTrue(ready, f"{name} was not back and ready within {RESTART_PROMISE_S} s" + hub.logs())
        self.stop_and_check_clean(hub)

    def test_default_channels_take_email_sms_and_social_as_printed(self):
        """The embedded default config's listeners, as run.sh prints them: SMTP on 2525 for
        any address at example.com, Twilio webhooks on 8081 signed with the development token,
        Meta webhooks on 8082 signed with the development app secret."""
        hub = self.start()
        hub.wait_for_commands()
        self.assertIn("swaks --server 127.0.0.1:2525 --to support@example.com", "\n".join(hub.stdout))
        r = subprocess.run(["swaks", "--server", "127.0.0.1:2525", "--to", "support@example.com",
                            "--from", "dora@example.net", "--header", "Subject: run.sh check",
                            "--body", "sent to the default listener"], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + hub.logs())
        url = "http://127.0.0.1:8081/twilio/default/messages"
        params = list(twilio_sms("SM" + "7" * 32, "+14155550199", "+12025550000", "sent by webhook").items())
        status, body, _ = request(url, urllib.parse.urlencode(params).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded",
                                   "X-Twilio-Signature": twilio_signature("dev-twilio-token", url, params)})
        self.assertEqual(status, 200, body.decode() + hub.logs())
        printed = "\n".join(hub.stdout)
        for route in ("GET|POST /meta/default", "POST /telegram/default", "GET|POST /x/default"):
            self.assertIn(route, printed)
        delivery = json.dumps(whatsapp(messages=[wa_text("wamid.RUN1", "sent by whatsapp", frm="14155550188")])).encode()
        status, body, _ = request("http://127.0.0.1:8082/meta/default", delivery,
                                  {"Content-Type": "application/json",
                                   "X-Hub-Signature-256": meta_signature("dev-meta-secret", delivery)})
        self.assertEqual(status, 200, body.decode() + hub.logs())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            mail = hub.ctl("timeline", "email:dora@example.net")
            sms = hub.ctl("timeline", "phone:+14155550199")
            wa = hub.ctl("timeline", "phone:+14155550188")
            if "default listener" in mail.stdout and "sent by webhook" in sms.stdout and "by whatsapp" in wa.stdout:
                break
            time.sleep(0.2)
        self.assertIn("sent to the default listener", mail.stdout, hub.logs())
        self.assertIn("sent by webhook", sms.stdout, hub.logs())
        self.assertIn("sent by whatsapp", wa.stdout, hub.logs())
        self.assertIn("development secret", hub.stderr_text())
        self.stop_and_check_clean(hub)

    def test_second_start_does_not_load_the_sample_again(self):
        first = self.start()
        outputs = self.run_printed(first, first.wait_for_commands())
        count = self.event_count(outputs)
        self.stop_and_check_clean(first)

        second = self.start()
        again = self.run_printed(second, second.wait_for_commands())
        stderr = second.stderr_text()
        self.assertIn("sample already loaded", stderr)
        self.assertNotIn("loading the sample", stderr)
        self.assertEqual(self.event_count(again), count)
        self.check_timelines(second, again)
        # The admin token exists: not created or printed again, but a new login link is.
        printed = "\n".join(second.stdout)
        self.assertNotIn('API token "admin"', printed)
        self.assertRegex(printed, r"(?m)^Console: http://127\.0\.0\.1:8080/  \(one-time login: \S+\)$")
        self.stop_and_check_clean(second)


class RelationshipSampleTest(unittest.TestCase):
    """deploy/sample/relationship-sample.jsonl as scripts/make-sample-data.py makes it."""

    @classmethod
    def setUpClass(cls):
        cls.lines = [json.loads(line) for line in RELATIONSHIP_SAMPLE.read_text(encoding="utf-8").splitlines()]

    def test_regenerating_gives_the_same_bytes(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "sample.jsonl"
            subprocess.run([sys.executable, str(MAKE_SAMPLE), "--out", str(out)], check=True, timeout=60)
            self.assertEqual(out.read_bytes(), RELATIONSHIP_SAMPLE.read_bytes(),
                             "the committed sample is not what scripts/make-sample-data.py writes; rerun it")

    def test_every_channel_language_and_pattern(self):
        self.assertEqual({l["channel"] for l in self.lines},
                         {"sms", "whatsapp", "messenger", "instagram", "telegram", "x", "email", "api"})
        scripts = {"Armenian": "[\u0530-\u058f]", "Hebrew": "[\u0590-\u05ff]", "Cyrillic": "[\u0400-\u04ff]",
                   "Hungarian": "[áéíóöőúüűÁÉÍÓÖŐÚÜŰ]", "English": "^[\\x00-\\x7f]+$"}
        language_of = {}
        for line in self.lines:
            who = customer_key(line["from"] if line["direction"] == "inbound" else line["to"][0])
            found = {name for name, pattern in scripts.items() if re.search(pattern, line["text"])}
            self.assertTrue(found, f"no language recognized in {line['text']!r}")
            if line["direction"] == "inbound":
                language_of.setdefault(who, set()).update(found)
        self.assertEqual(set().union(*language_of.values()), set(scripts))
        mixed = {who: langs for who, langs in language_of.items() if len(langs) > 1}
        self.assertFalse(mixed, "a customer writes in one language")
        self.assertGreaterEqual(len(language_of), 200)
        events = [dict(l, event_id=f"{i:08d}", customer_id=customer_key(
            l["from"] if l["direction"] == "inbound" else l["to"][0])) for i, l in enumerate(self.lines)]
        report = metrics_reference.build_report(events, by="channel")
        totals = report["totals"]
        self.assertGreater(totals["channel_switches"]["total"], 0, "no cross-channel follow-up")
        self.assertGreater(report["customers"]["referred"], 0, "no referral")
        self.assertGreater(totals["unanswered"] + totals["open"], 0)
        self.assertTrue(0 < totals["first_contact_resolution"]["share"] < 1)
        self.assertEqual(len(report["cohorts"]), 6)
        self.assertEqual(len(report["groups"]), 8)


if __name__ == "__main__":
    unittest.main(verbosity=2)
