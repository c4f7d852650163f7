"""Duplicate suggestions end to end: events injected through a real outbox into a real
unifier; `omnihubctl suggestions` lists the pair, `suggestions dismiss` travels the durable
command path and is applied once."""

import json
import unittest

import hub


def email_event(address, pid, at, text):
    return {"channel": "email", "account": "support@shop.example", "provider_message_id": pid,
            "direction": "inbound", "occurred_at": at, "from": {"email": address}, "subject": "hello",
            "text": text}


class SuggestionsTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub().start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def suggestions(self, *extra):
        r = self.hub.ctl("suggestions", *extra)
        return [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()]

    def test_a_mention_is_suggested_listed_and_dismissed_once(self):
        self.hub.inject_lines([
            email_event("jane.doe@example.com", "<m1@example.com>", "2026-11-20T09:00:00Z", "my parcel"),
            hub.sms("+14155550100", "SM1", "2026-11-20T10:00:00Z",
                    text="this is Jane, I wrote from Jane.Doe@Example.com."),
            hub.sms("+14155550199", "SM2", "2026-11-20T10:05:00Z", text="write to nobody@example.org"),
        ])
        self.hub.wait_event("phone:+14155550199", "SM2")
        jane = json.loads(self.hub.ctl("lookup", "email:jane.doe@example.com").stdout)["customer_id"]
        phone = json.loads(self.hub.ctl("lookup", "phone:+14155550100").stdout)["customer_id"]

        listed = self.suggestions()
        self.assertEqual(len(listed), 1, listed)
        s = listed[0]
        self.assertEqual(s["state"], "open")
        self.assertEqual(s["customer_id"], jane)
        self.assertEqual(s["other_customer_id"], phone)
        self.assertEqual(s["mentioned"], "email:jane.doe@example.com")
        self.assertEqual(s["author"], "phone:+14155550100")
        self.assertEqual([e["text"] for e in s["evidence"]], ["Jane.Doe@Example.com"])
        timeline, _ = self.hub.timeline("phone:+14155550100")
        self.assertEqual(s["evidence"][0]["event_id"], timeline[0]["event_id"])
        self.assertEqual(self.suggestions("--customer", "phone:+1 (415) 555-0100"), listed)
        self.assertEqual(self.suggestions("--customer", "phone:+14155550199"), [])
        # Nothing was merged.
        self.assertNotEqual(jane, phone)

        r = self.hub.ctl("suggestions", "dismiss", s["suggestion_id"], "--reason", "a colleague's address",
                         "--actor", "agent-7")
        self.assertEqual(json.loads(r.stdout)["state"], "dismissed")
        self.assertEqual(self.suggestions(), [])
        everything = self.suggestions("--all")
        self.assertEqual(len(everything), 1)
        self.assertEqual(everything[0]["state"], "dismissed")
        self.assertEqual(everything[0]["dismissed_by"], "agent-7")
        self.assertEqual(everything[0]["dismiss_reason"], "a colleague's address")

        again = self.hub.ctl("suggestions", "dismiss", s["suggestion_id"], "--reason", "again", check=False)
        self.assertEqual(again.returncode, 1, again.stderr)
        self.assertIn(b"already dismissed", again.stderr)
        unknown = self.hub.ctl("suggestions", "dismiss", "0" * 32, "--reason", "x", check=False)
        self.assertEqual(unknown.returncode, 4, unknown.stderr)

    def test_the_suggestion_survives_a_restart(self):
        self.hub.inject_lines([
            email_event("jane.doe@example.com", "<m1@example.com>", "2026-11-20T09:00:00Z", "hi"),
            hub.sms("+14155550100", "SM1", "2026-11-20T10:00:00Z", text="jane.doe@example.com"),
        ])
        self.hub.wait_event("phone:+14155550100", "SM1")
        before = self.suggestions()
        self.assertEqual(len(before), 1)
        self.hub.stop_unifier()
        self.hub.start_unifier()
        self.assertEqual(self.suggestions(), before)


if __name__ == "__main__":
    unittest.main()
