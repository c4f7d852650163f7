"""Acceptance: the multilingual corpus (Hungarian ISO-8859-2 and windows-1250, Bulgarian
windows-1251 and KOI8-R quoted-printable, Hebrew ISO-8859-8 and windows-1255, Armenian
UTF-8 base64; encoded-word subjects and attachment names), sent over SMTP to a real
omnihub-email, reads back from the timeline as the exact expected UTF-8 text."""

import os
import smtplib
import unittest

import hub

CORPUS = os.path.join(os.path.dirname(__file__), "..", "data", "email")

# (file, sender address, subject, attachment name, text) — the same expectations as
# tests/services/email/parse/mime_message_test.cc, here checked through the whole pipeline.
CASES = [
    ("hu_iso-8859-2.eml", "arpad.kovacs@example.hu", "Árvíztűrő tükörfúrógép", "számla_űrlap.pdf",
     "Jó napot! A rendelésem sérülten érkezett, kérem cseréljék ki.\nÁrvíztűrő tükörfúrógép"),
    ("hu_windows-1250.eml", "eva.nagy@example.hu", "„Sürgős” – sérült csomag", "számla ősz.pdf",
     "„Sürgős” – a csomag sérülten érkezett.\nKöszönöm a gyors segítséget!"),
    ("bg_windows-1251.eml", "ivan@example.bg", "Здравейте, поръчката ми пристигна повредена",
     "снимка на щетата.jpg", "Здравейте, поръчката ми пристигна повредена.\nМоля, изпратете нова."),
    ("bg_koi8-r_qp.eml", "maria@example.bg", "Въпрос за доставката", "фактура.pdf",
     "Добър ден! Кога ще пристигне пратката ми?\nБлагодаря предварително."),
    ("he_iso-8859-8.eml", "dana@example.co.il", "שלום, ההזמנה שלי הגיעה פגומה", "קבלה.pdf",
     "שלום,\nההזמנה שלי הגיעה פגומה. אפשר לקבל החזר?"),
    ("he_windows-1255.eml", "yossi@example.co.il", "תודה רבה על העזרה", "חשבונית.pdf",
     "תודה רבה על העזרה!\n"
     "\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD \u05D5\u05D1\u05B8\u05BC\u05E8\u05D5\u05BC\u05DA\u05B0"),
    ("hy_utf-8_base64.eml", "aram@example.am", "Բարեւ, պատվերս վնասված է հասել", "նկար.jpg",
     "Բարեւ, պատվերս վնասված է հասել։\nԽնդրում եմ օգնել։"),
]


class EmailCorpusTest(unittest.TestCase):
    def test_corpus_reads_back_exactly_from_the_timeline(self):
        h = hub.Hub(email=True).start()
        try:
            with smtplib.SMTP("127.0.0.1", h.smtp_port, timeout=30) as s:
                for name, sender, *_ in CASES:
                    with open(os.path.join(CORPUS, name), "rb") as f:
                        raw = f.read()
                    s.sendmail(sender, ["support@example.com"], raw)
            h.wait_stats("events", len(CASES))
            for name, sender, subject, attachment, text in CASES:
                with self.subTest(name):
                    events, _ = h.timeline("email:" + sender)
                    self.assertEqual(len(events), 1)
                    e = events[0]
                    self.assertEqual(e["subject"], subject)
                    self.assertEqual(e["text"], text)
                    self.assertEqual([a["name"] for a in e["attachments"]], [attachment])
        finally:
            h.stop()
            h.cleanup()


if __name__ == "__main__":
    unittest.main()
