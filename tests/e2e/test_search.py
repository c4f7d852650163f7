"""Full-text search against a real unifier (docs/search.md): a word in each script found with
and without its marks and never inside another word, a phone number in three spellings, edits,
filters and cursors through omnihubctl, the lag metrics, and results that stay right after
1,000 more events and a SIGKILL of the unifier (and so of its indexer) mid-stream.

The index catches up on its own thread: the test waits for the unifier's
omnihub_search_indexed_change_seq to reach the store's last change, never for a fixed time."""

import json
import re
import unittest

import hub

SCRIPTS = [
    # (message text, queries that find it, what each query must not match inside)
    ("Köszönöm szépen a gyors választ", ["köszönöm", "koszonom", "KÖSZÖNÖM", "valaszt"]),
    ("Благодаря за бързия отговор", ["благодаря", "БЛАГОДАРЯ", "отговор"]),
    ("Їжак сидить на ґанку, Європа", ["їжак", "іжак", "ґанку", "європа"]),
    ("Καλημέρα σας, αγαπητέ φίλος", ["καλημέρα", "καλημερα", "ΚΑΛΗΜΕΡΑ", "φιλος", "φίλος"]),
    ("שָׁלוֹם לכם, דובר צה\"ל כאן", ["שלום", "שָׁלוֹם", "צה\"ל", "צה״ל"]),
    ("مَرْحَبًا بِكُمْ في المتجر", ["مرحبا", "مَرْحَبًا", "بكم"]),
    ("Շնորհակալություն ձեզ", ["շնորհակալություն", "ՇՆՈՐՀԱԿԱԼՈՒԹՅՈՒՆ"]),
    ("我们明天在北京见面", ["北京", "明天"]),
    ("東京都に行きました", ["京都", "東京", "行きました"]),
]
# Longer words that contain the words above: none of the queries may find this message.
DECOY = ("köszönömmel благодарям καλημεράκια שלומית مرحباتكم շնորհակալությունների "
         "отговорност ґанкові європейці")

PHONE_SPELLINGS = ["(415) 555-0199", "+1 415 555 0199", "4155550199"]


def line(channel, n, text, subject=None, sender=None, at=None):
    ev = {"channel": channel, "account": "acct", "provider_message_id": f"{channel}-{n}", "direction": "inbound",
          "occurred_at": at or f"2026-11-20T10:{n // 60 % 60:02d}:{n % 60:02d}Z", "text": text}
    if channel == "email":
        ev["from"] = {"email": sender or f"user{n}@example.com"}
        ev["subject"] = subject or ""
    elif channel == "telegram":
        ev["from"] = {"platform": "telegram", "user_id": str(1000 + n)}
    else:
        ev["from"] = {"phone": sender or f"+1202555{n:04d}"}
    return ev


class SearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub().start()
        lines = [line(["email", "sms", "telegram"][i % 3], i, text) for i, (text, _) in enumerate(SCRIPTS)]
        lines.append(line("sms", 50, DECOY))
        lines += [
            line("sms", 60, f"call me at {PHONE_SPELLINGS[0]} please"),
            line("email", 61, f"my number is {PHONE_SPELLINGS[1]}", subject="Callback"),
            line("whatsapp", 62, PHONE_SPELLINGS[2]),
            line("sms", 63, "not mine: 415 555 0100"),
        ]
        cls.hub.inject_lines(lines)
        cls.wait_indexed()

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    @classmethod
    def metrics(cls):
        status, _, body = cls.hub.admin_get("unifier", "/metrics")
        if status != 200:
            return None
        return {m.group(1): float(m.group(2))
                for m in re.finditer(r"^(omnihub_search_\w+) (\S+)$", body, re.MULTILINE)}

    @classmethod
    def wait_indexed(cls):
        """Waits until the index reflects every change the store has committed."""
        def caught_up():
            last = cls.hub.stats()["last_change_seq"]
            m = cls.metrics()
            return m if m and m["omnihub_search_indexed_change_seq"] >= last else None
        return hub.wait_until(caught_up, "the search index to catch up with the change log", timeout=120)

    def search(self, query, *extra):
        r = self.hub.ctl("search", query, *extra)
        hits = [json.loads(l) for l in r.stdout.decode().splitlines() if l.strip()]
        return hits, r.stderr.decode().strip().splitlines()[-1]

    def check_scripts(self):
        for text, queries in SCRIPTS:
            for q in queries:
                hits, _ = self.search(q)
                self.assertEqual(len(hits), 1, f"{q!r} should find only {text!r}, found {hits}")
                self.assertIn("[[", hits[0]["snippet"])
                self.assertEqual(hits[0]["snippet"].replace("[[", "").replace("]]", ""), text)

    def test_a_word_in_each_script_with_and_without_marks_never_inside_another_word(self):
        self.check_scripts()
        hits, _ = self.search("köszö")
        self.assertEqual(hits, [])

    def test_hit_fields_and_snippet_marks(self):
        hits, cursor_line = self.search("koszonom")
        hit = hits[0]
        for key in ("event_id", "customer_id", "channel", "occurred_at", "subject", "snippet", "direction", "identity"):
            self.assertIn(key, hit)
        self.assertEqual(hit["channel"], "email")
        self.assertEqual(hit["snippet"], "[[Köszönöm]] szépen a gyors választ")
        self.assertEqual(cursor_line, "next cursor: none (this is the last page)")
        customer = json.loads(self.hub.ctl("lookup", hit["identity"]).stdout)
        self.assertEqual(hit["customer_id"], customer["customer_id"])

    def test_a_phone_number_in_three_spellings_finds_the_same_messages(self):
        found = []
        for spelling in PHONE_SPELLINGS:
            hits, _ = self.search(spelling)
            found.append(sorted(h["event_id"] for h in hits))
        self.assertEqual(len(found[0]), 3)
        self.assertEqual(found[0], found[1])
        self.assertEqual(found[0], found[2])

    def test_filters_order_cursor_and_bad_input(self):
        hits, _ = self.search("4155550199", "--channel", "sms,whatsapp")
        self.assertEqual(sorted(h["channel"] for h in hits), ["sms", "whatsapp"])
        hits, _ = self.search("4155550199", "--customer", "email:user61@example.com")
        self.assertEqual([h["subject"] for h in hits], ["Callback"])
        hits, _ = self.search("4155550199", "--direction", "outbound")
        self.assertEqual(hits, [])
        hits, _ = self.search("4155550199", "--order", "relevance")
        self.assertTrue(all(h["score"] > 0 for h in hits))

        first, cursor_line = self.search("4155550199", "--limit", "2")
        self.assertTrue(cursor_line.startswith("next cursor: "))
        cursor = cursor_line.split(": ", 1)[1]
        rest, last_line = self.search("4155550199", "--limit", "2", "--cursor", cursor)
        self.assertEqual(len(first), 2)
        self.assertEqual(len(rest), 1)
        self.assertEqual(len({h["event_id"] for h in first + rest}), 3)
        self.assertTrue(last_line.startswith("next cursor: none"))
        times = [h["occurred_at"] for h in first + rest]
        self.assertEqual(times, sorted(times, reverse=True))

        r = self.hub.ctl("search", "x", "--direction", "sideways", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--direction", r.stderr.decode())
        r = self.hub.ctl("search", " ,. ", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("query", r.stderr.decode())

    def test_the_lag_is_visible_in_the_metrics(self):
        m = self.wait_indexed()
        self.assertIn("omnihub_search_index_lag_changes", m)
        self.assertEqual(m["omnihub_search_index_lag_changes"], 0)
        self.assertEqual(m["omnihub_search_indexed_change_seq"], self.hub.stats()["last_change_seq"])

    def test_z_still_correct_after_1000_more_events_and_a_restart_mid_stream(self):
        bulk = [line("sms", 1000 + i, f"bulk filler message {i} about shipping", at=f"2026-11-21T0{i // 3600}:"
                     f"{i // 60 % 60:02d}:{i % 60:02d}Z") for i in range(1000)]
        self.hub.inject_lines(bulk[:500])
        # SIGKILL while the indexer may be mid-way: it resumes from the sequence it committed.
        self.hub.kill_unifier()
        self.hub.start_unifier()
        self.hub.inject_lines(bulk[500:])
        self.wait_indexed()
        hits, _ = self.search("shipping", "--limit", "1000")
        self.assertEqual(len(hits), 1000)
        self.assertEqual(len({h["event_id"] for h in hits}), 1000)
        hits, _ = self.search("\"filler message 777\"")
        self.assertEqual(len(hits), 1)
        self.check_scripts()
        for spelling in PHONE_SPELLINGS:
            hits, _ = self.search(spelling)
            self.assertEqual(len(hits), 3)
        # An edit re-indexes its message: the old word is gone, the new one finds it.
        self.hub.inject_lines([{"channel": "telegram", "account": "acct", "kind": "edit", "direction": "inbound",
                                "provider_message_id": "edit-1", "refers_to": "telegram-2",
                                "occurred_at": "2026-11-22T00:00:00Z", "from": {"platform": "telegram",
                                                                                "user_id": "1002"},
                                "text": "Їжак пішов додому"}])
        self.wait_indexed()
        self.assertEqual(self.search("ґанку")[0], [])
        hits, _ = self.search("додому")
        self.assertEqual(len(hits), 1)


if __name__ == "__main__":
    unittest.main()
