"""Delivery statuses through a real unifier: status lines injected with omnihubctl are
attached to their outbound message in the order of its life, also when they arrive out of
order or before the message, and read back from the customer's timeline as JSON."""

import json
import subprocess
import unittest

import hub
from query_gate import Lines

CUSTOMER = "+14155550100"
BUSINESS = "+12025550000"


def status(sid, state, at, error_code=None, stage=None, customer=CUSTOMER):
    ds = {"state": state}
    if error_code:
        ds["error_code"] = error_code
    if stage is not None:
        ds["stage"] = stage
    return {"channel": "sms", "account": BUSINESS, "kind": "status", "direction": "outbound",
            "provider_message_id": f"{sid}/{state}" + (f"/{error_code}" if error_code else ""),
            "occurred_at": at, "from": {"phone": BUSINESS}, "to": [{"phone": customer}],
            "refers_to": sid, "delivery_status": ds}


class DeliveryStatusTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub().start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def entry(self, sid):
        timeline, _ = self.hub.timeline(f"phone:{CUSTOMER}")
        found = [e for e in timeline if e["provider_message_id"] == sid]
        self.assertEqual(len(found), 1, timeline)
        return found[0], timeline

    def test_delivered_before_sent_reads_back_in_life_order(self):
        self.hub.inject_lines([hub.sms(CUSTOMER, "SM1", "2026-11-20T10:00:00Z", text="Your order shipped",
                                       account=BUSINESS, direction="outbound")])
        # The callbacks overtake each other, in separate injects (separate batches).
        self.hub.inject_lines([status("SM1", "delivered", "2026-11-20T10:00:05Z")])
        self.hub.inject_lines([status("SM1", "sent", "2026-11-20T10:00:02Z")])
        message, timeline = self.entry("SM1")
        self.assertEqual(len(timeline), 1, "statuses are not timeline entries")
        self.assertEqual(message["status"], "delivered")
        self.assertEqual([s["state"] for s in message["statuses"]], ["sent", "delivered"])
        self.assertEqual(message["statuses"][0],
                         {"state": "sent", "stage": 40, "error_code": "", "detail": "",
                          "at": "2026-11-20T10:00:02.000000Z"})
        self.assertEqual(message["statuses"][1]["at"], "2026-11-20T10:00:05.000000Z")

    def test_sent_then_delivered_and_a_retried_callback(self):
        self.hub.inject_lines([hub.sms(CUSTOMER, "SM2", "2026-11-20T11:00:00Z", account=BUSINESS,
                                       direction="outbound"),
                               status("SM2", "sent", "2026-11-20T11:00:01Z"),
                               status("SM2", "delivered", "2026-11-20T11:00:04Z")])
        # The provider repeats the "delivered" callback: stored once.
        self.hub.inject_lines([status("SM2", "delivered", "2026-11-20T11:00:04Z")])
        message, _ = self.entry("SM2")
        self.assertEqual(message["status"], "delivered")
        self.assertEqual([s["state"] for s in message["statuses"]], ["sent", "delivered"])
        stats = self.hub.stats()
        self.assertEqual(stats["statuses"], 2)
        self.assertEqual(stats["duplicates"], 1)
        self.assertEqual(stats["events"], 1)

    def test_status_before_its_message_is_attached_when_it_arrives(self):
        self.hub.inject_lines([status("SM3", "undelivered", "2026-11-20T12:00:09Z", error_code="30003")])
        r = self.hub.ctl("lookup", f"phone:{CUSTOMER}", check=False)
        self.assertEqual(r.returncode, 4, "a status alone creates no customer")
        self.hub.inject_lines([hub.sms(CUSTOMER, "SM3", "2026-11-20T12:00:00Z", account=BUSINESS,
                                       direction="outbound"),
                               status("SM3", "sent", "2026-11-20T12:00:01Z")])
        message, _ = self.entry("SM3")
        self.assertEqual(message["status"], "undelivered")
        self.assertEqual([(s["state"], s["error_code"]) for s in message["statuses"]],
                         [("sent", ""), ("undelivered", "30003")])

    def test_watch_sees_a_status_and_export_prints_it_once(self):
        self.hub.inject_lines([hub.sms(CUSTOMER, "SM4", "2026-11-20T13:00:00Z", account=BUSINESS,
                                       direction="outbound")])
        before = self.hub.stats()["last_change_seq"]
        # Starting at the last change pins where watch begins whenever its process gets
        # going; once it has printed that change it has subscribed, and the status follows.
        watcher = subprocess.Popen(self.hub.ctl_cmd("watch", "--from", str(before), "--count", "2"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = Lines(watcher.stdout)
        first = lines.next(timeout=30)
        self.assertIsNotNone(first, "watch printed nothing")
        self.assertEqual(json.loads(first)["change_seq"], before)
        self.hub.inject_lines([status("SM4", "read", "2026-11-20T13:05:00Z")])
        second = lines.next(timeout=30)
        self.assertEqual(watcher.wait(timeout=30), 0, watcher.stderr.read().decode())
        watcher.stdout.close()
        watcher.stderr.close()
        self.assertIsNotNone(second, "watch did not print the status")
        change = json.loads(second)
        self.assertEqual(change["change_seq"], before + 1)
        self.assertEqual(change["kind"], "status_added")
        self.assertEqual(change["state"], "read")
        message, _ = self.entry("SM4")
        self.assertEqual(change["message_event_id"], message["event_id"])
        self.assertEqual(change["customer_id"], message["customer_id"])

        exported = self.hub.export()
        self.assertEqual([e["kind"] for e in exported], ["message", "status"])
        self.assertEqual(exported[1]["delivery_status"],
                         {"state": "read", "stage": 60, "error_code": "", "detail": ""})
        self.assertEqual(exported[1]["customer_id"], message["customer_id"])
        self.assertEqual(exported[1]["identity"], f"phone:{CUSTOMER}")


if __name__ == "__main__":
    unittest.main()
