"""Resolves the current organisation for every request, in one place."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from safeguard.sso import signin

from . import rls
from .models import Membership, Notification, RoleAssignment

if TYPE_CHECKING:
    from .access import TenantRequest
    from .models import User

SESSION_ORG_KEY = "safeguard_org_id"
SESSION_SEEN_KEY = "safeguard_seen_at"

# Paths a member may reach before meeting their organisation's two-factor rule.
_TWO_FACTOR_EXEMPT = ("/account/", "/static/", "/favicon.ico")


def _ids(relation: str) -> ArrayAgg:
    return ArrayAgg(f"{relation}__id", distinct=True, filter=Q(**{f"{relation}__isnull": False}), default=Value([]))


def active_memberships(user: User) -> list[Membership]:
    """Every organisation the person may work in; cross-tenant on purpose (it is theirs).

    Two queries (issue 11): the memberships with their organisation and unread notifications, and the
    role assignments with the ids of their areas and departments (what ``Membership.grants`` reads)."""
    unread = (Notification.objects.dangerously_unscoped()  # scoping: the person's own, per membership
              .filter(organisation=OuterRef("organisation"), recipient=OuterRef("user"), read_at__isnull=True)
              .order_by().values("recipient").annotate(n=Count("pk")).values("n"))
    assignments = (RoleAssignment.objects.dangerously_unscoped()  # scoping: the person's own roles
                   .annotate(area_ids=_ids("areas"), department_ids=_ids("departments")))
    with rls.dangerously_all_orgs():  # scoping: a person's own memberships, in every organisation
        return list(
            Membership.objects.dangerously_unscoped()  # scoping: as above
            .filter(user=user, is_active=True, organisation__is_active=True)
            .select_related("organisation", "organisation__identity_provider")
            .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
            .prefetch_related(Prefetch("role_assignments", queryset=assignments))
            .order_by("organisation__name")
        )


class IdleSessionMiddleware:
    """The idle time-out without a session write on every request (issue 11).

    ``SESSION_COOKIE_AGE`` is the idle time-out: a session's expiry moves on when it is saved. Rather than
    saving it on every request (``SESSION_SAVE_EVERY_REQUEST``), this marks it changed at most once every
    ``SESSION_REFRESH_SECONDS``, so a session expires between the age less that and the age after the
    last request, and most GETs write nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            seen = session.get(SESSION_SEEN_KEY)
            if not isinstance(seen, int) or now - seen >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


def session_seen_at_sign_in(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """``user_logged_in``: sign-in saves the session, so the idle time-out is fresh from here."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SEEN_KEY] = int(time.time())


class TenantMiddleware:
    """Sets ``request.org``, ``request.membership`` and ``request.memberships``.

    The organisation is the one chosen with the switcher (kept in the session)
    if the person is still an active member of it, else their first. A person
    with no organisation has ``request.org = None``; views that need one send
    them to a page that says so.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: TenantRequest) -> HttpResponse:
        request.org = None
        request.membership = None
        request.memberships = []
        request.unread_count = 0
        user = request.user
        if user.is_authenticated:
            # Single sign-on: a session reaches only the organisations its way of signing in is good for.
            memberships = signin.reachable(request.session, active_memberships(user))
            request.memberships = memberships
            chosen = request.session.get(SESSION_ORG_KEY)
            current = next((m for m in memberships if m.organisation_id == chosen), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_ORG_KEY] = current.organisation_id
            if current is not None:
                request.membership = current
                request.org = current.organisation
                rls.use_org(current.organisation_id)  # the database sees this organisation's rows only
                if self._needs_second_factor(request) and not request.path.startswith(_TWO_FACTOR_EXEMPT):
                    return redirect(reverse("two-factor") + "?next=" + request.path)
                request.unread_count = current.unread  # type: ignore[attr-defined]
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request: HttpRequest) -> bool:
        """The organisation requires 2FA, or the person has set it up: either way, verify."""
        user = request.user
        if user.is_verified():  # type: ignore[union-attr]
            return False
        if signin.provider_mfa_counts(request.session, request.org):  # type: ignore[attr-defined]
            return False  # the organisation's provider did the second factor (and it accepts that)
        if request.org.require_two_factor:  # type: ignore[attr-defined]
            return True
        from django_otp import user_has_device

        return bool(user_has_device(user, confirmed=True))
