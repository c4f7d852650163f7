"""`--check-config` of every service binary and of omnihubctl (docs/configuration.md,
"Checking a config"): the shipped deploy/omnihub.toml is clean (exit 0, "config FILE: OK"), and
so is each role config of the cluster example (deploy/cluster/*.toml) for the binaries of its role;
a file with three mistakes in three sections gets all three named with their lines, in file
order (exit 2), and a normal start prints the same lines; nothing is created on disk either
way. Secrets: a *_file is read against $CREDENTIALS_DIRECTORY and only by the service that
uses it, an unreadable one names the key and the path, and no secret value is ever printed,
neither by the check nor in a running adapter's log."""

import os
import signal
import subprocess
import tempfile
import unittest
import urllib.request

import hub

SERVICES = ["omnihub-unifier", "omnihub-email", "omnihub-sms", "omnihub-social", "omnihub-api"]
DEPLOY_CONFIG = os.path.join(hub.REPO, "deploy", "omnihub.toml")
CLUSTER_DIR = os.path.join(hub.REPO, "deploy", "cluster")
# The binaries that run with each role config of the three-host cluster example
# (docs/cluster.md, "Which process runs where"); omnihubctl reads every one of them.
CLUSTER_ROLES = {
    "ingest-host.toml": ["omnihub-email", "omnihub-sms", "omnihub-social", "omnihub-api", "omnihubctl"],
    "unifier-p00-a.toml": ["omnihub-unifier", "omnihubctl"],
    "unifier-p00-b.toml": ["omnihub-unifier", "omnihubctl"],
    "unifier-p01-a.toml": ["omnihub-unifier", "omnihubctl"],
    "unifier-p01-b.toml": ["omnihub-unifier", "omnihubctl"],
}

# The variables deploy/omnihub.toml names (the units' EnvironmentFile= provide them).
DEPLOY_SECRETS = {"OMNIHUB_TWILIO_AUTH_TOKEN": "twilio-live-token", "OMNIHUB_VONAGE_SIGNATURE_SECRET": "vonage-live",
                  "OMNIHUB_META_APP_SECRET": "meta-live-secret", "OMNIHUB_META_VERIFY_TOKEN": "meta-live-verify",
                  "OMNIHUB_TELEGRAM_SECRET_TOKEN": "telegram-live", "OMNIHUB_X_CONSUMER_SECRET": "x-live-secret"}

# Three mistakes, in three sections, on lines 5, 7 and 9: an out-of-range value, a wrong type
# and an unknown key. The parsers meet them in another order (shared sections first).
THREE_MISTAKES = """\
data_dir = "{data_dir}"
[bus]
ingest = "ipc://run/ingest.sock"
[api]
worker_threads = 0
[publisher]
window = "many"
[unifier]
batch_max_evnts = 10
"""
EXPECTED_LINES = [
    "config {path}: api.worker_threads (line 5) must be between 1 and 1024",
    "config {path}: publisher.window (line 7) must be an integer",
    "config {path}: unknown key 'unifier.batch_max_evnts' (line 9)",
]


def run(args, env=None, cwd=None):
    full_env = {k: v for k, v in os.environ.items() if k != "OMNIHUB_CONFIG" and k not in DEPLOY_SECRETS}
    full_env.pop("CREDENTIALS_DIRECTORY", None)
    full_env.update(env or {})
    return subprocess.run(args, env=full_env, cwd=cwd, capture_output=True, text=True, timeout=60)


def tree(root):
    """Every path under root, relative: what a run left behind."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


class CheckConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="omnihub-check-config-")
        self.dir = self.tmp.name
        self.cwd = os.path.join(self.dir, "cwd")  # where each binary runs: must stay empty
        os.mkdir(self.cwd)
        self.data_dir = os.path.join(self.dir, "data")  # the configs' data_dir: must not appear

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def check(self, binary_name, config, env=None):
        return run([hub.binary(binary_name), "--config", config, "--check-config"], env=env, cwd=self.cwd)

    def assertNothingCreated(self):
        self.assertEqual(tree(self.cwd), set(), "a check created files in its working directory")
        self.assertFalse(os.path.exists(self.data_dir), "a check created data_dir")

    def test_deploy_config_is_clean_for_every_binary(self):
        existed = os.path.exists("/var/lib/omnihub")
        for name in SERVICES + ["omnihubctl"]:
            with self.subTest(binary=name):
                r = self.check(name, DEPLOY_CONFIG, env=DEPLOY_SECRETS)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, f"config {DEPLOY_CONFIG}: OK\n")
                self.assertEqual(r.stderr, "")
                for value in DEPLOY_SECRETS.values():
                    self.assertNotIn(value, r.stdout + r.stderr)
        self.assertNothingCreated()
        self.assertEqual(os.path.exists("/var/lib/omnihub"), existed, "a check created the deploy data_dir")
        # A check is all omnihubctl does then: a command beside it is refused, not ignored.
        r = run([hub.binary("omnihubctl"), "--config", DEPLOY_CONFIG, "--check-config", "stats"], cwd=self.cwd)
        self.assertEqual((r.returncode, r.stdout), (2, ""))
        self.assertIn("--check-config takes no command", r.stderr)

    def test_cluster_role_configs_are_clean_for_the_binaries_of_their_role(self):
        shipped = sorted(f for f in os.listdir(CLUSTER_DIR) if f.endswith(".toml"))
        self.assertEqual(shipped, sorted(CLUSTER_ROLES), "a role config without its binaries here, or one missing")
        for name, binaries in CLUSTER_ROLES.items():
            path = os.path.join(CLUSTER_DIR, name)
            for binary_name in binaries:
                with self.subTest(config=name, binary=binary_name):
                    r = self.check(binary_name, path, env=DEPLOY_SECRETS)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertEqual(r.stdout, f"config {path}: OK\n")
                    self.assertEqual(r.stderr, "")
        self.assertNothingCreated()

    def test_three_mistakes_are_all_named_with_their_lines_in_file_order(self):
        path = self.write("three.toml", THREE_MISTAKES.format(data_dir=self.data_dir))
        expected = "".join(line.format(path=path) + "\n" for line in EXPECTED_LINES)
        for name in SERVICES + ["omnihubctl"]:
            with self.subTest(binary=name):
                r = self.check(name, path, env=DEPLOY_SECRETS)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertEqual(r.stderr, expected)
        self.assertNothingCreated()

    def test_a_normal_start_prints_every_mistake_too_and_starts_nothing(self):
        path = self.write("three.toml", THREE_MISTAKES.format(data_dir=self.data_dir))
        for name in SERVICES:
            with self.subTest(binary=name):
                r = run([hub.binary(name), "--config", path], env=DEPLOY_SECRETS, cwd=self.cwd)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stderr, "".join(f"{name}: " + line.format(path=path) + "\n"
                                                   for line in EXPECTED_LINES))
        self.assertNothingCreated()

    def secrets_config(self, twilio_keys):
        """A clean config whose Twilio token comes from `twilio_keys`; social from the variables."""
        return self.write("secrets.toml", f"""\
data_dir = "{self.data_dir}"
[sms.twilio.shop]
{twilio_keys}
[social.telegram.bot]
secret_token_env = "BOT_TOKEN"
""")

    def test_secret_files_are_read_by_their_service_against_credentials_directory(self):
        creds = os.path.join(self.dir, "credentials")
        os.mkdir(creds)
        with open(os.path.join(creds, "twilio-token"), "w") as f:
            f.write("file-held-twilio-token\n")
        path = self.secrets_config('auth_token_file = "twilio-token"')
        # omnihub-sms needs its own secret only, not the social variable.
        r = self.check("omnihub-sms", path, env={"CREDENTIALS_DIRECTORY": creds})
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, f"config {path}: OK\n", ""))

        # Without the credentials directory the relative path is the working directory's.
        r = self.check("omnihub-sms", path, env={"BOT_TOKEN": "bot-live-token"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, f"config {path}: sms.twilio.shop.auth_token_file (line 3): cannot read "
                                   "'twilio-token': No such file or directory (relative paths are under "
                                   "$CREDENTIALS_DIRECTORY when it is set)\n")
        # Only omnihub-sms reads it: the others check the keys, not the file (their units have
        # their own credentials).
        for name in ["omnihub-unifier", "omnihub-email", "omnihub-social", "omnihub-api", "omnihubctl"]:
            with self.subTest(binary=name):
                r = self.check(name, path, env={"BOT_TOKEN": "bot-live-token"})
                self.assertEqual(r.returncode, 0, r.stderr)
        r = self.check("omnihub-social", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("environment variable BOT_TOKEN is not set (social.telegram.bot.secret_token_env (line 5))",
                      r.stderr)

        env = {"CREDENTIALS_DIRECTORY": creds, "BOT_TOKEN": "bot-live-token"}
        # Two sources for one secret: every binary refuses the file.
        path = self.secrets_config('auth_token_file = "twilio-token"\nauth_token_env = "TWILIO"')
        for name in SERVICES + ["omnihubctl"]:
            with self.subTest(binary=name):
                r = self.check(name, path, env=env)
                self.assertEqual(r.returncode, 2)
                self.assertEqual(r.stderr, f"config {path}: sms.twilio.shop.auth_token_file (line 3) and "
                                           "auth_token_env (line 4) are both given: a secret has one source, "
                                           "keep one of them\n")
        self.assertNothingCreated()

    def test_a_running_adapter_never_logs_its_secrets(self):
        # omnihub-sms with a token from a file and a Vonage secret from its development
        # stand-in (so that the warning path runs): its log names keys, never values.
        creds = os.path.join(self.dir, "credentials")
        os.mkdir(creds)
        with open(os.path.join(creds, "twilio-token"), "w") as f:
            f.write("file-held-twilio-token\n")
        port, admin = hub.free_port(), hub.free_port()
        path = self.write("sms.toml", f"""\
data_dir = "{self.data_dir}"
[log]
level = "trace"
[sms]
listen = "127.0.0.1:{port}"
admin_listen = "127.0.0.1:{admin}"
[sms.twilio.shop]
auth_token_file = "twilio-token"
[sms.vonage.eu]
signature_secret_env = "UNSET_VONAGE_SECRET"
dev_signature_secret = "inline-dev-vonage-secret"
""")
        env = {k: v for k, v in os.environ.items() if k not in DEPLOY_SECRETS and k != "OMNIHUB_CONFIG"}
        env["CREDENTIALS_DIRECTORY"] = creds
        log_path = os.path.join(self.dir, "sms.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen([hub.binary("omnihub-sms"), "--config", path], env=env, cwd=self.cwd,
                                    stdout=log, stderr=subprocess.STDOUT)
        try:
            def alive_probe():
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{admin}/healthz", timeout=2) as r:
                        return r.status == 200
                except OSError:
                    return proc.poll() is not None and self.fail(open(log_path).read())
            hub.wait_until(alive_probe, "omnihub-sms to answer /healthz", timeout=30)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        with open(log_path) as f:
            text = f.read()
        self.assertIn("sms.vonage.eu.signature_secret uses the development secret", text)
        self.assertIn("$UNSET_VONAGE_SECRET is not set", text)
        self.assertNotIn("file-held-twilio-token", text)
        self.assertNotIn("inline-dev-vonage-secret", text)


if __name__ == "__main__":
    unittest.main()
