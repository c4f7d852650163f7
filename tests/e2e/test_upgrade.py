"""Data directories across builds (docs/operations.md#upgrading, docs/storage-format.md#layout-version).

Newer opens older: every fixture tests/data/upgrade/VERSION (0.1: the build before the area
split; 0.2: the build before the operations work; 0.3: the build before tenants, layout 1;
made by tests/data/upgrade/make_fixture.py)
is a unifier data directory an earlier build left, with what that build's omnihubctl printed
for it. This build opens a copy (migrating it if its layout is older), prints the same bytes
for every command, and files a new event beside the old ones.

Older refuses newer: `omnihub-test-store-tool make-newer` makes a directory as a later build
might leave it (layout version one above this build's, a column family this build does not
know, another writer). The unifier exits 1 with a message naming both layouts
and what to do, instead of RocksDB's "Column families not opened". Builds from before this
check print RocksDB's message; they cannot show this."""

import os
import pathlib
import subprocess
import time
import unittest

import hub
import upgrade_fixture as fixtures


class NewerOpensOlderTest(unittest.TestCase):
    def test_there_are_fixtures_of_both_earlier_builds(self):
        self.assertLessEqual({"0.1", "0.2"}, set(fixtures.versions()))

    def test_there_is_a_fixture_of_the_last_layout_1_build(self):
        # Layout 2 (tenants) migrates it when it opens it (docs/storage-format.md "Tenants").
        self.assertIn("0.3", fixtures.versions())

    def test_every_fixture_reads_the_same_and_takes_new_events(self):
        for version in fixtures.versions():
            fixture = os.path.join(fixtures.ROOT, version)
            h = fixtures.hub_on_fixture(fixture)
            try:
                fixtures.wait_indexed(h)
                for name, args in fixtures.commands(fixture):
                    with self.subTest(version=version, command=" ".join(args)):
                        self.assertEqual(h.ctl(*args).stdout, fixtures.expected(fixture, name))
                with self.subTest(version=version, command="inject beside"):
                    self.assert_new_event_lands_beside_the_old_ones(h)
            finally:
                h.stop()
                h.cleanup()

    def assert_new_event_lands_beside_the_old_ones(self, h):
        before = h.stats()["events"]
        old = h.ctl("timeline", "phone:+4915112345678", "--all").stdout.splitlines()
        # Now: later than anything of the fixtures, so it is the newest entry of the timeline.
        h.inject_lines([hub.sms("+49 151 12345678", "SM-after-upgrade", hub.rfc3339(int(time.time() * 1e6)))])
        self.assertEqual(h.stats()["events"], before + 1)
        lines = h.ctl("timeline", "phone:+4915112345678", "--all").stdout.splitlines()
        self.assertIn(b"SM-after-upgrade", lines[0])
        self.assertEqual(lines[1:], old)


class OlderRefusesNewerTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub()
        self.data = os.path.join(self.hub.dir, "unifier")
        subprocess.run([hub.binary("omnihub-test-store-tool"), "make-newer", self.data], check=True)

    def tearDown(self):
        self.hub.log.close()  # the unifier here is started by the test, not by the hub
        self.hub.cleanup()

    def test_the_unifier_exits_1_naming_both_layouts_and_what_to_do(self):
        r = subprocess.run([hub.binary("omnihub-unifier"), "--config", self.hub.config],
                           capture_output=True, timeout=60)
        out = r.stdout.decode() + r.stderr.decode()
        self.assertEqual(r.returncode, 1, out)
        self.assertIn(f"data directory {self.data} was written by a newer omnihub", out)
        self.assertIn("(omnihub 99.0.0-future, layout 3, unknown column families: from_the_future)", out)
        self.assertIn("this build reads layout 2", out)
        self.assertIn("restore a backup taken before the upgrade (docs/operations.md#upgrading)", out)
        self.assertNotIn("Column families not opened", out)

    def test_the_directory_is_left_as_it_was(self):
        def files():  # also RocksDB's info LOG: the read-only look logs nowhere
            return {p.name: p.read_bytes() for p in sorted(pathlib.Path(self.data).iterdir())}
        before = files()
        r = subprocess.run([hub.binary("omnihub-unifier"), "--config", self.hub.config], capture_output=True,
                           timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(files(), before)


if __name__ == "__main__":
    unittest.main()
