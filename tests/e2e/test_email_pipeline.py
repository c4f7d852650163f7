"""Email channel end to end: real SMTP clients (smtplib, swaks) against a real
omnihub-email publishing to a real omnihub-unifier; everything read back through
omnihubctl."""

import hashlib
import json
import os
import smtplib
import subprocess
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

import hub


def message(frm, to, subject, body, msgid=None, in_reply_to=None, references=None, date="Mon, 23 Nov 2026 09:00:00 +0000"):
    m = EmailMessage()
    m["From"] = frm
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = date
    m["Message-ID"] = msgid or make_msgid(domain="mail.example.org")
    if in_reply_to:
        m["In-Reply-To"] = in_reply_to
    if references:
        m["References"] = references
    m.set_content(body)
    return m


class EmailPipelineTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True).start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def send(self, msg, rcpts=None):
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            return s.send_message(msg, to_addrs=rcpts)

    def send_sentinel(self):
        """Sends a message through omnihub-email and waits until it is committed: whatever
        omnihub-email acknowledged before it has been applied."""
        self.send(message("Sentinel <sentinel@example.org>", "support@shop.example", "sentinel", "sentinel",
                          msgid="<sentinel@example.org>"))
        self.hub.wait_event("email:sentinel@example.org", "sentinel@example.org")

    def test_swaks_message_reaches_the_timeline(self):
        r = subprocess.run(["swaks", "--server", f"127.0.0.1:{self.hub.smtp_port}", "--to", "support@example.com",
                            "--from", "ana@example.net", "--header", "Subject: Parcel damaged",
                            "--body", "The box was crushed."], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout.decode())
        self.hub.wait_stats("events", 1)
        events, _ = self.hub.timeline("email:ana@example.net")
        self.assertEqual(len(events), 1)
        e = events[0]
        self.assertEqual(e["channel"], "email")
        self.assertEqual(e["account"], "support@example.com")
        self.assertEqual(e["subject"], "Parcel damaged")
        self.assertIn("The box was crushed.", e["text"])
        raw = self.hub.ctl("attachment", e["raw"]["key"].split(":", 1)[1]).stdout
        self.assertIn(b"Subject: Parcel damaged", raw)

    def test_ten_megabyte_attachment_reads_back_byte_for_byte(self):
        data = os.urandom(10 * 1024 * 1024)
        m = message("Ana <ana@example.net>", "support@shop.example", "Invoice", "See attached.")
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename="scan.bin")
        self.send(m)
        self.hub.wait_stats("events", 1)
        events, _ = self.hub.timeline("email:ana@example.net")
        att = events[0]["attachments"]
        self.assertEqual(len(att), 1)
        self.assertEqual(att[0]["name"], "scan.bin")
        self.assertEqual(att[0]["size"], len(data))
        self.assertEqual(att[0]["sha256"], hashlib.sha256(data).hexdigest())
        back = self.hub.ctl("attachment", att[0]["sha256"]).stdout
        self.assertEqual(back, data)

    def test_thread_with_reply_from_second_address_arriving_early_is_one_conversation(self):
        m1 = message("Ana <ana@example.net>", "support@shop.example", "Order 1001", "Where is my order?",
                     msgid="<m1@example.net>", date="Mon, 23 Nov 2026 09:00:00 +0000")
        m2 = message("Support <support@shop.example>", "ana@example.net", "Re: Order 1001", "It ships today.",
                     msgid="<m2@shop.example>", in_reply_to="<m1@example.net>", references="<m1@example.net>",
                     date="Mon, 23 Nov 2026 10:00:00 +0000")
        m3 = message("Ana at work <ana@work.example.org>", "support@shop.example", "Re: Order 1001",
                     "Thanks, writing from my work address.", msgid="<m3@work.example.org>",
                     in_reply_to="<m2@shop.example>", references="<m1@example.net> <m2@shop.example>",
                     date="Mon, 23 Nov 2026 11:00:00 +0000")
        self.send(m1)
        self.send(m3)  # arrives before its parent
        self.send(m2, rcpts=["support@shop.example"])
        self.hub.wait_stats("events", 3)
        r = self.hub.ctl("conversation", "email:ana@work.example.org")
        conv = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual([e["provider_message_id"] for e in conv], ["m1@example.net", "m2@shop.example", "m3@work.example.org"])
        self.assertEqual({e["conversation"] for e in conv}, {"m1@example.net"})
        by_key = [json.loads(l) for l in self.hub.ctl("conversation", "m1@example.net").stdout.decode().splitlines()]
        self.assertEqual(len(by_key), 3)

    def test_reply_with_only_in_reply_to_joins_the_thread(self):
        # Some clients send In-Reply-To without References: the reply is keyed by its parent.
        m1 = message("Ana <ana@example.net>", "support@shop.example", "Refund", "Please refund order 7.",
                     msgid="<r1@example.net>", date="Mon, 23 Nov 2026 09:00:00 +0000")
        m2 = message("Support <support@shop.example>", "ana@example.net", "Re: Refund", "Done.",
                     msgid="<r2@shop.example>", in_reply_to="<r1@example.net>", references="<r1@example.net>",
                     date="Mon, 23 Nov 2026 10:00:00 +0000")
        m3 = message("Ana <ana@example.net>", "support@shop.example", "Re: Refund", "Thank you!",
                     msgid="<r3@example.net>", in_reply_to="<r2@shop.example>",
                     date="Mon, 23 Nov 2026 11:00:00 +0000")
        self.send(m3)  # arrives first, naming only its parent
        self.send(m1)
        self.send(m2, rcpts=["support@shop.example"])
        self.hub.wait_stats("events", 3)
        for key in ("r1@example.net", "r2@shop.example"):
            conv = [json.loads(l) for l in self.hub.ctl("conversation", key).stdout.decode().splitlines()]
            self.assertEqual([e["provider_message_id"] for e in conv],
                             ["r1@example.net", "r2@shop.example", "r3@example.net"], key)

    def test_sigkill_right_after_250_loses_nothing_and_resend_is_not_duplicated(self):
        m = message("Ana <ana@example.net>", "support@shop.example", "Refund", "Please refund order 1002.",
                    msgid="<refund-1002@example.net>")
        # Stop the unifier so the event can only be in omnihub-email's outbox after the 250.
        self.hub.proc.send_signal(9)
        self.hub.proc.wait()
        self.send(m)
        self.hub.kill_email()
        self.hub._spawn()
        self.hub.wait_ready()
        self.hub.start_email()
        self.hub.wait_stats("events", 1)
        # A relay that did not see the 250 sends the same message again.
        self.send(m)
        self.send(m)
        stats = self.hub.wait_stats("duplicates", 2)
        self.assertEqual(stats["events"], 1)
        events, _ = self.hub.timeline("email:ana@example.net")
        self.assertEqual([e["provider_message_id"] for e in events], ["refund-1002@example.net"])

    def test_unknown_recipient_and_oversized_message_are_refused(self):
        m = message("Ana <ana@example.net>", "nobody@elsewhere.example", "Hi", "Hello")
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as ctx:
            self.send(m)
        code, reply = ctx.exception.recipients["nobody@elsewhere.example"]
        self.assertEqual(code, 550)
        self.assertTrue(reply.startswith(b"5.1.1"), reply)
        self.assertEqual(self.hub.stats()["events"], 0)

    def test_lmtp_two_recipients_two_replies_one_event(self):
        # Python's smtplib.LMTP reads one reply after DATA; swaks speaks LMTP properly.
        r = subprocess.run(["swaks", "--protocol", "LMTP", "--server", f"127.0.0.1:{self.hub.lmtp_port}",
                            "--from", "ana@example.net", "--to", "support@shop.example,sales@example.com",
                            "--header", "Subject: Two desks", "--body", "Hello both"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout.decode())
        out = r.stdout.decode()
        after_dot = out[out.index(" -> .\n"):]
        replies = [l for l in after_dot.splitlines() if l.startswith("<-  250")]
        self.assertEqual(len(replies), 2, out)
        self.assertIn("support@shop.example", replies[0])
        self.assertIn("sales@example.com", replies[1])
        self.send_sentinel()  # a second event for the second recipient would be there by now
        events, _ = self.hub.timeline("email:ana@example.net")
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["account"], "support@shop.example")
        self.assertEqual([t["email"] for t in events[0]["to"]], ["support@shop.example", "sales@example.com"])

if __name__ == "__main__":
    unittest.main()
