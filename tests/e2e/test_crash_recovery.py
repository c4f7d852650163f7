"""Acceptance: 50,000 events for 5,000 customers over email, SMS and WhatsApp are
injected while omnihub-unifier is SIGKILLed at least three times and the injecting
publisher once (then rerun). Afterwards every event is stored exactly once, each
timeline is in time order, and the SMS and WhatsApp messages of one number share one
timeline."""

import collections
import os
import random
import signal
import subprocess
import time
import unittest

import hub

EVENTS = 50_000
CUSTOMERS = 5_000
T0 = 1_760_000_000_000_000  # 2025-10-09, microseconds


def customer_identity(c):
    """The identity argument of customer number c in make_events."""
    return f"email:customer.{c}@example.com" if c % 3 == 0 else f"phone:+1212555{c:04d}"


def make_events(rng, count=EVENTS, customers=CUSTOMERS):
    """Each customer is an email address or a phone number; phone customers write by
    SMS and WhatsApp, with the number spelled differently from message to message."""
    events = []
    for i in range(count):
        c = i % customers
        at = hub.rfc3339(T0 + rng.randrange(0, 90 * 86400) * 1_000_000 + rng.randrange(1_000_000))
        pid = f"msg-{i:06d}"
        if c % 3 == 0:
            events.append({"channel": "email", "account": "support@shop.example", "provider_message_id": pid,
                           "direction": "inbound", "occurred_at": at,
                           "from": {"email": f"Customer {c} <Customer.{c}@Example.COM>"},
                           "subject": f"Order {c}", "text": f"message {i}"})
        else:
            n = f"{c:04d}"
            spelled = rng.choice([f"+1 212-555-{n}", f"+1 (212) 555 {n}", f"+1212555{n}"])
            if rng.random() < 0.5:
                events.append({"channel": "sms", "account": "+12025550000", "provider_message_id": pid,
                               "direction": "inbound", "occurred_at": at, "from": {"phone": spelled},
                               "text": f"message {i}"})
            else:
                events.append({"channel": "whatsapp", "account": "+12025550000", "provider_message_id": pid,
                               "direction": "inbound", "occurred_at": at,
                               "from": {"phone": "whatsapp:" + spelled.replace(" ", "").replace("(", "").replace(")", "").replace("-", "")},
                               "text": f"message {i}"})
    rng.shuffle(events)
    return events


class CrashRecoveryTest(unittest.TestCase):
    def setUp(self):
        # Small unifier batches and window keep ingest slow enough that every kill lands
        # mid-stream; a short resend timeout keeps the test quick.
        self.hub = hub.Hub(supervise=True, batch_max_events=50, window=512, resend_timeout_ms=300).start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def wait_events(self, at_least, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.hub.ctl("stats", check=False, timeout=10)
            if r.returncode == 0:
                import json
                n = json.loads(r.stdout)["events"]
                if n >= at_least:
                    return n
            time.sleep(0.05)
        self.fail(f"fewer than {at_least} events committed after {timeout}s")

    def test_every_event_exactly_once_across_kills(self):
        rng = random.Random(20261123)
        events = make_events(rng)
        path = self.hub.write_file("events.jsonl", events)

        # The first run is SIGKILLed below: its output is not needed.
        inject = subprocess.Popen(self.hub.ctl_cmd("inject", path), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        kills_at = []
        kills_at.append(self.wait_events(2_000))
        self.hub.kill_unifier()
        self.hub.wait_ready()

        # Kill the publisher mid-stream too, then the unifier again, then rerun inject.
        n = self.wait_events(8_000)
        inject.send_signal(signal.SIGKILL)
        inject.wait()
        kills_at.append(self.wait_events(n))
        self.hub.kill_unifier()
        self.hub.wait_ready()
        inject = subprocess.Popen(self.hub.ctl_cmd("inject", path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        for threshold in (20_000, 35_000):
            kills_at.append(self.wait_events(threshold))
            self.hub.kill_unifier()
            self.hub.wait_ready()

        out, err = inject.communicate(timeout=600)
        self.assertEqual(inject.returncode, 0, err.decode())
        self.assertGreaterEqual(self.hub.restarts, 4)
        for n in kills_at:
            self.assertLess(n, EVENTS, f"a kill landed after ingest had finished: {kills_at}")

        stats = self.hub.stats()
        self.assertEqual(stats["events"], EVENTS)
        self.assertEqual(stats["dead_letters"], 0)
        # email customers: one identity each; phone customers: one identity for SMS and WhatsApp.
        self.assertEqual(stats["customers"], CUSTOMERS)

        exported = self.hub.export()
        self.assertEqual(len(exported), EVENTS)
        ids = collections.Counter(e["provider_message_id"] for e in exported)
        self.assertEqual(set(ids), {e["provider_message_id"] for e in events})
        self.assertEqual(max(ids.values()), 1)

        # Export walks each identity's timeline oldest first: check time order per identity,
        # and that SMS and WhatsApp of a number share identity and customer.
        by_identity = collections.defaultdict(list)
        for e in exported:
            by_identity[e["identity"]].append(e)
        self.assertEqual(len(by_identity), CUSTOMERS)
        shared = 0
        for identity, evs in by_identity.items():
            times = [e["occurred_at"] for e in evs]
            self.assertEqual(times, sorted(times), identity)
            self.assertEqual(len({e["customer_id"] for e in evs}), 1, identity)
            channels = {e["channel"] for e in evs}
            if identity.startswith("phone:"):
                self.assertTrue(channels <= {"sms", "whatsapp"}, identity)
                shared += channels == {"sms", "whatsapp"}
        self.assertGreater(shared, CUSTOMERS // 2)

        # The agent's view: a phone customer's timeline through omnihubctl, newest first.
        sample = next(i for i, evs in by_identity.items()
                      if {e["channel"] for e in evs} == {"sms", "whatsapp"})
        number = sample.split(":", 1)[1]
        timeline, _ = self.hub.timeline("whatsapp:" + number, "--all")
        self.assertEqual(len(timeline), len(by_identity[sample]))
        times = [e["occurred_at"] for e in timeline]
        self.assertEqual(times, sorted(times, reverse=True))


if __name__ == "__main__":
    unittest.main()
