"""Checks deploy/cluster/nats-1.conf .. nats-3.conf: each is valid for Debian's nats-server
(`nats-server -t`), the three agree (names, ports 4222/6222/8222, each routed to the other
two), and started together - on loopback, with the host names, ports and store directory
rewritten - they form one JetStream cluster of three with a leader (its /jsz monitoring
endpoint says so). The servers are children of this script, killed by pid.

A missing nats-server fails the check, naming the package."""
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG_DIR = os.path.join(ROOT, "deploy", "cluster")
NAMES = ["nats-1", "nats-2", "nats-3"]


def find_nats_server():
    found = shutil.which("nats-server") or (os.access("/usr/sbin/nats-server", os.X_OK) and "/usr/sbin/nats-server")
    if not found:
        sys.exit("nats-server not found on PATH or in /usr/sbin: install the Debian package nats-server "
                 "(scripts/install-deps.sh lists it)")
    return found


def free_port():
    """A loopback port below the ephemeral range (a port there cannot be taken meanwhile as
    the source port of another server's outgoing route)."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    for _ in range(200):
        port = random.randrange(10000, max(11000, ephemeral_low))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    sys.exit("no free loopback port")


def check_agreement(texts):
    for name in NAMES:
        text = texts[name]
        assert re.search(r"^server_name: %s$" % name, text, re.M), "%s.conf: server_name is not %s" % (name, name)
        for line in ("listen: 0.0.0.0:4222", "http: 0.0.0.0:8222", "listen: 0.0.0.0:6222", "name: omnihub"):
            assert line in text, "%s.conf lacks '%s'" % (name, line)
        routes = sorted(re.findall(r"nats-route://(nats-\d):6222", text))
        assert routes == sorted(n for n in NAMES if n != name), "%s.conf routes to %s" % (name, routes)


def loopback_config(text, ports, store_dir):
    """The shipped config with host names, ports and the store directory made local."""
    name = re.search(r"^server_name: (\S+)$", text, re.M).group(1)
    text = text.replace("listen: 0.0.0.0:4222", "listen: 127.0.0.1:%d" % ports[name]["client"])
    text = text.replace("http: 0.0.0.0:8222", "http: 127.0.0.1:%d" % ports[name]["http"])
    text = text.replace("listen: 0.0.0.0:6222", "listen: 127.0.0.1:%d" % ports[name]["cluster"])
    for other in NAMES:
        text = text.replace("nats-route://%s:6222" % other, "nats-route://127.0.0.1:%d" % ports[other]["cluster"])
    return text.replace('store_dir: "/var/lib/nats/jetstream"', 'store_dir: "%s"' % store_dir)


def jsz(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/jsz" % port, timeout=2) as reply:
        return json.load(reply)


def main():
    binary = find_nats_server()
    texts = {}
    for name in NAMES:
        path = os.path.join(CONFIG_DIR, name + ".conf")
        checked = subprocess.run([binary, "-t", "-c", path], capture_output=True, text=True)
        assert checked.returncode == 0, "%s: %s%s" % (path, checked.stdout, checked.stderr)
        with open(path) as f:
            texts[name] = f.read()
    check_agreement(texts)

    ports = {name: {"client": free_port(), "cluster": free_port(), "http": free_port()} for name in NAMES}
    work = tempfile.mkdtemp(prefix="omnihub-nats-configs-")
    servers = []
    try:
        for name in NAMES:
            conf = os.path.join(work, name + ".conf")
            with open(conf, "w") as f:
                f.write(loopback_config(texts[name], ports, os.path.join(work, name, "jetstream")))
            log = open(os.path.join(work, name + ".log"), "w")
            servers.append(subprocess.Popen([binary, "-c", conf], stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 30
        last = None
        while time.monotonic() < deadline:
            try:
                last = [jsz(ports[name]["http"]).get("meta_cluster", {}) for name in NAMES]
                if all(m.get("cluster_size") == 3 and m.get("leader") in NAMES for m in last) and \
                        len({m["leader"] for m in last}) == 1:
                    print("cluster formed: meta leader %s, %d servers" % (last[0]["leader"], len(NAMES)))
                    return
            except OSError:
                pass
            time.sleep(0.2)
        logs = "".join(open(os.path.join(work, n + ".log")).read() for n in NAMES)
        sys.exit("the three configs did not form a JetStream cluster of 3 within 30 s; /jsz said %s\n%s" % (last, logs))
    finally:
        for server in servers:
            server.send_signal(signal.SIGKILL)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
