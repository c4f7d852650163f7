"""Deterministic apply end to end (docs/storage-format.md, "Deterministic apply"): one injected
file becomes one log of outbox entries (event ids and received_at are assigned once, when
omnihubctl inject appends them), and two real unifiers that apply copies of that log, one frame
per batch and 2000 per batch, print the same `omnihubctl digest`. The copy of the outbox is
made while no unifier runs, so both hubs receive the very same frames."""

import json
import os
import shutil
import unittest

import hub

AT = "2026-11-23T10:00:00Z"


def lines():
    out = []
    for i in range(40):
        out.append(hub.sms(f"+1415555{1000 + i % 13:04d}", f"SM{i}", AT, text=f"hello {i}"))
    for i in range(10):
        out.append({"channel": "email", "account": "support@shop.example", "provider_message_id": f"<m{i}@example.com>",
                    "direction": "inbound", "occurred_at": AT, "from": {"email": f"p{i % 4}@example.com"},
                    "subject": "order", "text": f"mail {i}", "conversation": f"thread-{i % 3}"})
    out.append(hub.sms("+14155551000", "SM-out", AT, text="reply", direction="outbound"))
    out.append({"channel": "sms", "account": "+12025550000", "kind": "status", "refers_to": "SM-out",
                "direction": "outbound", "occurred_at": AT, "from": {"phone": "+12025550000"},
                "to": [{"phone": "+14155551000"}], "delivery_status": {"state": "delivered"}})
    out.append(hub.sms("+14155551000", "SM3", AT, text="a provider's retry of SM3"))
    out.append({"channel": "fax", "occurred_at": AT})  # kept as a dead letter
    return out


class DeterministicApplyTest(unittest.TestCase):
    def setUp(self):
        self.one = hub.Hub(batch_max_events=1)
        self.many = hub.Hub(batch_max_events=2000)
        self.addCleanup(self.one.cleanup)
        self.addCleanup(self.many.cleanup)

    def inject(self, h, path, outbox, *extra):
        r = h.ctl("inject", path, "--outbox", outbox, *extra, check=False, timeout=120)
        return r.returncode, r.stderr.decode()

    def test_two_hubs_applying_one_log_in_different_batches_agree(self):
        path = self.one.write_file("events.jsonl", lines())
        outbox_one = os.path.join(self.one.dir, "outbox-copy")
        outbox_many = os.path.join(self.many.dir, "outbox-copy")
        # No unifier runs yet: inject appends every line to its outbox and gives up waiting.
        code, err = self.inject(self.one, path, outbox_one, "--timeout", "1")
        self.assertEqual(code, 3, err)
        self.assertIn("safe in the outbox", err)
        shutil.copytree(outbox_one, outbox_many)

        for h, outbox in ((self.one, outbox_one), (self.many, outbox_many)):
            h.start()
            self.addCleanup(h.stop)
            code, err = self.inject(h, path, outbox)
            self.assertEqual(code, 1, err)  # the fax line was rejected (and committed as a dead letter)
            self.assertIn("all committed", err)

        stats = [h.stats() for h in (self.one, self.many)]
        self.assertEqual(stats[0]["events"], 51)
        self.assertEqual(stats[0]["dead_letters"], 1)
        self.assertEqual(stats[0]["duplicates"], 1)
        self.assertEqual(stats[0], stats[1])

        digests = [json.loads(h.ctl("digest").stdout) for h in (self.one, self.many)]
        self.assertEqual(len(digests[0]["digest"]), 64)
        self.assertEqual(digests[0]["applied_position"], stats[0]["last_change_seq"])
        self.assertEqual(digests[0]["apply_version"], 4)
        self.assertIn("timeline", digests[0]["column_families"])
        self.assertEqual(digests[0], digests[1])

        # The same lines injected afresh are another log (new event ids and received_at): the
        # digest tells it apart, so the equality above is not an accident of the format.
        fresh = hub.Hub()
        self.addCleanup(fresh.cleanup)
        fresh.start()
        self.addCleanup(fresh.stop)
        fresh.ctl("inject", path, check=False, timeout=120)
        self.assertEqual(fresh.stats()["events"], 51)
        self.assertNotEqual(json.loads(fresh.ctl("digest").stdout)["digest"], digests[0]["digest"])


if __name__ == "__main__":
    unittest.main()
