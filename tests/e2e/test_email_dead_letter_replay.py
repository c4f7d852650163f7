"""Acceptance: an email nothing usable can be read from is kept as a dead letter with
its exact raw bytes (and its SMTP envelope), and `omnihubctl deadletter replay ID`
reads it again with this build's parser: a message that is still unreadable stays a
dead letter and nothing is stored; one the parser now reads lands in the timeline,
once however often it is replayed."""

import base64
import json
import smtplib
import subprocess
import unittest

import hub


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# Binary bytes with no header block: GMime finds nothing to read.
UNREADABLE = bytes(range(1, 9)) + b"\x00\xff\xfe binary junk \x80\x81" * 20 + b"\r\n"

# A well-formed message: what an earlier build's parser had given up on.
READABLE = (b"From: Erzs\xc3\xa9bet <erzsebet@example.hu>\r\n"
            b"To: support@example.com\r\n"
            b"Subject: =?UTF-8?Q?Sz=C3=A1mla_hi=C3=A1nyzik?=\r\n"
            b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
            b"Message-ID: <invoice-42@example.hu>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=UTF-8\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n"
            b"\r\n"
            b"A novemberi sz\xc3\xa1mla hi\xc3\xa1nyzik.\r\n")


class EmailDeadLetterReplayTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(email=True).start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def dead_letters(self):
        return [json.loads(l) for l in self.hub.ctl("deadletter", "list").stdout.decode().splitlines()]

    def test_unreadable_message_is_kept_and_replay_refuses_while_still_unreadable(self):
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            refused = s.sendmail("sender@example.net", ["support@example.com", "billing@example.com"], UNREADABLE)
        self.assertEqual(refused, {})  # accepted: the hub keeps it, it does not bounce it
        # A message sent after it: once it is committed, so is whatever the unreadable one became.
        with smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=30) as s:
            s.sendmail("sentinel@example.org", ["support@example.com"],
                       b"From: sentinel@example.org\r\nTo: support@example.com\r\nSubject: sentinel\r\n"
                       b"Message-ID: <sentinel@example.org>\r\n\r\nsentinel\r\n")
        self.hub.wait_event("email:sentinel@example.org", "sentinel@example.org")
        dead = self.dead_letters()
        self.assertEqual(len(dead), 1)
        self.assertEqual(b64url_decode(dead[0]["raw_base64url"]), UNREADABLE)
        self.assertTrue(dead[0]["source"].startswith("email:smtp:"), dead[0])
        self.assertIn("not a mail message", dead[0]["reason"])

        r = self.hub.ctl("deadletter", "replay", str(dead[0]["id"]), check=False)
        self.assertEqual(r.returncode, 1, r.stderr.decode())
        self.assertIn("still unreadable", r.stderr.decode())
        self.assertEqual(self.hub.stats()["events"], 1)  # the sentinel only
        self.assertEqual(len(self.dead_letters()), 1)

    def test_message_the_parser_now_reads_replays_into_the_timeline_once(self):
        # The frame omnihub-email sends for a message it cannot read, with the envelope.
        r = subprocess.run([hub.binary("omnihub-test-bus-send"), "--config", self.hub.config,
                            "--outbox", self.hub.dir + "/test-outbox", "--rejected-hex", READABLE.hex(),
                            "--source", "email:smtp:127.0.0.1:40000", "--reason", "email: parser defect",
                            "--context", "mail_from=bounce@example.hu",
                            "--context", "rcpt_to=billing@example.com"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        dead = self.dead_letters()
        self.assertEqual(len(dead), 1)
        self.assertEqual(b64url_decode(dead[0]["raw_base64url"]), READABLE)
        self.assertEqual(self.hub.stats()["events"], 0)

        for attempt in range(2):  # a second replay must not add a second entry
            r = self.hub.ctl("deadletter", "replay", str(dead[0]["id"]), check=False)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            out = json.loads(r.stdout.decode())
            self.assertEqual(out["dead_letter_id"], dead[0]["id"])
            self.assertEqual(out["provider_message_id"], "invoice-42@example.hu")

        events, _ = self.hub.timeline("email:erzsebet@example.hu")
        self.assertEqual(len(events), 1)
        e = events[0]
        self.assertEqual(e["subject"], "Számla hiányzik")
        self.assertIn("A novemberi számla hiányzik.", e["text"])
        self.assertEqual(e["account"], "billing@example.com")  # the envelope recipient, kept with the dead letter
        self.assertIn("replayed", e["flags"])
        self.assertEqual(self.hub.stats()["events"], 1)

    def test_replay_errors_say_what_to_fix(self):
        r = self.hub.ctl("deadletter", "replay", "99", check=False)
        self.assertEqual(r.returncode, 4)
        self.assertIn("no dead letter 99", r.stderr.decode())
        r = self.hub.ctl("deadletter", "replay", "abc", check=False)
        self.assertEqual(r.returncode, 2)
        # A raw frame no adapter sent has nothing to be re-read with.
        r = subprocess.run([hub.binary("omnihub-test-bus-send"), "--config", self.hub.config,
                            "--outbox", self.hub.dir + "/test-outbox", "--event-hex", b"\xff\xffjunk".hex()],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        dead = self.dead_letters()
        r = self.hub.ctl("deadletter", "replay", str(dead[-1]["id"]), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no parser reads", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
