"""Acceptance: the identity graph under load. 20,000 events for 2,000 customers over email,
SMS and WhatsApp; 200 merges and 100 splits by `omnihubctl customer merge/split` while the
events keep arriving and omnihub-unifier is SIGKILLed twice. Afterwards every customer's
timeline equals the one this test computes on its own from the final graph (which identities
each customer has, kept here as the commands were given), every customer keeps its id (a
survivor its own, a split-off customer its old one back), and `customer explain` gives the
reason of every identity."""

import collections
import json
import random
import subprocess
import unittest

import hub
from test_crash_recovery import customer_identity, make_events

EVENTS = 20_000
CUSTOMERS = 2_000
MERGES = 200
SPLITS = 100
FIRST_PART = 5_000  # injected before the first merge, so that most customers exist


class Graph:
    """The test's own model: customers (by label, the customer number that created them) as
    sets of identities, and each merge's sides, applied exactly as docs/identities.md says."""

    def __init__(self):
        self.identities = {}     # label -> set of identity arguments (live customers only)
        self.merged_into = {}    # label -> label it was merged into (until split)
        self.merges = {}         # merge id -> (survivor label, other label, moved identities)
        self.split_done = set()

    def add(self, label):
        """A customer the hub created on first sight (unless it is merged into another now)."""
        if label not in self.merged_into:
            self.identities.setdefault(label, {customer_identity(label)})

    def resolve(self, label):
        while label in self.merged_into:
            label = self.merged_into[label]
        return label

    def label_of(self, identity):
        return next(l for l, ids in self.identities.items() if identity in ids)

    def merge(self, merge_id, survivor, other):
        moved = set(self.identities.pop(other))
        self.identities[survivor] |= moved
        self.merged_into[other] = survivor
        self.merges[merge_id] = (survivor, other, moved)

    def split(self, merge_id):
        survivor, other, moved = self.merges[merge_id]
        live = self.resolve(survivor)
        back = moved & self.identities[live]
        self.identities[live] -= back
        self.identities[other] = back
        del self.merged_into[other]
        self.split_done.add(merge_id)


class IdentityGraphLoadTest(unittest.TestCase):
    def setUp(self):
        # As in the crash-recovery test: small batches keep ingest going while commands and
        # kills land; a short resend timeout keeps the test quick.
        self.hub = hub.Hub(supervise=True, batch_max_events=50, window=512, resend_timeout_ms=300).start()

    def tearDown(self):
        self.hub.stop()

    def customer_ids(self):
        """identity argument -> customer id, from every stored event."""
        return {e["identity"]: e["customer_id"] for e in self.hub.export()}

    def merge(self, graph, rng):
        survivor, other = rng.sample(sorted(graph.identities), 2)
        r = self.hub.ctl("customer", "merge", customer_identity(survivor), sorted(graph.identities[other])[0],
                         "--reason", f"merge {survivor} {other}", "--actor", "e2e-agent")
        merge_id = json.loads(r.stdout)["merge_id"]
        graph.merge(merge_id, survivor, other)

    def split(self, graph, rng):
        merge_id = rng.choice(sorted(set(graph.merges) - graph.split_done))
        r = self.hub.ctl("customer", "split", merge_id, "--reason", "wrong merge", "--actor", "e2e-agent")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        graph.split(merge_id)

    def test_merges_and_splits_under_load_and_kills(self):
        rng = random.Random(20261203)
        events = make_events(rng, EVENTS, CUSTOMERS)
        first = self.hub.write_file("first.jsonl", events[:FIRST_PART])
        rest = self.hub.write_file("rest.jsonl", events[FIRST_PART:])
        self.hub.ctl("inject", first, timeout=600)

        graph = Graph()
        original_ids = self.customer_ids()
        for identity in original_ids:
            graph.add(self._number(identity))

        # The rest arrives while the graph changes and the unifier is killed twice.
        inject = subprocess.Popen(self.hub.ctl_cmd("inject", rest), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        operations = ["merge"] * MERGES + ["split"] * SPLITS
        # A split needs an unsplit merge before it: shuffle, then move each split after enough merges.
        rng.shuffle(operations)
        order, merges_so_far, splits_so_far = [], 0, 0
        pending_splits = 0
        for op in operations:
            if op == "merge":
                order.append("merge")
                merges_so_far += 1
                while pending_splits and splits_so_far < merges_so_far:
                    order.append("split")
                    splits_so_far += 1
                    pending_splits -= 1
            elif splits_so_far < merges_so_far:
                order.append("split")
                splits_so_far += 1
            else:
                pending_splits += 1
        order += ["split"] * pending_splits
        self.assertEqual(collections.Counter(order), {"merge": MERGES, "split": SPLITS})

        kills_at = {len(order) // 3, 2 * len(order) // 3}
        for i, op in enumerate(order):
            if i in kills_at:
                self.hub.kill_unifier()
            getattr(self, op)(graph, rng)
        out, err = inject.communicate(timeout=900)
        self.assertEqual(inject.returncode, 0, err.decode())
        self.assertGreaterEqual(self.hub.restarts, 2)

        stats = self.hub.stats()
        self.assertEqual(stats["events"], EVENTS)
        self.assertEqual(stats["dead_letters"], 0)

        # Customers first seen during the second part are customers of their own.
        exported = self.hub.export()
        self.assertEqual(len(exported), EVENTS)
        for e in exported:
            graph.add(self._number(e["identity"]))
            original_ids.setdefault(e["identity"], e["customer_id"])

        # Every identity belongs to the customer the model says, under the id that customer
        # has had from the start (the label's first identity's original customer id).
        customer_of = {e["identity"]: e["customer_id"] for e in exported}
        for label, identities in graph.identities.items():
            want = original_ids[customer_identity(label)]
            for identity in identities:
                if customer_of[identity] != want:
                    explained = self.hub.ctl("customer", "explain", identity, check=False).stdout.decode()
                    self.fail(f"{identity} of customer {label} is on {customer_of[identity]}, not {want}; "
                              f"model history: {self._history(graph, label)}; explain: {explained}")
        self.assertEqual(len({original_ids[customer_identity(l)] for l in graph.identities}), len(graph.identities))

        # Timelines through the read path (each customer's identities merged newest first),
        # compared with what the model computes from the events the test sent.
        pid_identity = {e["provider_message_id"]: e["identity"] for e in exported}
        by_identity = collections.defaultdict(set)
        for pid, identity in pid_identity.items():
            by_identity[identity].add(pid)
        touched = {l for m in graph.merges.values() for l in m[:2]}
        checked = sorted(touched & set(graph.identities)) + rng.sample(sorted(set(graph.identities) - touched), 50)
        for label in checked:
            timeline, _ = self.hub.timeline(customer_identity(label) if customer_identity(label) in graph.identities[label]
                                            else sorted(graph.identities[label])[0], "--all")
            want = set().union(*(by_identity[i] for i in graph.identities[label]))
            got = [e["provider_message_id"] for e in timeline]
            self.assertEqual(len(got), len(set(got)), f"an event shown twice for customer {label}")
            self.assertEqual(set(got), want, f"timeline of customer {label}")
            times = [e["occurred_at_us"] if "occurred_at_us" in e else e["occurred_at"] for e in timeline]
            self.assertEqual(times, sorted(times, reverse=True), f"timeline of customer {label} is newest first")

            # explain: every identity with how it came to belong.
            explained = json.loads(self.hub.ctl("customer", "explain", sorted(graph.identities[label])[0]).stdout)
            self.assertEqual(explained["customer"]["customer_id"], original_ids[customer_identity(label)])
            shown = {i["argument"]: i for i in explained["identities"]}
            self.assertEqual(set(shown), graph.identities[label], f"explain of customer {label}")
            for identity, entry in shown.items():
                self.assertTrue(entry["reason"]["rule"], f"{identity} has no reason")
                if identity != customer_identity(label):
                    self.assertEqual(entry["reason"]["rule"], "merge", f"{identity} came to {label} by a merge")
                    self.assertEqual(entry["reason"]["actor"], "e2e-agent")

    @staticmethod
    def _history(graph, label):
        return [(m, s, o) for m, (s, o, _) in graph.merges.items() if label in (s, o)] + \
               [m for m in graph.split_done if label in graph.merges[m][:2]]

    @staticmethod
    def _number(identity):
        """The customer number behind make_events' identity argument."""
        if identity.startswith("email:customer."):
            return int(identity[len("email:customer."):].split("@")[0])
        return int(identity[-4:])


if __name__ == "__main__":
    unittest.main()
