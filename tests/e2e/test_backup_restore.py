"""Acceptance of online backup and restore (docs/operations.md "Backups"): SMS webhooks flow
into a hub whose unifier is SIGKILLed once; a backup is taken while they still flow and more
follow it; the unifier is stopped, the backup restored into a fresh data directory and a
unifier started on it with the same adapter and outbox. Every event committed before the
backup began is there at once, and after the adapter's resend every event it acknowledged,
each exactly once. Then `backup verify` passes, finds one flipped byte and names its file,
and a restore into a non-empty directory is refused."""

import collections
import json
import os
import threading
import time
import unittest

import hub
from sms_clients import TwilioClient, twilio_sms

BUSINESS = "+12025550000"


class Injector(threading.Thread):
    """Posts Twilio SMS webhooks one after another; remembers every MessageSid answered 200."""

    def __init__(self, the_hub):
        super().__init__(daemon=True)
        self.client = TwilioClient(the_hub, hub.TWILIO_TOKEN)
        self.acked = []
        self.failures = 0
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def run(self):
        n = 0
        while not self.stopping.is_set():
            sid = f"SM{n:032x}"
            status, _, _ = self.client.post("messages", twilio_sms(sid, f"+1212555{n % 50:04d}", BUSINESS, f"m {n}"))
            if status == 200:
                with self.lock:
                    self.acked.append(sid)
            else:
                self.failures += 1
            n += 1

    def count(self):
        with self.lock:
            return len(self.acked)

    def wait_for(self, more, timeout=30):
        target = self.count() + more
        hub.wait_until(lambda: self.count() >= target or None, f"{target} acknowledged webhooks", timeout)

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)
        return list(self.acked)


class BackupRestoreTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(sms=True, batch_max_events=20, resend_timeout_ms=300).start()
        self.backups = os.path.join(self.hub.dir, "backups")

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def provider_ids(self):
        return collections.Counter(e["provider_message_id"] for e in self.hub.export())

    def test_restored_store_gets_every_acknowledged_event_once(self):
        injector = Injector(self.hub)
        injector.start()
        injector.wait_for(300)
        self.hub.kill_unifier()
        self.hub.start_unifier()
        injector.wait_for(300)

        # What is committed right before the backup begins is in it.
        before_backup = self.provider_ids()
        self.assertGreater(len(before_backup), 0)
        created = json.loads(self.hub.ctl("backup", "create", self.backups, "--keep", "7").stdout)
        self.assertEqual(created["backup_id"], 1)
        self.assertGreaterEqual(created["events"], len(before_backup))
        self.assertGreater(created["size_bytes"], 0)
        injector.wait_for(300)  # acknowledged after the backup: not in it
        acked = injector.stop()
        self.assertEqual(injector.failures, 0)
        self.assertLess(created["events"], len(acked), "events were acknowledged after the backup")
        self.hub.wait_stats("events", len(acked))
        self.hub.stop_unifier()

        listed = [json.loads(l) for l in self.hub.ctl("backup", "list", self.backups).stdout.splitlines()]
        self.assertEqual([b["backup_id"] for b in listed], [1])
        self.assertEqual(listed[0]["events"], created["events"])
        self.assertEqual(listed[0]["last_change_seq"], created["last_change_seq"])

        data_dir = os.path.join(self.hub.dir, "restored")
        restored = self.hub.ctl("backup", "restore", self.backups, "--to", data_dir)
        self.assertEqual(json.loads(restored.stdout)["restored_to"], os.path.join(data_dir, "unifier"))
        self.assertIn(b"db_dir", restored.stderr)
        # The same sockets and outboxes; data_dir (and with it the search index) anew.
        with open(self.hub.config) as f:
            config = f.read()
        config = config.replace(f'data_dir = "{self.hub.dir}"', f'data_dir = "{data_dir}"', 1)
        config = config.replace(f'db_dir = "{self.hub.dir}/unifier"', 'db_dir = "unifier"', 1)
        self.hub.config = os.path.join(self.hub.dir, "restored.toml")
        with open(self.hub.config, "w") as f:
            f.write(config)
        self.hub.start_unifier()

        # Restored: at least what was committed before the backup began, none of it twice.
        ids = self.provider_ids()
        self.assertLessEqual(set(before_backup), set(ids))
        # The adapter's reconnect shows the unifier its outbox is ahead; it resends the rest.
        self.hub.wait_stats("events", len(acked))
        ids = self.provider_ids()
        self.assertEqual(set(ids), set(acked))
        self.assertEqual(max(ids.values()), 1)
        stats = self.hub.stats()
        self.assertEqual(stats["events"], len(acked))
        self.assertEqual(stats["duplicates"], 0)
        self.assertEqual(self.hub.committed_through("sms", stats), len(acked))
        self.assertIn("unifier's mark went back", self.hub.read_log("sms.log", tail=None))
        _, _, metrics = self.hub.admin_get("sms", "/metrics")
        self.assertIn(f"omnihub_outbox_kept_acked {len(acked)}\n", metrics)  # a day's worth: all of them

        # Search answers from an index rebuilt from the restored store.
        hub.wait_until(lambda: self.hub.search_index_lag() == 0 or None, "the search index to catch up", 60)

        self.check_verify_and_refusals(data_dir)

    def check_verify_and_refusals(self, data_dir):
        verified = self.hub.ctl("backup", "verify", self.backups)
        self.assertEqual([json.loads(l) for l in verified.stdout.splitlines()], [{"backup_id": 1, "ok": True}])

        refused = self.hub.ctl("backup", "restore", self.backups, "--to", data_dir, check=False)
        self.assertEqual(refused.returncode, 1, refused.stderr)
        self.assertIn(b"is not empty", refused.stderr)

        tables = [os.path.join(d, f) for d, _, fs in os.walk(self.backups) for f in fs if f.endswith(".sst")]
        victim = max(tables, key=os.path.getsize)
        with open(victim, "r+b") as f:
            f.seek(os.path.getsize(victim) // 2)
            byte = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([byte[0] ^ 0xFF]))
        damaged = self.hub.ctl("backup", "verify", self.backups, check=False)
        self.assertEqual(damaged.returncode, 1)
        self.assertIn(b"backup 1", damaged.stderr)
        self.assertIn(os.path.basename(victim).encode(), damaged.stderr)
        self.assertEqual(json.loads(damaged.stdout.splitlines()[0])["ok"], False)


if __name__ == "__main__":
    unittest.main()
