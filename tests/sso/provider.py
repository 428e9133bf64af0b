"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1 in a thread.

It serves discovery, JWKS, an authorisation endpoint (the person is the ``login_hint``; with
``interactive`` a page with a Continue button, as a browser sees it), a token endpoint that checks
the client's secret, the redirect URI and the PKCE verifier and signs an RS256 ID token with joserfc,
and a users endpoint (Microsoft Graph-like) for the leavers check. Each tenant is its own issuer
(``http://127.0.0.1:<port>/<tenant>``) with its own key, client and people. ``tamper`` changes
the next ID tokens' claims (wrong audience, expired, wrong nonce) or signs them with another key.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


@dataclass
class Tenant:
    name: str
    client_id: str
    client_secret: str
    base: str = ""
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4)})
    )
    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # e-mail -> claims (+ "disabled")
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    interactive: bool = False
    access_tokens: set[str] = field(default_factory=set)

    @property
    def issuer(self) -> str:
        return f"{self.base}/{self.name}"

    def add_person(self, email: str, **claims: Any) -> dict[str, Any]:
        person = {"sub": "sub-" + secrets.token_hex(6), "email": email, "email_verified": True, **claims}
        self.people[email.lower()] = person
        return person

    def id_token(self, person: dict[str, Any], nonce: str) -> str:
        now = int(time.time())
        claims = {k: v for k, v in person.items() if k != "disabled"}
        claims |= {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": nonce}
        tamper = dict(self.tamper)
        key = tamper.pop("sign_with", None) or self.key
        claims |= tamper
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(
        self,
        status: int,
        body: Any,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = (json.dumps(body) if content_type == "application/json" else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _tenant(self) -> tuple[Tenant | None, str, dict[str, list[str]]]:
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/", 1)
        tenant = self.server.tenants.get(parts[0])
        return tenant, parts[1] if len(parts) > 1 else "", parse_qs(url.query)

    def do_GET(self) -> None:  # noqa: N802
        tenant, route, query = self._tenant()
        if tenant is None:
            return self._send(404, {"error": "unknown tenant"})
        if route == ".well-known/openid-configuration":
            return self._send(
                200,
                {
                    "issuer": tenant.issuer,
                    "authorization_endpoint": tenant.issuer + "/authorize",
                    "token_endpoint": tenant.issuer + "/token",
                    "jwks_uri": tenant.issuer + "/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        if route == "jwks":
            return self._send(200, KeySet([tenant.key]).as_dict(private=False))
        if route == "authorize":
            return self._authorize(
                tenant, {k: v[0] for k, v in query.items()}, confirmed=not tenant.interactive
            )
        if route.startswith("users/"):
            auth = self.headers.get("Authorization", "")
            if auth.removeprefix("Bearer ") not in tenant.access_tokens:
                return self._send(401, {"error": "invalid_token"})
            sub = route.removeprefix("users/")
            person = next((p for p in tenant.people.values() if p.get("oid", p["sub"]) == sub), None)
            if person is None:
                return self._send(404, {"error": {"code": "Request_ResourceNotFound"}})
            return self._send(200, {"id": sub, "accountEnabled": not person.get("disabled")})
        return self._send(404, {"error": "not found"})

    def _authorize(self, tenant: Tenant, params: dict[str, str], *, confirmed: bool) -> None:
        if params.get("client_id") != tenant.client_id or params.get("response_type") != "code":
            return self._send(400, {"error": "invalid_request"})
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return self._send(400, {"error": "invalid_request", "error_description": "PKCE required"})
        redirect = params["redirect_uri"]
        person = tenant.people.get(params.get("login_hint", "").lower())
        if person is None or person.get("disabled"):
            query = urlencode({"error": "access_denied", "state": params.get("state", "")})
            return self._send(302, "", "text/plain", {"Location": f"{redirect}?{query}"})
        if not confirmed:
            fields = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in params.items()
            )
            page = (
                f"<!doctype html><html lang='en'><head><title>Test IdP</title></head><body><main>"
                f"<h1>Test identity provider ({html.escape(tenant.name)})</h1>"
                f"<p>Sign in as {html.escape(person['email'])}?</p>"
                f"<form method='post' action='{tenant.issuer}/authorize'>{fields}"
                f"<button type='submit'>Continue</button></form></main></body></html>"
            )
            return self._send(200, page, "text/html")
        code = secrets.token_urlsafe(24)
        tenant.codes[code] = {
            "person": person,
            "nonce": params.get("nonce", ""),
            "redirect_uri": redirect,
            "challenge": params["code_challenge"],
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        return self._send(302, "", "text/plain", {"Location": f"{redirect}?{query}"})

    def do_POST(self) -> None:  # noqa: N802
        tenant, route, _ = self._tenant()
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if tenant is None:
            return self._send(404, {"error": "unknown tenant"})
        if route == "authorize":
            return self._authorize(tenant, form, confirmed=True)
        if route != "token":
            return self._send(404, {"error": "not found"})
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != tenant.client_id or client_secret != tenant.client_secret:
            return self._send(401, {"error": "invalid_client"})
        if form.get("grant_type") == "client_credentials":
            token = secrets.token_urlsafe(16)
            tenant.access_tokens.add(token)
            return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 300})
        grant = tenant.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return self._send(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return self._send(
                400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
            )
        return self._send(
            200,
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": tenant.id_token(grant["person"], grant["nonce"]),
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tenants: dict[str, Tenant]


class Provider:
    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.tenants = {}
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def tenant(self, name: str) -> Tenant:
        tenant = Tenant(
            name=name, client_id=f"client-{name}", client_secret=secrets.token_urlsafe(16), base=self.base
        )
        self.server.tenants[name] = tenant
        return tenant

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
