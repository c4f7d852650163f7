"""Webhook clients for the social tests: deliveries shaped and signed the way Meta, Telegram and
X send them (docs/social.md; channel-formats sections 5-7), over real HTTP with urllib. The
payload builders write each platform's documented shape; only the Python standard library is
used."""

import base64
import hashlib
import hmac
import json
import urllib.parse

from sms_clients import request

WABA = "102290129340398"            # WhatsApp business account id (entry.id)
PHONE_NUMBER_ID = "106540352242922"  # the business number's id (metadata.phone_number_id)
BUSINESS_NUMBER = "15550783881"
PAGE = "104000000000001"            # Facebook page id
IG_ACCOUNT = "17841400000000001"    # Instagram professional account id


def meta_signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(secret, data):
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha256).digest()).decode()


class SocialClient:
    """Posts deliveries to one hub's omnihub-social, signed with the given secrets."""

    def __init__(self, base, meta_secret, verify_token, telegram_secret, x_secret, account="default"):
        self.base, self.account = base, account
        self.meta_secret, self.verify_token = meta_secret, verify_token
        self.telegram_secret, self.x_secret = telegram_secret, x_secret

    def meta(self, payload, secret=None, signature=None, raw=None):
        """POST a Meta notification. `raw` (bytes) is sent as is, else json.dumps(payload) with
        Meta's escaped-Unicode form (ensure_ascii), which is what Meta signs and sends."""
        body = raw if raw is not None else json.dumps(payload, ensure_ascii=True).encode()
        headers = {"Content-Type": "application/json"}
        if signature is not False:
            headers["X-Hub-Signature-256"] = signature or meta_signature(secret or self.meta_secret, body)
        return request(f"{self.base}/meta/{self.account}", body, headers)

    def meta_handshake(self, token=None, mode="subscribe", challenge="1158201444"):
        q = urllib.parse.urlencode({"hub.mode": mode, "hub.challenge": challenge,
                                    "hub.verify_token": token or self.verify_token})
        return request(f"{self.base}/meta/{self.account}?{q}")

    def telegram(self, update, secret=None):
        body = json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not False:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret or self.telegram_secret
        return request(f"{self.base}/telegram/{self.account}", body, headers)

    def x(self, payload, secret=None):
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not False:
            headers["x-twitter-webhooks-signature"] = x_signature(secret or self.x_secret, body)
        return request(f"{self.base}/x/{self.account}", body, headers)

    def x_crc(self, token):
        return request(f"{self.base}/x/{self.account}?" + urllib.parse.urlencode({"crc_token": token}))


# -- Meta: Messenger and Instagram -------------------------------------------------------

def messaging(obj, account, *events):
    return {"object": obj, "entry": [{"id": account, "time": 1718000000000, "messaging": list(events)}]}


def messenger_message(psid, mid, ts, text=None, attachments=None, page=PAGE, echo=False, **extra):
    msg = {"mid": mid}
    if text is not None:
        msg["text"] = text
    if attachments:
        msg["attachments"] = attachments
    if echo:
        msg.update({"is_echo": True, "app_id": 1517776481860111})
    msg.update(extra)
    sender, recipient = (page, psid) if echo else (psid, page)
    return {"sender": {"id": sender}, "recipient": {"id": recipient}, "timestamp": ts, "message": msg}


def messenger_reaction(psid, mid, ts, emoji, reaction, action="react", page=PAGE):
    return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": ts,
            "reaction": {"mid": mid, "action": action, "reaction": reaction, "emoji": emoji}}


def messenger_edit(psid, mid, ts, text, num_edit=1, page=PAGE):
    return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": ts,
            "message_edit": {"mid": mid, "text": text, "num_edit": num_edit}}


def messenger_watermark(psid, kind, watermark, ts, page=PAGE):
    return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": ts, kind: {"watermark": watermark}}


# -- Meta: WhatsApp Cloud API -------------------------------------------------------------

def whatsapp(messages=(), statuses=(), contacts=()):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": BUSINESS_NUMBER, "phone_number_id": PHONE_NUMBER_ID}}
    if contacts:
        value["contacts"] = list(contacts)
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA, "changes": [{"field": "messages", "value": value}]}]}


def wa_contact(name, wa_id=None, user_id=None, username=None):
    c = {"profile": {"name": name}}
    if username:
        c["profile"]["username"] = username
    if wa_id:
        c["wa_id"] = wa_id
    if user_id:
        c["user_id"] = user_id
    return c


def wa_text(wamid, text, ts="1718000000", frm=None, user_id=None, **extra):
    m = {"id": wamid, "timestamp": ts, "type": "text", "text": {"body": text}}
    if frm:
        m["from"] = frm
    if user_id:
        m["from_user_id"] = user_id
    m.update(extra)
    return m


def wa_status(wamid, status, ts, recipient, errors=None):
    s = {"id": wamid, "status": status, "timestamp": ts, "recipient_id": recipient}
    if errors:
        s["errors"] = errors
    return s


# -- Telegram -----------------------------------------------------------------------------

def tg_user(uid, first, username=None):
    u = {"id": uid, "is_bot": False, "first_name": first}
    if username:
        u["username"] = username
    return u


def tg_message(update_id, message_id, user, date, chat_id=None, **content):
    chat = {"id": chat_id or user["id"], "type": "private", "first_name": user["first_name"]}
    msg = {"message_id": message_id, "date": date, "from": user, "chat": chat}
    msg.update(content)
    return {"update_id": update_id, "message": msg}


def tg_edit(update_id, message_id, user, date, edit_date, text):
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    return {"update_id": update_id, "edited_message": {"message_id": message_id, "date": date, "edit_date": edit_date,
                                                       "from": user, "chat": chat, "text": text}}


# -- X ------------------------------------------------------------------------------------

def x_users(*users):
    return {u["id"]: u for u in users}


def x_dm(for_user, event_id, sender, recipient, text, ts_ms, users):
    return {"for_user_id": for_user,
            "direct_message_events": [{"type": "message_create", "id": event_id, "created_timestamp": str(ts_ms),
                                       "message_create": {"target": {"recipient_id": recipient}, "sender_id": sender,
                                                          "message_data": {"text": text, "entities": {
                                                              "hashtags": [], "symbols": [], "urls": [],
                                                              "user_mentions": []}}}}],
            "users": users}


def x_mention(for_user, tweet_id, user, text, ts_ms, in_reply_to=None):
    tweet = {"created_at": "Mon Jun 10 06:13:20 +0000 2024", "id_str": tweet_id, "text": text,
             "timestamp_ms": str(ts_ms), "user": user,
             "entities": {"user_mentions": [{"id_str": for_user, "screen_name": "AcmeHelp"}]}}
    if in_reply_to:
        tweet["in_reply_to_status_id_str"] = in_reply_to
    return {"for_user_id": for_user, "tweet_create_events": [tweet]}
