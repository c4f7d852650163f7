"""End-to-end test of omnihub-supervisor with deploy/services.manifest (through the
harness, as scripts/run.sh runs it): every service killed with SIGKILL is back and
ready within 2 s; a crash-looping service backs off, says so in its log and leaves the
others alone; SIGTERM stops everything, a service that ignores it is SIGKILLed after
its grace period, and no process is left behind."""

import os
import re
import signal
import socket
import stat
import subprocess
import time
import unittest
import urllib.request

import hub

RESTART_PROMISE_S = 2.0  # a killed service is back and ready within this
MARGIN_S = 0.5           # scheduling slack on a loaded 2-core machine


def descendants(root):
    """Live pids below root (by parent pid)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found, frontier = set(), [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"{what} within {timeout} s")


class SupervisorTest(unittest.TestCase):
    def start(self, **kwargs):
        h = hub.Hub(supervise=True, email=True, sms=True, social=True, api=True, **kwargs)
        self.addCleanup(h.cleanup)
        self.addCleanup(self.kill_leftovers, h)
        return h.start()

    def kill_leftovers(self, h):
        if h.supervisor and h.supervisor.poll() is None:
            for pid in descendants(h.supervisor.pid):
                os.kill(pid, signal.SIGKILL)
            h.supervisor.kill()
            h.supervisor.wait()

    def script(self, h, name, body):
        """An executable shell script in the hub's directory."""
        path = os.path.join(h.dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def answers(self, h, name):
        """Whether the service does its job, asked directly rather than through the supervisor."""
        try:
            if name == "omnihub-unifier":
                return h.ctl("stats", check=False, timeout=5).returncode == 0
            if name == "omnihub-email":
                with socket.create_connection(("127.0.0.1", h.smtp_port), timeout=2) as s:
                    return s.recv(512).startswith(b"220")
            if name in ("omnihub-sms", "omnihub-social"):
                base = h.sms_base if name == "omnihub-sms" else h.social_base
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    return r.status == 200
            if name == "omnihub-api":  # its public OpenAPI document needs no token
                with urllib.request.urlopen(h.api_base + "/api/openapi.json", timeout=2) as r:
                    return r.status == 200
        except (OSError, subprocess.TimeoutExpired):
            return False
        raise AssertionError(name)

    def test_each_service_killed_is_back_and_ready_within_2s(self):
        h = self.start()
        for s in hub.read_manifest():
            name = s["name"]
            old = h.service_pid(name, ready=True)
            self.assertTrue(old, f"{name} is not ready")
            h.kill_service(name)
            killed_at = time.monotonic()
            new = h.wait_service_ready(name, timeout=10, not_pid=old)
            took = time.monotonic() - killed_at
            self.assertLess(took, RESTART_PROMISE_S,
                            f"{name} was ready again after {took:.2f} s:\n" + h.read_log(name + ".log"))
            wait_for(lambda: self.answers(h, name), RESTART_PROMISE_S, f"{name} (pid {new}) did not answer")
            log = h.read_log(name + ".log")
            self.assertRegex(log, rf"supervisor: {name} \(pid {old}\) killed by signal KILL after [\d.]+ s; "
                                  r"restarting in 0\.\d s")
            self.assertIn(f"supervisor: {name} ready (pid {new}", log)
        for s in hub.read_manifest():
            self.assertEqual(h.starts(s["name"]), 2, s["name"])
        h.stop()

    def test_crash_loop_backs_off_is_logged_and_spares_the_others(self):
        h = hub.Hub(supervise=True, email=True, sms=True, social=True, api=True)
        broken = {"name": "omnihub-broken", "binary": "/bin/false", "ready": "-", "stop_grace_s": 1}
        h.extra_services.append(broken)
        self.addCleanup(h.cleanup)
        self.addCleanup(self.kill_leftovers, h)
        h.start()
        pids = {s["name"]: h.service_pid(s["name"]) for s in hub.read_manifest()}

        log = wait_for(lambda: (t := h.read_log("omnihub-broken.log", tail=None)) and "crash loop" in t and t,
                       20, "no crash loop was logged")
        delays = [float(d) for d in re.findall(r"exited with status 1 after [\d.]+ s; restarting in ([\d.]+) s", log)]
        self.assertEqual(delays[:5], [0.2, 0.4, 0.8, 1.6, 3.2], log)
        self.assertIn("restarting in 3.2 s (crash loop: 5 quick exits in a row, backing off)", log)

        # Meanwhile the real services kept running, untouched, and still restart promptly.
        for name, pid in pids.items():
            self.assertEqual(h.service_pid(name), pid, f"{name} was restarted")
            self.assertTrue(self.answers(h, name), f"{name} does not answer")
        h.kill_service("omnihub-unifier")
        killed_at = time.monotonic()
        h.wait_service_ready("omnihub-unifier", timeout=10, not_pid=pids["omnihub-unifier"])
        self.assertLess(time.monotonic() - killed_at, RESTART_PROMISE_S + MARGIN_S)
        h.stop()

    def test_sigterm_stops_everything_and_leaves_no_process(self):
        h = hub.Hub(supervise=True, email=True, sms=True, social=True, api=True)
        stubborn = self.script(h, "stubborn", "trap '' TERM\nexec sleep 1000\n")
        h.extra_services.append({"name": "omnihub-stubborn", "binary": stubborn, "ready": "-", "stop_grace_s": 1})
        self.addCleanup(h.cleanup)
        self.addCleanup(self.kill_leftovers, h)
        h.start()
        wait_for(lambda: h.service_pid("omnihub-stubborn", ready=True), 10, "the stubborn service did not start")
        children = descendants(h.supervisor.pid)
        names = {s["name"] for s in hub.read_manifest(h.manifest)}
        self.assertEqual({n for n in names if h.service_pid(n) in children}, names)

        stopped_at = time.monotonic()
        h.stop()  # SIGTERM; asserts exit 0 and that every real service exited 0
        self.assertLess(time.monotonic() - stopped_at, 10)
        self.assertEqual([p for p in children if hub.alive(p)], [], "processes left after the supervisor exited")
        self.assertRegex(h.read_log("omnihub-stubborn.log"),
                         r"omnihub-stubborn \(pid \d+\) still running after 1\.\d s: SIGKILL")
        self.assertIn("killed by signal KILL", h.read_log("omnihub-stubborn.log"))
        for name in names:
            self.assertIsNone(h.service_pid(name), f"{name}.pid is left")
            self.assertIsNone(h.service_pid(name, ready=True), f"{name}.ready is left")


if __name__ == "__main__":
    unittest.main(verbosity=2)
