"""Tenants (docs/cluster.md "Tenants and the stored keys' tenant prefix"), with real adapters.

One hub, two tenants: the mailbox support@shop.example and the Twilio account `default`
belong to the default tenant, the mailbox sales@acme.test and the Twilio account `acme` to
tenant `acme` (the config's `tenant` keys). Ana writes to both, from one address and one
phone: each tenant gets its own customers with their own timelines. An email addressed to
both tenants is split by the client after a 452. Commands act within their tenant: acme's
merge joins acme's Ana only, another tenant's customer is not found, queries of a tenant
(omnihubctl --tenant, the API's `tenant`) find its customers and search its messages, and a
bad tenant id is refused by omnihubctl, the API and --check-config, each naming what to fix."""

import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request
from email.message import EmailMessage

import hub
from sms_clients import TwilioClient, twilio_sms
from smtp_clients import smtplib_send

DEFAULT_MAILBOX, ACME_MAILBOX = "support@shop.example", "sales@acme.test"
ANA, ANA_PHONE = "ana@example.org", "+14155550123"
DEFAULT_NUMBER, ACME_NUMBER = "+12025550000", "+12025550001"


def email(msgid, to, text, sender=ANA):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, to, "order", f"<{msgid}>"
    m["Date"] = "Mon, 06 May 2024 08:14:05 +0000"
    m.set_content(text)
    return m.as_bytes()


class TenantsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(
            email=True,
            email_mailboxes=f'["{DEFAULT_MAILBOX}", {{ address = "{ACME_MAILBOX}", tenant = "acme" }}]',
            sms=True, sms_extra='[sms.twilio.acme]\nauth_token_env = "E2E_TWILIO_TOKEN"\ntenant = "acme"\n',
            api=True)
        cls.hub.start()
        h = cls.hub
        for msgid, to in [("m-default@example.org", DEFAULT_MAILBOX), ("m-acme@example.org", ACME_MAILBOX)]:
            r = smtplib_send("127.0.0.1", h.smtp_port, ANA, [to], email(msgid, to, f"hello {to}"))
            assert r["data"] and r["data"][0][0] == 250, r
        for account, sid, to in [("default", "SM" + "d" * 32, DEFAULT_NUMBER), ("acme", "SM" + "a" * 32, ACME_NUMBER)]:
            status, body, _ = TwilioClient(h, hub.TWILIO_TOKEN, account=account).post(
                "messages", twilio_sms(sid, ANA_PHONE, to, f"sms to {account}"))
            assert status == 200, body
        h.wait_committed("email", 2)
        h.wait_committed("sms", 2)
        # The export names every event's customer; the acme events are those of acme's accounts.
        cls.lines = h.export()
        cls.customers_at_start = h.stats()["customers"]
        cls.customer = {}
        for line in cls.lines:
            tenant = "acme" if line["account"] in (ACME_MAILBOX, ACME_NUMBER) else "default"
            cls.customer[(tenant, line["channel"])] = line["customer_id"]

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def ids(self, events):
        return sorted(e["provider_message_id"] for e in events)

    def test_one_sender_under_two_tenants_is_two_customers_and_commands_stay_in_their_tenant(self):
        # In order: the merge of the second part joins acme's customers.
        self.check_two_customers_with_their_own_timelines()
        self.check_commands_act_within_their_tenant()

    def check_two_customers_with_their_own_timelines(self):
        self.assertEqual(len(self.lines), 4)
        self.assertEqual(self.customers_at_start, 4)
        self.assertNotEqual(self.customer[("acme", "email")], self.customer[("default", "email")])
        self.assertNotEqual(self.customer[("acme", "sms")], self.customer[("default", "sms")])
        # An identity argument names the default tenant's Ana; acme's is reached by its id.
        default_email, _ = self.hub.timeline(f"email:{ANA}", "--all")
        self.assertEqual(self.ids(default_email), ["m-default@example.org"])
        acme_email, _ = self.hub.timeline(self.customer[("acme", "email")], "--all")
        self.assertEqual(self.ids(acme_email), ["m-acme@example.org"])
        default_sms, _ = self.hub.timeline(f"phone:{ANA_PHONE}", "--all")
        self.assertEqual(self.ids(default_sms), ["SM" + "d" * 32])
        acme_sms, _ = self.hub.timeline(self.customer[("acme", "sms")], "--all")
        self.assertEqual(self.ids(acme_sms), ["SM" + "a" * 32])

    def check_commands_act_within_their_tenant(self):
        h = self.hub
        # The default tenant's command cannot reach acme's customer, even by id.
        r = h.ctl("customer", "merge", self.customer[("default", "email")], self.customer[("acme", "email")],
                  "--reason", "same person", check=False)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("in tenant 'default'", r.stderr.decode())
        r = h.ctl("customer", "merge", f"email:{ANA}", f"phone:{ANA_PHONE}", "--reason", "x", "--tenant", "acme.eu",
                  check=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--tenant 'acme.eu' is not a tenant id", r.stderr.decode())

        # Acme's merge by identity joins acme's Ana, and the default tenant's stay apart.
        r = h.ctl("customer", "merge", f"email:{ANA}", f"phone:{ANA_PHONE}", "--reason", "same person",
                  "--tenant", "acme")
        survivor = json.loads(r.stdout)["customer_id"]
        self.assertIn(survivor, (self.customer[("acme", "email")], self.customer[("acme", "sms")]))
        merged, _ = h.timeline(survivor, "--all")
        self.assertEqual(self.ids(merged), ["SM" + "a" * 32, "m-acme@example.org"])
        default_email, _ = h.timeline(f"email:{ANA}", "--all")
        self.assertEqual(self.ids(default_email), ["m-default@example.org"])
        self.assertEqual(json.loads(h.ctl("lookup", f"email:{ANA}").stdout)["customer_id"],
                         self.customer[("default", "email")])

    def test_queries_of_a_tenant_find_its_customers(self):
        h = self.hub
        # Acme's two customers may be one by now (the merge of the other test): either answers.
        acme = {self.customer[("acme", "email")], self.customer[("acme", "sms")]}
        # omnihubctl --tenant: an identity names that tenant's Ana.
        acme_email, _ = h.timeline(f"email:{ANA}", "--all", "--tenant", "acme")
        self.assertIn("m-acme@example.org", self.ids(acme_email))
        self.assertNotIn("m-default@example.org", self.ids(acme_email))
        r = h.ctl("lookup", f"phone:{ANA_PHONE}", "--tenant", "acme")
        self.assertIn(json.loads(r.stdout)["customer_id"], acme)
        # The API's `tenant`: the same, and another tenant's customer id is not acme's to read.
        api = h.api(h.api_token("tenant-queries"))
        from api_client import quote
        r = api.get(f"/api/v1/customers/{quote('email:' + ANA)}", params={"tenant": "acme"}, expect=200)
        self.assertIn(r.json["customer_id"], acme)
        r = api.get(f"/api/v1/customers/{self.customer[('default', 'email')]}", params={"tenant": "acme"}, expect=404)
        self.assertIn("in tenant 'acme'", r.json["error"]["message"])

        # Search: each tenant's messages only (the index follows the change log).
        def customers_found(tenant):
            hits = api.get("/api/v1/search", params={"q": "hello", "tenant": tenant}, expect=200).json["hits"]
            return [hit["customer_id"] for hit in hits]
        hub.wait_until(lambda: len(customers_found("acme")) == 1, "acme's search to find its email", timeout=30,
                       interval=0.2)
        self.assertIn(customers_found("acme")[0], acme)
        self.assertEqual(customers_found("default"), [self.customer[("default", "email")]])

    def test_export_per_tenant_names_the_tenant_on_each_line(self):
        acme = [json.loads(l) for l in self.hub.ctl("export", "--tenant", "acme").stdout.decode().splitlines()]
        self.assertEqual(sorted(l["provider_message_id"] for l in acme), ["SM" + "a" * 32, "m-acme@example.org"])
        self.assertTrue(all(l["tenant"] == "acme" for l in acme), acme)
        default = [json.loads(l) for l in self.hub.ctl("export", "--tenant", "default").stdout.decode().splitlines()]
        self.assertIn("m-default@example.org", [l["provider_message_id"] for l in default])
        self.assertNotIn("m-acme@example.org", [l["provider_message_id"] for l in default])
        self.assertTrue(all("tenant" not in l for l in default), default)
        # Without --tenant: every tenant's lines, each saying whose it is.
        self.assertEqual(sorted(l.get("tenant", "default") for l in self.lines),
                         ["acme", "acme", "default", "default"])
        r = self.hub.ctl("export", "--tenant", "a b", check=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--tenant 'a b' is not a tenant id", r.stderr.decode())

    def test_an_email_to_two_tenants_is_split_by_the_client(self):
        # Another sender, so that the other test's timelines stay as they are.
        r = smtplib_send("127.0.0.1", self.hub.smtp_port, "bob@example.org", [DEFAULT_MAILBOX, ACME_MAILBOX],
                         email("m-both@example.org", DEFAULT_MAILBOX, "to both", sender="bob@example.org"))
        self.assertEqual(r["rcpt"][DEFAULT_MAILBOX][0], 250)
        self.assertEqual(r["rcpt"][ACME_MAILBOX][0], 452, r)
        self.assertIn("belongs to another tenant", r["rcpt"][ACME_MAILBOX][1])
        self.assertEqual(r["data"][0][0], 250)

    def test_the_api_refuses_a_tenant_that_is_no_tenant_id(self):
        token = self.hub.api_token("tenants-test")
        body = json.dumps({"survivor": f"email:{ANA}", "other": f"phone:{ANA_PHONE}", "reason": "x",
                           "tenant": "acme/eu"}).encode()
        req = urllib.request.Request(self.hub.api_base + "/api/v1/merges", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=30)
        self.assertEqual(caught.exception.code, 400)
        error = json.loads(caught.exception.read())
        self.assertIn("tenant", json.dumps(error))
        self.assertIn("'acme/eu' is not a tenant id", json.dumps(error))

    def test_check_config_names_a_bad_tenant_with_its_key_and_line(self):
        path = os.path.join(self.hub.dir, "bad-tenant.toml")
        with open(path, "w") as f:
            f.write(f'data_dir = "{self.hub.dir}/bad"\n[sms.twilio.shop]\ndev_auth_token = "t"\ntenant = "acme.eu"\n')
        r = subprocess.run([hub.binary("omnihub-sms"), "--config", path, "--check-config"], capture_output=True,
                           timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("sms.twilio.shop.tenant (line 4) 'acme.eu' is not a tenant id", r.stdout.decode() + r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
