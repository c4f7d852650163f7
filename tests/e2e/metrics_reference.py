"""An independent reference for the relationship metrics report (docs/metrics.md).

Computes the whole report ("The report (JSON)": every field, with the since/until/channel/
account filters and `by`) from the lines `omnihubctl export` prints, straight from the
definitions and without any incremental state, so that the tests can compare the
unifier's incremental consumer with it (test_metrics_consistency.py). Python 3.11 standard
library only. Pure functions over their arguments: safe to use from any thread.

Durations are integer microseconds throughout and become seconds (us / 10**6) only when
printed, as the report does."""

import calendar
import datetime as dt
import json
import math
from zoneinfo import ZoneInfo

US = 1_000_000
HOUR_US = 3600 * US
DAY_US = 24 * HOUR_US
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# Provider fields that mark a customer's first message as a referral (docs/metrics.md
# "Referral share"): a WhatsApp click-to-chat ad, a Messenger ad or m.me link, an integrator's.
REFERRAL_FIELDS = ("referral", "postback.referral", "referred_by")
UNCOUNTED_FLAGS = frozenset(("auto-reply", "bulk"))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# -- time ------------------------------------------------------------------------------

def parse_time(text):
    """RFC 3339 (any offset, 0-9 fraction digits) -> integer microseconds since the epoch."""
    if len(text) == 27 and text[19] == "." and text[26] == "Z":
        # The form omnihubctl prints (2026-06-30T17:04:11.000000Z), read directly: an export
        # has hundreds of thousands of them.
        days = dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal() - EPOCH_ORDINAL
        secs = days * 86400 + int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
        return secs * US + int(text[20:26])
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    frac_us = 0
    if "." in s:
        head, rest = s.split(".", 1)
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        frac_us = int((digits + "000000")[:6])
        s = head + rest
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        raise ValueError(f"time without an offset: {text!r}")
    return (t - EPOCH) // dt.timedelta(seconds=1) * US + frac_us


def format_time(us):
    """Microseconds -> `2026-06-30T17:04:11.000000Z`, as the report prints times."""
    t = EPOCH + dt.timedelta(microseconds=us)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc(us):
    return EPOCH + dt.timedelta(microseconds=us)


def month_key(us):
    return utc(us).strftime("%Y-%m")


def month_index(us):
    t = utc(us)
    return t.year * 12 + t.month - 1


def group_key(by, episode):
    t = utc(episode.open_us)
    if by == "day":
        return t.strftime("%Y-%m-%d")
    if by == "week":
        year, week, _ = t.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if by == "month":
        return t.strftime("%Y-%m")
    if by == "channel":
        return episode.channel
    if by == "account":
        return episode.account
    raise ValueError(f"by must be day, week, month, channel or account, got {by!r}")


def months_before(us, months):
    """The same UTC wall time `months` calendar months earlier (the day clamped to the month)."""
    t = utc(us)
    index = t.year * 12 + t.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(t.day, calendar.monthrange(year, month)[1])
    return int((t.replace(year=year, month=month, day=day) - EPOCH) // dt.timedelta(microseconds=1))


# -- business hours --------------------------------------------------------------------

class BusinessHours:
    """A weekly schedule in an IANA zone: {"zone": ..., "mon": "09:00-17:00", ..., "sun": ""}."""

    def __init__(self, spec):
        self.spec = dict(spec)
        self.zone = ZoneInfo(spec["zone"])
        self.days = []
        for name in WEEKDAYS:
            text = spec.get(name, "") or ""
            if not text:
                self.days.append(None)
                continue
            start, end = (self._minutes(part) for part in text.split("-"))
            if end <= start:
                raise ValueError(f"business_hours.{name}: {text!r} does not end after it starts")
            self.days.append((start, end))

    @staticmethod
    def _minutes(hhmm):
        h, m = hhmm.strip().split(":")
        return int(h) * 60 + int(m)

    def _local_us(self, day, minutes):
        """The instant of local wall time `minutes` after midnight of `day` (a date)."""
        naive = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minutes)
        return int((naive.replace(tzinfo=self.zone) - EPOCH) // dt.timedelta(microseconds=1))

    def seconds_inside(self, start_us, end_us):
        """Microseconds of [start_us, end_us) that fall inside the schedule."""
        if end_us <= start_us:
            return 0
        first = utc(start_us).astimezone(self.zone).date() - dt.timedelta(days=1)
        last = utc(end_us).astimezone(self.zone).date() + dt.timedelta(days=1)
        total, day = 0, first
        while day <= last:
            hours = self.days[day.weekday()]
            if hours is not None:
                a = max(start_us, self._local_us(day, hours[0]))
                b = min(end_us, self._local_us(day, hours[1]))
                total += max(0, b - a)
            day += dt.timedelta(days=1)
        return total


# -- messages and episodes -------------------------------------------------------------

class Message:
    __slots__ = ("us", "event_id", "inbound", "channel", "account", "referral")

    def __init__(self, event):
        self.us = parse_time(event["occurred_at"])
        self.event_id = event["event_id"]
        self.inbound = event["direction"] == "inbound"
        self.channel = event["channel"]
        self.account = event["account"]
        fields = event.get("provider_fields")
        self.referral = bool(fields) and any(key in fields for key in REFERRAL_FIELDS)


class Episode:
    def __init__(self, opening):
        self.open_us = opening.us
        self.month = month_index(opening.us)
        self.channel = opening.channel
        self.account = opening.account
        self.inbound = [opening]
        self.replies = []
        self.last_is_reply = False
        self.follow_up = False
        self.state = "open"
        self.frt_us = None

    @property
    def reply_channel(self):
        return self.replies[0].channel if self.replies else None

    def switches(self):
        return sum(1 for a, b in zip(self.inbound, self.inbound[1:]) if a.channel != b.channel)


def counted_messages(events):
    """{customer_id: [Message]} of the messages that count (docs/metrics.md "What counts"),
    each customer's in (occurred_at, event_id) order."""
    deleted = set()
    for e in events:
        if e.get("kind") == "delete" and e.get("refers_to"):
            deleted.add((e["channel"], e["account"], e["refers_to"]))
    by_customer = {}
    for e in events:
        if e.get("kind", "message") != "message" or e.get("channel") == "note":
            continue
        if e.get("direction") not in ("inbound", "outbound"):
            continue
        flags = e.get("flags")
        if flags and not UNCOUNTED_FLAGS.isdisjoint(flags):
            continue
        pid = e.get("provider_message_id")
        if pid and (e["channel"], e["account"], pid) in deleted:
            continue
        by_customer.setdefault(e["customer_id"], []).append(Message(e))
    for messages in by_customer.values():
        messages.sort(key=lambda m: (m.us, m.event_id))
    return by_customer


def split_episodes(messages, quiet_us, resolution_us):
    """Walks one customer's messages into episodes (docs/metrics.md "Contact episodes")."""
    episodes, current, previous_inbound_us = [], None, None
    for m in messages:
        if m.inbound:
            if current is None:
                opens = True
            else:
                quiet = m.us - previous_inbound_us >= quiet_us
                waiting = current.last_is_reply and m.us - current.replies[-1].us <= resolution_us
                opens = quiet and not waiting
            if opens:
                current = Episode(m)
                episodes.append(current)
            else:
                current.inbound.append(m)
                if current.replies:
                    current.follow_up = True
                current.last_is_reply = False
            previous_inbound_us = m.us
        elif current is not None and (
                not current.last_is_reply or m.us - current.replies[-1].us <= resolution_us):
            current.replies.append(m)
            current.last_is_reply = True
    return episodes


def classify(episodes, as_of_us, resolution_us, hours):
    for i, e in enumerate(episodes):
        if e.last_is_reply and as_of_us - e.replies[-1].us > resolution_us:
            e.state = "closed"
        elif not e.last_is_reply and i + 1 < len(episodes):
            e.state = "unanswered"
        else:
            e.state = "open"
        if e.replies:
            start, end = e.open_us, e.replies[0].us
            e.frt_us = hours.seconds_inside(start, end) if hours else end - start


# -- figures ---------------------------------------------------------------------------

def percentile(sorted_values, p):
    """Nearest rank: v[ceil(p * n / 100)] (1-based); None over no values."""
    n = len(sorted_values)
    if n == 0:
        return None
    return sorted_values[max(1, -(-p * n // 100)) - 1]


def seconds(us):
    return None if us is None else us / US


def share(part, whole):
    return None if whole == 0 else part / whole


def distribution(values_us):
    values = sorted(values_us)
    return {"count": len(values), "p50_s": seconds(percentile(values, 50)),
            "p90_s": seconds(percentile(values, 90)), "p99_s": seconds(percentile(values, 99))}


def group_figures(episodes):
    """The GROUP object for a set of episodes."""
    answered = [e for e in episodes if e.frt_us is not None]
    closed = [e for e in episodes if e.state == "closed"]
    by_inbound, by_reply = {}, {}
    for e in answered:
        by_inbound.setdefault(e.channel, []).append(e.frt_us)
        by_reply.setdefault(e.reply_channel, []).append(e.frt_us)
    first_response = distribution(e.frt_us for e in answered)
    first_response["by_inbound_channel"] = {ch: distribution(v) for ch, v in sorted(by_inbound.items())}
    first_response["by_reply_channel"] = {ch: distribution(v) for ch, v in sorted(by_reply.items())}
    resolved = sum(1 for e in closed if len(e.replies) == 1 and not e.follow_up)
    # Consistency: p50 per inbound channel; ties go to the channel whose name sorts first.
    p50s = sorted((percentile(sorted(v), 50), ch) for ch, v in by_inbound.items())
    if len(p50s) >= 2:
        fastest_value, fastest = p50s[0]
        slowest_value = p50s[-1][0]
        slowest = min(ch for value, ch in p50s if value == slowest_value)
        consistency = {"first_response_p50_spread_s": seconds(slowest_value - fastest_value),
                       "fastest_channel": fastest, "slowest_channel": slowest}
    else:
        consistency = {"first_response_p50_spread_s": None, "fastest_channel": None, "slowest_channel": None}
    switches = [e.switches() for e in episodes]
    return {
        "episodes": len(episodes),
        "closed": len(closed),
        "open": sum(1 for e in episodes if e.state == "open"),
        "unanswered": sum(1 for e in episodes if e.state == "unanswered"),
        "first_response": first_response,
        "first_contact_resolution": {"resolved": resolved, "closed": len(closed),
                                     "share": share(resolved, len(closed))},
        "resolution_time": distribution(e.replies[-1].us - e.open_us for e in closed),
        "replies_per_episode": share(sum(len(e.replies) for e in closed), len(closed)),
        "channel_switches": {"total": sum(switches), "episodes_with_switch": sum(1 for s in switches if s)},
        "consistency": consistency,
    }


# -- the report ------------------------------------------------------------------------

class Store:
    """The episodes of every customer, from `omnihubctl export`'s objects (a list of dicts),
    walked once so that several reports over one export share the work."""

    def __init__(self, events, quiet_hours=24, resolution_days=7, business_hours=None):
        self.quiet_hours, self.resolution_days = quiet_hours, resolution_days
        self.business_hours = dict(business_hours) if business_hours else None
        quiet_us, resolution_us = quiet_hours * HOUR_US, resolution_days * DAY_US
        hours = BusinessHours(business_hours) if business_hours else None
        self.customers = counted_messages(events)
        self.as_of_us = max((m.us for ms in self.customers.values() for m in ms), default=None)
        self.history = {}
        for customer_id, messages in self.customers.items():
            episodes = split_episodes(messages, quiet_us, resolution_us)
            classify(episodes, self.as_of_us, resolution_us, hours)
            if episodes:
                self.history[customer_id] = episodes


def build_report(events, since=None, until=None, channel=None, account=None, by=None,
                 quiet_hours=24, resolution_days=7, business_hours=None):
    """The report docs/metrics.md describes, from `omnihubctl export`'s objects (a list of
    dicts) or a Store made of them (then the settings are the Store's). since/until are
    RFC 3339 strings or None; `applied_change_seq` is None (the change log is the
    unifier's, not the export's)."""
    store = events if isinstance(events, Store) else Store(events, quiet_hours, resolution_days, business_hours)
    since_us = parse_time(since) if since else None
    until_us = parse_time(until) if until else None
    customers, history, as_of_us = store.customers, store.history, store.as_of_us

    def matches_place(e):
        return (channel is None or e.channel == channel) and (account is None or e.account == account)

    def matches(e):
        return (matches_place(e) and (since_us is None or e.open_us >= since_us)
                and (until_us is None or e.open_us < until_us))

    selected = [e for eps in history.values() for e in eps if matches(e)]
    groups = {}
    if by:
        for e in selected:
            groups.setdefault(group_key(by, e), []).append(e)

    returning = {c for c, eps in history.items() if len(eps) > 1}
    referred = {c for c, eps in history.items() if customers[c][0].referral}
    counted = {c for c, eps in history.items() if any(matches(e) for e in eps)}

    end_us = until_us if until_us is not None else as_of_us
    ror_since_us = months_before(end_us, 12) if end_us is not None else None

    def in_ror_window(e):
        before_end = e.open_us < end_us if until_us is not None else e.open_us <= end_us
        return matches_place(e) and e.open_us >= ror_since_us and before_end

    ror = {c for c, eps in history.items() if end_us is not None and any(in_ror_window(e) for e in eps)}
    ror_hit = {c for c in ror if c in returning or c in referred}

    return {
        "as_of": None if as_of_us is None else format_time(as_of_us),
        "since": None if since_us is None else format_time(since_us),
        "until": None if until_us is None else format_time(until_us),
        "channel": channel, "account": account, "by": by,
        "settings": {"quiet_hours": store.quiet_hours, "resolution_days": store.resolution_days,
                     "business_hours": store.business_hours},
        "applied_change_seq": None,
        "totals": group_figures(selected),
        "groups": [{"key": key, **group_figures(eps)} for key, eps in sorted(groups.items())],
        "customers": {
            "customers": len(counted),
            "returning": len(counted & returning),
            "returning_share": share(len(counted & returning), len(counted)),
            "referred": len(counted & referred),
            "referral_share": share(len(counted & referred), len(counted)),
            "return_on_relationship": {
                "since": None if ror_since_us is None else format_time(ror_since_us),
                "customers": len(ror), "returning_or_referred": len(ror_hit),
                "share": share(len(ror_hit), len(ror))},
        },
        "cohorts": cohorts(history, matches, matches_place, as_of_us),
    }


def cohorts(history, matches, matches_place, as_of_us):
    members = {}
    for customer_id, episodes in history.items():
        if matches(episodes[0]):
            members.setdefault(episodes[0].month, []).append(episodes)
    rows = []
    last = month_index(as_of_us) if as_of_us is not None else None
    for month, customers in sorted(members.items()):
        n = len(customers)
        # Per customer: the months with an episode that matches channel and account.
        months = [{e.month for e in eps if matches_place(e)} for eps in customers]
        retained, still_writing = [], []
        for k in range(last - month + 1):
            retained.append(sum(1 for m in months if month + k in m))
            still_writing.append(sum(1 for m in months if max(m) >= month + k))
        retained[0] = n
        year, m = divmod(month, 12)
        rows.append({"month": f"{year:04d}-{m + 1:02d}", "customers": n, "retained": retained,
                     "retention": [1] + [r / n for r in retained[1:]],
                     "churn": [0] + [(n - s) / n for s in still_writing[1:]]})
    return rows


# -- comparing -------------------------------------------------------------------------

def first_difference(actual, expected, path="$", rel=1e-9, skip=("applied_change_seq",)):
    """The JSON path of the first place `actual` differs from `expected` (numbers: equal within
    `rel` relative), with both values; None when they are equal. Keys in `skip` are ignored."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: got {json.dumps(actual)[:200]}, expected an object"
        for key in sorted(set(expected) | set(actual)):
            if key in skip:
                continue
            if key not in actual:
                return f"{path}.{key}: missing (expected {json.dumps(expected[key])[:200]})"
            if key not in expected:
                return f"{path}.{key}: unexpected (got {json.dumps(actual[key])[:200]})"
            found = first_difference(actual[key], expected[key], f"{path}.{key}", rel, skip)
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{path}: got {json.dumps(actual)[:200]}, expected a list"
        for i, (a, e) in enumerate(zip(actual, expected)):
            found = first_difference(a, e, f"{path}[{i}]", rel, skip)
            if found:
                return found
        if len(actual) != len(expected):
            return f"{path}: {len(actual)} entries, expected {len(expected)}"
        return None
    numbers = (int, float)
    if (isinstance(expected, numbers) and isinstance(actual, numbers)
            and not isinstance(expected, bool) and not isinstance(actual, bool)):
        if expected == actual or math.isclose(actual, expected, rel_tol=rel, abs_tol=0.0):
            return None
        return f"{path}: got {actual!r}, expected {expected!r}"
    if actual != expected:
        return f"{path}: got {json.dumps(actual)[:200]}, expected {json.dumps(expected)[:200]}"
    return None
