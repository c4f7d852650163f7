"""Unit tests of metrics_reference.py, the independent reference for the relationship metrics
(docs/metrics.md), on small timelines whose every figure is worked out by hand in the
comments. No hub: the input is what `omnihubctl export` prints."""

import itertools
import unittest

import metrics_reference as ref

_ids = itertools.count()


def msg(customer, at, direction="inbound", channel="sms", account="acct", pid=None, flags=None,
        fields=None, kind="message"):
    """One exported event; `at` is `YYYY-MM-DD HH:MM[:SS]` UTC."""
    n = next(_ids)
    day, clock = at.split(" ")
    if clock.count(":") == 1:
        clock += ":00"
    e = {"event_id": f"01a00000-0000-7000-8000-{n:012d}", "customer_id": customer, "channel": channel,
         "account": account, "direction": direction, "kind": kind,
         "occurred_at": f"{day}T{clock}.000000Z", "provider_message_id": pid or f"m{n}"}
    if flags:
        e["flags"] = flags
    if fields:
        e["provider_fields"] = fields
    return e


def out(customer, at, channel="sms", **kw):
    return msg(customer, at, "outbound", channel, **kw)


def delete(customer, target):
    e = msg(customer, target["occurred_at"][:10] + " 23:59", target["direction"], target["channel"],
            target["account"], kind="delete")
    e["refers_to"] = target["provider_message_id"]
    return e


def report(events, **kw):
    return ref.build_report(events, **kw)


class Episodes(unittest.TestCase):
    def test_one_answer_and_silence_is_first_contact_resolution(self):
        # 10:00 in, 10:30 out; nothing more; as_of = 10:30 + 8 days (another customer's message).
        r = report([msg("a", "2026-01-05 10:00"), out("a", "2026-01-05 10:30"), msg("z", "2026-01-13 11:00")])
        t = r["totals"]
        self.assertEqual(t["episodes"], 2)
        self.assertEqual((t["closed"], t["open"], t["unanswered"]), (1, 1, 0))
        self.assertEqual(t["first_response"]["count"], 1)
        self.assertEqual(t["first_response"]["p50_s"], 1800)
        self.assertEqual(t["first_contact_resolution"], {"resolved": 1, "closed": 1, "share": 1.0})
        self.assertEqual(t["resolution_time"]["p99_s"], 1800)
        self.assertEqual(t["replies_per_episode"], 1.0)
        self.assertEqual(r["as_of"], "2026-01-13T11:00:00.000000Z")

    def test_cross_channel_follow_up_makes_the_episode_not_fcr(self):
        # Email in, email answer, WhatsApp two days later (within 7 days: a follow-up, not a
        # new episode although 24 h passed), a second answer on WhatsApp. Closed at as_of.
        ev = [msg("a", "2026-01-05 09:00", channel="email"), out("a", "2026-01-05 10:00", channel="email"),
              msg("a", "2026-01-07 09:00", channel="whatsapp"), out("a", "2026-01-07 09:05", channel="whatsapp"),
              msg("z", "2026-02-01 00:00")]
        t = report(ev)["totals"]
        self.assertEqual(t["episodes"], 2)
        self.assertEqual(t["closed"], 1)
        self.assertEqual(t["first_contact_resolution"]["resolved"], 0)
        self.assertEqual(t["first_contact_resolution"]["share"], 0.0)
        self.assertEqual(t["channel_switches"], {"total": 1, "episodes_with_switch": 1})
        self.assertEqual(t["replies_per_episode"], 2.0)
        # Resolution: 09:00 -> 09:05 two days later.
        self.assertEqual(t["resolution_time"]["p50_s"], 2 * 86400 + 300)
        self.assertEqual(t["first_response"]["by_inbound_channel"]["email"]["p50_s"], 3600)
        self.assertEqual(t["first_response"]["by_reply_channel"], {
            "email": {"count": 1, "p50_s": 3600.0, "p90_s": 3600.0, "p99_s": 3600.0}})

    def test_late_event_reopens_a_closed_episode(self):
        base = [msg("a", "2026-01-05 09:00"), out("a", "2026-01-05 09:10"), msg("z", "2026-01-20 00:00")]
        self.assertEqual(report(base)["totals"]["closed"], 1)
        self.assertEqual(report(base)["totals"]["first_contact_resolution"]["resolved"], 1)
        # A message from Jan 8 arrives late: a follow-up inside the window; the episode's last
        # message is now inbound, so it is open again (awaiting an answer) and not FCR.
        late = base + [msg("a", "2026-01-08 12:00", channel="telegram")]
        t = report(late)["totals"]
        self.assertEqual((t["episodes"], t["closed"], t["open"]), (2, 0, 2))
        self.assertEqual(t["first_contact_resolution"], {"resolved": 0, "closed": 0, "share": None})
        self.assertIsNone(t["replies_per_episode"])

    def test_merge_joins_episodes_and_split_separates_them(self):
        # Two identities of one person: SMS on Jan 5 (answered), email on Jan 6 (answered).
        sms = [msg("p", "2026-01-05 09:00"), out("p", "2026-01-05 09:30")]
        mail = [msg("e", "2026-01-06 12:00", channel="email"), out("e", "2026-01-06 13:00", channel="email")]
        end = [msg("z", "2026-03-01 00:00")]
        apart = report(sms + mail + end)["totals"]
        self.assertEqual((apart["episodes"], apart["closed"]), (3, 2))
        self.assertEqual(apart["first_contact_resolution"]["resolved"], 2)
        # Merged (export prints both identities' events under the kept customer): the email is
        # a follow-up of the SMS episode.
        merged = [dict(e, customer_id="p") for e in mail]
        t = report(sms + merged + end)["totals"]
        self.assertEqual((t["episodes"], t["closed"]), (2, 1))
        self.assertEqual(t["first_contact_resolution"]["resolved"], 0)
        self.assertEqual(t["channel_switches"]["total"], 1)
        # Split: each side its own again.
        self.assertEqual(report(sms + mail + end)["totals"], apart)

    def test_quiet_hours_boundary(self):
        # Inbound, no answer; the next inbound exactly 24 h later opens a new episode (>= quiet),
        # 1 s less joins; the first then is unanswered (a later episode exists).
        at_24 = report([msg("a", "2026-01-05 09:00"), msg("a", "2026-01-06 09:00")])["totals"]
        self.assertEqual((at_24["episodes"], at_24["unanswered"], at_24["open"]), (2, 1, 1))
        under = report([msg("a", "2026-01-05 09:00"), msg("a", "2026-01-06 08:59:59")])["totals"]
        self.assertEqual((under["episodes"], under["unanswered"]), (1, 0))
        self.assertEqual(under["first_response"]["count"], 0)
        self.assertIsNone(under["first_response"]["p50_s"])

    def test_resolution_window_boundary(self):
        # Reply at 10:00; an inbound exactly 7 days later is still a follow-up (<= window),
        # one second later opens a new episode.
        start = [msg("a", "2026-01-05 09:00"), out("a", "2026-01-05 10:00")]
        inside = report(start + [msg("a", "2026-01-12 10:00")])["totals"]
        self.assertEqual(inside["episodes"], 1)
        after = report(start + [msg("a", "2026-01-12 10:00:01")])["totals"]
        self.assertEqual(after["episodes"], 2)
        # Closed needs more than 7 days between the reply and as_of.
        exactly = report(start + [msg("z", "2026-01-12 10:00")])["totals"]
        self.assertEqual(exactly["closed"], 0)
        beyond = report(start + [msg("z", "2026-01-12 10:00:01")])["totals"]
        self.assertEqual(beyond["closed"], 1)

    def test_outbound_rules(self):
        # A late answer (3 days) is still the answer; a second reply after 8 days of silence is
        # proactive and counts nowhere; outbound before any inbound counts nowhere.
        ev = [out("a", "2026-01-01 08:00"), msg("a", "2026-01-05 09:00"), out("a", "2026-01-08 09:00"),
              out("a", "2026-01-16 09:00:01"), msg("z", "2026-02-01 00:00")]
        t = report(ev)["totals"]
        self.assertEqual(t["first_response"]["p50_s"], 3 * 86400)
        self.assertEqual(t["first_contact_resolution"]["resolved"], 1)
        self.assertEqual(t["replies_per_episode"], 1.0)

    def test_uncounted_messages(self):
        # An auto-reply, a bulk outbound, a note and a deleted inbound do not count.
        first = msg("a", "2026-01-05 09:00")
        gone = msg("a", "2026-01-06 12:00", channel="messenger")
        ev = [first, out("a", "2026-01-05 09:01", flags=["auto-reply"]),
              out("a", "2026-01-05 09:02", flags=["bulk"]), out("a", "2026-01-05 09:03", channel="note"),
              out("a", "2026-01-05 10:00"), gone, delete("a", gone), msg("z", "2026-01-20 00:00")]
        t = report(ev)["totals"]
        self.assertEqual(t["first_response"]["p50_s"], 3600)
        self.assertEqual(t["first_contact_resolution"]["resolved"], 1)
        self.assertEqual(t["channel_switches"]["total"], 0)

    def test_unanswered_then_answered_episode(self):
        ev = [msg("a", "2026-01-05 09:00"), msg("a", "2026-01-07 09:00", channel="x"),
              out("a", "2026-01-07 09:20", channel="x"), msg("z", "2026-01-20 00:00")]
        t = report(ev)["totals"]
        self.assertEqual((t["episodes"], t["unanswered"], t["closed"], t["open"]), (3, 1, 1, 1))
        self.assertEqual(t["first_response"]["by_inbound_channel"], {
            "x": {"count": 1, "p50_s": 1200.0, "p90_s": 1200.0, "p99_s": 1200.0}})

    def test_a_follow_up_never_answered_is_unanswered_once_the_customer_moves_on(self):
        ev = [msg("a", "2026-01-05 09:00"), out("a", "2026-01-05 10:00"), msg("a", "2026-01-05 12:00"),
              msg("a", "2026-01-07 09:00"), msg("z", "2026-02-20 00:00")]
        t = report(ev)["totals"]
        self.assertEqual((t["episodes"], t["unanswered"], t["closed"], t["open"]), (3, 1, 0, 2))
        self.assertEqual(t["first_contact_resolution"]["resolved"], 0)


class Figures(unittest.TestCase):
    def test_nearest_rank_percentiles_and_consistency(self):
        # sms answers after 1, 2, ... 10 minutes; email after 1 hour: p50 of sms = v5 = 300 s,
        # p90 = v9, p99 = v10; all 11: p50 = v6 = 360 s.
        ev = []
        for i in range(10):
            c = f"s{i}"
            ev += [msg(c, f"2026-01-{i + 1:02d} 09:00"), out(c, f"2026-01-{i + 1:02d} 09:{i + 1:02d}")]
        ev += [msg("m", "2026-01-02 09:00", channel="email"), out("m", "2026-01-02 10:00", channel="email")]
        t = report(ev)["totals"]
        sms = t["first_response"]["by_inbound_channel"]["sms"]
        self.assertEqual((sms["p50_s"], sms["p90_s"], sms["p99_s"]), (300, 540, 600))
        self.assertEqual(t["first_response"]["p50_s"], 360)
        self.assertEqual(t["consistency"], {"first_response_p50_spread_s": 3300.0,
                                            "fastest_channel": "sms", "slowest_channel": "email"})
        only_sms = report(ev[:20])["totals"]["consistency"]
        self.assertIsNone(only_sms["first_response_p50_spread_s"])

    def test_filters_and_groups(self):
        ev = [msg("a", "2026-01-05 09:00", account="shop1"), out("a", "2026-01-05 09:10"),
              msg("b", "2026-01-12 09:00", channel="email", account="shop2"),
              out("b", "2026-01-12 09:30", channel="email"),
              msg("c", "2026-02-02 09:00", account="shop2"), out("c", "2026-02-02 09:05")]
        r = report(ev, by="week")
        self.assertEqual([g["key"] for g in r["groups"]], ["2026-W02", "2026-W03", "2026-W06"])
        self.assertEqual([g["key"] for g in report(ev, by="account")["groups"]], ["shop1", "shop2"])
        self.assertEqual([g["episodes"] for g in report(ev, by="month")["groups"]], [2, 1])
        self.assertEqual(report(ev)["groups"], [])
        f = report(ev, since="2026-01-12T09:00:00Z", until="2026-02-02T09:00:00Z")
        self.assertEqual(f["totals"]["episodes"], 1)
        self.assertEqual(f["customers"]["customers"], 1)
        self.assertEqual(report(ev, channel="sms", account="shop2")["totals"]["episodes"], 1)
        self.assertEqual(f["since"], "2026-01-12T09:00:00.000000Z")


class Customers(unittest.TestCase):
    def test_cohorts_churn_returning_referral_and_return_on_relationship(self):
        # January cohort: a (Jan, Feb, Apr), b (Jan only, referred by an ad), c (Jan, Mar).
        # February cohort: d (Feb). as_of in April.
        ev = [msg("a", "2026-01-05 09:00"), msg("a", "2026-02-10 09:00"), msg("a", "2026-04-01 09:00"),
              msg("b", "2026-01-06 09:00", channel="whatsapp", fields={"referral": "{\"source_id\":\"ad1\"}"}),
              msg("c", "2026-01-07 09:00"), msg("c", "2026-03-07 09:00"),
              msg("d", "2026-02-01 09:00", channel="api", fields={"referred_by": "partner-7"}),
              msg("e", "2026-04-02 09:00", channel="messenger", fields={"postback.referral": "m.me"})]
        r = report(ev)
        jan, feb, apr = r["cohorts"]
        self.assertEqual(jan["month"], "2026-01")
        self.assertEqual(jan["retained"], [3, 1, 1, 1])
        self.assertEqual(jan["retention"], [1, 1 / 3, 1 / 3, 1 / 3])
        # Churn at k: no episode in month M+k or later. k=1: b; k=2: b; k=3: b, c.
        self.assertEqual(jan["churn"], [0, 1 / 3, 1 / 3, 2 / 3])
        self.assertEqual((feb["month"], feb["retained"], feb["churn"]), ("2026-02", [1, 0, 0], [0, 1.0, 1.0]))
        self.assertEqual((apr["month"], apr["retained"]), ("2026-04", [1]))
        c = r["customers"]
        self.assertEqual((c["customers"], c["returning"], c["referred"]), (5, 2, 3))
        self.assertEqual(c["returning_share"], 2 / 5)
        ror = c["return_on_relationship"]
        self.assertEqual(ror["since"], "2025-04-02T09:00:00.000000Z")
        self.assertEqual((ror["customers"], ror["returning_or_referred"], ror["share"]), (5, 5, 1.0))
        # Filtered on channel sms: a, c count; cohorts only those whose first episode is sms.
        s = report(ev, channel="sms")
        self.assertEqual([row["month"] for row in s["cohorts"]], ["2026-01"])
        self.assertEqual(s["cohorts"][0]["customers"], 2)
        self.assertEqual(s["customers"]["referred"], 0)
        # With until in March, the RoR window ends there: e (April) is out.
        u = report(ev, until="2026-03-01T00:00:00Z")["customers"]["return_on_relationship"]
        self.assertEqual((u["since"], u["customers"]), ("2025-03-01T00:00:00.000000Z", 4))

    def test_months_before_clamps_the_day(self):
        self.assertEqual(ref.format_time(ref.months_before(ref.parse_time("2024-02-29T10:00:00Z"), 12)),
                         "2023-02-28T10:00:00.000000Z")

    def test_empty_store(self):
        r = report([])
        self.assertIsNone(r["as_of"])
        self.assertEqual(r["totals"]["episodes"], 0)
        self.assertEqual(r["cohorts"], [])
        self.assertIsNone(r["customers"]["returning_share"])


class BusinessHoursOverDst(unittest.TestCase):
    HOURS = {"zone": "Europe/Budapest", "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00",
             "thu": "09:00-17:00", "fri": "09:00-17:00", "sat": "", "sun": ""}

    def test_first_response_counts_only_open_hours_across_the_spring_change(self):
        # Fri 2026-03-27 16:00 local (15:00 UTC, CET) -> Mon 2026-03-30 10:00 local (08:00 UTC,
        # CEST: clocks went forward on Sunday): 1 h on Friday + 1 h on Monday = 7200 s; wall
        # time is 65 h.
        ev = [msg("a", "2026-03-27 15:00"), out("a", "2026-03-30 08:00")]
        self.assertEqual(report(ev, business_hours=self.HOURS)["totals"]["first_response"]["p50_s"], 7200)
        self.assertEqual(report(ev)["totals"]["first_response"]["p50_s"], 65 * 3600)
        s = report(ev, business_hours=self.HOURS)["settings"]
        self.assertEqual(s["business_hours"]["zone"], "Europe/Budapest")

    def test_autumn_change_and_closed_days(self):
        # Sat 2026-10-24 12:00 UTC -> Mon 2026-10-26 09:30 UTC (10:30 CET after Sunday's change):
        # the weekend is closed; Monday 09:00-10:30 local = 5400 s.
        ev = [msg("a", "2026-10-24 12:00"), out("a", "2026-10-26 09:30")]
        self.assertEqual(report(ev, business_hours=self.HOURS)["totals"]["first_response"]["p50_s"], 5400)


class Comparing(unittest.TestCase):
    def test_first_difference_names_the_path(self):
        a = {"totals": {"first_response": {"p50_s": 1.0, "by_inbound_channel": {"sms": {"count": 2}}}},
             "applied_change_seq": 7}
        b = {"totals": {"first_response": {"p50_s": 1.0 + 1e-12, "by_inbound_channel": {"sms": {"count": 3}}}},
             "applied_change_seq": None}
        self.assertEqual(ref.first_difference(a, b),
                         "$.totals.first_response.by_inbound_channel.sms.count: got 2, expected 3")
        self.assertIsNone(ref.first_difference(b, b))
        self.assertIn("$.x[1]", ref.first_difference({"x": [1, 2]}, {"x": [1, 2.001]}))


if __name__ == "__main__":
    unittest.main()
