"""Single sign-on (issue 13): the administrator's page and the public sign-in steps."""

from __future__ import annotations

from safeguard.tenancy.roles import Role

from . import UrlCase

ADMIN = frozenset({Role.ORG_ADMIN})

CASES = [
    UrlCase("sso-settings", allowed=ADMIN),
    UrlCase("sso-test", allowed=ADMIN, method="post"),  # nothing saved yet: back to the settings page
    # Public steps of signing in. Without a started sign-in the callback refuses plainly (400);
    # an organisation without single sign-on has no start page (404); an empty e-mail goes back to sign in.
    UrlCase("sso-find", method="post", public=True, signed_in_status=302),
    UrlCase("sso-callback", public=True, signed_in_status=400),
    UrlCase("sso-start", public=True, prepare=lambda w: {"slug": w.org.slug}, signed_in_status=404),
]
