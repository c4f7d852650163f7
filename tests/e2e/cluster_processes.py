"""Processes of the cluster-mode end-to-end tests: one nats-server with JetStream, a unifier
replica in cluster mode, the [cluster] section for them, and reading a Prometheus page. Shared
by tests/e2e/test_cluster_*.py (the three-server cluster of the chaos test is nats_cluster.py)."""

import os
import shutil
import signal
import subprocess
import tempfile
import urllib.request

from hub import binary, free_port, wait_until


def metric(text, name, labels=""):
    """The value of series `name{labels}` in a Prometheus text page; None when absent."""
    key = name + ("{" + labels + "}" if labels else "")
    for line in text.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[-1])
    return None


def cluster_toml(nats_url, partitions):
    """The [cluster] section for one nats-server, one copy per stream."""
    return f"""
[cluster]
enabled = true
nats_urls = ["{nats_url}"]
partitions = {partitions}
replicas = 1
publish_timeout_ms = 2000
"""


class NatsServer:
    """One nats-server with JetStream on a free loopback port, its store and log in a temp
    dir (as tests/support/nats_server.h starts them); killed by pid only."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="omnihub-nats-")
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        server = shutil.which("nats-server") or "/usr/sbin/nats-server"
        if not os.access(server, os.X_OK):
            raise AssertionError("nats-server not found: install the Debian package nats-server")
        self.log = os.path.join(self.dir, "server.log")
        self.proc = subprocess.Popen([server, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd",
                                      os.path.join(self.dir, "store"), "-l", self.log])
        wait_until(self.ready, "nats-server ready", timeout=10)

    def ready(self):
        try:
            with open(self.log) as f:
                return "Server is ready" in f.read()
        except OSError:
            return False

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class ReplicaProcess:
    """A real omnihub-unifier applying one partition in cluster mode (as
    tests/support/unifier_replica_process.h starts them), with its own data dir; killed by pid.
    `nats_urls`: one URL or a list (a cluster); `replicas`: the copies of each stream;
    `unifier_extra`: more [unifier] lines; started at once unless `start` is False."""

    def __init__(self, base_dir, replica_id, partition, nats_urls, partitions, replicas=1, unifier_extra="",
                 start=True):
        self.id, self.partition = replica_id, partition
        self.dir = os.path.join(base_dir, replica_id)
        os.makedirs(self.dir)
        self.admin_port = free_port()
        self.config = os.path.join(self.dir, "omnihub.toml")
        urls = ", ".join(f'"{u}"' for u in ([nats_urls] if isinstance(nats_urls, str) else nats_urls))
        with open(self.config, "w") as f:
            f.write(f"""data_dir = "{self.dir}"
{self.bus_toml()}[unifier]
db_dir = "unifier"
admin_listen = "127.0.0.1:{self.admin_port}"
partition = {partition}
replica_id = "{replica_id}"
{unifier_extra}[cluster]
enabled = true
nats_urls = [{urls}]
partitions = {partitions}
replicas = {replicas}
""")
        self.proc = None
        if start:
            self.start()

    def bus_toml(self):
        """Its [bus] sockets and [identity] region: also what omnihubctl needs to read this replica
        alone, as on one host."""
        return f"""[bus]
ingest = "ipc://{self.dir}/ingest.sock"
changes = "ipc://{self.dir}/changes.sock"
query = "ipc://{self.dir}/query.sock"
[identity]
default_region = "US"
"""

    def start(self):
        with open(os.path.join(self.dir, "unifier.log"), "ab") as log:
            self.proc = subprocess.Popen([binary("omnihub-unifier"), "--config", self.config], stdout=log, stderr=log)

    def read_log(self, chars=4000):
        with open(os.path.join(self.dir, "unifier.log"), errors="replace") as f:
            return f.read()[-chars:]

    def applied_position(self, timeout=5):
        """omnihub_replica_applied_position from its /metrics; None while unreadable."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}/metrics", timeout=timeout) as r:
                return metric(r.read().decode(), "omnihub_replica_applied_position")
        except OSError:
            return None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def kill(self):
        """SIGKILL (after SIGCONT, so that a stopped one goes too) and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
