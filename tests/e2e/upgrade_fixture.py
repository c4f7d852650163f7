"""Upgrade fixtures (tests/data/upgrade/VERSION): the unifier data directory an earlier build
left, commands.jsonl (which omnihubctl commands to run) and expected/ (what that build
printed). Shared by tests/e2e/test_upgrade.py and tests/data/upgrade/make_fixture.py, which
makes them."""

import hashlib
import json
import os
import shutil

import hub

ROOT = os.path.join(hub.REPO, "tests", "data", "upgrade")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def versions():
    """Every fixture with commands to compare, oldest first (0.1, 0.2, ...)."""
    names = [n for n in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, n, "commands.jsonl"))]
    return sorted(names, key=lambda n: [int(p) for p in n.split(".")])


def commands(fixture):
    """[(expected file name, omnihubctl arguments)] of a fixture directory."""
    with open(os.path.join(fixture, "commands.jsonl")) as f:
        return [(c["file"], c["args"]) for c in map(json.loads, f) if c]


def expected(fixture, name):
    with open(os.path.join(fixture, "expected", name), "rb") as f:
        return f.read()


def hub_on_fixture(fixture, **hub_args):
    """A started hub whose unifier opens a copy of the fixture's data directory."""
    h = hub.Hub(**hub_args)
    shutil.copytree(os.path.join(fixture, "unifier"), os.path.join(h.dir, "unifier"))
    return h.start()


def wait_indexed(h):
    """Until the search index holds every committed change (it is rebuilt from the store at
    start, so a search is only comparable once it has caught up)."""
    hub.wait_until(lambda: h.search_index_lag() == 0, "the search index to catch up", timeout=120)
