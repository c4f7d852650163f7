"""Acceptance: paging a timeline with omnihubctl while 1,000 new events (some older
than the first page) are written for that customer returns every pre-existing entry
exactly once."""

import collections
import threading
import unittest

import hub

T0 = 1_760_000_000_000_000
MINUTE = 60_000_000
NUMBER = "+14155550199"


class PagingUnderWritesTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub().start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def test_every_preexisting_entry_exactly_once(self):
        existing = [hub.sms(NUMBER, f"old-{i}", hub.rfc3339(T0 + i * MINUTE)) for i in range(400)]
        self.hub.inject_lines(existing)

        # 1,000 new events in 8 runs, while the pages are read: a third older than
        # anything, a third at the same instants as existing ones, a third newer.
        # The writer starts once the first page is read, and page k+1 is read only once
        # run k is committed, so the runs land inside the walk however the two threads
        # are scheduled (without that, a slow writer could start after the last page).
        committed_runs = threading.Semaphore(0)

        def writer():
            for run in range(8):
                batch = []
                for k in range(125):
                    n = run * 125 + k
                    at = [T0 - (n + 1) * MINUTE, T0 + (n % 400) * MINUTE, T0 + (500 + n) * MINUTE][n % 3]
                    batch.append(hub.sms(NUMBER, f"new-{n}", hub.rfc3339(at)))
                self.hub.inject_lines(batch)  # returns once committed
                committed_runs.release()

        seen = collections.Counter()
        cursor = None
        pages = 0
        thread = threading.Thread(target=writer)
        try:
            while True:
                if pages == 1:
                    thread.start()
                if 1 <= pages <= 8:
                    self.assertTrue(committed_runs.acquire(timeout=300), f"write run {pages} not committed")
                args = ["--limit", "25"] + (["--cursor", cursor] if cursor else [])
                events, err = self.hub.timeline("phone:" + NUMBER, *args)
                pages += 1
                seen.update(e["provider_message_id"] for e in events)
                last = err.strip().splitlines()[-1]
                self.assertTrue(last.startswith("next cursor: "), err)
                cursor = last[len("next cursor: "):]
                if cursor.startswith("none"):
                    break
        finally:
            if thread.is_alive():
                thread.join()
        self.assertGreater(pages, 10)
        for e in existing:
            self.assertEqual(seen[e["provider_message_id"]], 1, e["provider_message_id"])
        self.assertEqual(max(seen.values()), 1)
        self.assertEqual(self.hub.stats()["events"], 1400)


if __name__ == "__main__":
    unittest.main()
