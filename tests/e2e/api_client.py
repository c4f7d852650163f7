"""HTTP client for omnihub-api in end-to-end tests: the standard library's http.client against
the real listener, and every JSON response checked against the OpenAPI 3.1 document the API
itself serves at /api/openapi.json (JSON Schema 2020-12, Debian's python3-jsonschema).

A response is checked when its Content-Type is application/json: the operation must exist in
the document for the request's method and path, document the response's status (or a 4XX /
default entry), and the body must validate against that response's schema. A mismatch fails
the test, so the document and the server cannot drift apart."""

import http.client
import json
import re
import urllib.parse

import jsonschema


class ApiResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # {lower-case name: value}; repeated fields joined with ", "
        self.body = body        # bytes

    @property
    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<ApiResponse {self.status} {self.body[:300]!r}>"


class OpenApiDocument:
    """The served document, with each path template compiled to a regular expression."""

    def __init__(self, doc):
        self.doc = doc
        prefix = ""
        servers = doc.get("servers") or []
        if servers:
            prefix = urllib.parse.urlparse(servers[0].get("url", "")).path.rstrip("/")
        self.operations = []
        for template, item in doc.get("paths", {}).items():
            for full in {template, prefix + template}:
                escaped = re.escape(full).replace(r"\{", "{").replace(r"\}", "}")
                pattern = "^" + re.sub(r"\{[^/}]+\}", "[^/]+", escaped) + "$"
                self.operations.append((re.compile(pattern), template, item))
        self._validators = {}

    def _resolve(self, node):
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
            target = self.doc
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def operation(self, method, path):
        """(template, operation object) for a request, or raises naming what is missing."""
        matches = [(t, item) for rx, t, item in self.operations if rx.match(path)]
        if not matches:
            raise AssertionError(f"{method} {path}: no path of the OpenAPI document matches")
        # The most specific template: the one with the fewest captures.
        matches.sort(key=lambda m: m[0].count("{"))
        for template, item in matches:
            op = item.get(method.lower())
            if op is not None:
                return template, op
        raise AssertionError(f"{method} {path}: the OpenAPI document has no {method} for {matches[0][0]}")

    def check(self, method, path, response):
        content_type = (response.header("content-type") or "").split(";")[0].strip()
        if content_type != "application/json":
            return
        template, op = self.operation(method, path)
        responses = op.get("responses", {})
        status = str(response.status)
        entry = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
        if entry is None:
            raise AssertionError(f"{method} {template}: status {status} is not documented "
                                 f"(documented: {sorted(responses)}); body {response.body[:500]!r}")
        entry = self._resolve(entry)
        media = (entry.get("content") or {}).get("application/json")
        if media is None:
            raise AssertionError(f"{method} {template} {status}: the document gives no application/json body")
        schema = media.get("schema")
        if schema is None:
            return
        key = (template, method, status)
        if key not in self._validators:
            self._validators[key] = _validator(self.doc, schema)
        errors = sorted(self._validators[key].iter_errors(response.json), key=lambda e: list(e.path))
        if errors:
            detail = "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5])
            raise AssertionError(f"{method} {path} -> {status}: response does not match the OpenAPI "
                                 f"document: {detail}\nbody: {response.body[:1000]!r}")


def _validator(doc, schema):
    """A 2020-12 validator for `schema` whose "#/..." references resolve in the whole document."""
    wrapped = dict(schema)
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18
        resource = Resource.from_contents(doc, default_specification=_draft2020())
        registry = Registry().with_resource("urn:omnihub:openapi", resource)
        wrapped = _rebase(schema, "urn:omnihub:openapi")
        return jsonschema.Draft202012Validator(wrapped, registry=registry)
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(doc)
        return jsonschema.Draft202012Validator(wrapped, resolver=resolver)


def _draft2020():
    from referencing.jsonschema import DRAFT202012
    return DRAFT202012


def _rebase(node, base):
    """`node` with every local "#/..." reference pointing into the document at `base`."""
    if isinstance(node, dict):
        return {k: (base + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v, base))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v, base) for v in node]
    return node


class ApiClient:
    def __init__(self, base, token=None, validate=True):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.base = base
        self.token = token
        self.validate = validate
        self._doc = None

    def document(self):
        if self._doc is None:
            r = self._raw("GET", "/api/openapi.json", None, {})
            assert r.status == 200, f"GET /api/openapi.json answered {r.status}: {r.body[:300]!r}"
            self._doc = OpenApiDocument(r.json)
        return self._doc

    def with_token(self, token):
        other = ApiClient(self.base, token, self.validate)
        other._doc = self._doc
        return other

    def _raw(self, method, target, body, headers, timeout=60):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, target, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            hdrs = {}
            for k, v in r.getheaders():
                hdrs[k.lower()] = hdrs[k.lower()] + ", " + v if k.lower() in hdrs else v
            return ApiResponse(r.status, hdrs, data)
        finally:
            conn.close()

    def request(self, method, path, json_body=None, params=None, headers=None, body=None, token=..., expect=None,
                timeout=60):
        """One request; `path` is unencoded except what the caller encoded (use quote() for ids).
        `expect`: a status (or tuple) the response must have. Returns the ApiResponse."""
        hdrs = dict(headers or {})
        tok = self.token if token is ... else token
        if tok:
            hdrs.setdefault("Authorization", f"Bearer {tok}")
        if json_body is not None:
            body = json.dumps(json_body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        target = path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        r = self._raw(method, target, body, hdrs, timeout)
        if expect is not None:
            allowed = expect if isinstance(expect, tuple) else (expect,)
            assert r.status in allowed, f"{method} {target}: expected {allowed}, got {r.status}: {r.body[:800]!r}"
        if self.validate and not path.startswith("/api/openapi.json"):
            self.document().check(method, path.split("?")[0], r)
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json_body=None, **kw):
        return self.request("POST", path, json_body=json_body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def quote(value):
    """A path segment: every reserved character percent-encoded (email:ana@x.com -> email%3Aana%40x.com)."""
    return urllib.parse.quote(value, safe="")
