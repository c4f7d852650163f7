"""The identity graph end to end: a real unifier and the real omnihubctl link, unlink, merge,
preview and split customers while events keep arriving, explain prints every identity's
reason, a SIGKILLed unifier keeps the graph, and rejections exit as docs/cli.md says."""

import json
import random
import threading
import unittest

import hub


def sms(number, pid, minute, text="hello"):
    return hub.sms(number, pid, f"2026-11-20T10:{minute:02d}:00Z", text=text)


def mail(address, pid, minute):
    return {"channel": "email", "account": "support@shop.example", "provider_message_id": pid,
            "direction": "inbound", "occurred_at": f"2026-11-20T10:{minute:02d}:00Z",
            "from": {"email": address}, "subject": "hello", "text": "mail " + pid}


class IdentityGraphTest(unittest.TestCase):
    def setUp(self):
        self.hub = hub.Hub().start()

    def tearDown(self):
        self.hub.stop()
        self.hub.cleanup()

    def ctl_json(self, *args):
        return json.loads(self.hub.ctl(*args).stdout)

    def ids(self, identity):
        events, _ = self.hub.timeline(identity, "--all")
        return sorted(e["provider_message_id"] for e in events)

    def test_merge_split_link_unlink_and_explain(self):
        self.hub.inject_lines([sms("+14155550100", "A1", 1), sms("+14155550111", "B1", 2),
                               mail("bo@example.com", "B2", 3)])
        a = self.ctl_json("lookup", "phone:+14155550100")["customer_id"]
        b = self.ctl_json("lookup", "phone:+14155550111")["customer_id"]
        m = self.ctl_json("lookup", "email:bo@example.com")["customer_id"]

        # The address belongs to B: linked naming B's phone, it moves with its event.
        linked = self.ctl_json("customer", "link", "phone:+14155550111", "email:bo@example.com",
                               "--reason", "same person, said on the phone", "--actor", "dana")
        self.assertEqual(linked["customer_id"], b)
        self.assertEqual(self.ids("phone:+14155550111"), ["B1", "B2"])
        self.assertEqual(self.ctl_json("lookup", m)["event_count"], 0)

        preview = self.ctl_json("customer", "merge", a, b, "--preview")
        self.assertEqual(preview["event_count_after"], 3)
        self.assertEqual(len(preview["other"]["identities"]), 2)
        self.assertEqual(self.ctl_json("lookup", b)["customer_id"], b)  # the preview wrote nothing

        merged = self.ctl_json("customer", "merge", a, b, "--reason", "one household", "--actor", "dana")
        self.assertEqual(merged["customer_id"], a)
        merge_id = merged["merge_id"]
        self.assertEqual(self.ctl_json("lookup", b)["customer_id"], a)
        self.hub.inject_lines([sms("+14155550111", "B3", 4), sms("+14155550100", "A2", 5)])
        self.assertEqual(self.ids(b), ["A1", "A2", "B1", "B2", "B3"])

        explained = self.ctl_json("customer", "explain", "email:bo@example.com")
        self.assertEqual(explained["customer"]["customer_id"], a)
        reasons = {i["argument"]: i["reason"] for i in explained["identities"]}
        self.assertEqual(reasons["phone:+14155550100"]["rule"], "first_sight")
        self.assertEqual(reasons["email:bo@example.com"]["rule"], "merge")
        self.assertEqual(reasons["email:bo@example.com"]["merge_id"], merge_id)
        self.assertEqual(reasons["email:bo@example.com"]["actor"], "dana")
        mail_history = [i for i in explained["identities"] if i["argument"] == "email:bo@example.com"][0]["history"]
        self.assertEqual([r["rule"] for r in mail_history], ["first_sight", "agent_link"])
        self.assertEqual(mail_history[1]["anchor"]["argument"], "phone:+14155550111")
        self.assertEqual(explained["merged_customer_ids"], [b])
        self.assertEqual([x["merge_id"] for x in explained["merges"]], [merge_id])

        # The graph survives a crash of the unifier.
        self.hub.kill_unifier()
        self.hub.start_unifier()

        split = self.ctl_json("customer", "split", merge_id, "--reason", "two people after all")
        self.assertEqual(split["customer_ids"], [a, b])
        self.assertEqual(self.ids(a), ["A1", "A2"])
        self.assertEqual(self.ids(b), ["B1", "B2", "B3"])
        self.assertEqual(self.ctl_json("lookup", b)["event_count"], 3)
        again = self.hub.ctl("customer", "split", merge_id, "--reason", "again", check=False)
        self.assertEqual(again.returncode, 1, again.stderr)
        self.assertIn("already split", again.stderr.decode())

        unlinked = self.ctl_json("customer", "unlink", "email:bo@example.com", "--reason", "shared inbox")
        self.assertNotIn(unlinked["customer_id"], (a, b, m))
        self.assertEqual(self.ids(unlinked["customer_id"]), ["B2"])
        reason = self.ctl_json("customer", "explain", unlinked["customer_id"])["identities"][0]["reason"]
        self.assertEqual(reason["rule"], "unlink")
        self.assertEqual(reason["reason"], "shared inbox")

    def test_graph_changes_while_events_arrive_and_the_unifier_is_killed(self):
        rng = random.Random(11)
        phones = [f"+1415555{2000 + i}" for i in range(12)]
        mails = [f"c{i}@example.com" for i in range(12)]
        sent = {}  # provider message id -> the identity argument that sent it

        def events(first, count):
            lines = []
            for n in range(first, first + count):
                if rng.random() < 0.5:
                    who = rng.choice(phones)
                    lines.append(sms(who, f"S{n}", n % 60))
                    sent[f"S{n}"] = "phone:" + who
                else:
                    who = rng.choice(mails)
                    lines.append(mail(who, f"E{n}", n % 60))
                    sent[f"E{n}"] = "email:" + who
            return lines

        self.hub.inject_lines(events(0, 60))
        seen = sorted(set(sent.values()))  # committed: commands may name them
        later = [events(60 + 20 * k, 20) for k in range(6)]
        failures = []

        def keep_sending():
            try:
                for chunk in later:
                    self.hub.inject_lines(chunk)
            except Exception as e:  # reported by the main thread
                failures.append(e)

        sender = threading.Thread(target=keep_sending)
        sender.start()
        merges = []
        for step in range(16):
            if step == 8:
                self.hub.kill_unifier()
                self.hub.start_unifier()
            a, b = rng.sample(seen, 2)
            op = step % 4
            if op == 3 and merges:
                self.hub.ctl("customer", "split", merges.pop(rng.randrange(len(merges))), "--reason", "r")
                continue
            if op == 2:  # refused when the address is already a's: fine either way
                self.hub.ctl("customer", "link", a, "email:" + rng.choice(mails), "--reason", "r", check=False)
                continue
            r = self.hub.ctl("customer", "merge", a, b, "--reason", "r", check=False)
            if r.returncode == 0:
                merges.append(json.loads(r.stdout)["merge_id"])
            else:
                self.assertIn("same customer", r.stderr.decode())
        sender.join()
        self.assertEqual(failures, [])

        # Every customer's timeline is exactly the events of the identities explain gives it.
        customers = {}
        for identity in sorted(set(sent.values())):
            explained = self.ctl_json("customer", "explain", identity)
            customers[explained["customer"]["customer_id"]] = explained
        shown = set()
        for customer_id, explained in customers.items():
            identities = {i["argument"] for i in explained["identities"]}
            for i in explained["identities"]:
                self.assertIn(i["reason"]["rule"], ("first_sight", "agent_link", "merge", "split"))
            expected = sorted(pid for pid, who in sent.items() if who in identities)
            self.assertEqual(self.ids(customer_id), expected, customer_id)
            self.assertEqual(explained["customer"]["event_count"], len(expected))
            shown.update(expected)
        self.assertEqual(shown, set(sent))

    def test_rejections_and_argument_errors(self):
        self.hub.inject_lines([sms("+14155550100", "A1", 1)])
        alone = self.hub.ctl("customer", "unlink", "phone:+14155550100", "--reason", "r", check=False)
        self.assertEqual(alone.returncode, 1, alone.stderr)
        self.assertIn("only identity", alone.stderr.decode())
        missing = self.hub.ctl("customer", "split", "01a20672-9cbf-7abc-86af-863ec973c899", "--reason", "r",
                               check=False)
        self.assertEqual(missing.returncode, 4, missing.stderr)
        self.assertIn("no merge with id", missing.stderr.decode())
        no_reason = self.hub.ctl("customer", "merge", "phone:+14155550100", "email:x@example.com", check=False)
        self.assertEqual(no_reason.returncode, 2)
        self.assertIn("--reason", no_reason.stderr.decode())
        nobody = self.hub.ctl("customer", "explain", "email:nobody@example.com", check=False)
        self.assertEqual(nobody.returncode, 4)


if __name__ == "__main__":
    unittest.main()
