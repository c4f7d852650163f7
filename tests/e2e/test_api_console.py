"""The agent console in a real browser against real processes: a unifier, omnihub-email (an
SMTP client sends a mail with an HTML attachment) and omnihub-api. This file starts and seeds
the hub (a small multi-channel timeline over the last three months for the metrics page among
it), makes a token and a one-time login link with omnihubctl, then runs the browser
scenarios of tests/browser/console.test.mjs (node's test runner, playwright-core driving
Debian's chromium) and asserts they pass. Registered in CTest as e2e.browser_console.

Needs tests/browser/node_modules (scripts/test.sh runs `npm ci` there when it is missing).
Screenshots and axe-core reports go to $OMNIHUB_BROWSER_ARTIFACTS (CTest: build/Testing/
browser-artifacts/)."""

import json
import os
import shutil
import smtplib
import subprocess
import sys
import unittest
from email.message import EmailMessage

import hub

BROWSER_DIR = os.path.join(hub.REPO, "tests", "browser")
ARTIFACTS = os.environ.get("OMNIHUB_BROWSER_ARTIFACTS") or os.path.join(hub.REPO, "build", "Testing",
                                                                      "browser-artifacts")
ACCOUNT = "+12025550000"
WHATSAPP_ACCOUNT = "+15550783881"
PHONE = "+4915112345678"
PHONE_SPELLING = "+49 151-1234 5678"
FIRST_TEXT = "Hallo, my order 1042 arrived broken"
EDITED_TEXT = "Can I change the delivery address to Berlin?"
SCRIPT_TEXT = '<script>window.__omnihubInjected = 1</script><img src=x onerror="window.__omnihubInjected = 2">'
HEBREW_WORD = "שלום"
CHINESE_WORD = "北京"
OTHER_EMAIL = "sam@example.org"
OTHER_TEXT = "Do you ship to Haifa?"
OTHER_NAME = "Sam Example"  # signs the mail: the console finds the customer by it through search
ATTACHMENT_NAME = "invite.html"
# If a browser ever rendered it on the console's origin, it would leave these marks.
ATTACHMENT_HTML = (b"<!doctype html><script>window.__omnihubInjected = 3;"
                   b"try { localStorage.setItem('omnihub-injected', '1'); } catch (e) {}"
                   b"if (window.opener) window.opener.__omnihubInjected = 4;</script><p>hello</p>")
TOKEN_NAME = "console-agent"
# A customer with a long history (older pages load on scroll) and an identity to link.
LONG_PHONE = "+33612345678"
LONG_HISTORY = 120
LINKED_EMAIL = "long.history@example.net"
# A reconnect that missed more changes than this gets a reset (the console reloads).
SSE_REPLAY_MAX = 40


def sms(pid, at, text, direction="inbound"):
    return hub.sms(PHONE, pid, at, text=text, account=ACCOUNT, direction=direction)


def whatsapp(pid, at, text, kind="message", direction="inbound", refers_to=None):
    ev = {"channel": "whatsapp", "account": WHATSAPP_ACCOUNT, "provider_message_id": pid, "kind": kind,
          "direction": direction, "occurred_at": at, "conversation": "wa-thread-1", "text": text}
    if direction == "inbound":
        ev["from"] = {"phone": "whatsapp:" + PHONE}
    else:
        ev["from"] = {"phone": "whatsapp:" + WHATSAPP_ACCOUNT}
        ev["to"] = [{"phone": "whatsapp:" + PHONE}]
    if refers_to:
        ev["refers_to"] = refers_to
    return ev


def seed_lines():
    return [
        sms("SM-A1", "2026-11-20T09:00:00Z", FIRST_TEXT),
        sms("SM-A2", "2026-11-20T09:05:00Z", "We are sending a replacement today", direction="outbound"),
        {"channel": "sms", "account": ACCOUNT, "provider_message_id": "SM-A2/delivered", "kind": "status",
         "direction": "outbound", "occurred_at": "2026-11-20T09:05:10Z", "from": {"phone": ACCOUNT},
         "to": [{"phone": PHONE}], "refers_to": "SM-A2", "delivery_status": {"state": "delivered"}},
        whatsapp("WA-A1", "2026-11-20T09:30:00Z", "Can I change the delivery address?"),
        whatsapp("WA-A2", "2026-11-20T09:31:00Z", EDITED_TEXT, kind="edit", refers_to="WA-A1"),
        whatsapp("WA-A3", "2026-11-20T09:32:00Z", "Sure, which address?", direction="outbound"),
        whatsapp("WA-A4", "2026-11-20T09:33:00Z", "👍", kind="reaction", refers_to="WA-A3"),
        sms("SM-A3", "2026-11-20T09:10:00Z", f"{HEBREW_WORD}, ההזמנה שלי הגיעה שבורה"),
        sms("SM-A4", "2026-11-20T09:15:00Z", f"我们明天在{CHINESE_WORD}见面"),
    ] + [
        hub.sms(LONG_PHONE, f"SM-L{n}", hub.rfc3339(1_763_000_000_000_000 + n * 60_000_000), text=f"Older message {n}",
                account=ACCOUNT)
        for n in range(LONG_HISTORY)
    ] + [
        # Last: the hub applies lines in order, so once this one shows, all of them are in.
        sms("SM-A5", "2026-11-20T09:20:00Z", SCRIPT_TEXT),
    ]


# The metrics page's timeline: customers on SMS, WhatsApp and email whose first contacts spread
# over three months (August to October 2026, fixed, so the figures never depend on the day the
# test runs and these customers stay older than the others), replies after minutes to hours,
# customers who come back (FCR broken, a later episode, cohorts with a retention), follow-ups on
# another channel and an unanswered episode. Texts in the languages of the sample data.
METRICS_EMAIL_ACCOUNT = "support@shop.example"
METRICS_CUSTOMERS = 12
DAY_US = 86_400_000_000
MINUTE_US = 60_000_000


def metrics_message(channel, c, pid, at_us, direction, text):
    at = hub.rfc3339(at_us)
    phone = f"+3620555{c:04d}"
    if channel == "sms":
        return hub.sms(phone, pid, at, text=text, account=ACCOUNT, direction=direction)
    if channel == "whatsapp":
        ev = {"channel": "whatsapp", "account": WHATSAPP_ACCOUNT, "provider_message_id": pid, "direction": direction,
              "occurred_at": at, "text": text, "conversation": f"wa-metrics-{c}"}
        own, theirs = {"phone": "whatsapp:" + WHATSAPP_ACCOUNT}, {"phone": "whatsapp:" + phone}
    else:
        ev = {"channel": "email", "account": METRICS_EMAIL_ACCOUNT, "provider_message_id": f"<{pid}@metrics.example>",
              "direction": direction, "occurred_at": at, "subject": f"Order {c}", "text": text}
        own, theirs = {"email": METRICS_EMAIL_ACCOUNT}, {"email": f"metrics.{c}@example.com"}
    if direction == "inbound":
        ev["from"] = theirs
    else:
        ev["from"] = own
        ev["to"] = [theirs]
    return ev


METRICS_START_US = 1_785_744_000_000_000  # 2026-08-03T08:00:00Z


def metrics_lines():
    texts = ["Szia, hol a csomagom?", "Բարև, որտեղ է պատվերս?", "שלום, איפה ההזמנה שלי?", "Здравейте, къде е поръчката ми?",
             "Hello, where is my order?"]
    lines = []
    for c in range(METRICS_CUSTOMERS):
        channel = ("sms", "whatsapp", "email")[c % 3]
        start = METRICS_START_US + c * 7 * DAY_US + c * 37 * MINUTE_US
        reply_after = (3 + c * 11) * MINUTE_US if channel != "email" else (2 + c) * 3600_000_000
        lines.append(metrics_message(channel, c, f"MX-{c}-1", start, "inbound", texts[c % len(texts)]))
        if c == 11:
            continue  # the unanswered episode
        lines.append(metrics_message(channel, c, f"MX-{c}-2", start + reply_after, "outbound", "Thank you, it ships today."))
        if c % 4 == 1:
            # A follow-up two days later, on SMS: not resolved at first contact, whatever the channel.
            lines.append(metrics_message("sms", c, f"MX-{c}-3", start + 2 * DAY_US, "inbound", "It still has not arrived."))
            lines.append(metrics_message("sms", c, f"MX-{c}-4", start + 2 * DAY_US + 20 * MINUTE_US, "outbound", "Sorry, resent."))
        if c % 3 == 0 and c < 8:
            # Back a month later: a second episode, and the cohort's retention after a month.
            back = start + 33 * DAY_US
            lines.append(metrics_message(channel, c, f"MX-{c}-5", back, "inbound", "Ordering again, any discount?"))
            lines.append(metrics_message(channel, c, f"MX-{c}-6", back + 45 * MINUTE_US, "outbound", "Yes, 10% off."))
    return lines


def other_mail():
    m = EmailMessage()
    m["From"] = f"Sam Example <{OTHER_EMAIL}>"
    m["To"] = "support@shop.example"
    m["Subject"] = "Shipping question"
    m["Date"] = "Fri, 20 Nov 2026 08:00:00 +0000"
    m["Message-ID"] = "<ship-1@example.org>"
    m.set_content(f"{OTHER_TEXT}\n\n{OTHER_NAME}\n")
    m.add_attachment(ATTACHMENT_HTML, maintype="text", subtype="html", filename=ATTACHMENT_NAME)
    return m


class ConsoleBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
            raise AssertionError(f"{BROWSER_DIR}/node_modules is missing: run `npm ci` there (scripts/test.sh does)")
        cls.hub = hub.Hub(api=True, email=True, api_extra=f"sse_replay_max = {SSE_REPLAY_MAX}")
        try:
            cls.hub.start()  # inside the try: a service that fails to start must not leave the others running
            with smtplib.SMTP("127.0.0.1", cls.hub.smtp_port, timeout=30) as s:
                s.send_message(other_mail())
            cls.hub.inject_lines(metrics_lines() + seed_lines())  # seed_lines() ends with the line waited for
            cls.hub.wait_event("phone:" + PHONE, "SM-A5")
            cls.hub.wait_event("email:" + OTHER_EMAIL, "ship-1@example.org")
            for word in (HEBREW_WORD, CHINESE_WORD, OTHER_NAME):
                hub.wait_until(lambda: cls.hub.ctl("search", word).stdout.strip(), f"the search index to find {word}")
        except BaseException:
            try:
                cls.hub.stop()
            finally:
                cls.hub.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def login_url(self):
        out = self.hub.ctl("token", "login", TOKEN_NAME).stdout.decode().strip()
        try:
            return json.loads(out)["login_url"]
        except ValueError:
            return out.splitlines()[-1]

    def test_console_files_as_documented(self):
        """The page and its files over plain HTTP, every answer checked against the served OpenAPI
        document (tests/e2e/api_client.py): public, strict CSP, revalidated, unknown names 404."""
        api = self.hub.api()
        page = api.get("/", token=None, expect=200)
        self.assertTrue(page.header("content-type").startswith("text/html"))
        self.assertIn(b'<script type="module" src="/console/app.js"></script>', page.body)
        for name, media_type in (("app.js", "text/javascript"), ("app.css", "text/css")):
            r = api.get("/console/" + name, token=None, expect=200)
            self.assertTrue(r.header("content-type").startswith(media_type), r.headers)
            self.assertEqual(r.header("cache-control"), "no-cache")
            self.assertIn("script-src 'self'", r.header("content-security-policy"))
            self.assertNotIn("unsafe-inline", r.header("content-security-policy"))
        missing = api.get("/console/missing.js", token=None, expect=404)
        self.assertEqual(missing.json["error"]["field"], "path")

    def test_console_in_a_browser(self):
        token = self.hub.api_token(TOKEN_NAME, "read,write")
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        config = {
            "base_url": self.hub.api_base,
            "login_url": self.login_url(),
            "token": token,
            "token_name": TOKEN_NAME,
            "ctl": hub.binary("omnihubctl"),
            "ctl_config": self.hub.config,
            "chromium": shutil.which("chromium") or "/usr/bin/chromium",
            "artifacts": ARTIFACTS,
            "hebrew_word": HEBREW_WORD,
            "chinese_word": CHINESE_WORD,
            "customer": {"phone": PHONE, "phone_spelling": PHONE_SPELLING, "account": ACCOUNT,
                         "first_text": FIRST_TEXT, "edited_text": EDITED_TEXT, "script_text": SCRIPT_TEXT},
            "long": {"phone": LONG_PHONE, "count": LONG_HISTORY, "link_email": LINKED_EMAIL},
            "replay_max": SSE_REPLAY_MAX,
            "metrics": {"channels": ["email", "sms", "whatsapp"], "events": len(metrics_lines())},
            "other": {"identity": "email:" + OTHER_EMAIL, "argument": "email:" + OTHER_EMAIL, "email": OTHER_EMAIL,
                      "name": OTHER_NAME,
                      "text": OTHER_TEXT, "attachment_name": ATTACHMENT_NAME},
        }
        env = dict(os.environ, CONSOLE_TEST=json.dumps(config))
        r = subprocess.run(["node", "--test", "--test-reporter=spec", "console.test.mjs"], cwd=BROWSER_DIR, env=env,
                           capture_output=True, text=True, timeout=600)
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            sys.stderr.write("api.log tail:\n" + self.hub.read_log("api.log", tail=4000))
        self.assertEqual(r.returncode, 0, "browser scenarios failed (output above; screenshots in " + ARTIFACTS + ")")
        shots = [f for f in os.listdir(ARTIFACTS) if f.endswith(".png")]
        self.assertGreaterEqual(len(shots), 10, shots)


if __name__ == "__main__":
    unittest.main()
