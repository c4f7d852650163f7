"""Acceptance: a provider retry (same provider message id, new event id) yields one
timeline entry; a malformed event is dead-lettered with its raw bytes and the unifier
keeps serving."""

import base64
import json
import subprocess
import unittest

import hub


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class DedupAndDeadLetterTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub().start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def test_provider_retry_yields_one_entry(self):
        first = hub.sms("+1 415 555 0100", "SM0123456789", "2026-11-20T10:00:00Z", text="first delivery")
        retry = dict(first, text="first delivery")  # the provider's retry: same MessageSid
        self.hub.inject_lines([first])
        # A separate inject run: new event id, new publisher sequence, same provider message id.
        self.hub.inject_lines([retry])
        timeline, _ = self.hub.timeline("phone:+14155550100")
        self.assertEqual(len(timeline), 1)
        self.assertEqual(timeline[0]["provider_message_id"], "SM0123456789")
        stats = self.hub.stats()
        self.assertEqual(stats["events"], 1)
        self.assertEqual(stats["duplicates"], 1)

    def test_same_provider_id_on_another_account_is_another_message(self):
        self.hub.inject_lines([hub.sms("+14155550100", "SM1", "2026-11-20T10:00:00Z", account="+12025550001"),
                               hub.sms("+14155550100", "SM1", "2026-11-20T10:00:01Z", account="+12025550002")])
        timeline, _ = self.hub.timeline("phone:+14155550100")
        self.assertEqual(len(timeline), 2)

    def test_malformed_line_is_dead_lettered_with_raw_bytes(self):
        bad = '{"channel": "fax", "account": "x", "direction": "inbound"}'
        good = json.dumps(hub.sms("+14155550100", "SM2", "2026-11-20T10:00:00Z"))
        r = self.hub.ctl("inject", "-", input=(bad + "\n" + good + "\n").encode(), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 1:", r.stderr.decode())
        self.assertIn("fax", r.stderr.decode())
        dead = [json.loads(l) for l in self.hub.ctl("deadletter", "list").stdout.decode().splitlines()]
        self.assertEqual(len(dead), 1)
        self.assertEqual(b64url_decode(dead[0]["raw_base64url"]).decode(), bad)
        self.assertIn("fax", dead[0]["reason"])
        self.assertEqual(self.hub.stats()["dead_letters"], 1)
        self.assertEqual(len(self.hub.timeline("phone:+14155550100")[0]), 1)

    def test_malformed_event_on_the_bus_is_dead_lettered_and_unifier_keeps_serving(self):
        garbage = bytes([0x0a, 0xff, 0xff, 0x00, 0x42]) + b"not a protobuf event"
        r = subprocess.run([hub.binary("omnihub-test-bus-send"), "--config", self.hub.config,
                            "--outbox", self.hub.dir + "/test-outbox", "--event-hex", garbage.hex()],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        publisher, seq = r.stdout.decode().split()
        dead = [json.loads(l) for l in self.hub.ctl("deadletter", "list").stdout.decode().splitlines()]
        self.assertEqual(len(dead), 1)
        self.assertEqual(b64url_decode(dead[0]["raw_base64url"]), garbage)
        self.assertEqual(dead[0]["publisher_id"], publisher)
        self.assertEqual(dead[0]["sequence"], int(seq))
        self.assertIn("not a valid omnihub.v1.Event", dead[0]["reason"])
        # Still serving: the process is alive, ingest and queries work.
        self.assertIsNone(self.hub.proc.poll())
        self.hub.inject_lines([hub.sms("+14155550100", "SM3", "2026-11-20T10:00:00Z")])
        self.assertEqual(self.hub.stats()["events"], 1)
        self.assertEqual(self.hub.stats()["dead_letters"], 1)


if __name__ == "__main__":
    unittest.main()
