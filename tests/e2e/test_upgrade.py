"""A data directory written by the previous build opens and reads the same in this one.

tests/data/upgrade/0.1/unifier is the unifier's RocksDB directory as the build before the
area split left it (the sample events injected, one email with an attachment delivered over
SMTP, then a clean stop); expected/ holds what that build's omnihubctl printed for it. This
build must open the directory without any migration and print the same bytes."""

import os
import shutil
import unittest

import hub

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "upgrade", "0.1")


def expected(name):
    with open(os.path.join(FIXTURE, "expected", name), "rb") as f:
        return f.read()


def hub_on_fixture():
    """A started hub whose unifier opens a copy of the previous build's data directory."""
    h = hub.Hub()
    shutil.copytree(os.path.join(FIXTURE, "unifier"), os.path.join(h.dir, "unifier"))
    return h.start()


class ReadsTheSameTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub_on_fixture()

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def test_export_prints_every_event_as_before(self):
        self.assertEqual(self.hub.ctl("export").stdout, expected("export.jsonl"))

    def test_stats_are_unchanged(self):
        self.assertEqual(self.hub.ctl("stats").stdout, expected("stats.json"))

    def test_timelines_and_customers_read_the_same(self):
        for identity, name in [("phone:+4915112345678", "phone__4915112345678"),
                               ("email:ana@example.com", "email_ana_example_com")]:
            with self.subTest(identity=identity):
                self.assertEqual(self.hub.ctl("timeline", identity, "--all").stdout,
                                 expected(f"timeline-{name}.jsonl"))
                self.assertEqual(self.hub.ctl("lookup", identity).stdout, expected(f"lookup-{name}.json"))

    def test_email_conversation_reads_the_same(self):
        self.assertEqual(self.hub.ctl("conversation", "email:ana@example.com").stdout,
                         expected("conversation-ana.jsonl"))


    def test_stored_attachment_bytes_come_back(self):
        sha = "695a4d473b09b585c18ac50eb21906db1fc680e8d10e02b5e0e771e30f8f36cc"
        self.assertEqual(self.hub.ctl("attachment", sha).stdout, b"hello, this is the report\n")


class WritesBesideTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub_on_fixture()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def test_a_new_event_lands_beside_the_old_ones(self):
        before = self.hub.stats()["events"]
        self.hub.inject_lines([hub.sms("+49 151 12345678", "SM-after-upgrade", "2026-12-01T10:00:00Z")])
        self.assertEqual(self.hub.stats()["events"], before + 1)
        lines = self.hub.ctl("timeline", "phone:+4915112345678", "--all").stdout.splitlines()
        self.assertIn(b"SM-after-upgrade", lines[0])
        self.assertEqual(len(lines), len(expected("timeline-phone__4915112345678.jsonl").splitlines()) + 1)


if __name__ == "__main__":
    unittest.main()
