"""Who gets what from every cases URL. The prepared case is reported by the frontline officer in
``world.area``/``world.department`` and allocated to the case officer; organisation-wide case managers,
the Safeguarding Manager and (for safeguarding cases) the Named Senior Officer also see it."""

from __future__ import annotations

from typing import Any

from cases import actions
from safeguard.tenancy.roles import Role

from ..cases import helpers
from ..factories import World
from . import UrlCase

SEES = frozenset({Role.CASE_OFFICER, Role.CASE_MANAGER, Role.NSO, Role.SAFEGUARDING_MANAGER})
WORKS = frozenset({Role.CASE_OFFICER, Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER})
MANAGES = frozenset({Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER})
CASE_ROLES = frozenset({Role.CASE_OFFICER, Role.CASE_MANAGER, Role.NSO, Role.SAFEGUARDING_MANAGER,
                        Role.PEOPLE_DIRECTOR})


def _case(w: World) -> dict[str, Any]:
    return {"pk": helpers.allocated(w).pk}


def _wow_case(w: World) -> dict[str, Any]:
    """A wellbeing case: the NSO does not see it, so everyone who sees it may work on it."""
    return {"pk": helpers.allocated(w, concern_type="wow").pk}


def _reported(w: World) -> dict[str, Any]:
    return {"pk": helpers.report(w).pk}


def _closing(w: World) -> dict[str, Any]:
    return {"pk": helpers.closure_requested(w).pk}


def _closed(w: World) -> dict[str, Any]:
    return {"pk": helpers.closed(w).pk}


def _action(w: World) -> dict[str, Any]:
    case = helpers.with_action(w, helpers.allocated(w))
    return {"pk": case.pk, "action_pk": case.actions.get().pk}


def _file(w: World) -> dict[str, Any]:
    case = helpers.allocated(w)
    f = actions.do_attach(case, helpers.pdf_upload(), content_type="application/pdf", description="",
                          acting_user=w.members["case_officer"])
    return {"pk": case.pk, "file_pk": f.pk}


def _grant(w: World) -> dict[str, Any]:
    case = helpers.allocated(w)
    g = actions.do_grant_access(case, user=w.members["dsl"], reason="Needs to know", can_edit=False,
                                acting_user=w.members["safeguarding_manager"])
    return {"pk": case.pk, "grant_pk": g.pk}


def _category(w: World) -> dict[str, Any]:
    from cases.models import HarmCategory

    return {"kind": "category", "item_pk": HarmCategory.objects.for_org(w.org).first().pk}


ADMIN = frozenset({Role.ORG_ADMIN})

CASES = [
    UrlCase("cases:viewing-log", allowed=frozenset({Role.SAFEGUARDING_MANAGER})),
    UrlCase("cases:lists", allowed=ADMIN),
    UrlCase("cases:toggle-list-item", allowed=ADMIN, prepare=_category, method="post", object_of_org=True),
    UrlCase("cases:add-person", allowed=WORKS, prepare=_wow_case, denied=404, object_of_org=True),
    UrlCase("cases:report"),
    UrlCase("cases:list", allowed=CASE_ROLES),
    UrlCase("cases:mine"),
    UrlCase("cases:triage", allowed=MANAGES | {Role.PEOPLE_DIRECTOR}),
    UrlCase("cases:received", allowed=frozenset({Role.FRONTLINE}), prepare=_reported, denied=404, object_of_org=True),
    UrlCase("cases:report-addendum", allowed=frozenset({Role.FRONTLINE}), prepare=_reported, denied=404,
            object_of_org=True),
    UrlCase("cases:detail", allowed=SEES, prepare=_case, denied=404, object_of_org=True),
    UrlCase("cases:chronology", allowed=SEES, prepare=_case, denied=404, object_of_org=True),
    UrlCase("cases:history", allowed=MANAGES, prepare=_case, denied=404, object_of_org=True),
    UrlCase("cases:viewers", allowed=frozenset({Role.SAFEGUARDING_MANAGER}), prepare=_case, denied=404,
            object_of_org=True),
    UrlCase("cases:add-action", allowed=WORKS, prepare=_wow_case, denied=404, object_of_org=True),
    UrlCase("cases:action-addendum", allowed=frozenset({Role.CASE_OFFICER}), prepare=_action, denied=404,
            object_of_org=True),
    UrlCase("cases:add-attachment", allowed=WORKS, prepare=_wow_case, denied=404, object_of_org=True),
    UrlCase("cases:attachment", allowed=SEES, prepare=_file, denied=404, object_of_org=True),
    UrlCase("cases:allocate", allowed=MANAGES, prepare=_reported, denied=404, object_of_org=True),
    UrlCase("cases:edit-details", allowed=MANAGES, prepare=_case, denied=404, object_of_org=True),
    UrlCase("cases:request-closure", allowed=WORKS, prepare=_wow_case, denied=404, object_of_org=True),
    UrlCase("cases:closure", allowed=MANAGES, prepare=_closing, denied=404, object_of_org=True),
    UrlCase("cases:reopen", allowed=MANAGES, prepare=_closed, denied=404, object_of_org=True),
    UrlCase("cases:access", allowed=frozenset({Role.SAFEGUARDING_MANAGER}), prepare=_case, denied=404,
            object_of_org=True),
    UrlCase("cases:revoke-access", allowed=frozenset({Role.SAFEGUARDING_MANAGER}), prepare=_grant, method="post",
            denied=404, object_of_org=True),
]
