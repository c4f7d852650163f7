"""deploy/install.sh into temporary roots (--root DIR: nothing on this machine changes): every
file in its place with its mode and owner, a second run changes nothing and never overwrites
an edited config, --dry-run only prints, clear errors; then `systemd-analyze verify
--root=DIR` (Debian 12's systemd 252) on every installed unit, which loads the units with
their drop-in as systemd would and checks that each ExecStart= binary exists in DIR."""

import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

import hub

INSTALL = os.path.join(hub.REPO, "deploy", "install.sh")
SYSTEMD = os.path.join(hub.REPO, "deploy", "systemd")
SERVICES = [s["name"] for s in hub.read_manifest()]
UNITS = [name + ".service" for name in SERVICES] + ["omnihub.target"]
BINARIES = [s["binary"] for s in hub.read_manifest()] + ["omnihubctl"]


def run_install(root, *extra):
    """deploy/install.sh --root ROOT with this build's binaries; the CompletedProcess (text)."""
    return subprocess.run(["bash", INSTALL, "--root", root, "--bin-dir", hub.BIN_DIR, *extra],
                          capture_output=True, text=True, timeout=120)


def tree(root):
    """{relative path: (mode, uid, gid, sha256 of a file's bytes or None)} of everything under root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = None
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            out[os.path.relpath(path, root)] = (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, digest)
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="omnihub-install-")
        os.chmod(self.root, 0o755)  # readable by the unprivileged user of test_refuses_*
        # A system to install into: the user database useradd --prefix adds the omnihub user to.
        os.makedirs(os.path.join(self.root, "etc"))
        with open(os.path.join(self.root, "etc", "passwd"), "w") as f:
            f.write("root:x:0:0:root:/root:/bin/bash\n")
        with open(os.path.join(self.root, "etc", "group"), "w") as f:
            f.write("root:x:0:\n")

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def path(self, rel):
        return os.path.join(self.root, rel.lstrip("/"))

    def install(self, *extra):
        r = run_install(self.root, *extra)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def service_user(self):
        """(uid, gid) of omnihub in ROOT/etc/passwd; there must be exactly one."""
        with open(self.path("/etc/passwd")) as f:
            lines = [l.split(":") for l in f if l.startswith("omnihub:")]
        self.assertEqual(len(lines), 1, "one omnihub user")
        self.assertEqual(lines[0][6].strip(), "/usr/sbin/nologin")
        self.assertEqual(lines[0][5], "/var/lib/omnihub")
        return int(lines[0][2]), int(lines[0][3])

    def assert_entry(self, rel, mode, owner):
        st = os.lstat(self.path(rel))
        self.assertEqual(oct(stat.S_IMODE(st.st_mode)), oct(mode), rel)
        self.assertEqual((st.st_uid, st.st_gid), owner, rel)

    def test_installs_every_file_in_its_place(self):
        out = self.install()
        uid, gid = self.service_user()
        self.assertLess(uid, 1000, "a system user")
        for binary in BINARIES:
            self.assert_entry(f"/usr/local/bin/{binary}", 0o755, (0, 0))
            self.assertEqual(read(self.path(f"/usr/local/bin/{binary}")), read(os.path.join(hub.BIN_DIR, binary)))
        self.assertFalse(os.path.exists(self.path("/usr/local/bin/omnihub-supervisor")), "scripts/run.sh only")
        for unit in UNITS:
            self.assert_entry(f"/etc/systemd/system/{unit}", 0o644, (0, 0))
            self.assertEqual(read(self.path(f"/etc/systemd/system/{unit}")), read(os.path.join(SYSTEMD, unit)))
        dropin = "/etc/systemd/system/omnihub-.service.d/hardening.conf"
        self.assert_entry(dropin, 0o644, (0, 0))
        self.assertEqual(read(self.path(dropin)), read(os.path.join(SYSTEMD, "omnihub-.service.d", "hardening.conf")))
        self.assert_entry("/etc/logrotate.d/omnihub", 0o644, (0, 0))
        self.assertEqual(read(self.path("/etc/logrotate.d/omnihub")),
                         read(os.path.join(os.path.dirname(SYSTEMD), "logrotate", "omnihub")))
        # The config is readable by the services, not by everyone; secrets only by root (systemd).
        self.assert_entry("/etc/omnihub/omnihub.toml", 0o640, (0, gid))
        self.assertEqual(read(self.path("/etc/omnihub/omnihub.toml")),
                         read(os.path.join(hub.REPO, "deploy", "omnihub.toml")))
        for env_file in ("sms.env", "social.env"):
            self.assert_entry(f"/etc/omnihub/{env_file}", 0o600, (0, 0))
            self.assertEqual(read(self.path(f"/etc/omnihub/{env_file}")), b"")
        for data_dir in ("/var/lib/omnihub", "/var/log/omnihub"):
            self.assert_entry(data_dir, 0o750, (uid, gid))
        self.assertIn("added system user omnihub", out)
        self.assertEqual(set(os.listdir(self.root)), {"etc", "usr", "var"}, "nothing outside etc, usr, var")

    def test_second_run_changes_nothing_and_keeps_an_edited_config(self):
        self.install()
        first = tree(self.root)
        out = self.install()
        # useradd --prefix keeps backups (passwd-, group-) the second run does not touch.
        self.assertEqual(tree(self.root), first, "a second run must give the same result")
        self.assertIn("is the shipped one, unchanged", out)
        self.assertNotIn("added system user", out)
        self.service_user()

        config = self.path("/etc/omnihub/omnihub.toml")
        edited = read(config).replace(b'default_region = "US"', b'default_region = "DE"')
        with open(config, "wb") as f:
            f.write(edited)
        with open(self.path("/etc/omnihub/sms.env"), "w") as f:
            f.write("OMNIHUB_TWILIO_AUTH_TOKEN=secret\n")
        out = self.install()
        self.assertEqual(read(config), edited, "an existing config is never overwritten")
        self.assertEqual(read(config + ".new"), read(os.path.join(hub.REPO, "deploy", "omnihub.toml")))
        self.assertIn("omnihub.toml.new", out)
        self.assertEqual(read(self.path("/etc/omnihub/sms.env")), b"OMNIHUB_TWILIO_AUTH_TOKEN=secret\n")

    def test_dry_run_prints_and_changes_nothing(self):
        before = tree(self.root)
        out = self.install("--dry-run")
        self.assertEqual(tree(self.root), before)
        for dest in [f"/usr/local/bin/{b}" for b in BINARIES] + ["/etc/omnihub/omnihub.toml",
                                                                 "/var/lib/omnihub", "/var/log/omnihub"]:
            self.assertIn(self.path(dest), out, f"--dry-run names {dest}")
        self.assertIn("would run: useradd", out)

    def test_missing_binaries_are_named_and_nothing_is_installed(self):
        empty = tempfile.mkdtemp(prefix="omnihub-install-bin-")
        try:
            r = subprocess.run(["bash", INSTALL, "--root", self.root, "--bin-dir", empty],
                               capture_output=True, text=True, timeout=60)
        finally:
            shutil.rmtree(empty)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"missing in {empty}: " + " ".join(BINARIES), r.stderr)
        self.assertIn("build Release first", r.stderr)
        self.assertEqual(sorted(os.listdir(self.root)), ["etc"], "nothing installed")

    def test_refuses_to_install_into_slash_without_root(self):
        # As an unprivileged user (uid 65534 as the script's root check sees it), without --root.
        cmd = ["bash", INSTALL, "--bin-dir", hub.BIN_DIR]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, OMNIHUB_INSTALL_EUID="65534"))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("installing into / needs root", r.stderr)

    def test_unknown_argument(self):
        r = run_install(self.root, "--prefix")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("unknown argument '--prefix'", r.stderr)


class SystemdVerifyTest(unittest.TestCase):
    """systemd-analyze verify --root=DIR on the units as install.sh put them. verify needs the
    units ours refer to (sysinit.target, network.target, multi-user.target ...) in DIR too: the
    machine's own /usr/lib/systemd/system is copied there, as on any installed system."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="omnihub-verify-")
        r = run_install(self.root)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        shutil.copytree("/usr/lib/systemd/system", os.path.join(self.root, "usr", "lib", "systemd", "system"),
                        symlinks=True)
        self.units = [f"/etc/systemd/system/{u}" for u in UNITS]

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def verify(self, *units):
        # From / so that no relative path resolves against the checkout.
        r = subprocess.run(["systemd-analyze", "verify", f"--root={self.root}", "--man=no", *units],
                           capture_output=True, text=True, timeout=120, cwd="/")
        return r.returncode, (r.stdout + r.stderr).strip()

    def test_every_unit_verifies_without_a_message(self):
        rc, out = self.verify(*self.units)
        # verify exits 0 on keys it ignores (a typo, a bad value): any message is a failure.
        self.assertEqual((rc, out), (0, ""))

    def test_verify_sees_a_missing_binary_and_a_bad_drop_in_value(self):
        # The same check on a broken install: proves the one above looks at what it claims.
        os.remove(os.path.join(self.root, "usr", "local", "bin", "omnihub-api"))
        dropin = os.path.join(self.root, "etc", "systemd", "system", "omnihub-.service.d", "hardening.conf")
        with open(dropin) as f:
            text = f.read()
        with open(dropin, "w") as f:
            f.write(text.replace("ProtectSystem=strict", "ProtectSystem=strcit"))
        rc, out = self.verify("/etc/systemd/system/omnihub-api.service")
        self.assertNotEqual(rc, 0)
        self.assertIn("/usr/local/bin/omnihub-api is not executable", out)
        self.assertIn("strcit", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
