"""Builds ingest-format lines (docs/ingest-format.md) for generated timelines.

Shared by scripts/make-sample-data.py (the sample run.sh loads) and the relationship
metrics consistency test (tests/e2e/metrics_timeline.py), so that both speak the format
the same way: which identity a customer has on each channel, which business account a
channel's messages go through, who sends an outbound message. Pure functions; no state.
"""

import datetime as dt

# The business accounts of the generated shop, per channel (the first is the usual one).
ACCOUNTS = {
    "sms": ["+14155550000", "+14155550001"],
    "whatsapp": ["+15550783881"],
    "messenger": ["page-shop-100"],
    "instagram": ["ig-shop-200"],
    "telegram": ["shop_bot"],
    "x": ["shop_x"],
    "email": ["support@shop.example", "sales@shop.example"],
    "api": ["shop"],
}
CHANNELS = tuple(ACCOUNTS)
PHONE_CHANNELS = ("sms", "whatsapp")
PLATFORM_CHANNELS = ("messenger", "instagram", "telegram", "x")
# The identity kind each channel needs for its customer; `api` takes any.
KIND_OF_CHANNEL = {"sms": "phone", "whatsapp": "phone", "email": "email",
                   **{ch: "platform" for ch in PLATFORM_CHANNELS}}


def channels_for(kind, platform=None):
    """The channels a customer identity of this kind can write on."""
    if kind == "phone":
        return ("sms", "whatsapp", "api")
    if kind == "email":
        return ("email", "api")
    return (platform,)


def identity(kind, value, name=None, platform=None):
    """An identity object: kind `phone` / `email` (value the number or address) or
    `platform` (value the user id on `platform`)."""
    if kind == "platform":
        obj = {"platform": platform, "user_id": value}
    else:
        obj = {kind: value}
    if name:
        obj["name"] = name
    return obj


def agent_identity(channel, account):
    """Who sends the shop's outbound messages on this channel and account."""
    if channel in PHONE_CHANNELS:
        return {"phone": account}
    if channel in PLATFORM_CHANNELS:
        return {"platform": channel, "user_id": account}
    if channel == "email":
        return {"email": account}
    return {"email": "agents@shop.example"}


def timestamp(us):
    """Microseconds since the epoch -> RFC 3339 UTC with microseconds."""
    t = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=us)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def message(channel, account, customer, direction, us, pid, text=None, subject=None,
            conversation=None, flags=None, provider_fields=None, kind="message", refers_to=None):
    """One ingest line (a dict) between `customer` (an identity object) and the shop."""
    agent = agent_identity(channel, account)
    line = {"channel": channel, "account": account, "provider_message_id": pid, "kind": kind,
            "direction": direction, "occurred_at": timestamp(us)}
    if direction == "inbound":
        line["from"], line["to"] = customer, [agent]
    else:
        line["from"], line["to"] = agent, [customer]
    for key, value in (("conversation", conversation), ("subject", subject), ("text", text),
                       ("refers_to", refers_to), ("flags", flags), ("provider_fields", provider_fields)):
        if value:
            line[key] = value
    return line


def deletion(line, us, pid):
    """A `delete` line for an earlier message line (same channel, account and parties)."""
    return {"channel": line["channel"], "account": line["account"], "provider_message_id": pid,
            "kind": "delete", "direction": line["direction"], "occurred_at": timestamp(us),
            "from": line["from"], "to": line["to"], "refers_to": line["provider_message_id"]}
