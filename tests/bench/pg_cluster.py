"""A throwaway PostgreSQL 15 cluster for the API benchmark's anchor (api_bench.py): initdb into
a directory of its own, one server on a free loopback port with trust authentication for
loopback only and no other clients, stopped and removed when done. Uses Debian's postgresql-15
binaries; initdb refuses to run as root, so when the benchmark runs as root the cluster
belongs to the package's `postgres` user."""

import os
import shutil
import subprocess
import tempfile

PG_BIN = "/usr/lib/postgresql/15/bin"


class TempCluster:
    def __init__(self, parent_dir, port, shared_buffers="256MB"):
        self.port = port
        self.shared_buffers = shared_buffers
        self.dir = tempfile.mkdtemp(prefix="postgres-", dir=parent_dir)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.as_user = "postgres" if os.geteuid() == 0 else None
        if self.as_user:
            shutil.chown(self.dir, self.as_user, self.as_user)
        self.started = False

    def _run(self, *cmd):
        if self.as_user:
            cmd = ("runuser", "-u", self.as_user, "--", *cmd)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr}{r.stdout}")
        return r

    def start(self):
        self._run(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100 "
                   f"-c shared_buffers={self.shared_buffers}")
        self._run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "120", "-o", options, "start")
        self.started = True
        return self

    def dsn(self):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def stop(self):
        if self.started:
            self._run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def pgbench(self, *args, cwd):
        """pgbench against this cluster (as the invoking user, over TCP), its stdout."""
        r = subprocess.run([f"{PG_BIN}/pgbench", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args,
                            "postgres"], capture_output=True, text=True, cwd=cwd)
        if r.returncode != 0:
            raise RuntimeError(f"pgbench exited {r.returncode}: {r.stderr}{r.stdout}")
        return r.stdout
