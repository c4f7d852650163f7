"""The API's writes end to end (docs/api.md "Changing the identity graph", "Notes", "Ingest",
"Export and erasure"): real omnihub-unifier and omnihub-api processes, a real HTTP client that
checks every JSON answer against the served OpenAPI document. Link, unlink, merge (preview
first) and split show the token's name as the actor in explain; refusals are 409/404; notes
appear in the timeline with their author; POST /events takes one object and a batch; an
Idempotency-Key sent three times, and again after omnihub-api was killed and started again,
stores one event with the same ids; export and erase answer the document and the receipt."""

import json
import os
import unittest

import hub
from api_client import quote

ANA = "email:ana.write@example.com"
ANA_PHONE = "phone:+14155550181"
ZOE = "email:zoe.write@example.com"


def line(sender, text, pmid, channel="email", account="support@example.com", **extra):
    kind = "email" if channel == "email" else "phone"
    return dict({"channel": channel, "account": account, "provider_message_id": pmid, "direction": "inbound",
                 "occurred_at": "2026-11-23T10:00:00Z", "from": {kind: sender.split(":", 1)[1]}, "text": text}, **extra)


class ApiWriteTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(api=True).start()
        self.token = self.hub.api_token("kim.agent")
        self.api = self.hub.api(self.token)

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def customer_id(self, identity):
        r = self.hub.ctl("lookup", identity)
        return json.loads(r.stdout)["customer_id"]

    def explain(self, customer):
        return self.api.get(f"/api/v1/customers/{quote(customer)}/explain", expect=200).json

    def seed(self):
        self.hub.inject_lines([line(ANA, "hello from ana", "ana-1"), line(ZOE, "hello from zoe", "zoe-1"),
                               line(ANA_PHONE, "sms from ana", "ana-sms-1", channel="sms", account="+14155550000")])
        for identity, pmid in ((ANA, "ana-1"), (ZOE, "zoe-1"), (ANA_PHONE, "ana-sms-1")):
            self.hub.wait_event(identity, pmid)

    def test_graph_changes_record_the_token_as_actor(self):
        self.seed()
        ana, phone = self.customer_id(ANA), self.customer_id(ANA_PHONE)
        self.assertNotEqual(ana, phone)

        # Preview writes nothing; the merge then takes the phone's customer into Ana's.
        preview = self.api.post("/api/v1/merges", {"survivor": ANA, "other": ANA_PHONE, "preview": True}, expect=200).json
        self.assertEqual(preview["survivor"]["customer_id"], ana)
        self.assertEqual(preview["event_count_after"], 2)
        self.assertNotEqual(self.customer_id(ANA_PHONE), ana, "a preview merges nothing")
        merged = self.api.post("/api/v1/merges", {"survivor": ANA, "other": ANA_PHONE, "reason": "same person"},
                               expect=201).json
        self.assertEqual(merged["customer_id"], ana)
        self.assertEqual(self.customer_id(ANA_PHONE), ana)
        explain = self.explain(ana)
        self.assertEqual([m["actor"] for m in explain["merges"]], ["kim.agent"])
        self.assertIn("kim.agent", [h["actor"] for h in explain["history"]])

        # Conflicts: a customer into itself, a merge split twice.
        same = self.api.post("/api/v1/merges", {"survivor": ANA, "other": ana, "reason": "r"}, expect=409).json
        self.assertEqual(same["error"]["code"], "conflict")
        self.api.post("/api/v1/merges", {"survivor": ANA, "other": ana, "preview": True}, expect=409)
        split = self.api.post(f"/api/v1/merges/{merged['merge_id']}/split", {"reason": "not the same"}, expect=201).json
        self.assertEqual(sorted(split["customer_ids"]), sorted([ana, phone]))
        self.api.post(f"/api/v1/merges/{merged['merge_id']}/split", {"reason": "again"}, expect=409)
        self.api.post("/api/v1/merges/01a20672-9cbf-7000-86af-863ec973c899/split", {"reason": "r"}, expect=404)

        # Link Zoe's address to Ana, then unlink it: a customer of its own again.
        zoe = self.customer_id(ZOE)
        linked = self.api.post(f"/api/v1/customers/{quote(ANA)}/identities", {"identity": ZOE, "reason": "her 2nd"},
                               expect=201).json
        self.assertEqual(linked["customer_id"], ana)
        self.assertEqual(self.customer_id(ZOE), ana)
        again = self.api.post(f"/api/v1/customers/{quote(ANA)}/identities", {"identity": ZOE, "reason": "again"},
                              expect=409).json
        self.assertEqual(again["error"]["code"], "conflict")
        reasons = {i["argument"]: i["reason"] for i in self.explain(ana)["identities"]}
        self.assertEqual(reasons[ZOE]["actor"], "kim.agent")
        self.assertEqual(reasons[ZOE]["reason"], "her 2nd")
        unlinked = self.api.delete(f"/api/v1/identities/{quote(ZOE)}", params={"reason": "not hers"}, expect=201).json
        self.assertNotIn(unlinked["customer_id"], (ana, zoe))
        self.assertEqual(self.customer_id(ZOE), unlinked["customer_id"])
        self.api.delete(f"/api/v1/identities/{quote('email:nobody.write@example.com')}", params={"reason": "r"},
                        expect=404)
        bad = self.api.post(f"/api/v1/customers/{quote(ANA)}/identities", {"identity": ana, "reason": "r"}, expect=400).json
        self.assertEqual(bad["error"]["field"], "identity")

    def test_notes_appear_in_the_timeline_with_their_author(self):
        self.seed()
        ana = self.customer_id(ANA)
        note = self.api.post(f"/api/v1/customers/{quote(ANA)}/notes", {"text": "Prefers email, not calls."},
                             expect=201).json
        self.assertEqual(note["customer_id"], ana)
        conv = self.api.post(f"/api/v1/conversations/{quote('zoe-conv')}/notes", {"text": "x"}, expect=404).json
        self.assertEqual(conv["error"]["field"], "id")

        def find():
            page = self.api.get(f"/api/v1/customers/{quote(ANA)}/timeline", expect=200).json
            return [e for e in page["events"] if e["event_id"] == note["event_id"]]
        found = hub.wait_until(find, "the note in Ana's timeline")
        self.assertEqual(found[0]["channel"], "note")
        self.assertEqual(found[0]["kind"], "note")
        self.assertEqual(found[0]["text"], "Prefers email, not calls.")
        self.assertEqual(found[0]["provider_fields"]["author"], "kim.agent")
        self.assertIsNone(found[0]["from"])
        # The author is no customer.
        self.assertNotEqual(self.hub.ctl("lookup", "email:kim.agent@example.com", check=False).returncode, 0)
        self.assertEqual(self.hub.stats()["customers"], 3)

    def test_ingest_single_batch_and_bad_lines(self):
        one = self.api.post("/api/v1/events", line(ANA, "one", "api-1"), expect=202).json
        self.assertEqual(one["accepted"], 1)
        batch = "\n".join(json.dumps(line(ZOE, f"b{i}", f"api-b{i}")) for i in range(3)) + "\n"
        many = self.api.request("POST", "/api/v1/events", body=batch.encode(),
                                headers={"Content-Type": "application/x-ndjson"}, expect=202).json
        self.assertEqual(many["accepted"], 3)
        self.assertEqual(len(set(many["event_ids"])), 3)
        events = self.hub.wait_event(ZOE, "api-b2")
        self.assertEqual(sorted(e["event_id"] for e in events), sorted(many["event_ids"]))
        bad = json.dumps(line(ZOE, "ok", "api-c1")) + "\n" + '{"channel":"sms"}\n'
        r = self.api.request("POST", "/api/v1/events", body=bad.encode(),
                             headers={"Content-Type": "application/x-ndjson"}, expect=400).json
        self.assertTrue(r["error"]["message"].startswith("line 2: "), r)
        self.assertIn("field", r["error"])

    def test_idempotency_key_survives_a_restart(self):
        body = json.dumps(line(ANA, "only once", "idem-1")).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": "order-1042-note"}
        answers = [self.api.request("POST", "/api/v1/events", body=body, headers=headers, expect=202).json
                   for _ in range(3)]
        self.assertEqual(answers[1], answers[0])
        self.assertEqual(answers[2], answers[0])
        self.hub.kill_api()
        self.hub.start_api()
        after = self.api.request("POST", "/api/v1/events", body=body, headers=headers, expect=202).json
        self.assertEqual(after, answers[0])
        reused = self.api.request("POST", "/api/v1/events", body=body.replace(b"only once", b"other"),
                                  headers=headers, expect=422).json
        self.assertEqual(reused["error"]["code"], "idempotency_key_reused")
        # A sentinel after the repeats: once it is filed, so is everything sent before it.
        self.api.post("/api/v1/events", line(ANA, "sentinel", "idem-sentinel"), expect=202)
        events = self.hub.wait_event(ANA, "idem-sentinel")
        stored = [e for e in events if e["text"] == "only once"]
        self.assertEqual([e["event_id"] for e in stored], answers[0]["event_ids"])
        self.assertEqual(self.hub.stats()["events"], 2)

    def test_export_and_erase(self):
        self.seed()
        ana = self.customer_id(ANA)
        doc = self.api.get(f"/api/v1/customers/{quote(ANA)}/export", expect=200).json
        self.assertEqual(doc["format"], "omnihub-export")
        self.assertEqual(doc["customer"]["customer_id"], ana)
        self.assertEqual([e["text"] for e in doc["events"]], ["hello from ana"])
        reader = self.hub.api(self.hub.api_token("reader", "read"))
        reader.get(f"/api/v1/customers/{quote(ANA)}/export", expect=403)

        receipt = self.api.post(f"/api/v1/customers/{quote(ANA)}/erase", {"reason": "data subject request"},
                                expect=200, timeout=600).json
        self.assertEqual(receipt["customer_id"], ana)
        self.assertEqual(receipt["actor"], "kim.agent")
        self.assertTrue(receipt["verification"]["clean"], receipt)
        self.assertIn(os.path.join(self.hub.dir, "outbox-api"), receipt["verification"]["directories"])
        self.api.get(f"/api/v1/customers/{quote(ANA)}/export", expect=404)
        # Running it again purges and verifies again.
        again = self.api.post(f"/api/v1/customers/{ana}/erase", {"reason": "verify again"}, expect=200, timeout=600).json
        self.assertEqual(again["erasure_id"], receipt["erasure_id"])


if __name__ == "__main__":
    unittest.main()
