"""The read side of omnihub-api end to end (docs/api.md "Reading customers and timelines"):
a real unifier fed through omnihubctl inject and a real omnihub-email over SMTP, read back over
HTTP through the API; every JSON answer is checked against the served OpenAPI document
(api_client.py). Profiles by an identity in another spelling, timeline pages and filters,
conversations, an HTML attachment served only as a sandboxed download, search, suggestions
and their dismissal, and the 400s and 404s naming their parameter."""

import hashlib
import smtplib
import unittest
from email.message import EmailMessage

import hub
from api_client import quote

PHONE = "+14155550100"
HTML = b"<html><body><script>alert(document.cookie)</script>Invoice</body></html>"


def sms(pid, at, text, direction="inbound", conversation="sms-1", channel="sms"):
    ev = {"channel": channel, "account": "+12025550000", "provider_message_id": pid, "direction": direction,
          "occurred_at": at, "text": text, "conversation": conversation}
    if direction == "inbound":
        ev["from"] = {"phone": PHONE}
    else:
        ev["from"] = {"phone": ev["account"]}
        ev["to"] = [{"phone": PHONE}]
    return ev


class ApiReadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(api=True, email=True).start()
        try:
            cls.reader = cls.hub.api(cls.hub.api_token("agent-read", "read"))
            cls.writer = cls.hub.api(cls.hub.api_token("agent-write", "read,write"))
            m = EmailMessage()
            m["From"] = "Ana <ana@example.net>"
            m["To"] = "support@shop.example"
            m["Subject"] = "Invoice"
            m["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
            m["Message-ID"] = "<inv1@example.net>"
            m.set_content("The invoice is attached.")
            m.add_attachment(HTML, maintype="text", subtype="html", filename="invoice.html")
            with smtplib.SMTP("127.0.0.1", cls.hub.smtp_port, timeout=30) as s:
                s.send_message(m)
            # The email customer first, so that the WhatsApp message's mention of its address
            # is a suggestion.
            cls.hub.wait_event("email:ana@example.net", "inv1@example.net")
            cls.hub.inject_lines([
                sms("s1", "2026-11-20T10:00:00Z", "hello, my parcel is late"),
                sms("s2", "2026-11-20T10:05:00Z", "sorry, it ships today", direction="outbound"),
                sms("w1", "2026-11-21T08:00:00Z", "still nothing, write to Ana@Example.net",
                    conversation="wa-1", channel="whatsapp"),
                sms("s3", "2026-11-21T09:00:00Z", "thanks", conversation="sms-2"),
                sms("s4", "2026-11-21T09:30:00Z", "we are on it", direction="outbound", conversation="sms-2"),
            ])
            cls.hub.wait_event("phone:" + PHONE, "s4")
            cls.wait_indexed()
        except Exception:
            cls.hub.stop()
            cls.hub.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    @classmethod
    def wait_indexed(cls):
        """Until the search index has every change the store committed (the API says both)."""
        def caught_up():
            j = cls.reader.get("/api/v1/search", params={"q": "parcel"}, expect=200).json
            return j if j["indexed_change_seq"] >= j["last_change_seq"] else None
        return hub.wait_until(caught_up, "the search index to catch up", timeout=120)

    def error(self, r, status, code, field):
        self.assertEqual(r.status, status, r)
        e = r.json["error"]
        self.assertEqual(e["code"], code, r)
        self.assertEqual(e.get("field"), field, r)
        self.assertTrue(e["message"], r)

    # --- customers ---

    def test_profile_by_an_identity_in_other_spellings_and_by_id(self):
        by_query = self.reader.get("/api/v1/customers", params={"identity": "phone:(415) 555-0100"}, expect=200).json
        cid = by_query["customer_id"]
        for path in ("/api/v1/customers/" + quote("phone:+1 415-555-0100"),
                     "/api/v1/customers/" + quote("whatsapp:+14155550100"),
                     "/api/v1/customers/" + cid, "/api/v1/customers/" + cid.upper()):
            self.assertEqual(self.reader.get(path, expect=200).json, by_query, path)
        p = by_query
        self.assertEqual(p["event_count"], 5)
        self.assertEqual(p["counts"], {"events": 5, "identities": 1})
        self.assertEqual(p["identities"][0]["argument"], "phone:" + PHONE)
        self.assertEqual(p["identities"][0]["reason"]["rule"], "first_sight")
        self.assertEqual(p["first_contact_at"], "2026-11-20T10:00:00.000000Z")
        self.assertEqual(p["last_contact_at"], "2026-11-21T09:30:00.000000Z")
        self.assertEqual(p["identities"][0]["first_contact_at"], p["first_contact_at"])
        self.assertEqual(p["channels"], ["sms", "whatsapp"])
        self.assertEqual(p["recent"], {"entries": 5, "complete": True, "messages_inbound": 3,
                                       "messages_outbound": 2, "notes": 0, "activities": 0})
        # sms-1 and sms-2 end with our reply; wa-1 waits for one.
        self.assertEqual([(c["conversation"], c["channel"], c["waiting_since"]) for c in p["open_conversations"]],
                         [("wa-1", "whatsapp", "2026-11-21T08:00:00.000000Z")])

    def test_profile_refusals(self):
        self.error(self.reader.get("/api/v1/customers"), 400, "bad_request", "identity")
        self.error(self.reader.get("/api/v1/customers", params={"identity": "fax:123"}), 400, "bad_request", "identity")
        self.error(self.reader.get("/api/v1/customers", params={"identity": "email:nobody@example.org"}),
                   404, "not_found", "identity")
        self.error(self.reader.get("/api/v1/customers/" + quote("email:nobody@example.org")), 404, "not_found", "id")
        self.error(self.reader.get("/api/v1/customers/01939f0c-5a51-7c6e-9d1e-3b0f3c0e8a11"), 404, "not_found", "id")
        self.error(self.reader.get("/api/v1/customers/nobody"), 400, "bad_request", "id")
        self.error(self.reader.get("/api/v1/customers/" + quote("phone:" + PHONE), params={"x": "1"}),
                   400, "bad_request", "x")
        self.assertEqual(self.reader.get("/api/v1/customers/" + quote("phone:" + PHONE), token=None).status, 401)

    def test_recent_customers_pages_and_refusals(self):
        seen = []
        cursor = None
        while True:
            params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
            page = self.reader.get("/api/v1/customers/recent", params=params, expect=200).json
            self.assertLessEqual(len(page["customers"]), 1)
            seen += [c["customer_id"] for c in page["customers"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        profile = self.reader.get("/api/v1/customers/" + quote("phone:" + PHONE), expect=200).json
        self.assertIn(profile["customer_id"], seen)
        for bad in ("abc", "0", "-1", "99999999999999999999999"):
            with self.subTest(cursor=bad):
                self.error(self.reader.get("/api/v1/customers/recent", params={"cursor": bad}),
                           400, "invalid_cursor", "cursor")
        self.error(self.reader.get("/api/v1/customers/recent", params={"limit": "0"}), 400, "bad_request", "limit")
        self.assertEqual(self.reader.get("/api/v1/customers/recent", token=None).status, 401)

    # --- timelines ---

    def timeline(self, **params):
        return self.reader.get("/api/v1/customers/" + quote("phone:" + PHONE) + "/timeline", params=params, expect=200).json

    def test_timeline_pages_newest_first_without_gaps(self):
        seen, cursor, pages = [], None, 0
        while True:
            page = self.timeline(limit=2, **({"cursor": cursor} if cursor else {}))
            pages += 1
            self.assertEqual(page["customer"]["event_count"], 5)
            seen += [e["provider_message_id"] for e in page["events"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            self.assertEqual(len(page["events"]), 2)
        self.assertEqual(seen, ["s4", "s3", "w1", "s2", "s1"])
        self.assertEqual(pages, 3)

    def test_timeline_filters_keep_pages_full(self):
        inbound = self.timeline(direction="inbound", kind="message", limit=2)
        self.assertEqual([e["provider_message_id"] for e in inbound["events"]], ["s3", "w1"])
        rest = self.timeline(direction="inbound", kind="message", limit=2, cursor=inbound["next_cursor"])
        self.assertEqual([e["provider_message_id"] for e in rest["events"]], ["s1"])
        self.assertIsNone(rest["next_cursor"])
        self.assertEqual([e["provider_message_id"] for e in self.timeline(direction="outbound")["events"]], ["s4", "s2"])
        self.assertEqual([e["provider_message_id"] for e in self.timeline(channel="whatsapp")["events"]], ["w1"])
        self.assertEqual([e["provider_message_id"] for e in self.timeline(conversation="sms-2")["events"]], ["s4", "s3"])
        self.assertEqual([e["provider_message_id"] for e in
                          self.timeline(since="2026-11-21", until="2026-11-21T09:00:00Z")["events"]], ["w1"])
        self.assertEqual(self.timeline(kind="note")["events"], [])

    def test_timeline_refusals(self):
        path = "/api/v1/customers/" + quote("phone:" + PHONE) + "/timeline"
        for params, code, field in [({"cursor": "bm90LWEtY3Vyc29y"}, "invalid_cursor", "cursor"),
                                    ({"limit": "0"}, "bad_request", "limit"),
                                    ({"limit": "1000000"}, "bad_request", "limit"),
                                    ({"channel": "fax"}, "bad_request", "channel"),
                                    ({"since": "last tuesday"}, "bad_request", "since"),
                                    ({"since": "2026-11-22", "until": "2026-11-21"}, "bad_request", "until"),
                                    ({"direction": "sideways"}, "bad_request", "direction"),
                                    ({"kind": "poke"}, "bad_request", "kind")]:
            self.error(self.reader.get(path, params=params), 400, code, field)
        self.error(self.reader.get("/api/v1/customers/" + quote("email:nobody@example.org") + "/timeline"),
                   404, "not_found", "id")

    # --- conversations ---

    def test_conversation_oldest_first_in_pages(self):
        first = self.reader.get("/api/v1/conversations/" + quote("sms-1"), params={"limit": 1}, expect=200).json
        self.assertEqual(first["conversation"], "sms-1")
        self.assertEqual([e["provider_message_id"] for e in first["entries"]], ["s1"])
        rest = self.reader.get("/api/v1/conversations/" + quote("sms-1"),
                               params={"cursor": first["next_cursor"]}, expect=200).json
        self.assertEqual([e["provider_message_id"] for e in rest["entries"]], ["s2"])
        self.assertEqual(rest["entries"][0]["direction"], "outbound")
        self.assertIsNone(rest["next_cursor"])
        key = self.reader.get("/api/v1/customers/" + quote("email:ana@example.net") + "/timeline",
                              expect=200).json["events"][0]["conversation"]
        email = self.reader.get("/api/v1/conversations/" + quote(key), expect=200).json
        self.assertEqual(email["conversation"], key)
        self.assertEqual(email["entries"][0]["subject"], "Invoice")
        self.error(self.reader.get("/api/v1/conversations/" + quote("no such thread")), 404, "not_found", "id")
        self.error(self.reader.get("/api/v1/conversations/sms-1", params={"cursor": "zz"}), 400, "invalid_cursor",
                   "cursor")

    # --- attachments ---

    def test_html_attachment_is_a_sandboxed_download(self):
        events = self.reader.get("/api/v1/customers/" + quote("email:ana@example.net") + "/timeline",
                                 expect=200).json["events"]
        att = [a for a in events[0]["attachments"] if a.get("name") == "invoice.html"][0]
        self.assertEqual(att["sha256"], hashlib.sha256(HTML).hexdigest())
        r = self.reader.get("/api/v1/attachments/" + att["sha256"], expect=200)
        self.assertEqual(r.body, HTML)
        self.assertEqual(r.header("content-type"), "application/octet-stream")
        self.assertEqual(r.header("content-disposition"), f'attachment; filename="{att["sha256"]}"')
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("content-security-policy"), "sandbox")
        named = self.reader.get("/api/v1/attachments/" + att["sha256"].upper(), params={"name": att["name"]}, expect=200)
        self.assertEqual(named.header("content-disposition"), 'attachment; filename="invoice.html"')
        self.assertEqual(named.body, HTML)

    def test_attachment_refusals(self):
        self.error(self.reader.get("/api/v1/attachments/abc"), 400, "bad_request", "sha256")
        self.error(self.reader.get("/api/v1/attachments/" + "0" * 64), 404, "not_found", "sha256")
        self.assertEqual(self.reader.get("/api/v1/attachments/" + "0" * 64, token=None).status, 401)

    # --- search ---

    def test_search_marks_matches_and_filters(self):
        j = self.reader.get("/api/v1/search", params={"q": "parcel"}, expect=200).json
        self.assertEqual([h["snippet"] for h in j["hits"]], ["hello, my [[parcel]] is late"])
        self.assertEqual(j["hits"][0]["identity"], "phone:" + PHONE)
        self.assertNotIn("score", j["hits"][0])
        ranked = self.reader.get("/api/v1/search", params={"q": "invoice", "order": "relevance"}, expect=200).json
        self.assertTrue(ranked["hits"])
        self.assertIn("score", ranked["hits"][0])
        only_sms = self.reader.get("/api/v1/search", params={"q": "invoice", "customer": "phone:" + PHONE},
                                   expect=200).json
        self.assertEqual(only_sms["hits"], [])
        self.error(self.reader.get("/api/v1/search"), 400, "bad_request", "q")
        self.error(self.reader.get("/api/v1/search", params={"q": "x", "order": "oldest"}), 400, "bad_request", "order")
        self.error(self.reader.get("/api/v1/search", params={"q": "x", "customer": "email:nobody@example.org"}),
                   404, "not_found", "customer")

    # --- suggestions ---

    def test_suggestion_listed_and_dismissed_by_the_tokens_name(self):
        listed = self.reader.get("/api/v1/suggestions", expect=200).json["suggestions"]
        self.assertEqual([(s["mentioned"], s["author"]) for s in listed], [("email:ana@example.net", "phone:" + PHONE)])
        sid = listed[0]["suggestion_id"]
        mine = self.reader.get("/api/v1/suggestions", params={"customer": "phone:(415) 555-0100"}, expect=200).json
        self.assertEqual(mine["suggestions"], listed)
        self.assertIsNone(mine["next_cursor"])

        self.error(self.reader.post(f"/api/v1/suggestions/{sid}/dismiss", {"reason": "x"}), 403, "forbidden", None)
        self.error(self.writer.post(f"/api/v1/suggestions/{sid}/dismiss", {}), 400, "bad_request", "reason")
        self.error(self.writer.post("/api/v1/suggestions/nope/dismiss", {"reason": "x"}), 400, "bad_request", "id")
        self.error(self.writer.post("/api/v1/suggestions/" + "0" * 32 + "/dismiss", {"reason": "x"}),
                   404, "not_found", "id")
        done = self.writer.post(f"/api/v1/suggestions/{sid}/dismiss", {"reason": "a colleague's address"},
                                expect=200).json
        self.assertEqual(done["state"], "dismissed")
        self.assertEqual(self.reader.get("/api/v1/suggestions", expect=200).json["suggestions"], [])
        everything = self.reader.get("/api/v1/suggestions", params={"all": "true"}, expect=200).json["suggestions"]
        self.assertEqual(everything[0]["state"], "dismissed")
        self.assertEqual(everything[0]["dismissed_by"], "agent-write")
        self.assertEqual(everything[0]["dismiss_reason"], "a colleague's address")
        self.error(self.reader.get("/api/v1/suggestions", params={"all": "maybe"}), 400, "bad_request", "all")


if __name__ == "__main__":
    unittest.main()
