"""Erasure end to end (docs/erasure.md): real omnihub-email, -sms, -social and -unifier processes
take a customer's messages over SMTP (with an attachment), a Twilio webhook and a WhatsApp
webhook; `omnihubctl customer erase` removes them, and a byte scan of every file in the data
directories (unifier store, search index if any, every adapter outbox, omnihubctl's outboxes)
finds none of the identities, texts or attachment bytes. A provider retry of an erased message
stores nothing; a new message from the same address starts a new customer."""

import json
import os
import smtplib
import unittest
from email.message import EmailMessage

import hub
from sms_clients import TwilioClient, twilio_sms
from social_clients import SocialClient, wa_text, whatsapp

PHONE = "+14155550123"
WA_FROM = PHONE[1:]
BUSINESS = "+12025550000"
MAIL_FROM = "erin.erased@example.net"
SMS_TEXT = "sms-words-only-erin-wrote-6610"
WA_TEXT = "whatsapp-words-only-erin-wrote-4471"
MAIL_TEXT = "mail-body-only-erin-wrote-9902"
MAIL_SUBJECT = "subject-only-erin-wrote-3318"
ATTACHMENT = b"%PDF-1.4 attachment-bytes-only-erin-sent-5150 " + bytes(range(256)) * 8


class ErasureTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True, sms=True, social=True).start()
        self.twilio = TwilioClient(self.hub, hub.TWILIO_TOKEN)
        self.social = SocialClient(self.hub.social_base, hub.META_APP_SECRET, hub.META_VERIFY_TOKEN,
                                   hub.TELEGRAM_SECRET, hub.X_SECRET)

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def ok(self, answer):
        status, body, _ = answer
        self.assertEqual(status, 200, body)

    def send_sms(self, sid, text):
        self.ok(self.twilio.post("messages", twilio_sms(sid, PHONE, BUSINESS, text)))

    def send_mail(self):
        msg = EmailMessage()
        msg["From"] = MAIL_FROM
        msg["To"] = "support@example.com"
        msg["Subject"] = MAIL_SUBJECT
        msg["Message-ID"] = "<erin-1@example.net>"
        msg.set_content(MAIL_TEXT)
        msg.add_attachment(ATTACHMENT, maintype="application", subtype="pdf", filename="invoice.pdf")
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            s.send_message(msg, to_addrs=["support@example.com"])

    def data_dirs(self):
        names = [n for n in os.listdir(self.hub.dir)
                 if n == "unifier" or n.startswith("outbox") or n.startswith("search")]
        return [os.path.join(self.hub.dir, n) for n in names if os.path.isdir(os.path.join(self.hub.dir, n))]

    def findings(self, needles):
        found = []
        dirs = self.data_dirs()
        self.assertTrue(any(d.endswith("unifier") for d in dirs), dirs)
        self.assertGreaterEqual(len([d for d in dirs if "outbox-" in d]), 3, dirs)
        for d in dirs:
            for root, _, files in os.walk(d):
                for f in files:
                    with open(os.path.join(root, f), "rb") as fh:
                        data = fh.read()
                    found += [f"{os.path.join(root, f)}: {label}" for label, n in needles.items() if n in data]
        return found

    def erase(self, customer):
        r = self.hub.ctl("customer", "erase", customer, "--reason", "data subject request", "--actor", "dpo",
                         check=False, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        return json.loads(r.stdout)

    def test_erased_data_is_physically_gone_and_a_retry_cannot_bring_it_back(self):
        phone = "phone:" + PHONE
        self.send_sms("SM" + "e" * 32, SMS_TEXT)
        self.ok(self.social.meta(whatsapp(messages=[wa_text("wamid.ERIN1", WA_TEXT, frm=WA_FROM)])))
        self.send_mail()
        self.hub.wait_event(phone, "SM" + "e" * 32)
        self.hub.wait_event(phone, "wamid.ERIN1")
        self.hub.wait_event("email:" + MAIL_FROM, "erin-1@example.net")
        needles = {"phone": PHONE.encode(), "wa id": WA_FROM.encode(), "sms text": SMS_TEXT.encode(),
                   "whatsapp text": WA_TEXT.encode(), "mail address": MAIL_FROM.encode(),
                   "mail text": MAIL_TEXT.encode(), "subject": MAIL_SUBJECT.encode(), "attachment": ATTACHMENT}
        self.assertNotEqual(self.findings(needles), [], "the scan must see the data before the erasure")

        phone_receipt = self.erase(phone)
        self.assertEqual(phone_receipt["removed"]["events"], 2)
        self.assertEqual(phone_receipt["actor"], "dpo")
        self.assertTrue(phone_receipt["verification"]["clean"], phone_receipt)
        mail_receipt = self.erase("email:" + MAIL_FROM)
        self.assertEqual(mail_receipt["removed"]["blobs"], 2)  # the attachment and the raw message
        self.assertTrue(mail_receipt["verification"]["clean"], mail_receipt)
        self.assertGreater(mail_receipt["verification"]["files_scanned"], 0)
        self.assertEqual(self.findings(needles), [])
        for receipt in (phone_receipt, mail_receipt):
            self.assertNotIn(PHONE, json.dumps(receipt))
            self.assertNotIn(MAIL_FROM, json.dumps(receipt))

        # A provider retry of an erased message (same MessageSid) is a duplicate and stores nothing.
        before = self.hub.stats()
        self.send_sms("SM" + "e" * 32, SMS_TEXT)
        self.hub.wait_stats("duplicates", before["duplicates"] + 1)
        self.assertEqual(self.hub.stats()["events"], before["events"])
        r = self.hub.ctl("lookup", phone, check=False)
        self.assertNotEqual(r.returncode, 0, "nothing resolves to the erased customer")

        # A new message from the same number starts a new customer with only that message.
        self.send_sms("SM" + "f" * 32, "a fresh start")
        events = self.hub.wait_event(phone, "SM" + "f" * 32)
        self.assertEqual([e["text"] for e in events], ["a fresh start"])
        self.assertNotEqual(events[0]["customer_id"], phone_receipt["customer_id"])


if __name__ == "__main__":
    unittest.main()
