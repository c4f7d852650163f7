"""A generated timeline for the relationship metrics consistency test: seeded, deterministic.

`generate()` makes EVENTS ingest lines (docs/ingest-format.md) for CUSTOMERS customers over
18 months on every channel, with the patterns the metrics must get right: quick and slow
replies, unanswered contacts, follow-ups on another channel, customers who write from a
second identity that a merge joins, referrals on first messages, auto-replies and bulk
messages (which do not count), deletions and late (out-of-order) events. Pure: the same
seed gives the same lines. Used by test_metrics_consistency.py, which also tests it alone.
"""

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import ingest_lines as il  # noqa: E402  (scripts/ingest_lines.py, shared with the sample)

EVENTS = 200_000
CUSTOMERS = 10_000
START_US = 1_735_689_600 * 1_000_000       # 2025-01-01T00:00:00Z
SPAN_US = 546 * 86_400 * 1_000_000         # 18 months
MINUTE_US = 60 * 1_000_000
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US
MERGED = 60         # customers who also write from a second identity, joined by `omnihubctl merge`
LATE_SHARE = 0.2    # of the events, held back into the second phase (out of order)
DELETIONS = 300


class Customer:
    def __init__(self, n, rng):
        self.n = n
        roll = rng.random()
        if roll < 0.35:
            self.kind, self.platform, value = "phone", None, f"+1{(202, 312, 415, 646)[n % 4]}555{n // 4:04d}"
        elif roll < 0.6:
            self.kind, self.platform, value = "email", None, f"customer{n}@example.com"
        else:
            self.kind, self.platform = "platform", rng.choice(il.PLATFORM_CHANNELS)
            value = str(7_000_000_000 + n)
        self.identity = il.identity(self.kind, value, platform=self.platform)
        self.argument = {"phone": f"phone:{value}", "email": f"email:{value}"}.get(self.kind)
        self.channels = il.channels_for(self.kind, self.platform)
        self.second = None      # (identity, channels, argument) once it has a second identity

    def add_second_identity(self):
        self.second = (il.identity("email", f"other{self.n}@example.org"), ("email",),
                       f"email:other{self.n}@example.org")


def _argument(customer):
    """How omnihubctl names the customer's first identity (platform ids are account-scoped)."""
    if customer.argument:
        return customer.argument
    account = il.ACCOUNTS[customer.platform][0]
    return f"{customer.platform}:{account}:{customer.identity['user_id']}"


def _reply_delay(rng):
    roll = rng.random()
    if roll < 0.6:
        return int(rng.expovariate(1 / (10 * MINUTE_US))) + 1
    if roll < 0.9:
        return rng.randrange(HOUR_US, 20 * HOUR_US)
    return rng.randrange(DAY_US, 4 * DAY_US)   # slower than quiet_hours: a late answer


def _contact(rng, customer, counter, use_second=False):
    """One contact: a list of ingest lines in time order."""
    if use_second:
        who, channels = customer.second[0], customer.second[1]
    else:
        who, channels = customer.identity, customer.channels
    t = START_US + rng.randrange(SPAN_US)
    lines = []

    def send(direction, channel, flags=None, fields=None):
        nonlocal t
        account = il.ACCOUNTS[channel][0 if rng.random() < 0.8 else -1]
        if channel in il.PLATFORM_CHANNELS:
            account = il.ACCOUNTS[channel][0]   # a platform user id is scoped by its account
        pid = f"gen-{next(counter)}"
        lines.append(il.message(channel, account, who, direction, t, pid, text=f"{direction} {pid}",
                                flags=flags, provider_fields=fields))

    channel = channels[0] if rng.random() < 0.7 else rng.choice(channels)
    fields = None
    if rng.random() < 0.05:
        fields = {"referred_by": f"partner-{rng.randrange(20)}"}
        if channel == "whatsapp":
            fields = {"referral": '{"source_type":"ad","source_id":"120"}'}
        elif channel == "messenger":
            fields = {"postback.referral": '{"ref":"spring","source":"SHORTLINK"}'}
    send("inbound", channel, fields=fields)
    if rng.random() < 0.05:
        t += rng.randrange(1, 5_000_000)
        send("outbound", channel, flags=["auto-reply"])
    if rng.random() < 0.3:
        t += rng.randrange(MINUTE_US, 3 * HOUR_US)
        send("inbound", channel if rng.random() < 0.8 else rng.choice(channels))
    if rng.random() < 0.12:
        return lines                     # never answered
    t += _reply_delay(rng)
    send("outbound", channel if rng.random() < 0.85 else rng.choice(channels))
    if rng.random() < 0.25:              # a follow-up, often on another channel
        t += rng.randrange(HOUR_US, 6 * DAY_US)
        send("inbound", rng.choice(channels))
        t += _reply_delay(rng)
        send("outbound", rng.choice(channels))
    if rng.random() < 0.03:              # a newsletter long after: counts nowhere
        t += rng.randrange(8 * DAY_US, 30 * DAY_US)
        send("outbound", channels[0], flags=["bulk"])
    if rng.random() < 0.04:              # an agent's note is not a reply
        t += rng.randrange(1, MINUTE_US)
        lines.append(il.message("note", "agents", who, "outbound", t, f"gen-{next(counter)}",
                                text="customer prefers mornings", kind="note"))
    return lines


def generate(seed=15, events=EVENTS, customers=CUSTOMERS, merged=MERGED):
    """(first_files, second_file, merges): the lines of three files for the first phase, the
    second phase's file (late events and deletions), and the (survivor, other) identity
    arguments to merge after the first phase."""
    rng = random.Random(seed)
    counter = iter(range(1, 10**9))
    people = [Customer(n, rng) for n in range(customers)]
    for c in people[:merged]:
        c.add_second_identity()
    contacts = []
    # Every customer once; the merged ones once from their second identity too; then more
    # contacts for random customers (some write often) until there are enough events.
    total = 0
    for c in people:
        contacts.append(_contact(rng, c, counter))
        total += len(contacts[-1])
        if c.second:
            contacts.append(_contact(rng, c, counter, use_second=True))
            total += len(contacts[-1])
    regulars = people[: customers // 5]
    while total < events - DELETIONS:
        c = rng.choice(regulars) if rng.random() < 0.5 else rng.choice(people)
        contacts.append(_contact(rng, c, counter, use_second=bool(c.second) and rng.random() < 0.3))
        total += len(contacts[-1])
    lines = [line for contact in contacts for line in contact][: events - DELETIONS]
    secondary = {c.second[2].split(":", 1)[1] for c in people if c.second}

    first, second = [], []
    for line in lines:
        party = line["from"] if line["direction"] == "inbound" else line["to"][0]
        if party.get("email") not in secondary and rng.random() < LATE_SHARE:
            second.append(line)
        else:
            first.append(line)
    first.sort(key=lambda l: l["occurred_at"])
    deletable = [l for l in first if l["kind"] == "message" and l["channel"] in il.PLATFORM_CHANNELS]
    for target in rng.sample(deletable, DELETIONS):
        us_later = START_US + SPAN_US + rng.randrange(DAY_US)
        second.append(il.deletion(target, us_later, f"del-{next(counter)}"))
    rng.shuffle(second)
    third = len(first) // 3
    first_files = [first[:third], first[third:2 * third], first[2 * third:]]
    merges = [(_argument(c), c.second[2]) for c in people if c.second]
    return first_files, second, merges
