"""omnihubctl against a real unifier: lookup, timeline filters and cursors, watch,
stats, and the one-line errors for bad input and an unreachable hub."""

import json
import os
import subprocess
import tempfile
import time
import unittest

import hub
from query_gate import Lines, QueryGate


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub().start()
        cls.hub.inject_lines([
            hub.sms("+1 415 555 0100", "SM1", "2026-11-20T10:00:00Z", text="my parcel is damaged"),
            {"channel": "whatsapp", "account": "+12025550000", "provider_message_id": "wamid.1",
             "direction": "inbound", "occurred_at": "2026-11-20T11:00:00Z",
             "from": {"phone": "whatsapp:+14155550100", "name": "Ana"}, "text": "photo attached"},
            hub.sms("+14155550100", "SM2", "2026-11-20T12:00:00Z", text="we are sending a new one",
                    direction="outbound"),
            {"channel": "email", "account": "support@shop.example", "provider_message_id": "<1@example.com>",
             "direction": "inbound", "occurred_at": "2026-11-21T09:00:00+01:00",
             "from": {"email": "Jonas <Jonas@Example.COM>"}, "subject": "Password reset", "text": "I cannot log in"},
            {"channel": "telegram", "account": "shopbot", "provider_message_id": "update-7",
             "direction": "inbound", "occurred_at": "2026-11-22T08:00:00Z",
             "from": {"platform": "telegram", "user_id": "987654", "handle": "@mia"}, "text": "hi"},
        ])

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def test_lookup_prints_customer_with_identities_and_count(self):
        c = json.loads(self.hub.ctl("lookup", "phone:(415) 555-0100").stdout)
        self.assertEqual(c["event_count"], 3)
        self.assertEqual(c["identities"][0]["phone"], "+14155550100")
        same = json.loads(self.hub.ctl("lookup", "whatsapp:+14155550100").stdout)
        self.assertEqual(same["customer_id"], c["customer_id"])
        by_id = json.loads(self.hub.ctl("lookup", c["customer_id"]).stdout)
        self.assertEqual(by_id["customer_id"], c["customer_id"])
        email = json.loads(self.hub.ctl("lookup", "email:jonas@example.com").stdout)
        self.assertEqual(email["event_count"], 1)
        tg = json.loads(self.hub.ctl("lookup", "telegram:shopbot:987654").stdout)
        self.assertEqual(tg["event_count"], 1)

    def test_timeline_fields_order_and_filters(self):
        events, err = self.hub.timeline("phone:+14155550100")
        self.assertEqual([e["provider_message_id"] for e in events], ["SM2", "wamid.1", "SM1"])
        for key in ("event_id", "customer_id", "channel", "account", "provider_message_id", "direction", "kind",
                    "occurred_at", "from", "subject", "text"):
            self.assertIn(key, events[0])
        self.assertEqual(events[0]["direction"], "outbound")
        self.assertEqual(events[1]["channel"], "whatsapp")
        self.assertEqual(events[2]["from"], {"phone": "+14155550100"})
        self.assertTrue(err.strip().splitlines()[-1].startswith("next cursor: none"))

        only_sms, _ = self.hub.timeline("phone:+14155550100", "--channel", "sms")
        self.assertEqual([e["provider_message_id"] for e in only_sms], ["SM2", "SM1"])
        window, _ = self.hub.timeline("phone:+14155550100", "--since", "2026-11-20T10:30:00Z",
                                      "--until", "2026-11-20T11:30:00Z")
        self.assertEqual([e["provider_message_id"] for e in window], ["wamid.1"])

        first, err = self.hub.timeline("phone:+14155550100", "--limit", "2")
        cursor = err.strip().splitlines()[-1].split(": ", 1)[1]
        rest, _ = self.hub.timeline("phone:+14155550100", "--limit", "2", "--cursor", cursor)
        self.assertEqual([e["provider_message_id"] for e in first + rest], ["SM2", "wamid.1", "SM1"])

    def test_watch_replays_change_log_from_a_sequence(self):
        r = self.hub.ctl("watch", "--from", "1", "--count", "4", timeout=30)
        changes = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual([c["change_seq"] for c in changes], [1, 2, 3, 4])
        self.assertEqual(changes[0]["kind"], "customer_created")
        self.assertEqual(changes[1]["kind"], "event_added")

    def test_watch_follows_live_changes(self):
        # watch also learns of changes from the change log (every 2 s without a
        # notification), so a change printed is no proof of live delivery. Its queries go
        # through a gate; a change it prints while the gate is shut came live.
        before = self.hub.stats()["last_change_seq"]
        with QueryGate(self.hub) as gate:
            watcher = subprocess.Popen([hub.binary("omnihubctl"), "--config", gate.config, "watch",
                                        "--from", str(before)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                lines = Lines(watcher.stdout)
                # Change `before` comes from the log read after subscribing: watch is live.
                changes = [json.loads(lines.next(timeout=30) or "null")]
                self.assertEqual(changes[0]["change_seq"], before)
                live = None
                for attempt in range(10):
                    # A catch-up that overlaps the shut gate voids the attempt; starting
                    # when the socket is idle (and so right after a catch-up) avoids most.
                    gate.wait_idle()
                    gate.shut()
                    pid = f"SM-live-{attempt}"
                    self.hub.inject_lines([hub.sms("+14155550177", pid, "2026-11-22T10:00:00Z")])
                    target = self.hub.stats()["last_change_seq"]
                    deadline = time.monotonic() + 30
                    while changes[-1]["change_seq"] < target and not gate.held():
                        self.assertLess(time.monotonic(), deadline, "watch printed nothing and asked nothing")
                        line = lines.next(timeout=0.05)
                        if line:
                            changes.append(json.loads(line))
                    if changes[-1]["change_seq"] == target:
                        live = changes[-1]
                        break
                    gate.open()  # the log has them: read them so the next attempt starts after them
                    while changes[-1]["change_seq"] < target:
                        line = lines.next(timeout=30)
                        self.assertIsNotNone(line, "watch printed nothing from the change log either")
                        changes.append(json.loads(line))
                self.assertIsNotNone(live, "in 10 attempts no change reached watch as a live notification "
                                     "before its change-log catch-up")
            finally:
                gate.open()
                watcher.terminate()
                watcher.wait(timeout=15)
                watcher.stdout.close()
                watcher.stderr.close()
        self.assertEqual([c["change_seq"] for c in changes], list(range(before, before + len(changes))))
        self.assertEqual(live["kind"], "event_added")
        self.assertEqual(live["identity"], "phone:+14155550177")
        self.assertEqual(changes[1]["kind"], "customer_created")

    def test_stats_counts(self):
        s = self.hub.stats()
        for key in ("events", "customers", "identities", "dead_letters", "publishers"):
            self.assertIn(key, s)
        self.assertGreaterEqual(s["customers"], 3)
        self.assertTrue(all(v > 0 for v in s["publishers"].values()))

    def assert_one_line_error(self, args, code, *fragments):
        r = self.hub.ctl(*args, check=False, timeout=30)
        self.assertEqual(r.returncode, code, r.stderr.decode())
        lines = r.stderr.decode().strip().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("omnihubctl: "), lines)
        for f in fragments:
            self.assertIn(f, lines[0])
        self.assertEqual(r.stdout, b"")

    def test_bad_input_gets_one_clear_line(self):
        self.assert_one_line_error(["lookup", "fax:12345"], 2, "unknown identity kind 'fax'", "email:ADDR")
        self.assert_one_line_error(["lookup", "phone:hello"], 2, "hello")
        self.assert_one_line_error(["timeline", "phone:+14155550100", "--cursor", "bogus"], 2, "cursor")
        self.assert_one_line_error(["timeline", "phone:+14155550100", "--limit", "0"], 2, "--limit")
        self.assert_one_line_error(["timeline", "phone:+14155550100", "--channel", "fax"], 2, "fax")
        self.assert_one_line_error(["timeline", "phone:+14155550100", "--since", "yesterday"], 2, "--since")
        self.assert_one_line_error(["timeline", "phone:+14155550100", "--colour"], 2, "--colour")
        self.assert_one_line_error(["lookup", "email:nobody@example.com"], 4, "no customer")

    def test_unreachable_hub_is_reported(self):
        d = tempfile.mkdtemp()
        cfg = os.path.join(d, "omnihub.toml")
        with open(cfg, "w") as f:
            f.write(f'[bus]\nquery = "ipc://{d}/nobody.sock"\n')
        r = subprocess.run([hub.binary("omnihubctl"), "--config", cfg, "stats"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 3)
        self.assertIn("does not answer", r.stderr.decode())
        self.assertIn("is omnihub running", r.stderr.decode())

    def test_bad_config_names_key_and_line(self):
        d = tempfile.mkdtemp()
        cfg = os.path.join(d, "omnihub.toml")
        with open(cfg, "w") as f:
            f.write('[unifier]\nbatch_max_events = "lots"\n')
        r = subprocess.run([hub.binary("omnihubctl"), "--config", cfg, "stats"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unifier.batch_max_events (line 2)", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
