"""Live updates of omnihub-api (GET /api/v1/stream, GET /api/v1/customers/{id}/stream) against
a real unifier, with a plain-socket server-sent-events client (sse_client.py): a client that is
cut off and reconnects with Last-Event-ID gets each change committed meanwhile exactly once and
in order, then live ones; a customer's stream carries only that customer's changes and follows
it into the survivor of a merge; an id beyond the hub's last change gets a reset; bad input is a
JSON error naming the field. Error answers go through api_client, which validates them against
the served OpenAPI document; every change event's data is validated against its schema too."""

import json
import time
import unittest

import hub
from api_client import quote
from sse_client import SseStream

T0 = 1_790_000_000_000_000


def lines(number, count, prefix):
    return [hub.sms(number, f"{prefix}-{i:05d}", hub.rfc3339(T0 + i * 1_000_000), text=f"{prefix} message {i}")
            for i in range(count)]


class ApiStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Heartbeats every second, so that one is seen without waiting the default 15 s.
        cls.hub = hub.Hub(api=True, api_extra="sse_heartbeat_s = 1\n").start()
        cls.token = cls.hub.api_token("stream-e2e", "read")
        cls.client = cls.hub.api(cls.token)
        doc = cls.client.document()
        cls.schemas = doc.doc["components"]["schemas"]
        import api_client
        cls.change_schema = api_client._validator(doc.doc, {"$ref": "#/components/schemas/StreamChange"})
        cls.reset_schema = api_client._validator(doc.doc, {"$ref": "#/components/schemas/StreamReset"})

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    # -- helpers -------------------------------------------------------------
    def open(self, path, last_event_id=None):
        """A live stream, checked to be one: documented, 200 text/event-stream, not cached, and
        starting with the retry field and a comment."""
        doc = self.client.document()
        _, op = doc.operation("GET", path.split("?")[0])
        self.assertIn("text/event-stream", doc._resolve(op["responses"]["200"])["content"])
        s = SseStream("127.0.0.1", self.hub.api_port, path, self.token, last_event_id)
        self.addCleanup(s.close)
        self.assertEqual(s.status, 200, f"GET {path}")
        self.assertEqual(s.headers["content-type"].split(";")[0], "text/event-stream")
        self.assertEqual(s.headers["cache-control"], "no-store")
        self.assertEqual(s.headers["x-accel-buffering"], "no")
        self.assertEqual(s.headers["x-content-type-options"], "nosniff")
        first = s.next_event(10)
        self.assertIsNotNone(first, "no first bytes")
        self.assertEqual((first.retry, first.event, first.data), (2000, "", None))
        self.assertTrue(first.comments)
        return s

    def last_change_seq(self):
        return self.hub.stats()["last_change_seq"]

    def read_through(self, s, last_seq, after):
        """The change events of `s` up to change_seq `last_seq`, checked to be every change after
        `after` exactly once and in order, each a valid StreamChange whose id is its change_seq."""
        got = s.changes(last_seq - after, timeout=120)
        seqs = [int(e.id) for e in got]
        self.assertEqual(seqs, list(range(after + 1, last_seq + 1)))
        for e in got:
            data = e.json
            self.assertEqual(data["change_seq"], int(e.id))
            errors = list(self.change_schema.iter_errors(data))
            self.assertEqual(errors, [], f"{data} does not match StreamChange")
        return [e.json for e in got]

    def assert_quiet(self, s, seconds=1.0):
        """Nothing but comments arrives for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            e = s.next_event(left)
            if e is not None:
                self.assertEqual(e.event, "", f"unexpected {e!r}")

    # -- tests ---------------------------------------------------------------
    def test_a_reconnect_with_last_event_id_gets_every_missed_change_once_and_in_order(self):
        start = self.last_change_seq()
        s = self.open("/api/v1/stream")  # live from now: from whatever the API had seen by then
        self.hub.inject_lines(lines("+14155550100", 5, "before-cut"))
        end = self.last_change_seq()
        first = s.changes(1)[0]
        self.assertLessEqual(int(first.id), start + 1)
        seen = [first.json] + self.read_through(s, end, int(first.id))
        self.assertEqual(sum(c["kind"] == "event_added" for c in seen[-(end - start):]), 5)
        s.close()  # cut off

        self.hub.inject_lines(lines("+14155550101", 250, "while-away") + lines("+14155550100", 250, "while-away-2"))
        missed_end = self.last_change_seq()
        self.assertGreaterEqual(missed_end - end, 500)

        again = self.open("/api/v1/stream", last_event_id=end)
        missed = self.read_through(again, missed_end, end)
        added = [c for c in missed if c["kind"] == "event_added"]
        self.assertEqual(len(added), 500)
        self.assertEqual(len({c["event_id"] for c in added}), 500)
        self.assert_quiet(again, 0.5)  # nothing twice

        # Then live: the next change, and only it.
        self.hub.inject_lines(lines("+14155550100", 1, "after-reconnect"))
        self.read_through(again, self.last_change_seq(), missed_end)

        # ?last_event_id= does the same for clients that cannot set the header.
        by_param = self.open(f"/api/v1/stream?last_event_id={missed_end - 3}")
        self.read_through(by_param, missed_end, missed_end - 3)

    def test_a_customers_stream_has_only_its_changes_and_follows_a_merge(self):
        self.hub.inject_lines(lines("+14155550200", 1, "ana") + lines("+14155550201", 1, "ben"))
        ana = json.loads(self.hub.ctl("lookup", "phone:+14155550200").stdout)["customer_id"]
        ben = json.loads(self.hub.ctl("lookup", "phone:+14155550201").stdout)["customer_id"]
        start = self.last_change_seq()
        s = self.open(f"/api/v1/customers/{quote('phone:+14155550200')}/stream", last_event_id=start)
        everything = self.open("/api/v1/stream", last_event_id=start)

        self.hub.inject_lines([l for pair in zip(lines("+14155550200", 3, "ana-live"), lines("+14155550201", 3, "ben-live"))
                               for l in pair])
        ana_changes = s.changes(3, timeout=60)
        self.assertEqual([c.json["customer_id"] for c in ana_changes], [ana] * 3)
        self.assertEqual([c.json["kind"] for c in ana_changes], ["event_added"] * 3)
        # The whole stream had ben's changes in between; the customer stream none of them.
        all_changes = self.read_through(everything, self.last_change_seq(), start)
        self.assertEqual(sum(c.get("customer_id") == ben for c in all_changes), 3)
        self.assert_quiet(s, 0.5)

        # Ana merged into Ben: the merge, and Ben's changes from then on, are Ana's news.
        self.hub.ctl("customer", "merge", ben, ana, "--reason", "same person", "--actor", "e2e")
        merged = s.changes(1, timeout=60)[0].json
        self.assertEqual((merged["kind"], merged["customer_id"], merged["merged_customer_id"]),
                         ("customers_merged", ben, ana))
        self.hub.inject_lines(lines("+14155550201", 1, "ben-after-merge") + lines("+14155550299", 1, "other"))
        after = s.changes(1, timeout=60)[0].json
        self.assertEqual((after["kind"], after["customer_id"]), ("event_added", ben))
        self.assert_quiet(s, 0.5)

        # By customer id too, also the id of the customer merged away: the survivor is streamed.
        by_old_id = self.open(f"/api/v1/customers/{ana}/stream")
        self.hub.inject_lines(lines("+14155550200", 1, "ana-after-merge"))
        self.assertEqual(by_old_id.changes(1, timeout=60)[0].json["customer_id"], ben)

    def test_an_id_beyond_the_hubs_last_change_gets_a_reset_then_live_changes(self):
        last = self.last_change_seq()
        s = self.open("/api/v1/stream", last_event_id=last + 1000)
        reset = s.next_event(30)
        while reset is not None and not reset.event:  # a heartbeat
            reset = s.next_event(30)
        self.assertIsNotNone(reset)
        self.assertEqual(reset.event, "reset")
        self.assertEqual(list(self.reset_schema.iter_errors(reset.json)), [])
        self.assertEqual(reset.json["reason"], "ahead_of_hub")
        self.assertGreaterEqual(reset.json["last_change_seq"], last)
        self.assertEqual(int(reset.id), reset.json["last_change_seq"])
        self.hub.inject_lines(lines("+14155550300", 1, "after-reset"))
        self.read_through(s, self.last_change_seq(), reset.json["last_change_seq"])

    def test_an_idle_stream_gets_a_heartbeat_comment(self):
        s = self.open("/api/v1/stream")
        started = time.monotonic()
        beat = s.next_event(10)
        self.assertIsNotNone(beat, "no heartbeat within 10 s")
        self.assertEqual((beat.event, beat.id, beat.comments), ("", None, ["heartbeat"]))
        self.assertGreaterEqual(time.monotonic() - started, 0.5)
        again = s.next_event(10)
        self.assertIsNotNone(again)
        self.assertEqual(again.comments, ["heartbeat"])

    def test_bad_input_is_a_json_error_naming_the_field(self):
        r = self.client.get("/api/v1/stream", headers={"Last-Event-ID": "twelve"}, expect=400)
        self.assertEqual((r.json["error"]["code"], r.json["error"]["field"]), ("bad_request", "Last-Event-ID"))
        r = self.client.get("/api/v1/stream", params={"last_event_id": "-1"}, expect=400)
        self.assertEqual(r.json["error"]["field"], "last_event_id")
        r = self.client.get("/api/v1/stream", params={"lastEventId": "3"}, expect=400)  # a typo is no silent "from now"
        self.assertEqual(r.json["error"]["field"], "lastEventId")
        r = self.client.get(f"/api/v1/customers/{quote('phone:+19995550000')}/stream", expect=404)
        self.assertEqual((r.json["error"]["code"], r.json["error"]["field"]), ("not_found", "id"))
        r = self.client.get(f"/api/v1/customers/{quote('fax:123')}/stream", expect=400)
        self.assertEqual(r.json["error"]["field"], "id")
        r = self.client.get("/api/v1/stream", token=None, expect=401)
        self.assertEqual(r.json["error"]["code"], "unauthorized")


if __name__ == "__main__":
    unittest.main(verbosity=2)
