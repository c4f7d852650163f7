"""The clients of the cluster chaos test (test_cluster_chaos.py): one event each of a real SMTP
client (smtplib), a signed Twilio webhook, a signed Meta Messenger webhook and a Telegram
update, each retried as its real sender retries - SMTP 4xx and a dropped connection: later;
a webhook answered other than 2xx, or not at all: again - and counted as sent only once the
adapter acknowledged it (SMTP 250 after DATA, HTTP 2xx). An SMTP 5xx is a permanent refusal,
which no event of the test deserves: it is recorded as a failure."""

import email.message
import http.client
import smtplib
import threading
import time
import urllib.error

from hub import META_APP_SECRET, META_VERIFY_TOKEN, TELEGRAM_SECRET, TWILIO_TOKEN, X_SECRET
from sms_clients import TwilioClient, twilio_sms
from social_clients import SocialClient, messaging, messenger_message, tg_message, tg_user

CHANNELS = ("email", "sms", "messenger", "telegram")


class ChaosEvent:
    """Event i of the run: its tenant, channel, customer and the provider id the hub keys it by."""

    def __init__(self, i, tenant, customers=150):
        self.i, self.tenant = i, tenant
        self.channel = CHANNELS[(i // 3) % len(CHANNELS)]
        self.customer = (i * 7919) % customers
        self.text = f"chaos-event {i}"
        self.provider_id = {"email": f"<chaos-{i}@customers.test>", "sms": "SM" + f"{i:032x}",
                            "messenger": f"m_chaos{i}", "telegram": str(i + 1)}[self.channel]


class Sender:
    """Sends events to one hub's adapters; one per client thread (it keeps an SMTP connection)."""

    def __init__(self, hub, mailboxes, attempt_timeout=10):
        self.hub, self.mailboxes, self.attempt_timeout = hub, mailboxes, attempt_timeout
        self.smtp = None
        self.webhooks = {}

    def send(self, event):
        """None once the adapter acknowledged the event; else why not (to retry, or a 5xx)."""
        try:
            if event.channel == "email":
                return self._mail(event)
            status, body = self._webhook(event)
            return None if 200 <= status < 300 else f"HTTP {status} {body[:200]!r}"
        except (OSError, http.client.HTTPException, smtplib.SMTPException, urllib.error.URLError) as e:
            self.close()
            return f"{type(e).__name__}: {e}"

    def _mail(self, event):
        msg = email.message.EmailMessage()
        msg["From"] = f"customer{event.customer}@customers.test"
        msg["To"] = self.mailboxes[event.tenant]
        msg["Subject"] = f"order {event.i}"
        msg["Message-ID"] = event.provider_id
        msg.set_content(event.text)
        if self.smtp is None:
            self.smtp = smtplib.SMTP("127.0.0.1", self.hub.smtp_port, timeout=self.attempt_timeout)
        try:
            self.smtp.send_message(msg)
            return None
        except smtplib.SMTPRecipientsRefused as e:
            codes = [code for code, _ in e.recipients.values()]
        except smtplib.SMTPResponseException as e:
            codes = [e.smtp_code]
        self.close()
        if any(code >= 500 for code in codes):
            return f"permanent SMTP refusal {codes}"
        return f"SMTP {codes}: try again later"

    def _webhook(self, event):
        if event.channel == "sms":
            client = TwilioClient(self.hub, TWILIO_TOKEN, account=event.tenant)
            status, body, _ = client.post("messages", twilio_sms(event.provider_id, f"+1202555{event.customer:04d}",
                                                                 "+12025550000", event.text))
            return status, body
        social = SocialClient(self.hub.social_base, META_APP_SECRET, META_VERIFY_TOKEN, TELEGRAM_SECRET, X_SECRET,
                              account=event.tenant)
        if event.channel == "messenger":
            ts = 1_718_000_000_000 + event.i
            status, body, _ = social.meta(messaging("page", "104000000000001", messenger_message(
                f"{9_000_000 + event.customer}", event.provider_id, ts, text=event.text)))
            return status, body
        user = tg_user(700_000 + event.customer, f"Customer{event.customer}")
        status, body, _ = social.telegram(tg_message(event.i + 1, event.i + 1, user, 1_718_000_000 + event.i,
                                                     text=event.text))
        return status, body

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.close()
            except OSError:
                pass
            self.smtp = None


class Offered:
    """Sends `events` from `threads` client threads at `rate` events/s (each event due at
    start + i / rate), every event retried until acknowledged or `give_up_s` passed.
    acked[i] is the time event i was acknowledged; failures the events given up on."""

    def __init__(self, hub, mailboxes, events, rate, threads=8, give_up_s=180):
        self.hub, self.mailboxes, self.events, self.rate = hub, mailboxes, events, rate
        self.threads_n, self.give_up_s = threads, give_up_s
        self.acked = {}
        self.failures = []
        self.retries = 0
        self.retry_reasons = {}
        self.lock = threading.Lock()
        self.next = 0
        self.threads = []

    def start(self):
        self.started = time.monotonic()
        for _ in range(self.threads_n):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def join(self, timeout):
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.threads)

    def done(self):
        return not any(t.is_alive() for t in self.threads)

    def _take(self):
        with self.lock:
            if self.next >= len(self.events):
                return None
            self.next += 1
            return self.events[self.next - 1]

    def _run(self):
        sender = Sender(self.hub, self.mailboxes)
        try:
            while (event := self._take()) is not None:
                due = self.started + event.i / self.rate
                if due > time.monotonic():
                    time.sleep(due - time.monotonic())
                first = time.monotonic()
                while True:
                    why = sender.send(event)
                    if why is None:
                        with self.lock:
                            self.acked[event.i] = time.monotonic()
                        break
                    with self.lock:
                        self.retries += 1
                        reason = why.split(":")[0][:60]
                        self.retry_reasons[reason] = self.retry_reasons.get(reason, 0) + 1
                    if why.startswith("permanent") or time.monotonic() - first > self.give_up_s:
                        with self.lock:
                            self.failures.append((event.i, event.channel, why))
                        break
                    time.sleep(0.25)
        finally:
            sender.close()

