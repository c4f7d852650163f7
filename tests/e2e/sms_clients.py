"""Webhook clients for the SMS tests: requests shaped and signed the way Twilio and
Vonage send them (docs/sms.md; channel-formats sections 3 and 4), over real HTTP with
urllib. Only the Python standard library is used."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request


def twilio_signature(token, url, params):
    """X-Twilio-Signature: Base64 HMAC-SHA1 over the URL and the sorted name+value pairs."""
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def vonage_signature(params, secret):
    """Vonage md5hash `sig`: MD5 of "&k=v..." (sorted, '&'/'=' in values as '_') + secret."""
    text = "".join("&" + k + "=" + v.replace("&", "_").replace("=", "_") for k, v in sorted(params) if k != "sig")
    return hashlib.md5((text + secret).encode()).hexdigest()


def request(url, body=None, headers=None, method=None):
    """(status, body bytes, headers) of one HTTP request; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


class TwilioClient:
    """Posts form webhooks as Twilio does, signed for the hub's public URL."""

    def __init__(self, hub, token, public_base="https://hub.example.com", account="default"):
        self.hub, self.token, self.public_base, self.account = hub, token, public_base, account

    def post(self, kind, params, token=None, sign_url=None, account=None):
        path = f"/twilio/{account or self.account}/{kind}"
        body, headers = self.signed_form(kind, params, token, sign_url, account)
        return request(self.hub.sms_base + path, body, headers)

    def signed_form(self, kind, params, token=None, sign_url=None, account=None):
        """(body, headers) of the POST to /twilio/<account>/<kind>, for a client of one's own."""
        path = f"/twilio/{account or self.account}/{kind}"
        items = list(params.items()) if isinstance(params, dict) else list(params)
        sig = twilio_signature(token or self.token, sign_url or (self.public_base + path), items)
        body = urllib.parse.urlencode(items).encode()
        return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig}


def twilio_sms(sid, frm, to, body, **extra):
    p = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": "AC" + "1" * 32,
         "From": frm, "To": to, "Body": body, "NumMedia": "0", "NumSegments": "1",
         "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    p.update(extra)
    return p


def twilio_status(sid, status, frm, to, **extra):
    p = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "1" * 32, "From": frm, "To": to,
         "MessageStatus": status, "SmsStatus": status, "ApiVersion": "2010-04-01"}
    p.update(extra)
    return p


class VonageClient:
    """Sends Vonage SMS API webhooks (GET query, POST form or POST JSON), md5hash-signed."""

    def __init__(self, hub, secret, account="default"):
        self.hub, self.secret, self.account = hub, secret, account

    def signed(self, params, secret=None, timestamp=None):
        p = dict(params)
        p.setdefault("timestamp", str(int(timestamp if timestamp is not None else time.time())))
        p.setdefault("nonce", hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16])
        p["sig"] = vonage_signature(list(p.items()), secret or self.secret)
        return p

    def send(self, kind, params, how="get", sign=True, account=None, **sign_args):
        p = self.signed(params, **sign_args) if sign else dict(params)
        url = f"{self.hub.sms_base}/vonage/{account or self.account}/{kind}"
        if how == "get":
            return request(url + "?" + urllib.parse.urlencode(p))
        if how == "form":
            return request(url, urllib.parse.urlencode(p).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        return request(url, json.dumps(p).encode(), {"Content-Type": "application/json"})


def vonage_sms(message_id, msisdn, to, text, **extra):
    p = {"msisdn": msisdn, "to": to, "messageId": message_id, "text": text, "type": "text",
         "keyword": text.split()[0].upper() if text.split() else "", "message-timestamp": "2026-11-23 09:00:00",
         "api-key": "abcd1234"}
    p.update(extra)
    return p
