"""A three-server nats-server cluster (JetStream) for end-to-end tests, from the shipped
deploy/cluster/nats-N.conf with addresses, ports and store directories made local.

With `isolated` set, that server runs in a network namespace of its own, joined to the host
by a veth pair (host side 10.A.B.1, namespace side 10.A.B.2): bringing the host side of the
link down cuts it off from the other two servers and from every client, as a failed switch
port would (cut/heal). That needs root (ip netns); the other servers listen on all host
addresses so that the isolated one reaches them through the link.

Every server is a child of the test, signalled by its pid only (kill, stop, cont)."""

import json
import os
import random
import re
import signal
import socket
import subprocess
import time
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONFIG_DIR = os.path.join(REPO, "deploy", "cluster")


def nats_server_binary():
    for path in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin"]:
        candidate = os.path.join(path, "nats-server")
        if os.access(candidate, os.X_OK):
            return candidate
    raise AssertionError("nats-server not found: install the Debian package nats-server")


def route_port():
    """A port below the ephemeral range: one there cannot be taken meanwhile as the source port
    of another server's outgoing route (as tests/cluster/check_nats_configs.py picks them)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    for _ in range(500):
        port = random.randrange(12000, max(13000, ephemeral_low))
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
                return port
            except OSError:
                continue
    raise AssertionError("no free port for nats-server")


def _run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {r.returncode}: {r.stderr.strip()} "
                             "(cutting a server off needs root and ip netns)")


class NetworkNamespace:
    """A namespace joined to the host by a veth pair; names and subnet from the test's pid."""

    def __init__(self):
        pid = os.getpid()
        self.name = f"omnihub-chaos-{pid}"
        self.host_if, self.ns_if = f"och{pid % 100000}h", f"och{pid % 100000}n"
        a, b = 200 + pid % 50, (pid // 50) % 250
        self.host_ip, self.ns_ip = f"10.{a}.{b}.1", f"10.{a}.{b}.2"
        _run("ip", "netns", "add", self.name)
        _run("ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
        _run("ip", "link", "set", self.ns_if, "netns", self.name)
        _run("ip", "addr", "add", self.host_ip + "/30", "dev", self.host_if)
        _run("ip", "link", "set", self.host_if, "up")
        for cmd in (("addr", "add", self.ns_ip + "/30", "dev", self.ns_if), ("link", "set", self.ns_if, "up"),
                    ("link", "set", "lo", "up"), ("route", "add", "default", "via", self.host_ip)):
            _run(*self.enter(["ip", *cmd]))

    def enter(self, cmd):
        """`cmd` run in the namespace's network; nsenter execs it, so the pid is the command's.
        Not `ip netns exec` nor `ip -n`: they also remount / (mount --make-rslave), which fails
        where / is not a mount point, as in a chroot."""
        return ["nsenter", f"--net=/run/netns/{self.name}"] + list(cmd)

    def set_link(self, up):
        _run("ip", "link", "set", self.host_if, "up" if up else "down")

    def close(self):
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)


class NatsCluster:
    """Servers n1, n2, n3 (index 0..2) under base_dir; `isolated`: the index run in a network
    namespace, or None for all three on loopback."""

    NAMES = ["nats-1", "nats-2", "nats-3"]

    def __init__(self, base_dir, isolated=None):
        self.dir = base_dir
        self.binary = nats_server_binary()
        self.isolated = isolated
        self.netns = NetworkNamespace() if isolated is not None else None
        self.procs = [None, None, None]
        self.logs = [os.path.join(base_dir, f"{name}.log") for name in self.NAMES]
        self.ports = [{"client": route_port(), "cluster": route_port(), "http": route_port()} for _ in self.NAMES]
        # How this test (on the host) and the other servers reach each server.
        self.hosts = [self._address(i) for i in range(3)]
        self.urls = [f"nats://{self.hosts[i]}:{self.ports[i]['client']}" for i in range(3)]
        for i in range(3):
            with open(os.path.join(CONFIG_DIR, self.NAMES[i] + ".conf")) as f:
                text = f.read()
            with open(self._config(i), "w") as f:
                f.write(self._local_config(i, text))

    def _address(self, i):
        if self.netns is None:
            return "127.0.0.1"
        return self.netns.ns_ip if i == self.isolated else self.netns.host_ip

    def _config(self, i):
        return os.path.join(self.dir, self.NAMES[i] + ".conf")

    def _local_config(self, i, text):
        """The shipped config of server i with this cluster's addresses, ports and store."""
        listen = "127.0.0.1" if self.netns is None else "0.0.0.0"
        ports = self.ports[i]
        text = text.replace("listen: 0.0.0.0:4222", f"listen: {listen}:{ports['client']}")
        text = text.replace("http: 0.0.0.0:8222", f"http: {listen}:{ports['http']}")
        text = text.replace("listen: 0.0.0.0:6222", f"listen: {listen}:{ports['cluster']}\n"
                            f"  advertise: {self.hosts[i]}:{ports['cluster']}")
        for j, other in enumerate(self.NAMES):
            text = text.replace(f"nats-route://{other}:6222",
                                f"nats-route://{self._route_host(i, j)}:{self.ports[j]['cluster']}")
        store = os.path.join(self.dir, self.NAMES[i], "jetstream")
        text = text.replace('store_dir: "/var/lib/nats/jetstream"', f'store_dir: "{store}"')
        settings = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        if re.search(r"0\.0\.0\.0:(4222|6222|8222)|nats-\d:6222|/var/lib/nats", settings):
            raise AssertionError(f"deploy/cluster/{self.NAMES[i]}.conf changed shape: update tests/e2e/nats_cluster.py")
        return text

    def _route_host(self, i, j):
        """How server i reaches server j's route port."""
        if self.netns is None:
            return "127.0.0.1"
        if j == self.isolated:
            return self.netns.ns_ip
        return "127.0.0.1" if i != self.isolated else self.netns.host_ip

    # -- processes -------------------------------------------------------------
    def start(self, i):
        cmd = [self.binary, "-c", self._config(i), "-l", self.logs[i]]
        if i == self.isolated:
            cmd = self.netns.enter(cmd)
        self.procs[i] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_all(self):
        for i in range(3):
            self.start(i)
        self.wait_formed()

    def kill(self, i):
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        self.procs[i] = None

    def stop(self, i):
        self.procs[i].send_signal(signal.SIGSTOP)

    def cont(self, i):
        self.procs[i].send_signal(signal.SIGCONT)

    def cut(self):
        """Cuts the isolated server off from the others and from every client."""
        self.netns.set_link(False)

    def heal(self):
        self.netns.set_link(True)

    def close(self):
        for i in range(3):
            if self.procs[i] is not None and self.procs[i].poll() is None:
                self.procs[i].send_signal(signal.SIGCONT)
            self.kill(i)
        if self.netns is not None:
            self.netns.close()

    def log_tail(self, i, chars=3000):
        try:
            with open(self.logs[i], errors="replace") as f:
                return f.read()[-chars:]
        except OSError:
            return ""

    # -- monitoring --------------------------------------------------------------
    def jsz(self, i, query="", timeout=1.0):
        """Server i's /jsz (with `query`), or None while it does not answer."""
        url = f"http://{self.hosts[i]}:{self.ports[i]['http']}/jsz{query}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as reply:
                return json.load(reply)
        except (OSError, ValueError):
            return None

    def streams(self, i):
        """{stream name: its detail} as server i sees it (the streams it holds), or None."""
        j = self.jsz(i, "?accounts=true&streams=true")
        if j is None:
            return None
        found = {}
        for account in j.get("account_details") or []:
            for stream in account.get("stream_detail") or []:
                found[stream["name"]] = stream
        return found

    def stream_leader(self, stream):
        """The index of the server leading `stream`, or None while none is known."""
        for i in range(3):
            if self.procs[i] is None:
                continue
            detail = (self.streams(i) or {}).get(stream)
            leader = ((detail or {}).get("cluster") or {}).get("leader")
            if leader in self.NAMES:
                return self.NAMES.index(leader)
        return None

    def last_seq(self, stream, servers=range(3)):
        """The highest last sequence of `stream` among the servers that answer; None if none."""
        seqs = []
        for i in servers:
            detail = (self.streams(i) or {}).get(stream) if self.procs[i] is not None else None
            if detail:
                seqs.append(detail["state"]["last_seq"])
        return max(seqs) if seqs else None

    def stream_copies(self, streams):
        """{stream: {server: (first_seq, last_seq, messages, bytes)}}: each server's own copy,
        which agree once the servers are current (a difference is a log that diverged)."""
        copies = {}
        for stream in streams:
            for i in range(3):
                detail = (self.streams(i) or {}).get(stream) if self.procs[i] is not None else None
                if detail:
                    state = detail["state"]
                    copies.setdefault(stream, {})[self.NAMES[i]] = (
                        state["first_seq"], state["last_seq"], state["messages"], state["bytes"])
        return copies

    # -- JetStream API, over the plain NATS protocol -----------------------------------------------
    def request(self, i, subject, payload=b"", timeout=5.0):
        """One request to server i (PUB with a reply inbox, the first MSG back), as the NATS client
        protocol carries it; the reply's payload, or None when none comes in time."""
        with socket.create_connection((self.hosts[i], self.ports[i]["client"]), timeout=timeout) as sock:
            reader = sock.makefile("rb")
            reader.readline()  # the server's INFO
            inbox = f"_INBOX.chaos{random.randrange(1 << 30)}"
            sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n' + f"SUB {inbox} 1\r\n".encode()
                         + f"PUB {subject} {inbox} {len(payload)}\r\n".encode() + payload + b"\r\n")
            try:
                while True:
                    line = reader.readline()
                    if not line:
                        return None
                    if line.startswith(b"PING"):
                        sock.sendall(b"PONG\r\n")
                    elif line.startswith(b"MSG "):
                        size = int(line.split()[-1])
                        return reader.read(size + 2)[:size]
            except OSError:
                return None

    def move_leader(self, stream, wanted, tries=12):
        """Asks the leader of `stream` to step down until `wanted(server index)` holds for the one
        elected (each election picks one of the other servers); True once it does."""
        for _ in range(tries):
            leader = self.stream_leader(stream)
            if leader is not None and wanted(leader):
                return True
            if leader is not None:
                self.request(leader, f"$JS.API.STREAM.LEADER.STEPDOWN.{stream}")
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and self.stream_leader(stream) in (leader, None):
                    time.sleep(0.2)
            else:
                time.sleep(0.5)
        leader = self.stream_leader(stream)
        return leader is not None and wanted(leader)

    def healthy(self, streams):
        """Every stream has a leader, and its two other replicas are current and online."""
        for stream in streams:
            leader = self.stream_leader(stream)
            if leader is None:
                return False
            cluster = (self.streams(leader) or {}).get(stream, {}).get("cluster") or {}
            replicas = cluster.get("replicas") or []
            if len(replicas) != 2 or not all(r.get("current") and not r.get("offline") for r in replicas):
                return False
        return True

    def wait_formed(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            metas = [(self.jsz(i) or {}).get("meta_cluster", {}) for i in range(3)]
            leaders = {m.get("leader") for m in metas}
            if all(m.get("cluster_size") == 3 for m in metas) and len(leaders) == 1 and leaders.pop() in self.NAMES:
                return
            time.sleep(0.2)
        raise AssertionError("the three nats-servers did not form a JetStream cluster within "
                             f"{timeout}s; logs:\n" + "\n".join(self.log_tail(i) for i in range(3)))
