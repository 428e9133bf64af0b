"""Security headers on every response (issue 8, item 9)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from safeguard.tenancy.roles import Role
from tests.factories import World


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_it_sends_a_content_security_policy_without_inline_scripts_on_every_page(world: World) -> None:
    for client, url in [(Client(), reverse("login")), (_signed_in(world.members[Role.SAFEGUARDING_MANAGER]), "/"),
                        (_signed_in(world.members[Role.SAFEGUARDING_MANAGER]), reverse("cases:list"))]:
        response = client.get(url)
        assert response.status_code == 200
        directives = _directives(response)
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]


def test_it_lets_only_the_inline_script_carrying_this_responses_nonce_run(world: World) -> None:
    response = _signed_in(world.members[Role.SAFEGUARDING_MANAGER]).get("/")
    page = response.content.decode()
    nonces = [d for d in _directives(response)["script-src"] if d.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-"):-1]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline, "the page has its js-enabled inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    # A second response has a different nonce: a leaked one is useless.
    again = _signed_in(world.members[Role.SAFEGUARDING_MANAGER]).get("/")
    assert nonces != [d for d in _directives(again)["script-src"] if d.startswith("'nonce-")]


def test_it_has_no_inline_event_handlers_or_style_attributes_in_any_template() -> None:
    from pathlib import Path

    from django.conf import settings

    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates"),
             *Path(settings.BASE_DIR).glob("*/*/templates")]
    offenders = []
    for root in roots:
        for template in root.rglob("*.html"):
            text = template.read_text()
            if re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text) or "javascript:" in text:
                offenders.append(str(template))
            for attrs in re.findall(r"<(?:script|style)(?![^>]*\bsrc=)([^>]*)>", text):
                if "csp_nonce" not in attrs and 'type="application/json"' not in attrs:
                    offenders.append(f"{template}: inline <script>/<style> without the nonce")
    assert offenders == []


def test_it_sends_permissions_policy_and_cross_origin_opener_policy(world: World) -> None:
    for client, url in [(Client(), reverse("login")), (_signed_in(world.members[Role.NSO]), "/")]:
        response = client.get(url)
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert "microphone=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_it_forbids_caching_of_every_signed_in_page(world: World) -> None:
    client = _signed_in(world.members[Role.SAFEGUARDING_MANAGER])
    for url in ["/", reverse("cases:list"), reverse("notifications"), reverse("account")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_it_lets_static_files_keep_their_caching(world: World) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from safeguard.tenancy.headers import PrivatePageHeadersMiddleware

    def static_file(request):
        response = HttpResponse("body {}", content_type="text/css")
        response["Cache-Control"] = "max-age=315360000, public, immutable"
        return response

    request = RequestFactory().get("/static/safeguard/app.css")
    request.user = world.members[Role.DSL]
    response = PrivatePageHeadersMiddleware(static_file)(request)
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    request = RequestFactory().get("/cases/")
    request.user = world.members[Role.DSL]
    assert "no-store" in PrivatePageHeadersMiddleware(static_file)(request)["Cache-Control"]
