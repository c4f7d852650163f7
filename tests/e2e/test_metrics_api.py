"""The relationship metrics report through its outputs (docs/metrics.md), against a real
unifier, omnihub-api and omnihubctl: a small timeline injected with `omnihubctl inject`, then
`omnihubctl metrics` and GET /api/v1/metrics give the same report, byte for byte, whose figures
are the ones worked out by hand below; the gauges on the unifier's /metrics agree; bad
parameters are refused naming them.

The metrics follow the change log on a thread of their own: the test waits until the report's
applied_change_seq reaches the store's last change (and the lag gauge is 0), never for a fixed
time.

The timeline (quiet_hours 24, resolution_days 7, no business hours):
  A +14155550101  sms in 03-03 09:00, sms out 09:10                      FRT 600 s, FCR
  B b@example.net email in 03-03 10:00, out 11:00; in 03-04 10:00 (a follow-up inside the
                  window), out 03-04 12:00                                FRT 3600 s, 2 replies, not FCR
  C +14155550103  sms in 03-05 08:00, sms out 08:05; WhatsApp in 03-06 09:00 (the same phone:
                  a follow-up on another channel), WhatsApp out 09:30     FRT 300 s, 2 replies, not FCR,
                                                                         one channel switch
  D +14155550104  sms in 04-01 00:00 with referred_by, no answer          open; sets as_of
"""

import json
import unittest

import hub

AS_OF = "2026-04-01T00:00:00.000000Z"


def msg(channel, pid, at, customer, direction="inbound", **extra):
    account = {"email": "support@shop.example", "sms": "+12025550000", "whatsapp": "+12025550001"}[channel]
    key = "email" if channel == "email" else "phone"
    ev = {"channel": channel, "account": account, "provider_message_id": pid, "direction": direction,
          "occurred_at": at, "text": f"{direction} {pid}"}
    if direction == "inbound":
        ev["from"] = {key: customer}
    else:
        ev["from"] = {key: account}
        ev["to"] = [{key: customer}]
    ev.update(extra)
    return ev


TIMELINE = [
    msg("sms", "a1", "2026-03-03T09:00:00Z", "+14155550101"),
    msg("sms", "a2", "2026-03-03T09:10:00Z", "+14155550101", "outbound"),
    msg("email", "b1", "2026-03-03T10:00:00Z", "b@example.net", subject="Order 7"),
    msg("email", "b2", "2026-03-03T11:00:00Z", "b@example.net", "outbound", subject="Re: Order 7"),
    msg("email", "b3", "2026-03-04T10:00:00Z", "b@example.net", subject="Re: Order 7"),
    msg("email", "b4", "2026-03-04T12:00:00Z", "b@example.net", "outbound", subject="Re: Order 7"),
    msg("sms", "c1", "2026-03-05T08:00:00Z", "+14155550103"),
    msg("sms", "c2", "2026-03-05T08:05:00Z", "+14155550103", "outbound"),
    msg("whatsapp", "c3", "2026-03-06T09:00:00Z", "+14155550103"),
    msg("whatsapp", "c4", "2026-03-06T09:30:00Z", "+14155550103", "outbound"),
    msg("sms", "d1", "2026-04-01T00:00:00Z", "+14155550104", referred_by="partner:acme"),
]


class MetricsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(api=True).start()
        try:
            cls.reader = cls.hub.api(cls.hub.api_token("agent-read", "read"))
            cls.hub.inject_lines(TIMELINE)
            cls.wait_applied()
        except Exception:
            cls.hub.stop()
            cls.hub.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    @classmethod
    def wait_applied(cls):
        """Until the metrics reflect every change the store committed: the lag gauge is 0 and
        the report says so."""
        last = cls.hub.stats()["last_change_seq"]

        def caught_up():
            if cls.hub.metrics_lag() != 0:
                return None
            report = cls.cli_report()
            return report if report and report["applied_change_seq"] >= last else None
        return hub.wait_until(caught_up, f"the relationship metrics to apply change {last}")

    @classmethod
    def cli_report(cls, *args):
        r = cls.hub.ctl("metrics", *args, check=False, timeout=30)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def both(self, cli_args, params):
        """The CLI's and the API's report for the same filters, checked to be the same bytes."""
        cli = self.hub.ctl("metrics", *cli_args, timeout=30).stdout.decode()
        api = self.reader.get("/api/v1/metrics", params=params, expect=200)
        self.assertEqual(api.header("content-type"), "application/json")
        self.assertEqual(cli.rstrip("\n"), api.body.decode())
        return json.loads(cli)

    def test_cli_and_api_give_the_hand_computed_report(self):
        r = self.both([], {})
        self.assertEqual(r["as_of"], AS_OF)
        self.assertIsNone(r["since"])
        self.assertIsNone(r["by"])
        self.assertEqual(r["groups"], [])
        self.assertEqual(r["settings"]["quiet_hours"], 24)
        self.assertEqual(r["settings"]["resolution_days"], 7)
        t = r["totals"]
        self.assertEqual((t["episodes"], t["closed"], t["open"], t["unanswered"]), (4, 3, 1, 0))
        fr = t["first_response"]
        self.assertEqual((fr["count"], fr["p50_s"], fr["p90_s"], fr["p99_s"]), (3, 600, 3600, 3600))
        self.assertEqual(fr["by_inbound_channel"]["sms"], {"count": 2, "p50_s": 300, "p90_s": 600, "p99_s": 600})
        self.assertEqual(fr["by_inbound_channel"]["email"], {"count": 1, "p50_s": 3600, "p90_s": 3600, "p99_s": 3600})
        self.assertEqual(set(fr["by_inbound_channel"]), {"sms", "email"})
        self.assertEqual(fr["by_reply_channel"]["sms"]["count"], 2)
        self.assertEqual(fr["by_reply_channel"]["email"]["p50_s"], 3600)
        # Only A was resolved at first contact: B wrote again by email, C again on WhatsApp.
        fcr = t["first_contact_resolution"]
        self.assertEqual((fcr["resolved"], fcr["closed"]), (1, 3))
        self.assertAlmostEqual(fcr["share"], 1 / 3)
        rt = t["resolution_time"]
        self.assertEqual((rt["count"], rt["p50_s"], rt["p90_s"]), (3, 91800, 93600))
        self.assertAlmostEqual(t["replies_per_episode"], 5 / 3)
        self.assertEqual(t["channel_switches"], {"total": 1, "episodes_with_switch": 1})
        self.assertEqual(t["consistency"], {"first_response_p50_spread_s": 3300, "fastest_channel": "sms",
                                            "slowest_channel": "email"})
        c = r["customers"]
        self.assertEqual((c["customers"], c["returning"], c["referred"]), (4, 0, 1))
        self.assertEqual(c["returning_share"], 0)
        self.assertEqual(c["referral_share"], 0.25)
        self.assertEqual(c["return_on_relationship"]["customers"], 4)
        self.assertEqual(c["return_on_relationship"]["returning_or_referred"], 1)
        self.assertEqual(c["return_on_relationship"]["share"], 0.25)
        march = next(x for x in r["cohorts"] if x["month"] == "2026-03")
        self.assertEqual(march["customers"], 3)
        self.assertEqual(march["retained"], [3, 0])

    def test_by_channel_with_filters(self):
        r = self.both(["--by", "channel"], {"by": "channel"})
        self.assertEqual([g["key"] for g in r["groups"]], ["email", "sms"])
        email, sms = r["groups"]
        self.assertEqual((email["episodes"], email["closed"]), (1, 1))
        self.assertEqual(email["first_contact_resolution"]["resolved"], 0)
        self.assertEqual((sms["episodes"], sms["closed"], sms["open"]), (3, 2, 1))
        self.assertEqual(sms["first_contact_resolution"]["share"], 0.5)
        self.assertEqual(sms["first_response"]["p50_s"], 300)

        r = self.both(["--channel", "sms", "--since", "2026-03-04", "--until", "2026-04-01T00:00:00Z", "--by", "day"],
                      {"channel": "sms", "since": "2026-03-04", "until": "2026-04-01T00:00:00Z", "by": "day"})
        self.assertEqual(r["channel"], "sms")
        self.assertEqual(r["since"], "2026-03-04T00:00:00.000000Z")
        self.assertEqual(r["until"], AS_OF)
        # Only C's episode: A opened before since, D at until (exclusive).
        self.assertEqual(r["totals"]["episodes"], 1)
        self.assertEqual([g["key"] for g in r["groups"]], ["2026-03-05"])
        self.assertEqual(r["totals"]["first_response"]["p50_s"], 300)

        r = self.both(["--account", "support@shop.example"], {"account": "support@shop.example"})
        self.assertEqual(r["totals"]["episodes"], 1)

    def test_the_gauges_show_the_headline(self):
        status, _, body = self.hub.admin_get("unifier", "/metrics")
        self.assertEqual(status, 200)
        series = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
                  for line in body.splitlines() if line.startswith("omnihub_relationship_")}
        # Every episode opened in the 30 days before as_of: all four.
        self.assertEqual(series['omnihub_relationship_first_response_seconds{quantile="0.5"}'], 600)
        self.assertEqual(series['omnihub_relationship_first_response_seconds{quantile="0.9"}'], 3600)
        self.assertAlmostEqual(series["omnihub_relationship_first_contact_resolution_ratio"], 1 / 3)
        self.assertEqual(series["omnihub_relationship_returning_customers_ratio"], 0)
        self.assertEqual(series["omnihub_relationship_applied_change_seq"], self.hub.stats()["last_change_seq"])
        self.assertEqual(series["omnihub_relationship_lag_changes"], 0)

    def test_bad_parameters_are_refused_naming_them(self):
        for params, field, text in [
            ({"by": "year"}, "by", "'year' is not one of day, week, month, channel, account"),
            ({"since": "2026-03-02", "until": "2026-03-01"}, "until", "until"),
            ({"since": "last week"}, "since", "not a time"),
            ({"channel": "fax"}, "channel", "unknown channel 'fax'"),
            ({"channel": "sms,email"}, "channel", "one inbound channel"),
            ({"grouping": "day"}, "grouping", "unknown parameter"),
        ]:
            r = self.reader.get("/api/v1/metrics", params=params, expect=400)
            err = r.json["error"]
            self.assertEqual((err["code"], err["field"]), ("bad_request", field), r.body)
            self.assertIn(text, err["message"])
        self.assertEqual(self.reader.get("/api/v1/metrics", token=None).status, 401)

        for args, text in [
            (["--by", "year"], "omnihubctl: --by: 'year' is not one of day, week, month, channel, account"),
            (["--since", "2026-03-02", "--until", "2026-03-01"], "--until must be after --since"),
            (["--channel", "fax"], "--channel: unknown channel 'fax'"),
        ]:
            r = self.hub.ctl("metrics", *args, check=False)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(text, r.stderr.decode())
            self.assertEqual(r.stdout, b"")


if __name__ == "__main__":
    unittest.main()
