"""Social channels end to end: Meta (Messenger, Instagram, WhatsApp Cloud), Telegram and X
deliveries in each platform's documented shape, sent with a real HTTP client (urllib) to a real
omnihub-social, published to a real omnihub-unifier, and read back from the right customer's
timeline through omnihubctl."""

import json
import unittest

import hub
from test_metrics import Scrape
from sms_clients import TwilioClient, twilio_sms
from social_clients import (IG_ACCOUNT, PAGE, WABA, SocialClient, messaging, messenger_edit, messenger_message,
                            messenger_reaction, tg_edit, tg_message, tg_user, wa_contact, wa_status, wa_text,
                            whatsapp, x_dm, x_mention, x_users)

PSID = "6123450001"
IGSID = "9876500001"
WA_NUMBER = "16505551234"
BSUID = "US.13491208655302741918"
SENTINEL_PSID = "6123459999"


def wa_outbound(wamid, at, text):
    """An outbound WhatsApp message of the business, as an integrator's system injects it."""
    return {"channel": "whatsapp", "account": "106540352242922", "provider_message_id": wamid,
            "direction": "outbound", "occurred_at": at, "text": text, "from": {"phone": "+15550783881"},
            "to": [{"phone": "+" + WA_NUMBER}]}


class SocialWebhooksTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(social=True, sms=True).start()
        self.social = SocialClient(self.hub.social_base, hub.META_APP_SECRET, hub.META_VERIFY_TOKEN,
                                   hub.TELEGRAM_SECRET, hub.X_SECRET)

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def assert_ok(self, answer):
        status, body, _ = answer
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def timeline(self, identity):
        return self.hub.timeline(identity, "--all")[0]

    def send_sentinel(self, n):
        """A Messenger message from a sentinel user, waited for: everything omnihub-social
        acknowledged before it has been applied by the unifier."""
        mid = f"m_sentinel{n}"
        self.assert_ok(self.social.meta(messaging("page", PAGE, messenger_message(SENTINEL_PSID, mid, 1718000009000 + n,
                                                                                   text="sentinel"))))
        self.hub.wait_event(f"messenger:{PAGE}:{SENTINEL_PSID}", mid)

    # -- Meta ------------------------------------------------------------------------

    def test_messenger_text_image_echo_reaction_and_edit_land_on_one_customer(self):
        user = f"messenger:{PAGE}:{PSID}"
        image = {"type": "image", "payload": {"url": "https://lookaside.example/i.jpg"}}
        # The reaction and the edit arrive before the message they refer to.
        self.assert_ok(self.social.meta(messaging("page", PAGE,
                                                  messenger_reaction(PSID, "m_1", 1718000001000, "\u2764\ufe0f", "love"),
                                                  messenger_edit(PSID, "m_1", 1718000002000, "Is my parcel lost? #1234"))))
        self.assert_ok(self.social.meta(messaging(
            "page", PAGE,
            messenger_message(PSID, "m_1", 1718000000123, text="Is my parcel lost?", attachments=[image],
                              quick_reply={"payload": "TRACK_ORDER"}),
            messenger_message(PSID, "m_2", 1718000003000, text="We are checking", echo=True))))
        events = self.hub.wait_event(user, "m_2")
        by_id = {e["provider_message_id"]: e for e in events}
        self.assertEqual(set(by_id), {"m_1", "m_2"}, "reactions and edits are not timeline entries of their own")
        first = by_id["m_1"]
        self.assertEqual(first["channel"], "messenger")
        self.assertEqual(first["direction"], "inbound")
        self.assertEqual(first["from"], {"platform": "messenger", "account": PAGE, "user_id": PSID})
        self.assertEqual(first["attachments"][0]["storage_ref"], "https://lookaside.example/i.jpg")
        self.assertEqual(first["provider_fields"]["quick_reply.payload"], "TRACK_ORDER")
        self.assertEqual(first["text"], "Is my parcel lost? #1234")
        self.assertTrue(first["edited"])
        self.assertEqual([e["text"] for e in first["history"]], ["Is my parcel lost?"])
        self.assertEqual(first["reactions"], [{"emoji": "\u2764\ufe0f", "name": "love", "count": 1, "by": [user]}])
        echo = by_id["m_2"]
        self.assertEqual(echo["direction"], "outbound")
        self.assertEqual(echo["to"], [{"platform": "messenger", "account": PAGE, "user_id": PSID}])

    def test_instagram_reaction_and_unsend(self):
        user = f"instagram:{IG_ACCOUNT}:{IGSID}"
        msg = messenger_message(IGSID, "aWdfZAG1", 1718000000000, text="my order number is 5521", page=IG_ACCOUNT)
        self.assert_ok(self.social.meta(messaging("instagram", IG_ACCOUNT, msg)))
        self.assert_ok(self.social.meta(messaging("instagram", IG_ACCOUNT, messenger_reaction(
            IGSID, "aWdfZAG1", 1718000001000, "\U0001F44D", "like", page=IG_ACCOUNT))))
        unsend = messenger_message(IGSID, "aWdfZAG1", 1718000002000, page=IG_ACCOUNT, is_deleted=True)
        self.assert_ok(self.social.meta(messaging("instagram", IG_ACCOUNT, unsend)))
        self.send_sentinel(1)
        [e] = self.timeline(user)
        self.assertEqual(e["channel"], "instagram")
        self.assertTrue(e["deleted"])
        self.assertEqual(e["text"], "", "a deleted message's text is removed (social.keep_deleted_text = false)")
        self.assertEqual(e["reactions"], [{"emoji": "\U0001F44D", "name": "like", "count": 1, "by": [user]}])

    def test_whatsapp_text_and_statuses_read_before_delivered_and_failed_with_its_error(self):
        phone = "phone:+" + WA_NUMBER
        self.assert_ok(self.social.meta(whatsapp(contacts=[wa_contact("Sheena Nelson", wa_id=WA_NUMBER)],
                                                 messages=[wa_text("wamid.IN1", "Hi, order 1234 never arrived",
                                                                   frm=WA_NUMBER)])))
        self.hub.wait_event(phone, "wamid.IN1")
        # Two outbound messages of the business; their statuses arrive out of order.
        self.hub.inject_lines([wa_outbound("wamid.OUT1", "2024-06-10T06:14:00Z", "Sorry, checking"),
                               wa_outbound("wamid.OUT2", "2024-06-10T06:15:00Z", "Resent it")])
        self.assert_ok(self.social.meta(whatsapp(statuses=[
            wa_status("wamid.OUT1", "sent", "1718000041", WA_NUMBER),
            wa_status("wamid.OUT1", "read", "1718000060", WA_NUMBER),
            wa_status("wamid.OUT1", "delivered", "1718000050", WA_NUMBER),
            wa_status("wamid.OUT2", "failed", "1718000100", WA_NUMBER, errors=[{
                "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                "error_data": {"details": "Receiver is incapable of receiving this message"}}])])))
        self.hub.wait_stats("statuses", 4)
        by_id = {e["provider_message_id"]: e for e in self.timeline(phone)}
        self.assertEqual(by_id["wamid.IN1"]["from"], {"phone": "+" + WA_NUMBER, "name": "Sheena Nelson"})
        self.assertEqual(by_id["wamid.IN1"]["channel"], "whatsapp")
        self.assertEqual(by_id["wamid.OUT1"]["status"], "read", "read is never moved back by a later delivered")
        self.assertEqual([s["state"] for s in by_id["wamid.OUT1"]["statuses"]], ["sent", "delivered", "read"])
        failed = by_id["wamid.OUT2"]["statuses"][-1]
        self.assertEqual((failed["state"], failed["error_code"]), ("failed", "131026"))
        self.assertEqual(failed["detail"], "Message undeliverable: Receiver is incapable of receiving this message")

    def test_whatsapp_username_user_is_one_customer_once_a_delivery_links_the_number(self):
        bsuid = f"whatsapp:{WABA}:{BSUID}"
        self.assert_ok(self.social.meta(whatsapp(
            contacts=[wa_contact("Ana", user_id=BSUID, username="@ana")],
            messages=[wa_text("wamid.U1", "hello from a username", user_id=BSUID)])))
        [first] = self.hub.wait_event(bsuid, "wamid.U1")
        self.assert_ok(self.social.meta(whatsapp(
            contacts=[wa_contact("Ana", wa_id=WA_NUMBER, user_id=BSUID)],
            messages=[wa_text("wamid.U2", "now with my number", frm=WA_NUMBER, user_id=BSUID)])))
        events = self.hub.wait_event("phone:+" + WA_NUMBER, "wamid.U2")
        self.assertEqual({e["provider_message_id"] for e in events}, {"wamid.U1", "wamid.U2"})
        self.assertEqual({e["customer_id"] for e in events}, {first["customer_id"]})
        customer = json.loads(self.hub.ctl("lookup", "phone:+" + WA_NUMBER).stdout)
        self.assertIn("whatsapp: one message carried both", json.dumps(customer))

    def test_whatsapp_cloud_twilio_whatsapp_and_sms_of_one_number_share_a_timeline(self):
        number = "+" + WA_NUMBER
        self.assert_ok(self.social.meta(whatsapp(messages=[wa_text("wamid.C1", "via cloud", frm=WA_NUMBER)])))
        twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)
        sid_wa, sid_sms = "SM" + "d" * 32, "SM" + "e" * 32
        self.assertEqual(twilio.post("messages", twilio_sms(sid_wa, "whatsapp:" + number, "whatsapp:+14155238886",
                                                            "via twilio whatsapp"))[0], 200)
        self.assertEqual(twilio.post("messages", twilio_sms(sid_sms, number, "+12025550000", "via sms"))[0], 200)
        self.hub.wait_event("phone:" + number, sid_sms)
        events = self.hub.wait_event("phone:" + number, "wamid.C1")
        self.assertEqual({e["provider_message_id"] for e in events}, {"wamid.C1", sid_wa, sid_sms})
        self.assertEqual(len({e["customer_id"] for e in events}), 1)
        self.assertEqual({e["channel"] for e in events}, {"whatsapp", "sms"})

    def test_meta_handshake_and_signature_checks(self):
        status, body, _ = self.social.meta_handshake()
        self.assertEqual((status, body), (200, b"1158201444"))
        self.assertEqual(self.social.meta_handshake(token="wrong")[0], 403)
        self.assertEqual(self.social.meta_handshake(mode="unsubscribe")[0], 403)
        payload = messaging("page", PAGE, messenger_message(PSID, "m_sig", 1718000000000, text="signed"))
        body = json.dumps(payload).encode()
        changed = body.replace(b"signed", b"signeD")
        from social_clients import meta_signature
        self.assertEqual(self.social.meta(None, raw=changed, signature=meta_signature(hub.META_APP_SECRET, body))[0], 403)
        self.assertEqual(self.social.meta(payload, secret="wrong-secret")[0], 403)
        self.assertEqual(self.social.meta(payload, signature=False)[0], 403)
        # Non-ASCII text as Meta sends it: escaped Unicode, signed over those bytes.
        accents = messaging("page", PAGE, messenger_message(PSID, "m_utf", 1718000000001, text="\u00e4\u00f6\u00e5 ok"))
        self.assert_ok(self.social.meta(accents))
        self.send_sentinel(2)
        events = self.timeline(f"messenger:{PAGE}:{PSID}")
        self.assertEqual([(e["provider_message_id"], e["text"]) for e in events], [("m_utf", "\u00e4\u00f6\u00e5 ok")])

    def test_bad_input_is_a_json_error_naming_what_is_wrong_and_stores_nothing(self):
        status, body, _ = self.social.meta(messaging("page", PAGE, {"recipient": {"id": PAGE}, "timestamp": 1,
                                                                    "message": {"mid": "m_bad", "text": "x"}}))
        self.assertEqual(status, 400, body)
        self.assertIn("entry[0].messaging[0].sender", json.loads(body)["error"]["message"])
        status, body, _ = self.social.meta(None, raw=b'{"object":"page","entry":[')
        self.assertEqual(status, 400, body)
        self.assertIn("not valid JSON", json.loads(body)["error"]["message"])
        status, body, _ = self.social.telegram({"message": {"message_id": 1}})
        self.assertEqual(status, 400, body)
        self.assertIn("update_id", json.loads(body)["error"]["message"])
        # Over social.max_body_bytes (4 MiB by default): refused before it is read whole.
        status, body, _ = self.social.meta(None, raw=b'{"object":"page","entry":[],"pad":"' + b"x" * (5 << 20) + b'"}')
        self.assertEqual(status, 413, body)
        self.send_sentinel(4)
        stats = self.hub.stats()
        self.assertEqual((stats["events"], stats["dead_letters"]), (1, 0), "only the sentinel was stored")

    # -- Telegram --------------------------------------------------------------------

    def test_telegram_message_edit_album_and_shared_contacts(self):
        ana = tg_user(123456789, "Ana", "ana_k")
        user = "telegram:123456789"
        self.assert_ok(self.social.telegram(tg_message(87654321, 42, ana, 1718000000, text="Hello, my invoice is wrong")))
        self.assert_ok(self.social.telegram(tg_edit(87654322, 42, ana, 1718000000, 1718000030,
                                                    "Hello, my invoice 77 is wrong")))
        photo = lambda fid, w: {"file_id": fid, "file_unique_id": fid + "u", "width": w, "height": w, "file_size": w * 10}
        for i, (update, mid) in enumerate(((87654323, 43), (87654324, 44))):
            self.assert_ok(self.social.telegram(tg_message(update, mid, ana, 1718000040 + i, media_group_id="13579",
                                                           photo=[photo(f"small{i}", 90), photo(f"large{i}", 1280)])))
        own = {"phone_number": "+351912345678", "first_name": "Ana", "user_id": 123456789}
        other = {"phone_number": "+351918765432", "first_name": "Rui", "user_id": 555}
        self.assert_ok(self.social.telegram(tg_message(87654325, 45, ana, 1718000050, contact=own)))
        self.assert_ok(self.social.telegram(tg_message(87654326, 46, ana, 1718000060, contact=other)))
        events = self.hub.wait_event(user, "123456789:46")
        by_id = {e["provider_message_id"]: e for e in events}
        self.assertEqual(by_id["123456789:42"]["text"], "Hello, my invoice 77 is wrong")
        self.assertEqual([e["text"] for e in by_id["123456789:42"]["history"]], ["Hello, my invoice is wrong"])
        album = [by_id["123456789:43"], by_id["123456789:44"]]
        self.assertEqual({e["conversation"] for e in album}, {by_id["123456789:42"]["conversation"]})
        self.assertEqual([e["attachments"][0]["storage_ref"] for e in album], ["telegram-file:large0", "telegram-file:large1"])
        self.assertEqual({e["provider_fields"]["media_group_id"] for e in album}, {"13579"})
        # Her own number joins her customer; Rui's number is nobody's identity.
        mine = self.timeline("phone:+351912345678")
        self.assertEqual({e["customer_id"] for e in mine}, {by_id["123456789:42"]["customer_id"]})
        r = self.hub.ctl("timeline", "phone:+351918765432", check=False)
        self.assertEqual(r.returncode, 4, r.stdout)

    # -- X -----------------------------------------------------------------------------

    def test_x_crc_dms_both_directions_and_a_mention(self):
        status, body, headers = self.social.x_crc("9b4507b3-9040-4669-9ca3-6b94edb50553")
        self.assertEqual(status, 200)
        from social_clients import x_signature
        self.assertEqual(json.loads(body), {"response_token": x_signature(hub.X_SECRET,
                                                                          b"9b4507b3-9040-4669-9ca3-6b94edb50553")})
        acme = {"id": "2244994945", "name": "Acme Support", "screen_name": "AcmeHelp"}
        ana = {"id": "3805104374", "name": "Ana", "screen_name": "ana_k"}
        users = x_users(acme, ana)
        self.assert_ok(self.social.x(x_dm(acme["id"], "1760000000000000001", ana["id"], acme["id"], "Hi, my refund?",
                                          1718000000123, users)))
        self.assert_ok(self.social.x(x_dm(acme["id"], "1760000000000000002", acme["id"], ana["id"], "Refunded today",
                                          1718000060000, users)))
        self.assert_ok(self.social.x(x_mention(acme["id"], "1800000000000000003",
                                               {"id_str": ana["id"], "screen_name": "ana_k", "name": "Ana"},
                                               "@AcmeHelp still waiting", 1718000120000)))
        self.assertEqual(self.social.x(x_dm(acme["id"], "1", ana["id"], acme["id"], "x", 1, users), secret="wrong")[0], 403)
        events = self.hub.wait_event("x:3805104374", "1800000000000000003")
        by_id = {e["provider_message_id"]: e for e in events}
        self.assertEqual(set(by_id), {"1760000000000000001", "1760000000000000002", "1800000000000000003"})
        self.assertEqual(by_id["1760000000000000001"]["direction"], "inbound")
        self.assertEqual(by_id["1760000000000000002"]["direction"], "outbound")
        self.assertEqual(by_id["1760000000000000001"]["from"]["handle"], "@ana_k")
        self.assertIn("mention", by_id["1800000000000000003"]["flags"])
        # While one user has the handle, it selects that user.
        by_handle = self.timeline("x:@ana_k")
        self.assertEqual({e["provider_message_id"] for e in by_handle}, set(by_id))

    # -- health and metrics ---------------------------------------------------------------

    def test_admin_listener_reports_readiness_and_counts_by_channel_and_answer(self):
        # Ready once the publisher has connected to the unifier, which may follow the start.
        hub.wait_until(lambda: self.hub.admin_get("social", "/readyz")[0] == 200, "omnihub-social to be ready")
        self.assert_ok(self.social.meta(whatsapp(messages=[wa_text("wamid.M1", "counted", frm=WA_NUMBER),
                                                           wa_text("wamid.M2", "counted", frm=WA_NUMBER)])))
        self.assertEqual(self.social.telegram({"update_id": 1}, secret="wrong")[0], 403)
        # A request is counted once its answer's last byte is written, which can follow the client's read of it.
        def counted():
            status, _, text = self.hub.admin_get("social", "/metrics")
            self.assertEqual(status, 200, text)
            scrape = Scrape(text)
            return scrape if scrape.value("omnihub_http_request_duration_seconds_count") >= 2 else None
        m = hub.wait_until(counted, "both answers to be counted")
        self.assertEqual(m.value("omnihub_events_accepted_total", channel="whatsapp"), 2)
        self.assertEqual(m.value("omnihub_http_requests_total", code="403"), 1)

    # -- durability ---------------------------------------------------------------------

    def test_sigkill_right_after_a_200_loses_nothing_and_retries_are_one_entry(self):
        phone = "phone:+" + WA_NUMBER
        delivery = whatsapp(messages=[wa_text(f"wamid.K{i}", f"message {i}", frm=WA_NUMBER) for i in range(50)])
        self.assertEqual(self.assert_ok(self.social.meta(delivery)), {"accepted": 50})
        self.hub.kill_social()
        self.hub.start_social()
        self.assert_ok(self.social.meta(delivery))  # Meta's retry of the same delivery
        self.hub.wait_event(phone, "wamid.K49")
        self.send_sentinel(3)
        events = self.timeline(phone)
        self.assertEqual(sorted(e["provider_message_id"] for e in events), sorted(f"wamid.K{i}" for i in range(50)))


if __name__ == "__main__":
    unittest.main()
