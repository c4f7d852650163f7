"""The PostgreSQL anchor's HTTP front for scripts/bench.sh api: a minimal server that answers
GET /timeline/<customer_id>?limit=N with the customer's newest N events as JSON, read with one
indexed query, so that wrk measures PostgreSQL through HTTP and JSON as it measures omnihub-api.

It is deliberately the smallest thing that is still a fair server: keep-alive HTTP/1.1, one
database connection per serving thread, a prepared statement, and one process per core sharing
the listening socket (a single Python process would measure the interpreter's lock instead).

    python3 pg_timeline_front.py --dsn DSN --port PORT [--processes N]
Prints "ready" once listening."""

import argparse
import json
import os
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

# The page: newest first, the same order and index as the table's (customer_id, occurred_at
# desc, event_id). PostgreSQL builds the JSON (json_agg), so the front only frames it: Python's
# own JSON work would be most of what is measured otherwise. next_cursor: the last event id of a
# full page, as a client would page on.
QUERY = ("SELECT coalesce(json_agg(p)::text, '[]'), count(*), (array_agg(p.event_id))[%(limit)s] FROM ("
         "SELECT event_id, occurred_at, channel, direction, kind, body FROM events "
         "WHERE customer_id = %(customer)s ORDER BY occurred_at DESC, event_id LIMIT %(limit)s) p")

local = threading.local()


def connection(dsn):
    if getattr(local, "conn", None) is None:
        local.conn = psycopg2.connect(dsn)
        local.conn.autocommit = True
    return local.conn


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the
    # client's delayed ACK (40 ms), which would be measured instead of the database.
    disable_nagle_algorithm = True
    dsn = None

    def log_message(self, *args):  # no access log, as the API runs with access_log = false
        pass

    def do_GET(self):
        path, _, query = self.path.partition("?")
        parts = path.split("/")
        if len(parts) != 3 or parts[1] != "timeline":
            return self.answer(404, {"error": {"code": "not_found", "message": "no resource at this path"}})
        customer = urllib.parse.unquote(parts[2])
        limit = int(urllib.parse.parse_qs(query).get("limit", ["50"])[0])
        with connection(self.dsn).cursor() as cur:
            cur.execute(QUERY, {"customer": customer, "limit": limit})
            events, count, last = cur.fetchone()
        cursor = json.dumps(last if count == limit else None)
        body = f'{{"customer": {{"customer_id": {json.dumps(customer)}}}, "events": {events}, "next_cursor": {cursor}}}'
        self.send(200, body.encode())

    def answer(self, status, doc):
        self.send(status, json.dumps(doc).encode())

    def send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # wrk closing its connections at the end of a run is not an error worth a trace


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    Handler.dsn = args.dsn

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    parent = True
    for _ in range(args.processes - 1):
        if os.fork() == 0:
            parent = False
            break
    server = Server(("127.0.0.1", args.port), Handler, bind_and_activate=False)
    server.socket.close()
    server.socket = listener
    if parent:
        print("ready", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
