#!/usr/bin/env python3
"""Makes an upgrade fixture: tests/data/upgrade/VERSION/ with the unifier's data directory as
this build leaves it and, beside it, what this build's omnihubctl prints for it.

    nice -n 19 cmake --build build -j2 --target omnihub-unifier omnihub-api omnihub-email omnihubctl \
        omnihub-test-store-tool
    python3 tests/data/upgrade/make_fixture.py 0.2

Run it on the last build of a release, before the next version changes the storage: later
builds must open the directory and print the same bytes (tests/e2e/test_upgrade.py runs every
fixture directory that has a commands.jsonl). The recipe:

1. a hub with omnihub-email and omnihub-api; the sample events (deploy/sample) injected, plus
   one line that is dead-lettered;
2. an email with an attachment over SMTP;
3. two customers merged and split again, two others merged for good;
4. a note written through the API (so a note is search-indexed too);
5. the search index caught up, then a clean stop (SIGTERM) and a full compaction
   (build/bin/omnihub-test-store-tool compact); RocksDB's info logs and older OPTIONS files
   are left out, so the directory is small (about 150 KB);
6. a hub started on a copy of the directory (as the test does), and each command of
   COMMANDS run against it, its stdout written to expected/<file>.

Everything printed depends only on what is stored (ids, received_at times were fixed when the
events were written), so a later build prints the same bytes unless a read changed."""

import json
import os
import shutil
import smtplib
import subprocess
import sys
from email.message import EmailMessage
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "e2e"))

import hub  # noqa: E402
import upgrade_fixture  # noqa: E402

SAMPLE = os.path.join(hub.REPO, "deploy", "sample", "sample-events.jsonl")
ATTACHMENT = b"hello, this is the report\n"
ANA_EMAIL, ANA_PHONE = "email:ana@example.com", "phone:+4915112345678"
BEN, CLARA = "phone:+12025550143", "phone:+13125550188"

# (expected file, omnihubctl arguments): what the test compares, in this order.
COMMANDS = [("export.jsonl", ["export"]), ("stats.json", ["stats"])]
for identity, name in [(ANA_PHONE, "phone__4915112345678"), (ANA_EMAIL, "email_ana_example_com"),
                       (BEN, "phone__12025550143"), (CLARA, "phone__13125550188")]:
    COMMANDS += [(f"timeline-{name}.jsonl", ["timeline", identity, "--all"]),
                 (f"lookup-{name}.json", ["lookup", identity]),
                 (f"explain-{name}.json", ["customer", "explain", identity])]
COMMANDS += [
    ("conversation-ana.jsonl", ["conversation", ANA_EMAIL]),
    ("attachment-report.bin", ["attachment", upgrade_fixture.sha256(ATTACHMENT)]),
    ("search-blender.jsonl", ["search", "blender"]),
    ("search-note.jsonl", ["search", "callback"]),
    ("deadletters.jsonl", ["deadletter", "list"]),
    ("suggestions.jsonl", ["suggestions"]),
]


def customer_id(h, identity):
    return json.loads(h.ctl("lookup", identity).stdout)["customer_id"]


def write_data(h):
    h.ctl("inject", SAMPLE)
    h.inject_lines([{"channel": "fax"}], check=False)
    m = EmailMessage()
    m["From"] = "Ana <ana@example.com>"
    m["To"] = "support@shop.example"
    m["Subject"] = "Quarterly report"
    m["Message-ID"] = "<report-1@example.com>"
    m.set_content("The report is attached.")
    m.add_attachment(ATTACHMENT, maintype="text", subtype="plain", filename="report.txt")
    with smtplib.SMTP("127.0.0.1", h.smtp_port, timeout=30) as s:
        s.send_message(m)
    h.wait_event(ANA_EMAIL, "report-1@example.com")

    merged = json.loads(h.ctl("customer", "merge", customer_id(h, BEN), customer_id(h, CLARA),
                              "--reason", "fixture: merged, then split", "--actor", "fixture").stdout)
    h.ctl("customer", "split", merged["merge_id"], "--reason", "fixture: two people", "--actor", "fixture")
    h.ctl("customer", "merge", customer_id(h, ANA_EMAIL), customer_id(h, ANA_PHONE),
          "--reason", "fixture: same person", "--actor", "fixture")

    api = h.api(h.api_token("fixture", "read,write"))
    note = api.post(f"/api/v1/customers/{quote(BEN)}/notes", {"text": "Asked for a callback on Monday."},
                    expect=201).json
    hub.wait_until(lambda: any(e["event_id"] == note["event_id"] for e in h.timeline(BEN, "--all")[0]),
                   "the note in the timeline")
    upgrade_fixture.wait_indexed(h)


def drop_what_a_reader_does_not_need(data):
    """RocksDB's info logs and lock file, and every OPTIONS file but the newest: RocksDB
    opens the directory without them, and they are most of its size."""
    names = os.listdir(data)
    options = sorted((n for n in names if n.startswith("OPTIONS-")), key=lambda n: int(n.split("-")[1]))
    for name in names:
        if name.startswith("LOG") or name == "LOCK" or name in options[:-1]:
            os.remove(os.path.join(data, name))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_fixture.py VERSION   (e.g. 0.2: writes tests/data/upgrade/0.2)")
    target = os.path.join(HERE, sys.argv[1])
    if os.path.exists(target):
        sys.exit(f"{target} exists: remove it first")
    h = hub.Hub(email=True, api=True).start()
    try:
        write_data(h)
    finally:
        h.stop()
    os.makedirs(os.path.join(target, "expected"))
    shutil.copytree(os.path.join(h.dir, "unifier"), os.path.join(target, "unifier"))
    h.cleanup()
    data = os.path.join(target, "unifier")
    subprocess.run([hub.binary("omnihub-test-store-tool"), "compact", data], check=True)
    drop_what_a_reader_does_not_need(data)

    reader = upgrade_fixture.hub_on_fixture(target)
    try:
        upgrade_fixture.wait_indexed(reader)
        with open(os.path.join(target, "commands.jsonl"), "w") as f:
            for name, args in COMMANDS:
                f.write(json.dumps({"file": name, "args": args}) + "\n")
                with open(os.path.join(target, "expected", name), "wb") as out:
                    out.write(reader.ctl(*args).stdout)
    finally:
        reader.stop()
        reader.cleanup()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
