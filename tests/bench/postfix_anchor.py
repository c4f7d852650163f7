"""The anchor of scripts/bench.sh email: Debian's Postfix receiving the same messages from
smtp-source into its queue. A private instance: its own config directory (`postfix -c DIR`),
queue_directory and data_directory under a temporary directory, smtpd on a free loopback port
(master.cf), no delivery (every message is put on hold as it is accepted, so the queue manager
never touches it), started, and stopped and removed afterwards.

Why these settings:
- hold (an access table action, check_client_access static:HOLD): the message is written and
  fsynced by cleanup exactly as for delivery, then filed in the hold queue, so what is measured
  is receiving into the queue, nothing after it; deferring transports instead would make the
  queue manager try (and log) each message while the clients are still sending;
- mydestination holds the recipient's domain and local_recipient_maps is empty, so every
  smtp-source recipient is accepted without a user database;
- no chroot, no reverse lookup of the client (omnihub-email does none), log to a file in the
  temporary directory; everything else is Postfix's default (process limits, fsync).

`postfix start` with a private config directory needs root (the master starts as root and the
daemons drop to the postfix user), so the email benchmark runs as root; scripts/bench.sh
installs its packages as root already.

Thread-safety: one PostfixAnchor per thread; used as a context manager (private_server.py)."""

import os
import shutil
import subprocess
import time

from private_server import PrivateServer

POSTFIX = "/usr/sbin/postfix"
POSTCONF = "/usr/sbin/postconf"

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {prefix}/queue
data_directory = {prefix}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-anchor.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination = {domain}
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtpd_client_restrictions = check_client_access static:HOLD
biff = no
maillog_file_prefixes = {prefix}
maillog_file = {prefix}/maillog
"""

# Only the services receiving into the queue needs, none chrooted; smtpd on the port.
MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def missing():
    """What is missing to run the anchor, or None."""
    if os.geteuid() != 0:
        return "root: `postfix start` with a private config directory needs it (run scripts/bench.sh email as root)"
    for tool in (POSTFIX, POSTCONF, shutil.which("smtp-source") or "smtp-source"):
        if not os.path.exists(tool):
            return f"{tool} (apt-get install postfix; scripts/bench.sh email does)"
    return None


class PostfixAnchor(PrivateServer):
    NAME = "postfix"

    def __init__(self, parent, port, domain):
        super().__init__(parent, port)
        self.domain = domain
        self.started = False

    @property
    def config_dir(self):
        return os.path.join(self.prefix, "config")

    def _postfix(self, *args):
        r = subprocess.run([POSTFIX, "-c", self.config_dir, *args], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            # Postfix writes a fatal error to stderr only on a terminal, else to maillog_file.
            raise SystemExit(f"postfix -c {self.config_dir} {' '.join(args)} exited {r.returncode}: "
                             f"{r.stdout}{r.stderr}{self._log_tail()}")

    def _log_tail(self):
        path = os.path.join(self.prefix, "maillog")
        if not os.path.exists(path):
            return ""
        with open(path) as f:
            return "\nmaillog: " + f.read()[-2000:]

    def _launch(self):
        os.chmod(self.prefix, 0o755)  # the daemons run as the postfix user
        os.makedirs(self.config_dir)
        # Postfix wants the queue directory owned by root and the data directory by its user;
        # `postfix start` (its check) creates the queue's subdirectories.
        os.makedirs(os.path.join(self.prefix, "queue"))
        os.makedirs(os.path.join(self.prefix, "data"))
        shutil.chown(os.path.join(self.prefix, "data"), user="postfix")
        with open(os.path.join(self.config_dir, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(prefix=self.prefix, domain=self.domain))
        with open(os.path.join(self.config_dir, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))
        self._postfix("start")
        self.started = True

    def queued(self):
        """Messages in the hold queue (each a file, possibly in hashed subdirectories)."""
        return sum(len(files) for _, _, files in os.walk(os.path.join(self.prefix, "queue", "hold")))

    def wait_queued(self, count, timeout=600):
        """Waits until `count` messages are on hold; returns the time they were all there."""
        deadline = time.monotonic() + timeout
        while self.queued() < count:
            if time.monotonic() > deadline:
                raise SystemExit(f"postfix queued {self.queued()} of {count} messages within {timeout} s"
                                 f"{self._log_tail()}")
            time.sleep(0.01)
        return time.monotonic()

    def _shutdown(self):
        if not self.started:
            return
        self._postfix("stop")
        self.started = False
        # `postfix stop` returns once the master was told; wait for its pid file to go.
        pid_file = os.path.join(self.prefix, "queue", "pid", "master.pid")
        deadline = time.monotonic() + 30
        while os.path.exists(pid_file) and time.monotonic() < deadline:
            time.sleep(0.05)
