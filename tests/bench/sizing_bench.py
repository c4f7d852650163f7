"""scripts/bench.sh sizing: disk and memory per million events, for docs/operations.md "Sizing".

--events events (default 1,000,000) of --events/10 customers reach a fresh hub (the unifier
and omnihub-api) the way production events do, through `omnihubctl inject`: a mix that looks
like a support inbox, by share of events: 45 % SMS and 20 % WhatsApp of 40-160 characters,
25 % email with a subject and a 600-2,400 character body, 10 % Telegram of 20-200 characters;
two thirds inbound. Once every event is committed and the search index has caught up, the
benchmark records the size of each data directory (the unifier's RocksDB store, the full-text
index, the outboxes) and the memory of each process (resident now, and its peak), then stops
the unifier cleanly (its memtables flushed) and measures the store again. An empty hub is
measured first, so the figures per million events exclude the fixed part.

Writes JSON with every figure; docs/operations.md quotes them."""

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import hub  # noqa: E402
import bench_rounds  # noqa: E402

T0 = 1_700_000_000_000_000
WORDS = ("order parcel delivery refund invoice where is my package thanks please help account "
         "password shipping tracking number address change cancel subscription payment card "
         "receipt問題 שלום привет hola bonjour").split()


def text(rng, low, high):
    out, length = [], 0
    size = rng.randint(low, high)
    while length < size:
        word = rng.choice(WORDS)
        out.append(word)
        length += len(word) + 1
    return " ".join(out)[:size]


def line(rng, i, customers):
    c = rng.randrange(customers)
    at = hub.rfc3339(T0 + i * 1000)
    inbound = rng.random() < 2 / 3
    roll = rng.random()
    if roll < 0.45:
        ev = hub.sms(f"+1212{2000000 + c:07d}", f"s{i}", at, text=text(rng, 40, 160),
                     direction="inbound" if inbound else "outbound")
        return ev
    if roll < 0.65:
        ev = hub.sms(f"+1212{2000000 + c:07d}", f"w{i}", at, text=text(rng, 40, 160),
                     account="+12025550001", direction="inbound" if inbound else "outbound")
        ev["channel"] = "whatsapp"
        return ev
    if roll < 0.90:
        customer, shop = {"email": f"customer{c}@example.com"}, {"email": "support@shop.example"}
        return {"channel": "email", "account": "support@shop.example", "provider_message_id": f"<e{i}@example.com>",
                "direction": "inbound" if inbound else "outbound", "occurred_at": at,
                "from": customer if inbound else shop, "to": [shop if inbound else customer],
                "subject": "Re: " + text(rng, 10, 40), "text": text(rng, 600, 2400)}
    user = {"platform": "telegram", "account": "shop_bot", "user_id": str(100000 + c)}
    bot = {"platform": "telegram", "account": "shop_bot", "user_id": "bot"}
    return {"channel": "telegram", "account": "shop_bot", "provider_message_id": f"t{i}",
            "direction": "inbound" if inbound else "outbound", "occurred_at": at,
            "from": user if inbound else bot, "to": [bot if inbound else user], "text": text(rng, 20, 200)}


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                pass  # a file RocksDB removed while we walked
    return total


def memory(pid):
    """VmRSS and VmHWM (the peak resident set) of a process, in bytes."""
    figures = {}
    with open(f"/proc/{pid}/status") as f:
        for row in f:
            key, _, value = row.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0]) * 1024
    return {"rss_bytes": figures["VmRSS"], "peak_rss_bytes": figures["VmHWM"]}


def search_dir(h):
    """The full-text index: the directory under the hub's data directory that holds Xapian's
    `iamglass` (unifier.search_dir is relative to data_dir, which the test hub leaves default)."""
    for root, _, files in os.walk(h.dir):
        if "iamglass" in files:
            return root
    return None


def snapshot(h):
    """Sizes of the hub's data directories and the memory of its processes."""
    index = search_dir(h)
    return {"store_bytes": dir_bytes(os.path.join(h.dir, "unifier")),
            "search_index_bytes": dir_bytes(index) if index else 0,
            "outboxes_bytes": sum(dir_bytes(os.path.join(h.dir, d)) for d in os.listdir(h.dir)
                                  if d.startswith("outbox")),
            "unifier": memory(h.proc.pid), "api": memory(h.api_proc.pid)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--json", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    customers = max(1, args.events // 10)
    h = hub.Hub(api=True, api_extra="access_log = false", base_dir=args.workdir).start()
    try:
        empty = snapshot(h)
        path = os.path.join(h.dir, "events.jsonl")
        rng = random.Random(13)
        raw = 0
        with open(path, "w") as f:
            for i in range(args.events):
                text_line = json.dumps(line(rng, i, customers), ensure_ascii=False) + "\n"
                raw += len(text_line.encode())
                f.write(text_line)
        started = time.monotonic()
        h.ctl("inject", path, timeout=6 * 3600)
        os.remove(path)
        hub.wait_until(lambda: h.search_index_lag() == 0, "the search index to catch up", timeout=6 * 3600,
                       interval=1)
        loaded_s = time.monotonic() - started
        loaded = snapshot(h)
        h.stop_unifier()
        flushed_store = dir_bytes(os.path.join(h.dir, "unifier"))
        per_million = 1_000_000 / args.events
        result = {
            "benchmark": "sizing", "events": args.events, "customers": customers,
            "ingest_json_bytes": raw, "load_s": loaded_s, "empty": empty, "loaded": loaded,
            "store_bytes_after_clean_stop": flushed_store,
            "per_million_events": {
                "store_bytes": (flushed_store - empty["store_bytes"]) * per_million,
                "search_index_bytes": (loaded["search_index_bytes"] - empty["search_index_bytes"]) * per_million,
                "ingest_json_bytes": raw * per_million,
            },
        }
        bench_rounds.write_result(args.json, result)
        mib = lambda b: b / 2**20  # noqa: E731
        print(f"{args.events} events ({mib(raw):.0f} MiB of ingest JSON) loaded in {loaded_s:.0f} s; "
              f"store {mib(flushed_store):.0f} MiB after a clean stop ({mib(loaded['store_bytes']):.0f} MiB live), "
              f"search index {mib(loaded['search_index_bytes']):.0f} MiB; unifier RSS "
              f"{mib(loaded['unifier']['rss_bytes']):.0f} MiB (peak {mib(loaded['unifier']['peak_rss_bytes']):.0f}), "
              f"api RSS {mib(loaded['api']['rss_bytes']):.0f} MiB; empty hub: unifier "
              f"{mib(empty['unifier']['rss_bytes']):.0f} MiB, api {mib(empty['api']['rss_bytes']):.0f} MiB", flush=True)
    finally:
        h.stop()
        h.cleanup()


if __name__ == "__main__":
    main()
