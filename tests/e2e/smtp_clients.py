"""Real SMTP/LMTP clients for the email listener's tests: Python's smtplib, swaks, and a raw
socket for byte-exact dialogues (pipelining, timeouts). Only the standard library is used.

Importable helpers for end-to-end tests, and a command line that prints one JSON object, used by
tests/services/email/smtp/smtp_server_test.cc:

    python3 smtp_clients.py smtplib --port P --from a@x --to b@y [--to c@y] [--lmtp]
        [--starttls --cafile cert.pem] [--mail-option BODY=8BITMIME] [--body-bytes N]
        [--data-file F] [--body-8bit]
    python3 smtp_clients.py swaks --port P --from a@x --to b@y [--tls --cafile cert.pem]
        [--pipeline] [--lmtp] [--data-file F]
    python3 smtp_clients.py raw --port P --send 'EHLO x\\r\\nQUIT\\r\\n'
"""

import argparse
import json
import os
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TEST_CERT = os.path.join(REPO_ROOT, "tests", "data", "tls", "cert.pem")
TEST_KEY = os.path.join(REPO_ROOT, "tests", "data", "tls", "key.pem")


def make_message(sender, recipients, subject="test", body_bytes=0, body_8bit=False):
    """An RFC 5322 message as bytes with CRLF line ends. body_bytes pads the body with 76-character
    lines up to about that size; body_8bit puts raw UTF-8 (not encoded) into it."""
    lines = [
        f"From: <{sender}>",
        f"To: {', '.join('<' + r + '>' for r in recipients)}",
        f"Subject: {subject}",
        "Message-ID: <%d.%d@smtp-clients.test>" % (os.getpid(), time.monotonic_ns()),
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: " + ("8bit" if body_8bit else "7bit"),
        "",
        "Gr\u00fc\u00dfe aus M\u00fcnchen \u2013 \u65e5\u672c\u8a9e" if body_8bit else "Hello",
        ".a line that starts with a dot",
    ]
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode("utf-8")
    line = (b"x" * 74) + b"\r\n"
    if body_bytes > len(data):
        data += line * ((body_bytes - len(data)) // len(line))
    return data


def smtplib_send(host, port, sender, recipients, message, lmtp=False, starttls=False, cafile=None,
                 mail_options=(), timeout=120):
    """Runs one transaction with smtplib and records every reply. Returns a dict with keys
    ehlo, tls, mail, rcpt ({address: [code, text]}), data ([[code, text], ...]: one entry for
    SMTP, one per accepted recipient for LMTP) and error (a protocol error that ended it)."""
    result = {"ehlo": None, "tls": False, "mail": None, "rcpt": {}, "data": [], "error": None}
    client = (smtplib.LMTP if lmtp else smtplib.SMTP)(host, port, timeout=timeout)
    try:
        code, text = client.ehlo()  # LHLO for smtplib.LMTP
        result["ehlo"] = [code, text.decode("utf-8", "replace")]
        if starttls:
            context = ssl.create_default_context(cafile=cafile or TEST_CERT)
            code, text = client.starttls(context=context)
            result["tls"] = code == 220
            client.ehlo()
        code, text = client.mail(sender, list(mail_options))
        result["mail"] = [code, text.decode("utf-8", "replace")]
        if code != 250:
            return result
        accepted = []
        for rcpt in recipients:
            code, text = client.rcpt(rcpt)
            result["rcpt"][rcpt] = [code, text.decode("utf-8", "replace")]
            if code == 250:
                accepted.append(rcpt)
        if not accepted:
            return result
        code, text = client.data(message)
        result["data"].append([code, text.decode("utf-8", "replace")])
        # smtplib reads one reply after the final dot; LMTP sends one per accepted recipient.
        if lmtp:
            for _ in accepted[1:]:
                code, text = client.getreply()
                result["data"].append([code, text.decode("utf-8", "replace")])
        client.quit()
    except smtplib.SMTPResponseException as e:
        result["error"] = [e.smtp_code, e.smtp_error.decode("utf-8", "replace")]
    except (smtplib.SMTPException, OSError) as e:
        result["error"] = [0, f"{type(e).__name__}: {e}"]
    finally:
        client.close()
    return result


def swaks_send(host, port, sender, recipients, data_file=None, tls=False, cafile=None, pipeline=False,
               lmtp=False, timeout=120, extra_args=()):
    """Runs swaks once; returns (exit code, transcript). swaks exits 0 only when every step got
    the reply it expects."""
    swaks = shutil.which("swaks")
    if not swaks:
        raise RuntimeError("swaks is not installed")
    cmd = [swaks, "--server", host, "--port", str(port), "--from", sender, "--to", ",".join(recipients),
           "--timeout", str(timeout), "--helo", "swaks.test"]
    if data_file:
        cmd += ["--data", "@" + data_file]
    if tls:
        cmd += ["--tls", "--tls-verify", "--tls-ca-path", cafile or TEST_CERT]
    if pipeline:
        cmd += ["--pipeline"]
    if lmtp:
        cmd += ["--protocol", "LMTP"]
    cmd += list(extra_args)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout + 30)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def raw_dialogue(host, port, send, timeout=30, wait_greeting=True):
    """Sends `send` (bytes) in one write after the greeting and returns everything the server
    says until it closes the connection or `timeout` seconds pass without data."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        received = b""
        if wait_greeting:
            while b"\r\n" not in received:
                chunk = sock.recv(65536)
                if not chunk:
                    return received
                received += chunk
        if send:
            sock.sendall(send)
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            received += chunk
        return received


class TestSmtpServer:
    """Runs omnihub-test-smtp-server (tests/tools/smtp_test_server_main.cc) from OMNIHUB_BIN_DIR in
    a temp dir; each accepted message appears there as <n>.eml with its envelope in <n>.json.

        with TestSmtpServer(mailboxes=["support@example.com"]) as server:
            smtplib_send("127.0.0.1", server.port, ...)
            server.messages()  # [(envelope dict, message bytes), ...]
    """

    def __init__(self, mailboxes=(), domains=(), lmtp=False, tls=False, max_message_bytes=None,
                 idle_timeout_seconds=None, fail=False, bin_dir=None):
        bin_dir = bin_dir or os.environ.get("OMNIHUB_BIN_DIR") or os.path.join(REPO_ROOT, "build", "bin")
        self.binary = os.path.join(bin_dir, "omnihub-test-smtp-server")
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"{self.binary} is missing: build the project first")
        self.dir = tempfile.mkdtemp(prefix="omnihub-smtp-")
        self.args = [self.binary, "--dir", self.dir]
        for m in mailboxes:
            self.args += ["--mailbox", m]
        for d in domains:
            self.args += ["--domain", d]
        if lmtp:
            self.args.append("--lmtp")
        if tls:
            self.args += ["--tls-cert", TEST_CERT, "--tls-key", TEST_KEY]
        if max_message_bytes is not None:
            self.args += ["--max-message-bytes", str(max_message_bytes)]
        if idle_timeout_seconds is not None:
            self.args += ["--idle-timeout-seconds", str(idle_timeout_seconds)]
        if fail:
            self.args.append("--fail")
        self.proc = None
        self.port = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=sys.stderr)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError(f"omnihub-test-smtp-server did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def messages(self):
        out = []
        names = sorted((n for n in os.listdir(self.dir) if n.endswith(".eml")), key=lambda n: int(n[:-4]))
        for name in names:
            with open(os.path.join(self.dir, name[:-4] + ".json")) as f:
                envelope = json.load(f)
            with open(os.path.join(self.dir, name), "rb") as f:
                out.append((envelope, f.read()))
        return out


def _main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("client", choices=["smtplib", "swaks", "raw"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--from", dest="sender", default="alice@example.net")
    parser.add_argument("--to", action="append", default=[])
    parser.add_argument("--lmtp", action="store_true")
    parser.add_argument("--starttls", "--tls", dest="tls", action="store_true")
    parser.add_argument("--cafile")
    parser.add_argument("--pipeline", action="store_true")
    parser.add_argument("--mail-option", action="append", default=[])
    parser.add_argument("--body-bytes", type=int, default=0)
    parser.add_argument("--body-8bit", action="store_true")
    parser.add_argument("--data-file")
    parser.add_argument("--send", default="", help="raw: bytes to send, with \\r \\n escapes")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    if args.client == "raw":
        send = args.send.encode().decode("unicode_escape").encode("latin-1")
        received = raw_dialogue(args.host, args.port, send, timeout=args.timeout)
        print(json.dumps({"received": received.decode("utf-8", "replace")}))
        return 0
    if args.data_file:
        with open(args.data_file, "rb") as f:
            message = f.read()
    else:
        message = make_message(args.sender, args.to, body_bytes=args.body_bytes, body_8bit=args.body_8bit)
    if args.client == "smtplib":
        result = smtplib_send(args.host, args.port, args.sender, args.to, message, lmtp=args.lmtp,
                              starttls=args.tls, cafile=args.cafile, mail_options=args.mail_option,
                              timeout=args.timeout)
        print(json.dumps(result))
        return 0
    data_file = args.data_file
    if not data_file:
        fd, data_file = tempfile.mkstemp(suffix=".eml")
        with os.fdopen(fd, "wb") as f:
            f.write(message)
    try:
        code, transcript = swaks_send(args.host, args.port, args.sender, args.to, data_file=data_file, tls=args.tls,
                                      cafile=args.cafile, pipeline=args.pipeline, lmtp=args.lmtp,
                                      timeout=int(args.timeout))
    finally:
        if data_file != args.data_file:
            os.unlink(data_file)
    print(json.dumps({"returncode": code, "transcript": transcript}))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
