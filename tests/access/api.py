"""The administrator's pages for API tokens and webhooks, and the API documentation page.

The API itself (namespace ``api-v1``) answers tokens, not sign-ins: its matrix is
``tests/api/test_api_matrix.py`` (each scope, another organisation's token, no token)."""

from __future__ import annotations

from safeguard.api.tokens import do_create_token
from safeguard.api.webhooks import do_subscribe
from safeguard.tenancy.roles import Role

from . import UrlCase

ADMIN = frozenset({Role.ORG_ADMIN})


def _token(w):
    from datetime import timedelta

    from django.utils import timezone

    made = do_create_token(w.org, name="Matrix token", scopes=["board:read"], role=Role.BOARD_MEMBER,
                           expires_at=timezone.now() + timedelta(days=30), account_name="Board tool",
                           acting_user=w.members[Role.ORG_ADMIN])
    return {"pk": made.token.pk}


def _subscription(w):
    sub = do_subscribe(w.org, url="https://housing.example.org/events", events=["concern.reported"],
                       acting_user=w.members[Role.ORG_ADMIN])
    return {"pk": sub.pk}


CASES = [
    UrlCase("api:tokens", allowed=ADMIN),
    UrlCase("api:token-revoke", allowed=ADMIN, method="post", prepare=_token, object_of_org=True),
    UrlCase("api:webhooks", allowed=ADMIN),
    UrlCase("api:webhook-remove", allowed=ADMIN, method="post", prepare=_subscription, object_of_org=True),
    UrlCase("api-docs", public=True, signed_in_status=200),
]
