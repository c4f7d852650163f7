"""Authentication of omnihub-api against the real processes (unifier, omnihub-api, omnihubctl):
401 without or with a bad token (JSON body, WWW-Authenticate), 403 for a missing scope, 429 with
Retry-After for a token made with --rate 1, a revocation (over HTTP or by omnihubctl in another
process) refused on the very next request, the one-time login link, the CSRF rule for cookie
writes, token administration over HTTP with its audit log, and a listener that is reachable on
loopback only. Every JSON answer is validated against the served OpenAPI document (api_client)."""

import json
import os
import re
import socket
import subprocess
import time
import tomllib
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import hub
from api_client import quote

REPO = Path(__file__).resolve().parents[2]
TOKEN_RE = r"^ohk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def get_raw(url, headers=None):
    """(status, headers, body) of a GET that does not follow redirects (a browser's first hop)."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def cookie_of(set_cookie):
    """The Cookie header a browser sends back for a Set-Cookie value."""
    return set_cookie.split(";")[0]


class ApiAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(api=True).start()
        cls.admin_token = cls.hub.api_token("auth-admin")
        cls.admin = cls.hub.api(cls.admin_token)
        cls.anonymous = cls.hub.api()

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def ctl_json(self, *args):
        return json.loads(self.hub.ctl(*args, timeout=30).stdout)

    def login_link(self, name):
        return self.ctl_json("token", "login", name)["login_url"]

    def session_via_token(self, token):
        """POST /api/v1/session: (Cookie header value, csrf token)."""
        r = self.anonymous.post("/api/v1/session", {"token": token}, token=None, expect=200)
        return cookie_of(r.header("set-cookie")), r.json["csrf_token"]

    # -- 401, 403, 429 ----------------------------------------------------------

    def test_no_or_bad_token_is_401_with_json_and_www_authenticate(self):
        for headers in ({}, {"Authorization": "Bearer ohk_0123456789abcdef_" + "A" * 43},
                        {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic YWRtaW46YWRtaW4="},
                        {"Cookie": "omnihub_session=0123456789abcdef.99999999999.00"}):
            with self.subTest(headers=headers):
                r = self.anonymous.get("/api/v1/tokens", headers=headers, token=None, expect=401)
                self.assertEqual(r.json["error"]["code"], "unauthorized")
                self.assertEqual(r.header("www-authenticate"), 'Bearer realm="omnihub"')
                self.assertEqual(r.header("content-type").split(";")[0], "application/json")

    def test_a_read_token_on_an_admin_route_is_403_naming_the_scope(self):
        reader = self.hub.api(self.hub.api_token("auth-reader", "read"))
        r = reader.post("/api/v1/tokens", {"name": "never-made", "scopes": ["read"]}, expect=403)
        self.assertEqual(r.json["error"]["code"], "forbidden")
        self.assertIn("'admin'", r.json["error"]["message"])
        self.assertNotIn("never-made", self.hub.ctl("token", "list").stdout.decode())
        # What the token may do, it does.
        self.assertEqual(reader.get("/api/v1/session", expect=200).json["scopes"], ["read"])

    def test_a_token_with_rate_1_is_429_with_retry_after_when_hammered(self):
        slow = self.hub.api(self.hub.api_token("auth-slow", "read", "--rate", "1"))
        statuses = [slow.get("/api/v1/session") for _ in range(5)]
        self.assertEqual(statuses[0].status, 200)
        limited = [r for r in statuses if r.status == 429]
        self.assertTrue(limited, [r.status for r in statuses])
        r = limited[0]
        self.assertEqual(r.json["error"]["code"], "rate_limited")
        retry_after = int(r.header("retry-after"))
        self.assertGreaterEqual(retry_after, 1)
        # Other tokens are not slowed down by it.
        self.admin.get("/api/v1/session", expect=200)
        # After Retry-After the token is served again (real time: the server's clock).
        time.sleep(retry_after)
        slow.get("/api/v1/session", expect=200)

    # -- revocation ---------------------------------------------------------------

    def test_a_token_revoked_over_http_is_refused_on_the_next_request(self):
        made = self.admin.post("/api/v1/tokens", {"name": "auth-revoke-http", "scopes": ["read"]}, expect=201).json
        agent = self.hub.api(made["token"])
        agent.get("/api/v1/session", expect=200)
        revoked = self.admin.delete("/api/v1/tokens/" + made["token_id"], expect=200).json
        self.assertEqual(revoked["token_id"], made["token_id"])
        self.assertIsNotNone(revoked["revoked_at"])
        r = agent.get("/api/v1/session", expect=401)
        self.assertEqual(r.json["error"]["code"], "unauthorized")

    def test_a_token_revoked_by_omnihubctl_is_refused_on_the_next_request(self):
        agent = self.hub.api(self.hub.api_token("auth-revoke-ctl", "read"))
        agent.get("/api/v1/session", expect=200)  # the API has the token file cached now
        cookie, _ = self.session_via_token(agent.token)
        self.anonymous.get("/api/v1/session", headers={"Cookie": cookie}, token=None, expect=200)
        self.ctl_json("token", "revoke", "auth-revoke-ctl")
        agent.get("/api/v1/session", expect=401)
        self.anonymous.get("/api/v1/session", headers={"Cookie": cookie}, token=None, expect=401)

    # -- console sessions -----------------------------------------------------------

    def test_the_login_link_works_once(self):
        self.hub.api_token("auth-console", "read,write")
        link = self.login_link("auth-console")
        self.assertTrue(link.startswith(self.hub.api_base + "/login?code="), link)
        status, headers, body = get_raw(link)
        self.assertEqual(status, 303, body)
        self.assertEqual(headers["Location"], "/")
        self.assertEqual(headers["Cache-Control"], "no-store")
        set_cookie = headers["Set-Cookie"]
        self.assertRegex(set_cookie, r"^omnihub_session=[0-9a-f]{16}\.[0-9]+\.[0-9a-f]{64}; HttpOnly; "
                                     r"SameSite=Strict; Path=/; Max-Age=43200$")
        self.assertNotIn("Secure", set_cookie)  # public_url is http in the test hub
        r = self.anonymous.get("/api/v1/session", headers={"Cookie": cookie_of(set_cookie)}, token=None, expect=200)
        self.assertEqual(r.json["name"], "auth-console")
        self.assertEqual(r.json["scopes"], ["read", "write"])
        self.assertRegex(r.json["csrf_token"], r"^[0-9a-f]{64}$")

        again = self.anonymous.get(link[len(self.hub.api_base):], token=None, expect=401)
        self.assertEqual(again.json["error"]["code"], "unauthorized")
        self.assertEqual(again.json["error"]["field"], "code")
        for bad in ("/login", "/login?code=", "/login?code=" + "A" * 43, "/login?code=../../session.key"):
            with self.subTest(target=bad):
                self.anonymous.get(bad, token=None, expect=401)

        # The access log has the request, but not the code (omnihub-api logs no query strings).
        code = link.split("code=", 1)[1]
        log = hub.wait_until(lambda: (t := self.hub.read_log("api.log", tail=None)) and '"GET /login?..." 303' in t and t,
                             "the login request in the API's access log", timeout=10)
        self.assertNotIn(code, log)

    def test_a_bearer_session_has_no_csrf_token(self):
        r = self.admin.get("/api/v1/session", expect=200)
        self.assertEqual(r.json["name"], "auth-admin")
        self.assertNotIn("csrf_token", r.json)

    def test_a_cookie_write_needs_the_csrf_token(self):
        cookie, csrf = self.session_via_token(self.admin_token)
        body = {"name": "auth-csrf", "scopes": ["read"]}
        r = self.anonymous.post("/api/v1/tokens", body, headers={"Cookie": cookie}, token=None, expect=403)
        self.assertEqual(r.json["error"]["code"], "csrf_failed")
        r = self.anonymous.post("/api/v1/tokens", body, headers={"Cookie": cookie, "X-CSRF-Token": "0" * 64},
                                token=None, expect=403)
        self.assertEqual(r.json["error"]["code"], "csrf_failed")
        self.assertNotIn("auth-csrf", self.hub.ctl("token", "list").stdout.decode())
        made = self.anonymous.post("/api/v1/tokens", body, headers={"Cookie": cookie, "X-CSRF-Token": csrf},
                                   token=None, expect=201).json
        self.assertEqual(made["created_by"], "auth-admin")
        # Reads through the cookie need no CSRF token.
        self.anonymous.get("/api/v1/tokens", headers={"Cookie": cookie}, token=None, expect=200)

    def test_post_session_refuses_bad_tokens_and_non_json(self):
        r = self.anonymous.post("/api/v1/session", {"token": "ohk_nope"}, token=None, expect=401)
        self.assertEqual(r.json["error"]["field"], "token")
        r = self.anonymous.post("/api/v1/session", {}, token=None, expect=400)
        self.assertEqual(r.json["error"]["field"], "token")
        r = self.anonymous.request("POST", "/api/v1/session", body=json.dumps({"token": self.admin_token}).encode(),
                                   headers={"Content-Type": "text/plain"}, token=None, expect=400)
        self.assertEqual(r.json["error"]["field"], "Content-Type")
        self.assertIsNone(r.header("set-cookie"))

    def test_delete_session_clears_the_cookie(self):
        r = self.anonymous.delete("/api/v1/session", token=None, expect=204)
        self.assertEqual(r.header("set-cookie"), "omnihub_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")

    # -- token administration ----------------------------------------------------------

    def test_token_administration_over_http(self):
        made = self.admin.post("/api/v1/tokens", {"name": "auth-agent", "scopes": ["read", "write"],
                                                  "expires_in_s": 3600, "rate_limit_per_s": 7}, expect=201).json
        self.assertRegex(made["token"], TOKEN_RE)
        self.assertEqual(made["scopes"], ["read", "write"])
        self.assertEqual(made["rate_limit_per_s"], 7)
        self.assertIsNotNone(made["expires_at"])
        self.assertEqual(made["created_by"], "auth-admin")
        self.assertEqual(self.hub.api(made["token"]).get("/api/v1/session", expect=200).json["name"], "auth-agent")

        listed = self.admin.get("/api/v1/tokens", expect=200)
        names = [t["name"] for t in listed.json["tokens"]]
        self.assertIn("auth-agent", names)
        self.assertNotIn(made["token"].split("_")[2], listed.body.decode())
        self.assertNotIn('"token"', listed.body.decode())
        # omnihubctl sees the same store.
        self.assertIn("auth-agent", self.hub.ctl("token", "list").stdout.decode())

        r = self.admin.post("/api/v1/tokens", {"name": "auth-agent", "scopes": ["read"]}, expect=409)
        self.assertEqual(r.json["error"]["field"], "name")
        for body, field in (({"scopes": ["read"]}, "name"), ({"name": "x y", "scopes": ["read"]}, "name"),
                            ({"name": "x"}, "scopes"), ({"name": "x", "scopes": []}, "scopes"),
                            ({"name": "x", "scopes": ["root"]}, "scopes"), ({"name": "x", "scopes": "read"}, "scopes"),
                            ({"name": "x", "scopes": ["read"], "expires_in_s": 0}, "expires_in_s"),
                            ({"name": "x", "scopes": ["read"], "expires_in_s": "1h"}, "expires_in_s"),
                            ({"name": "x", "scopes": ["read"], "rate_limit_per_s": -1}, "rate_limit_per_s")):
            with self.subTest(body=body):
                r = self.admin.post("/api/v1/tokens", body, expect=400)
                self.assertEqual(r.json["error"]["field"], field)
        r = self.admin.request("POST", "/api/v1/tokens", body=b"[1,", headers={"Content-Type": "application/json"},
                               expect=400)
        self.assertEqual(r.json["error"]["field"], "body")

        self.admin.delete("/api/v1/tokens/" + quote("auth-agent"), expect=200)
        r = self.admin.delete("/api/v1/tokens/no-such-token", expect=404)
        self.assertEqual(r.json["error"]["code"], "not_found")

        audit = [json.loads(line) for line in
                 Path(self.hub.dir, "api-tokens", "audit.jsonl").read_text().splitlines()]
        mine = [(a["action"], a["actor"], a["via"]) for a in audit if a["name"] == "auth-agent"]
        self.assertEqual(mine, [("create", "auth-admin", "api"), ("revoke", "auth-admin", "api")])
        self.assertIn("token create: 'auth-agent'", self.hub.read_log("api.log", tail=10**7))

    def test_token_files_are_private(self):
        token_dir = Path(self.hub.dir, "api-tokens")
        self.assertEqual(token_dir.stat().st_mode & 0o777, 0o700)
        for f in token_dir.iterdir():
            with self.subTest(file=f.name):
                self.assertEqual(f.stat().st_mode & 0o777, 0o600)
        self.assertEqual(len((token_dir / "session.key").read_bytes()), 32)

    # -- the listener ------------------------------------------------------------------

    def test_the_listener_is_loopback_only_by_default(self):
        default = tomllib.loads((REPO / "common/config/default_config.toml").read_text())
        self.assertEqual(default["api"]["listen"], "127.0.0.1:8080")
        header = (REPO / "services/api/api_config.h").read_text()
        self.assertRegex(header, r'std::string listen = "127\.0\.0\.1:8080";')
        # The test hub listens like the default, on 127.0.0.1 only: every other address of this
        # machine refuses the port.
        with socket.create_connection(("127.0.0.1", self.hub.api_port), timeout=5):
            pass
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
        others = [a for a in out if not a.startswith("127.") and a != "::1"]
        if not others:
            self.skipTest("this machine has no address besides loopback (hostname -I is empty)")
        for address in others:
            with self.subTest(address=address):
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.settimeout(5)
                    with self.assertRaises(ConnectionRefusedError):
                        s.connect((address, self.hub.api_port))


if __name__ == "__main__":
    unittest.main(verbosity=2)
