"""omnihubctl customer export end to end: real omnihub-email (an SMTP client sends mail with an
attachment) and omnihubctl inject (SMS with a delivery status, an edit) into a real unifier; the
exported customer.json and manifest.json are compared with what `omnihubctl timeline --all`
shows, and every exported file's SHA-256 is computed here, independently, with hashlib."""

import hashlib
import json
import os
import smtplib
import tempfile
import shutil
import unittest
from email.message import EmailMessage

import hub

JANE = "email:jane.doe@example.net"
PHONE = "phone:+14155550100"


def mail(subject, body, msgid, attachment=None):
    m = EmailMessage()
    m["From"] = "Jane Doe <Jane.Doe@example.net>"
    m["To"] = "support@shop.example"
    m["Subject"] = subject
    m["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    m["Message-ID"] = msgid
    m.set_content(body)
    if attachment:
        data, name = attachment
        m.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return m


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(email=True).start()
        cls.out_root = tempfile.mkdtemp(prefix="omnihub-export-")
        cls.invoice = os.urandom(200_000)
        with smtplib.SMTP("127.0.0.1", cls.hub.smtp_port, timeout=30) as s:
            s.send_message(mail("Invoice", "Please find the invoice attached.", "<inv-1@example.net>",
                                (cls.invoice, "invoice.pdf")))
            s.send_message(mail("Re: Invoice", "Thanks, got it.", "<inv-2@example.net>"))
        cls.hub.inject_lines([
            hub.sms("+1 415 555 0100", "SM1", "2026-11-20T10:00:00Z", text="my parcel is damaged"),
            hub.sms("+14155550100", "SM2", "2026-11-20T12:00:00Z", text="we are sending a new one",
                    direction="outbound"),
            {"channel": "sms", "account": "+12025550000", "provider_message_id": "SM2/delivered", "kind": "status",
             "direction": "outbound", "occurred_at": "2026-11-20T12:00:05Z", "from": {"phone": "+12025550000"},
             "to": [{"phone": "+14155550100"}], "refers_to": "SM2", "delivery_status": {"state": "delivered"}},
        ])
        cls.hub.wait_event(JANE, "inv-2@example.net")
        cls.hub.wait_event(PHONE, "SM2")

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()
        shutil.rmtree(cls.out_root, ignore_errors=True)

    def export(self, customer, name):
        out = os.path.join(self.out_root, name)
        r = self.hub.ctl("customer", "export", customer, "--out", out)
        summary = json.loads(r.stdout)
        with open(os.path.join(out, "customer.json")) as f:
            doc = json.load(f)
        with open(os.path.join(out, "manifest.json")) as f:
            manifest = json.load(f)
        return out, summary, doc, manifest

    def check_files(self, out, manifest, timeline):
        """Every listed file's bytes hash to its name; the files are exactly the blobs the
        timeline names (attachments with a SHA-256, raw payloads stored as blobs)."""
        named = {}
        for e in timeline:
            for a in e.get("attachments", []):
                if a.get("sha256"):
                    named.setdefault(a["sha256"], set()).add((e["event_id"], "attachment"))
            raw_key = e.get("raw", {}).get("key", "")
            if raw_key.startswith("blob:"):
                named.setdefault(raw_key[5:], set()).add((e["event_id"], "raw_payload"))
        listed = {}
        for f in manifest["files"]:
            with open(os.path.join(out, f["path"]), "rb") as fh:
                data = fh.read()
            digest = hashlib.sha256(data).hexdigest()
            self.assertEqual(f["path"], "attachments/" + digest)
            self.assertEqual(f["sha256"], digest)
            self.assertEqual(f["size"], len(data))
            listed[digest] = {(r["event_id"], r["role"]) for r in f["referenced_by"]}
        self.assertEqual(listed, named)
        self.assertEqual(manifest["missing"], [])
        on_disk = sorted(os.listdir(os.path.join(out, "attachments"))) if listed else []
        self.assertEqual(on_disk, sorted(listed))
        return listed

    def test_email_customer_round_trips_with_its_attachment_and_raw_messages(self):
        out, summary, doc, manifest = self.export(JANE, "jane")
        timeline, _ = self.hub.timeline(JANE, "--all")
        self.assertEqual(doc["format"], "omnihub-export")
        self.assertEqual(doc["version"], 1)
        self.assertTrue(doc["exported_at"].endswith("Z"))
        self.assertEqual(doc["notes"], [])
        self.assertEqual(doc["events"], timeline)
        self.assertEqual(len(timeline), 2)
        lookup = json.loads(self.hub.ctl("lookup", JANE).stdout)
        self.assertEqual(doc["customer"], lookup)
        self.assertEqual([i["argument"] for i in doc["identities"]], [JANE])
        self.assertEqual(doc["identities"][0]["reason"]["rule"], "first_sight")
        self.assertEqual(manifest["customer_id"], lookup["customer_id"])

        listed = self.check_files(out, manifest, timeline)
        invoice_sha = hashlib.sha256(self.invoice).hexdigest()
        self.assertIn(invoice_sha, listed)
        with open(os.path.join(out, "attachments", invoice_sha), "rb") as f:
            self.assertEqual(f.read(), self.invoice)
        invoice = next(f for f in manifest["files"] if f["sha256"] == invoice_sha)
        self.assertEqual(invoice["media_type"], "application/pdf")
        self.assertEqual(invoice["referenced_by"][0]["name"], "invoice.pdf")
        # The invoice and the two raw RFC 5322 messages.
        self.assertEqual(len(listed), 3)
        self.assertEqual(summary["events"], 2)
        self.assertEqual(summary["files"], 3)

    def test_sms_customer_with_statuses_round_trips(self):
        out, summary, doc, manifest = self.export(PHONE, "phone")
        timeline, _ = self.hub.timeline(PHONE, "--all")
        self.assertEqual(doc["events"], timeline)
        self.assertEqual(len(timeline), 2)
        sent = next(e for e in doc["events"] if e["provider_message_id"] == "SM2")
        self.assertEqual(sent["status"], "delivered")
        self.check_files(out, manifest, timeline)
        self.assertEqual(summary["events"], 2)

    def test_a_non_empty_directory_is_refused(self):
        out = os.path.join(self.out_root, "busy")
        os.makedirs(out)
        with open(os.path.join(out, "keep.txt"), "w") as f:
            f.write("older export")
        r = self.hub.ctl("customer", "export", JANE, "--out", out, check=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"is not empty", r.stderr)
        self.assertEqual(os.listdir(out), ["keep.txt"])

    def test_unknown_customer_exits_not_found(self):
        r = self.hub.ctl("customer", "export", "email:nobody@example.net", "--out",
                         os.path.join(self.out_root, "nobody"), check=False)
        self.assertEqual(r.returncode, 4, r.stderr)


if __name__ == "__main__":
    unittest.main()
