"""SMS channel end to end: Twilio and Vonage webhooks sent with a real HTTP client
(urllib) to a real omnihub-sms, published to a real omnihub-unifier, everything read
back through omnihubctl."""

import json
import unittest

import hub
from sms_clients import TwilioClient, VonageClient, twilio_sms, twilio_status, vonage_sms

BUSINESS = "+12025550000"
CUSTOMER = "+14155550100"
SENTINEL = "+14155550111"  # a number the tests' messages do not use


class SmsWebhookTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(sms=True).start()
        self.twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)
        self.vonage = VonageClient(self.hub, hub.VONAGE_SECRET)

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def timeline(self, identity):
        return self.hub.timeline(identity)[0]

    def assert_ok(self, answer):
        status, body, _ = answer
        self.assertEqual(status, 200, body)
        return body

    def send_sentinel(self, n):
        """Sends message n of a sentinel number through omnihub-sms and waits until it is
        committed: everything omnihub-sms acknowledged before it has been applied."""
        sid = f"SM{n:032d}"
        self.assert_ok(self.twilio.post("messages", twilio_sms(sid, SENTINEL, BUSINESS, f"sentinel {n}")))
        self.hub.wait_event("phone:" + SENTINEL, sid)

    def test_twilio_sms_reaches_the_timeline_with_every_parameter(self):
        status, body, headers = self.twilio.post("messages", twilio_sms(
            "SM" + "a" * 32, CUSTOMER, BUSINESS, "Where is my order?", FromCity="SAN FRANCISCO", FromCountry="US"))
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "text/xml")
        self.assertEqual(body, b'<?xml version="1.0" encoding="UTF-8"?><Response/>')
        self.hub.wait_stats("events", 1)
        [e] = self.timeline("phone:" + CUSTOMER)
        self.assertEqual(e["channel"], "sms")
        self.assertEqual(e["account"], BUSINESS)
        self.assertEqual(e["provider_message_id"], "SM" + "a" * 32)
        self.assertEqual(e["text"], "Where is my order?")
        self.assertEqual(e["from"], {"phone": CUSTOMER})
        self.assertEqual(e["provider_fields"]["FromCity"], "SAN FRANCISCO")
        self.assertEqual(e["provider_fields"]["NumSegments"], "1")

    def test_twilio_mms_with_two_media_keeps_them_as_attachments(self):
        base = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/"
        self.assert_ok(self.twilio.post("messages", twilio_sms(
            "MM" + "b" * 32, CUSTOMER, BUSINESS, "photos of the damage", NumMedia="2",
            MediaUrl0=base + "ME1", MediaContentType0="image/jpeg",
            MediaUrl1=base + "ME2", MediaContentType1="image/png")))
        self.hub.wait_stats("events", 1)
        [e] = self.timeline("phone:" + CUSTOMER)
        self.assertEqual([(a["media_type"], a["storage_ref"]) for a in e["attachments"]],
                         [("image/jpeg", base + "ME1"), ("image/png", base + "ME2")])

    def test_provider_retry_of_a_message_sid_is_one_entry(self):
        msg = twilio_sms("SM" + "c" * 32, CUSTOMER, BUSINESS, "hello")
        for _ in range(3):
            self.assert_ok(self.twilio.post("messages", msg))
        self.hub.wait_stats("duplicates", 2)
        self.assertEqual(len(self.timeline("phone:" + CUSTOMER)), 1)

    def test_status_callbacks_attach_to_the_outbound_message_in_life_order(self):
        for sid, order in (("SM" + "1" * 32, ["sent", "delivered"]), ("SM" + "2" * 32, ["delivered", "sent"])):
            self.hub.inject_lines([hub.sms(CUSTOMER, sid, "2026-11-23T09:00:00Z", text="Your parcel ships today",
                                           account=BUSINESS, direction="outbound")])
            for state in order:
                self.assert_ok(self.twilio.post("status", twilio_status(sid, state, BUSINESS, CUSTOMER)))
        # A status for a message the hub has not seen yet is kept and attached when it arrives.
        late = "SM" + "3" * 32
        self.assert_ok(self.twilio.post("status", twilio_status(late, "undelivered", BUSINESS, CUSTOMER,
                                                                ErrorCode="30003")))
        self.hub.inject_lines([hub.sms(CUSTOMER, late, "2026-11-23T09:05:00Z", text="Reply STOP to opt out",
                                       account=BUSINESS, direction="outbound")])
        self.hub.wait_committed("sms", 5)  # the five callbacks
        entries = {e["provider_message_id"]: e for e in self.timeline("phone:" + CUSTOMER)}
        self.assertEqual(len(entries), 3)  # statuses are not entries of their own
        for sid in ("SM" + "1" * 32, "SM" + "2" * 32):
            self.assertEqual(entries[sid]["status"], "delivered")
            self.assertEqual([s["state"] for s in entries[sid]["statuses"]], ["sent", "delivered"])
        self.assertEqual(entries[late]["status"], "undelivered")
        self.assertEqual(entries[late]["statuses"][0]["error_code"], "30003")

    def test_vonage_three_part_message_out_of_order_across_a_restart(self):
        parts = {n: vonage_sms(f"0A00000000000{n}", "447700900001", "447700900999", text,
                               **{"concat": "true", "concat-ref": "77", "concat-total": "3", "concat-part": str(n)})
                 for n, text in ((1, "The parcel arrived "), (2, "but the box was "), (3, "crushed."))}
        self.assert_ok(self.vonage.send("inbound", parts[3], how="get"))
        self.assert_ok(self.vonage.send("inbound", parts[1], how="form"))
        self.hub.kill_sms()  # the two parts were acknowledged: they must survive this
        self.hub.start_sms()
        self.send_sentinel(1)  # had the parts been published, they would be applied by now
        self.assertEqual(self.hub.stats()["events"], 1)
        self.assert_ok(self.vonage.send("inbound", parts[2], how="json"))
        self.hub.wait_stats("events", 2)  # the sentinel and the joined message
        [e] = self.timeline("phone:+447700900001")
        self.assertEqual(e["text"], "The parcel arrived but the box was crushed.")
        self.assertEqual(e["account"], "+447700900999")
        # A late provider retry of one part changes nothing.
        self.assert_ok(self.vonage.send("inbound", parts[2], how="get"))
        self.send_sentinel(2)
        self.assertEqual(len(self.timeline("phone:+447700900001")), 1)

    def test_vonage_delivery_receipt_becomes_a_status(self):
        self.hub.inject_lines([hub.sms("+447700900001", "0B000000000000A1", "2026-11-23T09:00:00Z", text="Code: 4711",
                                       account="+447700900999", direction="outbound")])
        self.assert_ok(self.vonage.send("dlr", {"msisdn": "447700900001", "to": "447700900999",
                                                "messageId": "0B000000000000A1", "status": "delivered",
                                                "err-code": "0", "scts": "2611230901", "network-code": "23410",
                                                "message-timestamp": "2026-11-23 09:01:00"}, how="form"))
        self.hub.wait_committed("sms", 1)  # the receipt
        [e] = self.timeline("phone:+447700900001")
        self.assertEqual(e["status"], "delivered")

    def test_sms_and_whatsapp_of_one_number_share_a_timeline_alphanumeric_sender_does_not(self):
        self.assert_ok(self.twilio.post("messages", twilio_sms("SM" + "d" * 32, "+1 (415) 555-0100", BUSINESS, "sms")))
        self.assert_ok(self.twilio.post("messages", twilio_sms(
            "SM" + "e" * 32, "whatsapp:+14155550100", "whatsapp:" + BUSINESS, "whatsapp via twilio",
            ProfileName="Ana", WaId="14155550100")))
        self.hub.inject_lines([{"channel": "whatsapp", "account": BUSINESS, "provider_message_id": "wamid.1",
                                "direction": "inbound", "occurred_at": "2026-11-23T09:10:00Z",
                                "from": {"phone": "001 415 555 0100"}, "text": "whatsapp injected"}])
        self.assert_ok(self.twilio.post("messages", twilio_sms("SM" + "f" * 32, "AcmeBank", BUSINESS, "your code")))
        self.hub.wait_stats("events", 4)
        texts = sorted(e["text"] for e in self.timeline("phone:" + CUSTOMER))
        self.assertEqual(texts, ["sms", "whatsapp injected", "whatsapp via twilio"])
        channels = {e["text"]: e["channel"] for e in self.timeline("phone:" + CUSTOMER)}
        self.assertEqual(channels["whatsapp via twilio"], "whatsapp")
        [alpha] = self.timeline("sender:AcmeBank")
        self.assertEqual(alpha["text"], "your code")
        self.assertNotEqual(alpha["customer_id"], self.timeline("phone:" + CUSTOMER)[0]["customer_id"])

    def test_sigkill_right_after_a_200_keeps_the_message(self):
        self.assert_ok(self.twilio.post("messages", twilio_sms("SM" + "9" * 32, CUSTOMER, BUSINESS, "urgent")))
        self.hub.kill_sms()
        self.hub.start_sms()
        self.hub.wait_stats("events", 1)
        self.assertEqual([e["text"] for e in self.timeline("phone:" + CUSTOMER)], ["urgent"])


class SmsBadInputTest(unittest.TestCase):
    """Every error answer, each with nothing stored."""

    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(sms=True, sms_extra="max_body_bytes = 4096").start()
        cls.twilio = TwilioClient(cls.hub, hub.TWILIO_TOKEN)
        cls.vonage = VonageClient(cls.hub, hub.VONAGE_SECRET)
        cls.sentinels = 0

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def assert_error(self, answer, status, code, mentions=None):
        got, body, headers = answer
        self.assertEqual(got, status, body)
        self.assertTrue(headers["Content-Type"].startswith("application/json"), headers)
        err = json.loads(body)["error"]
        self.assertEqual(err["code"], code)
        if mentions:
            self.assertIn(mentions, err["message"])
        # Nothing stored: had the refused request been published, it would be applied
        # before a sentinel accepted after it.
        cls = type(self)
        cls.sentinels += 1
        sid = f"SM{cls.sentinels:032d}"
        got, body, _ = self.twilio.post("messages", twilio_sms(sid, SENTINEL, BUSINESS, "sentinel"))
        self.assertEqual(got, 200, body)
        self.hub.wait_event("phone:" + SENTINEL, sid)
        stats = self.hub.stats()
        self.assertEqual((stats["events"], stats["dead_letters"]), (cls.sentinels, 0))

    def test_missing_required_parameter_is_named(self):
        for name in ("MessageSid", "From", "To", "AccountSid"):
            p = twilio_sms("SM" + "0" * 32, CUSTOMER, BUSINESS, "x")
            del p[name]
            self.assert_error(self.twilio.post("messages", p), 400, "invalid_parameter", name)
        p = twilio_status("SM" + "0" * 32, "sent", BUSINESS, CUSTOMER)
        del p["MessageStatus"]
        self.assert_error(self.twilio.post("status", p), 400, "invalid_parameter", "MessageStatus")
        p = vonage_sms("0A0000000000001", "447700900001", "447700900999", "x")
        del p["msisdn"]
        self.assert_error(self.vonage.send("inbound", p), 400, "invalid_parameter", "msisdn")

    def test_malformed_parameter_is_named(self):
        self.assert_error(self.twilio.post("messages", twilio_sms("SM" + "0" * 32, CUSTOMER, BUSINESS, "x",
                                                                  NumMedia="two")), 400, "invalid_parameter", "NumMedia")
        self.assert_error(self.twilio.post("messages", twilio_sms("SM" + "0" * 32, "+1 555", BUSINESS, "x")),
                          400, "invalid_parameter", "From")
        p = vonage_sms("0A0000000000001", "447700900001", "447700900999", "x",
                       **{"concat": "true", "concat-ref": "1", "concat-total": "3", "concat-part": "4"})
        self.assert_error(self.vonage.send("inbound", p), 400, "invalid_parameter", "concat-part")

    def test_unknown_account_is_404(self):
        self.assert_error(self.twilio.post("messages", twilio_sms("SM" + "0" * 32, CUSTOMER, BUSINESS, "x"),
                                           account="nobody"), 404, "unknown_account", "nobody")
        self.assert_error(self.vonage.send("inbound", vonage_sms("0A1", "447700900001", "447700900999", "x"),
                                           account="nobody"), 404, "unknown_account", "nobody")

    def test_wrong_signature_is_403(self):
        msg = twilio_sms("SM" + "0" * 32, CUSTOMER, BUSINESS, "x")
        self.assert_error(self.twilio.post("messages", msg, token="wrong-token"), 403, "invalid_signature")
        self.assert_error(self.twilio.post("messages", msg, sign_url="https://other.example.com/twilio/default/messages"),
                          403, "invalid_signature")
        sms = vonage_sms("0A0000000000001", "447700900001", "447700900999", "x")
        self.assert_error(self.vonage.send("inbound", sms, secret="wrong"), 403, "invalid_signature")
        self.assert_error(self.vonage.send("inbound", sms, sign=False), 403, "invalid_signature", "sig")
        self.assert_error(self.vonage.send("inbound", sms, timestamp=1_000_000_000), 403, "invalid_signature",
                          "timestamp")

    def test_oversized_body_is_413(self):
        self.assert_error(self.twilio.post("messages", twilio_sms("SM" + "0" * 32, CUSTOMER, BUSINESS, "x" * 5000)),
                          413, "payload_too_large")


if __name__ == "__main__":
    unittest.main()
