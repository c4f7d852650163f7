"""Relationship metrics end to end: the unifier's incremental consumer against an independent
reference (metrics_reference.py) computed from `omnihubctl export`.

A generated timeline (metrics_timeline.py: 200,000 events, 10,000 customers, 18 months,
every channel) goes in through `omnihubctl inject` in three files; 60 customers' second
identities are joined with `omnihubctl customer merge`. Once the metrics have applied every
change (`omnihub_relationship_lag_changes` 0), `omnihubctl metrics` with several filters and
groupings must equal the reference field by field. Then ten merges are split, a fourth file
(late events, deletions) is injected and the unifier SIGKILLed while applying it; after the
restart the figures must match again. Last, the metrics directory is deleted with the
unifier stopped: it rebuilds from the store and must match once more.

The generator and the reference are also checked alone (GeneratedTimeline), without a hub.
"""

import collections
import functools
import json
import os
import shutil
import subprocess
import time
import unittest

import hub
import metrics_reference as ref
import metrics_timeline

SPLITS = 10  # of the merges, undone in the second phase

QUERIES = [
    [],
    ["--by", "month"],
    ["--channel", "sms", "--by", "week"],
    ["--since", "2025-10-01T00:00:00Z", "--until", "2026-01-01T00:00:00Z"],
    ["--by", "account"],
]


@functools.lru_cache(maxsize=1)
def timeline():
    """The generated timeline, made once per run (both test classes read it, neither changes it)."""
    return metrics_timeline.generate()


def options(args):
    """omnihubctl metrics arguments -> build_report keyword arguments."""
    kw = dict(zip(args[::2], args[1::2]))
    return {key.lstrip("-"): value for key, value in kw.items()}


class GeneratedTimeline(unittest.TestCase):
    """The generator alone: deterministic, shaped as the consistency test needs."""

    @classmethod
    def setUpClass(cls):
        cls.first, cls.second, cls.merges = timeline()

    def test_is_deterministic(self):
        again = metrics_timeline.generate()
        self.assertEqual((self.first, self.second, self.merges), again)

    def test_has_every_pattern(self):
        lines = [line for f in self.first for line in f] + self.second
        self.assertEqual(len(lines), 200_000)
        customers = {json.dumps(l["from"] if l["direction"] == "inbound" else l["to"][0], sort_keys=True)
                     for l in lines}
        self.assertGreaterEqual(len(customers), 10_000)
        channels = collections.Counter(l["channel"] for l in lines)
        self.assertEqual(set(channels) - {"note"}, set(metrics_timeline.il.CHANNELS))
        self.assertEqual(sum(1 for l in self.second if l["kind"] == "delete"), metrics_timeline.DELETIONS)
        self.assertGreater(sum(1 for l in lines if "auto-reply" in l.get("flags", [])), 100)
        self.assertGreater(sum(1 for l in lines if l.get("provider_fields")), 100)
        months = {l["occurred_at"][:7] for l in lines}
        self.assertGreaterEqual(len(months), 18)
        self.assertEqual(len(self.merges), metrics_timeline.MERGED)
        # The second phase is out of order: it holds events older than the first phase's newest.
        newest_first = max(l["occurred_at"] for l in self.first[-1])
        self.assertTrue(any(l["occurred_at"] < newest_first for l in self.second if l["kind"] == "message"))

    def test_reference_over_the_timeline_has_every_kind_of_figure(self):
        # As the export would print it: each line under its customer (identity as key), with an id.
        events = []
        for i, line in enumerate(l for f in self.first for l in f):
            party = line["from"] if line["direction"] == "inbound" else line["to"][0]
            events.append(dict(line, event_id=f"{i:012d}", customer_id=str(sorted(party.items()))))
        r = ref.build_report(events, by="channel")
        t = r["totals"]
        for figure in ("closed", "open", "unanswered"):
            self.assertGreater(t[figure], 100, figure)
        self.assertGreater(t["channel_switches"]["total"], 100)
        self.assertTrue(0 < t["first_contact_resolution"]["share"] < 1)
        self.assertEqual(len(r["groups"]), 8)
        self.assertGreater(r["customers"]["referred"], 100)
        self.assertGreaterEqual(len(r["cohorts"]), 17)


class MetricsConsistency(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub(batch_max_events=2000)
        self.addCleanup(self.hub.cleanup)
        self.hub.start()
        self.addCleanup(self.hub.stop)
        self.first, self.second, self.merges = timeline()

    def wait_applied(self, timeout=120):
        hub.wait_until(lambda: self.hub.metrics_lag() == 0, "the metrics to apply every change", timeout,
                       interval=0.2)

    def compare(self, when, store=None):
        """Every query of QUERIES against the reference over `store`, else over a new export;
        returns the store."""
        store = store or ref.Store(self.hub.export())
        for args in QUERIES:
            r = self.hub.ctl("metrics", *args, timeout=120)
            actual = json.loads(r.stdout)
            expected = ref.build_report(store, **options(args))
            diff = ref.first_difference(actual, expected)
            self.assertIsNone(diff, f"{when}: omnihubctl metrics {' '.join(args)} differs from the reference")
            self.assertIsInstance(actual["applied_change_seq"], int)
        return store

    def test_incremental_equals_reference_after_kill_and_rebuild(self):
        started = time.monotonic()
        for i, lines in enumerate(self.first):
            self.hub.ctl("inject", self.hub.write_file(f"part{i}.jsonl", lines), timeout=600)
        merge_ids = []
        for survivor, other in self.merges:
            r = self.hub.ctl("customer", "merge", survivor, other, "--reason", "the same person")
            merge_ids.append(json.loads(r.stdout)["merge_id"])
        self.wait_applied()
        self.compare("after the first files")
        phase1 = time.monotonic() - started

        # Some merges were wrong: split them (each side its own episodes again).
        for merge_id in merge_ids[:SPLITS]:
            self.hub.ctl("customer", "split", merge_id, "--reason", "two people after all")

        # The late file: SIGKILL the unifier while it is being applied, then start it again;
        # inject resends what the unifier had not committed.
        def injected(stats):
            return sum(seq for pid, seq in stats["publishers"].items() if pid.startswith("inject"))
        before = injected(self.hub.stats())
        path = self.hub.write_file("late.jsonl", self.second)
        inject = subprocess.Popen(self.hub.ctl_cmd("inject", path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: inject.poll() is None and inject.kill())
        hub.wait_until(lambda: self.hub._stats_if(lambda s: injected(s) >= before + 1000),
                       "the late file to be under way", 60, interval=0.02)
        self.assertIsNone(inject.poll(), "the late file was all committed before the kill: nothing to interrupt")
        self.hub.kill_unifier()
        self.hub.start_unifier()
        _, err = inject.communicate(timeout=600)
        self.assertEqual(inject.returncode, 0, err.decode())
        self.wait_applied()
        store = self.compare("after a SIGKILL and a restart")

        # Rebuild: no metrics directory, the unifier recomputes from the store.
        self.hub.stop_unifier()
        metrics_dir = os.path.join(self.hub.dir, "metrics")
        self.assertTrue(os.path.isdir(metrics_dir), f"no metrics directory at {metrics_dir}")
        shutil.rmtree(metrics_dir)
        self.hub.start_unifier()
        self.wait_applied()
        # The store is what it was (a stop and a start change no event): the same reference.
        self.compare("after a rebuild from the store", store)
        print(f"\nmetrics consistency: first phase {phase1:.1f} s, whole test "
              f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    unittest.main()
