"""GET /api/openapi.json against a real omnihub-api: served without a token, one OpenAPI 3.1
document whose every $ref resolves, and it matches the routes the server has: every documented
operation is routed (never the router's 404 or 405), an operation documented as needing a token
answers 401 without one (with the documented error body), and one documented as public
(`security: []`) answers with a status it documents."""

import json
import re
import unittest

import hub
from api_client import ApiClient

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def refs(node, where=""):
    """Every ($ref, location) pair in the document."""
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"], where
        for k, v in node.items():
            yield from refs(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from refs(v, f"{where}/{i}")


def resolves(doc, ref):
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return False
    target = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return False
        target = target[part]
    return True


class OpenApiDocumentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(api=True).start()
        cls.client = ApiClient(cls.hub.api_base)  # no token
        cls.response = cls.client.get("/api/openapi.json", token=None, expect=200)
        cls.doc = cls.response.json

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.cleanup()

    def test_served_publicly_as_json_with_the_security_headers(self):
        r = self.response
        self.assertEqual(r.header("content-type").split(";")[0], "application/json")
        self.assertEqual(r.header("cache-control"), "no-cache")
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertIn("default-src 'none'", r.header("content-security-policy"))
        # The same bytes every time: computed once at startup.
        again = self.client.get("/api/openapi.json", token=None, expect=200)
        self.assertEqual(again.body, r.body)

    def test_one_openapi_31_document_whose_refs_resolve(self):
        doc = self.doc
        self.assertRegex(doc["openapi"], r"^3\.1\.\d+$")
        self.assertEqual(doc["servers"][0]["url"], "http://127.0.0.1:8080")
        schemes = doc["components"]["securitySchemes"]
        self.assertEqual(schemes["bearerToken"]["scheme"], "bearer")
        self.assertEqual((schemes["sessionCookie"]["in"], schemes["sessionCookie"]["name"]),
                         ("cookie", "omnihub_session"))
        for name in ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooManyRequests"):
            self.assertIn(name, doc["components"]["responses"])
        unresolved = [(ref, where) for ref, where in refs(doc) if not resolves(doc, ref)]
        self.assertEqual(unresolved, [])
        self.assertIn("/api/openapi.json", doc["paths"])

    def test_every_documented_operation_is_routed_and_its_security_is_what_it_says(self):
        top_security = self.doc.get("security", [])
        checked = 0
        for template, item in self.doc["paths"].items():
            path = re.sub(r"\{[^/}]+\}", "x", template)
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                checked += 1
                with self.subTest(method=method, path=template):
                    # validate=True: a 401 must be documented with the Error body.
                    body = b"{}" if method in ("post", "put", "patch") else None
                    headers = {"Content-Type": "application/json"} if body else {}
                    public = op.get("security", top_security) == []
                    client = self.client if not public else ApiClient(self.hub.api_base, validate=False)
                    r = client.request(method.upper(), path, body=body, headers=headers, token=None, timeout=10)
                    if r.status in (404, 405) and (r.header("content-type") or "").startswith("application/json"):
                        self.assertNotEqual(json.loads(r.body)["error"]["message"], "no resource at this path",
                                            f"{method.upper()} {template} is documented but not routed")
                        self.assertNotEqual(r.status, 405, f"{method.upper()} {template} is documented but not routed")
                    if public:
                        # It may refuse what it is sent (a login link without a code is 401), but
                        # not for want of a token: the refusal must be one the operation documents.
                        documented = op.get("responses", {})
                        self.assertTrue({str(r.status), f"{str(r.status)[0]}XX", "default"} & documented.keys(),
                                        f"{method.upper()} {template} (public) answered an undocumented {r.status}")
                    else:
                        self.assertEqual(r.status, 401, f"{method.upper()} {template} answered without a token")
                        self.assertEqual(r.json["error"]["code"], "unauthorized")
                        self.assertIn("Bearer", r.header("www-authenticate"))
        self.assertGreater(checked, 0)

    def test_an_undocumented_path_is_not_served(self):
        unchecked = ApiClient(self.hub.api_base, validate=False)
        r = unchecked.request("GET", "/api/v1/no-such-thing", token=None, expect=404)
        self.assertEqual(r.json["error"]["code"], "not_found")


if __name__ == "__main__":
    unittest.main(verbosity=2)
