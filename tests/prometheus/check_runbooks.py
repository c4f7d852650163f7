"""Every alert of deploy/prometheus/alerts.yml is one an on-call engineer can act on: it has
labels.severity (critical or warning), annotations summary and description, and a runbook_url
docs/operations.md#<anchor> whose anchor is a `### <AlertName>` heading under "## Alert
runbook" there; and every heading there names an alert that exists (ctest
unit.prometheus_runbooks)."""

import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")  # Debian's python3-yaml, for a python3 from elsewhere
    import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def github_anchor(heading):
    """The anchor GitHub (and most Markdown renderers) give a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def runbook_headings(markdown):
    """The `###` headings of the "## Alert runbook" section."""
    section = re.search(r"^## Alert runbook\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    if not section:
        return None
    return re.findall(r"^### (.+)$", section.group(1), re.M)


def main():
    with open(os.path.join(REPO, "deploy", "prometheus", "alerts.yml")) as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    with open(os.path.join(REPO, "docs", "operations.md")) as f:
        headings = runbook_headings(f.read())
    if headings is None:
        print('docs/operations.md has no "## Alert runbook" section')
        return 1
    anchors = {github_anchor(h): h for h in headings}
    errors = []
    alerts = set()
    for rule in rules:
        name = rule.get("alert")
        if not name:
            errors.append(f"a rule without `alert`: {rule}")
            continue
        alerts.add(name)
        if rule.get("labels", {}).get("severity") not in ("critical", "warning"):
            errors.append(f"{name}: labels.severity must be critical or warning")
        annotations = rule.get("annotations", {})
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                errors.append(f"{name}: annotations.{key} is missing")
        url = annotations.get("runbook_url", "")
        if url != "docs/operations.md#" + github_anchor(name):
            errors.append(f"{name}: runbook_url is {url!r}, want 'docs/operations.md#{github_anchor(name)}'")
        elif github_anchor(name) not in anchors:
            errors.append(f"{name}: docs/operations.md has no '### {name}' under '## Alert runbook'")
    for heading in headings:
        if heading not in alerts:
            errors.append(f"docs/operations.md: runbook '### {heading}' names no alert of alerts.yml")
    for e in errors:
        print(e)
    print(f"{len(alerts)} alerts, {len(headings)} runbook entries, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
