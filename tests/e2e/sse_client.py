"""A server-sent-events client for omnihub-api's live streams (docs/api.md "Live updates"), on
plain sockets so that tests and the fan-out benchmark see the bytes as a browser would: an
HTTP/1.1 GET, the chunked body decoded (ChunkedDecoder) and split into events (SseParser).
SseStream is the blocking client of the end-to-end tests; the benchmark drives the decoder
and parser from its own non-blocking sockets."""

import json
import socket
import time


class SseEvent:
    def __init__(self):
        self.id = None        # the id field, as text; None when the event had none
        self.event = ""       # the event field ("change", "reset"); "" for a comment-only block
        self.data = None      # the data field (one line of JSON for this API)
        self.comments = []    # comment lines, without the ": "
        self.retry = None

    @property
    def json(self):
        return json.loads(self.data)

    def __repr__(self):
        return f"<SseEvent id={self.id} event={self.event!r} data={self.data!r} comments={self.comments}>"


class SseParser:
    """Text in, events out; a block ends at a blank line (LF only: this server writes no CR)."""

    def __init__(self):
        self._buf = ""

    def feed(self, text):
        self._buf += text
        events = []
        while "\n\n" in self._buf:
            block, self._buf = self._buf.split("\n\n", 1)
            e = SseEvent()
            for line in block.split("\n"):
                if line.startswith(":"):
                    e.comments.append(line[1:].lstrip(" "))
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "id":
                    e.id = value
                elif name == "event":
                    e.event = value
                elif name == "data":
                    e.data = value if e.data is None else e.data + "\n" + value
                elif name == "retry":
                    e.retry = int(value)
                else:
                    raise AssertionError(f"not a server-sent event line: {line!r}")
            events.append(e)
        return events


class ChunkedDecoder:
    """Transfer-Encoding: chunked, incrementally: feed() takes raw bytes, returns the body bytes
    they complete; `done` once the last chunk came."""

    def __init__(self):
        self._buf = b""
        self._left = 0      # bytes of the current chunk still to come
        self._crlf = False  # a chunk's trailing CRLF is still to come
        self.done = False

    def feed(self, data):
        self._buf += data
        out = []
        while self._buf and not self.done:
            if self._crlf:
                if len(self._buf) < 2:
                    break
                assert self._buf[:2] == b"\r\n", f"bad chunk end {self._buf[:10]!r}"
                self._buf, self._crlf = self._buf[2:], False
            elif self._left:
                take = self._buf[:self._left]
                out.append(take)
                self._buf, self._left = self._buf[len(take):], self._left - len(take)
                self._crlf = self._left == 0
            else:
                line, sep, rest = self._buf.partition(b"\r\n")
                if not sep:
                    break
                size = int(line.split(b";")[0], 16)
                self._buf = rest
                if size == 0:
                    self.done = True
                else:
                    self._left = size
        return b"".join(out)


def request_bytes(host, port, path, token, last_event_id=None):
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream",
             f"Authorization: Bearer {token}"]
    if last_event_id is not None:
        lines.append(f"Last-Event-ID: {last_event_id}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_head(sock, what):
    """(head, bytes after it) of the next response on `sock`; `what` names the request in errors."""
    raw = b""
    while b"\r\n\r\n" not in raw:
        data = sock.recv(65536)
        if not data:
            raise AssertionError(f"{what}: the connection closed before the response head")
        raw += data
    return raw.split(b"\r\n\r\n", 1)


def parse_head(head):
    """(status, {lower-case name: value}) of a response head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


class SseStream:
    """One live stream, blocking. `status` and `headers` once connected; next_event() reads on."""

    def __init__(self, base_host, base_port, path, token, last_event_id=None, timeout=30):
        self.path = path
        self.sock = socket.create_connection((base_host, base_port), timeout=timeout)
        self.sock.sendall(request_bytes(base_host, base_port, path, token, last_event_id))
        head, rest = read_head(self.sock, f"GET {path}")
        self.status, self.headers = parse_head(head)
        self._chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self._decoder = ChunkedDecoder()
        self._parser = SseParser()
        self._events = []
        self.closed = False
        self._take(rest)

    def _take(self, data):
        body = self._decoder.feed(data) if self._chunked else data
        self._events.extend(self._parser.feed(body.decode()))
        if self._chunked and self._decoder.done:
            self.closed = True

    def next_event(self, timeout=30):
        """The next event (comments included), or None when none came within `timeout` or the
        server ended the stream."""
        deadline = time.monotonic() + timeout
        while not self._events and not self.closed:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not data:
                self.closed = True
                break
            self._take(data)
        return self._events.pop(0) if self._events else None

    def changes(self, count, timeout=60):
        """The next `count` change events (skipping comments); fails naming what came instead."""
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            e = self.next_event(max(0.0, deadline - time.monotonic()))
            if e is None:
                raise AssertionError(f"GET {self.path}: {len(got)} of {count} changes came within {timeout}s")
            if e.event == "change":
                got.append(e)
            elif e.event:
                raise AssertionError(f"GET {self.path}: unexpected {e!r}")
        return got

    def close(self):
        self.sock.close()
