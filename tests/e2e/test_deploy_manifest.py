"""deploy/services.manifest is the one list of services: the systemd target and units,
the CMake service folders and the supervisor's parser all agree with it. Needs no build."""

import os
import re
import unittest

import hub

SYSTEMD = os.path.join(hub.REPO, "deploy", "systemd")


def unit(path):
    """A systemd unit file as {section: {key: value}}; repeated keys are joined by spaces."""
    sections, current = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), {})
                continue
            key, _, value = line.partition("=")
            current[key] = (current.get(key, "") + " " + value).strip()
    return sections


class DeployManifestTest(unittest.TestCase):
    def setUp(self):
        self.services = hub.read_manifest()
        self.names = [s["name"] for s in self.services]

    def test_manifest_lists_the_services(self):
        self.assertEqual(self.names[0], "omnihub-unifier", "the unifier starts first")
        self.assertEqual(len(set(self.names)), len(self.names))
        for s in self.services:
            self.assertRegex(s["ready"], r"^(-|tcp:[\d.]+:\d+|ipc:\S+|http:[\d.]+:\d+/\S*)$", s["name"])
            self.assertGreater(s["stop_grace_s"], 0, s["name"])
        self.assertNotIn("omnihubctl", [s["binary"] for s in self.services], "the CLI is not a service")

    def test_target_wants_and_orders_after_every_service(self):
        target = unit(os.path.join(SYSTEMD, "omnihub.target"))["Unit"]
        expected = sorted(n + ".service" for n in self.names)
        self.assertEqual(sorted(target["Wants"].split()), expected)
        self.assertEqual(sorted(target["After"].split()), expected)

    def test_each_service_has_a_unit_that_matches_its_manifest_line(self):
        units = sorted(f[:-len(".service")] for f in os.listdir(SYSTEMD) if re.fullmatch(r"omnihub-.+\.service", f))
        self.assertEqual(units, sorted(self.names), "a unit without a manifest line, or the reverse")
        for s in self.services:
            u = unit(os.path.join(SYSTEMD, s["name"] + ".service"))
            service = u["Service"]
            exec_start = service["ExecStart"].split()
            self.assertEqual(os.path.basename(exec_start[0]), s["binary"], s["name"])
            self.assertEqual(int(service["TimeoutStopSec"]), s["stop_grace_s"], f"{s['name']}: TimeoutStopSec")
            self.assertEqual(service["KillSignal"], "SIGTERM", s["name"])
            # Restart after a failure; a clean stop (SIGTERM, exit 0) stays stopped.
            self.assertEqual(service["Restart"], "on-failure", s["name"])
            # READY=1 and STOPPING=1 from the service itself (tests/e2e/test_systemd_notify.py).
            self.assertEqual(service["Type"], "notify", s["name"])
            self.assertEqual(service["NotifyAccess"], "main", s["name"])
            self.assertEqual(u["Unit"]["PartOf"], "omnihub.target", s["name"])
            self.assertEqual(u["Install"]["WantedBy"], "omnihub.target", s["name"])

    def test_units_start_after_the_services_listed_before_them(self):
        # The unifier binds the buses the adapters publish to, so it comes first.
        for s in self.services[1:]:
            after = unit(os.path.join(SYSTEMD, s["name"] + ".service"))["Unit"]["After"].split()
            self.assertIn("omnihub-unifier.service", after, s["name"])

    def test_cmake_adds_a_folder_per_service(self):
        for s in self.services:
            folder = os.path.join(hub.REPO, "services", s["name"].removeprefix("omnihub-"))
            self.assertTrue(os.path.isfile(os.path.join(folder, "CMakeLists.txt")), folder)
        with open(os.path.join(hub.REPO, "CMakeLists.txt")) as f:
            cmake = f.read()
        self.assertIn("file(STRINGS deploy/services.manifest", cmake)
        for name in self.names:
            self.assertNotIn(f"add_subdirectory(services/{name.removeprefix('omnihub-')})", cmake,
                             "services come from the manifest, not a second list")


if __name__ == "__main__":
    unittest.main(verbosity=2)
