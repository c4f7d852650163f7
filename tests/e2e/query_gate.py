"""A gate in front of the unifier's query socket, to tell `omnihubctl watch`'s two ways
of learning about a change apart: the live notification on bus.changes, and the change
log it reads through bus.query (at start, after a gap, and after 2 s without any
notification). With the gate shut no byte crosses the query socket in either direction,
so a change that watch prints while the gate is shut reached it live.

The gate is a plain byte relay between two Unix sockets (ZeroMQ ipc:// endpoints), so
the ZeroMQ conversation passes through it unchanged. Only the Python standard library
is used."""

import os
import queue
import socket
import threading
import time


class QueryGate:
    """Relays connections on its own ipc endpoint to the hub's query endpoint.

    `config` is a copy of the hub's config whose bus.query is the gate; pass it to the
    omnihubctl whose queries should go through the gate."""

    def __init__(self, hub):
        run = os.path.join(hub.dir, "run")
        self._target = os.path.join(run, "query.sock")
        self._path = os.path.join(run, "query-gate.sock")
        with open(hub.config) as f:
            text = f.read()
        query_line = f'query = "ipc://{self._target}"'
        if query_line not in text:
            raise AssertionError(f"the hub config has no line {query_line!r}")
        self.config = os.path.join(hub.dir, "omnihub-gated-query.toml")
        with open(self.config, "w") as f:
            f.write(text.replace(query_line, f'query = "ipc://{self._path}"'))
        self._cond = threading.Condition()
        self._shut = False
        self._held = False
        self._last_traffic = time.monotonic()
        self._sockets = []
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self._path)
        self._listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def shut(self):
        """From now on nothing crosses; returns once no relayed chunk is in flight."""
        with self._cond:
            self._shut = True
            self._held = False

    def open(self):
        """Lets everything held pass, and everything after it."""
        with self._cond:
            self._shut = False
            self._cond.notify_all()

    def held(self):
        """Whether a connection or bytes have waited at the gate since the last shut()."""
        with self._cond:
            return self._held

    def wait_idle(self, quiet_s=0.2, timeout=30):
        """Returns once nothing has crossed for quiet_s, so that shutting now is unlikely to
        catch a request half answered (which would only make the caller try again)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                idle = time.monotonic() - self._last_traffic
            if idle >= quiet_s:
                return
            time.sleep(quiet_s - idle)
        raise AssertionError(f"the query socket was never idle for {quiet_s}s within {timeout}s")

    def close(self):
        self.open()
        self._listener.close()
        for s in self._sockets:
            s.close()
        try:
            os.unlink(self._path)
        except FileNotFoundError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _pass(self):
        """Waits while shut (under the lock), noting that something was held."""
        while self._shut:
            self._held = True
            self._cond.wait()
        self._last_traffic = time.monotonic()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._cond:
                self._pass()
                server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                server.connect(self._target)
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self._cond:
                    self._pass()
                    dst.sendall(data)  # under the lock: shut() waits for a chunk in flight
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass


class Lines:
    """The lines a child process writes to a pipe, read on a thread, so a test can wait
    for the next one with a deadline."""

    def __init__(self, pipe):
        self._queue = queue.Queue()
        threading.Thread(target=self._read, args=(pipe,), daemon=True).start()

    def _read(self, pipe):
        for line in iter(pipe.readline, b""):
            self._queue.put(line.decode())
        self._queue.put(None)

    def next(self, timeout):
        """The next line, or None at end of output or when none came within timeout."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
