from __future__ import annotations

from safeguard.tenancy.models import Invitation
from safeguard.tenancy.notifications import notify
from safeguard.tenancy.roles import Role

from . import UrlCase

ADMIN = frozenset({Role.ORG_ADMIN})


def _member(w):
    return {"pk": w.membership(Role.FRONTLINE).pk}


def _invitation(w):
    inv = Invitation.objects.create(organisation=w.org, email="new@oakridge.test", full_name="New Person",
                                    roles=[Role.FRONTLINE], invited_by=w.members[Role.ORG_ADMIN])
    return {"pk": inv.pk}


def _note_for_everyone(w):
    notes = notify(org=w.org, recipients=w.members.values(), kind="test", title="Test", url="/")
    return {"pk": notes[0].pk}


CASES = [
    UrlCase("home"),
    UrlCase("health", public=True, signed_in_status=200),
    UrlCase("login", public=True, signed_in_status=302),  # already signed in: home
    UrlCase("logout", method="post", public=True, signed_in_status=302),
    UrlCase("account"),
    UrlCase("two-factor"),
    UrlCase("two-factor-setup"),
    UrlCase("two-factor-disable", method="post"),
    UrlCase("reauthenticate"),
    UrlCase("password_change"),
    UrlCase("password_change_done"),
    UrlCase("password_reset", public=True, signed_in_status=200),
    UrlCase("undelivered-mail", allowed=ADMIN),
    UrlCase("undelivered-mail-retry", allowed=ADMIN, method="post"),
    UrlCase("password_reset_done", public=True, signed_in_status=200),
    UrlCase("password_reset_confirm", public=True, prepare=lambda w: {"uidb64": "x", "token": "y"},
            signed_in_status=200),  # the page saying the link is not valid
    UrlCase("password_reset_complete", public=True, signed_in_status=200),
    UrlCase("accept-invitation", public=True, prepare=lambda w: {"token": "not-a-real-token"},
            signed_in_status=404),
    UrlCase("switch-organisation", method="post", data=lambda w, kw: {"organisation": w.org.pk}),
    UrlCase("no-organisation"),
    UrlCase("organisation-settings", allowed=ADMIN),
    UrlCase("area-add", allowed=ADMIN, method="post", data=lambda w, kw: {"area-name": "Newtown"}),
    UrlCase("department-add", allowed=ADMIN, method="post", data=lambda w, kw: {"department-name": "Estates"}),
    UrlCase("people", allowed=ADMIN),
    UrlCase("people-invite", allowed=ADMIN),
    UrlCase("people-detail", allowed=ADMIN, prepare=_member, object_of_org=True),
    UrlCase("people-deactivate", allowed=ADMIN, method="post", prepare=_member, object_of_org=True),
    UrlCase("people-reactivate", allowed=ADMIN, method="post", prepare=_member, object_of_org=True),
    UrlCase("people-reset-two-factor", allowed=ADMIN, method="post", prepare=_member, object_of_org=True),
    UrlCase("invitation-revoke", allowed=ADMIN, method="post", prepare=_invitation, object_of_org=True),
    UrlCase("notifications"),
    # Each person opens a notification addressed to them; another's id is a 404 (see test_notifications).
    UrlCase("notification-open", method="post", prepare=_note_for_everyone, object_of_org=True,
            allowed_for=lambda w, role: role == sorted(w.members, key=lambda r: w.members[r].pk)[0], denied=404),
    UrlCase("notifications-read-all", method="post"),
]

