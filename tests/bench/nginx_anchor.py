"""The anchor of scripts/bench.sh sms and social: Debian's nginx (package nginx-light) answering
a static 200 to the same signed POSTs, started as the invoking user from a private prefix under a
temporary directory (`nginx -p DIR -c DIR/nginx.conf -e DIR/error.log -g 'daemon off;'`) on a free
loopback port, and stopped and removed afterwards.

What makes it a fair anchor rather than a shortcut:
- it reads every request body into memory before answering, as an endpoint that looks at the
  body must (the echo module's echo_read_request_body, which nginx-light loads; a bare
  `return 200` would answer before reading and discard the body afterwards);
- one worker process per CPU: the webhook adapter is one process whose event loop, worker pool
  and outbox sync thread may use every core, so nginx gets every core too;
- no access log (the adapters run with access_log = false), keep-alive without a request limit
  (no connection is reopened during the load).

Thread-safety: one NginxAnchor per thread; used as a context manager (private_server.py)."""

import os
import pwd
import signal
import subprocess
import time
import urllib.request

from private_server import PrivateServer

NGINX = "/usr/sbin/nginx"
ECHO_MODULE = "/usr/lib/nginx/modules/ngx_http_echo_module.so"
# Larger than any benchmark request (a WhatsApp delivery of two messages is ~1.5 KB), so a body
# is read into memory and never into a temporary file.
BODY_BUFFER = "64k"

CONFIG = """\
load_module {echo_module};
{user_line}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_buffer_size {body_buffer};
    client_max_body_size 1m;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        default_type text/plain;
        # Any path, any method: the body is read in full, then a fixed 200.
        location / {{
            echo_read_request_body;
            echo "ok";
        }}
        # The self-check: the length of the body nginx read.
        location = /__body_length {{
            echo_read_request_body;
            echo $request_body;
        }}
    }}
}}
"""


def missing():
    """What is missing to run the anchor, or None."""
    if not os.path.exists(NGINX):
        return f"{NGINX} (apt-get install nginx-light; scripts/bench.sh installs it)"
    if not os.path.exists(ECHO_MODULE):
        return f"{ECHO_MODULE} (libnginx-mod-http-echo, a dependency of nginx-light)"
    return None


class NginxAnchor(PrivateServer):
    NAME = "nginx"

    def __init__(self, parent, port, workers=None):
        super().__init__(parent, port)
        self.workers = workers or os.cpu_count() or 1
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def _launch(self):
        # As root, nginx's workers would switch to "nobody"; they stay the invoking user instead.
        user_line = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as f:
            f.write(CONFIG.format(echo_module=ECHO_MODULE, user_line=user_line, workers=self.workers,
                                  prefix=self.prefix, port=self.port, body_buffer=BODY_BUFFER))
        self.log = open(os.path.join(self.prefix, "stderr.log"), "w")
        # -e: the error log before the config is read is ours too (as a user, the packaged
        # /var/log/nginx/error.log is not writable).
        self.proc = subprocess.Popen([NGINX, "-p", self.prefix, "-c", os.path.join(self.prefix, "nginx.conf"),
                                      "-e", os.path.join(self.prefix, "error.log"), "-g", "daemon off;"],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self._wait_answering()

    def _wait_answering(self, timeout=20):
        deadline = time.monotonic() + timeout
        body = b"x" * 1000
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"nginx exited with {self.proc.returncode}: {self._errors()}")
            try:
                req = urllib.request.Request(self.base + "/__body_length", data=body, method="POST")
                with urllib.request.urlopen(req, timeout=2) as r:
                    got = r.read().strip()
                if got != body:
                    raise SystemExit(f"nginx read {len(got)} body bytes of {len(body)}: check {self.prefix}/nginx.conf")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"nginx did not answer on port {self.port} within {timeout} s: {self._errors()}")
                time.sleep(0.05)

    def _errors(self):
        self.log.flush()
        texts = []
        for name in ("stderr.log", "error.log"):
            path = os.path.join(self.prefix, name)
            if os.path.exists(path):
                with open(path) as f:
                    texts.append(f.read()[-2000:])
        return " ".join(texts).strip() or "no output"

    def _shutdown(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)  # graceful: workers finish, then the master exits
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        self.log.close()
