"""The registers app's URLs: confidential per register (404 for anyone without the permission)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from registers import actions
from registers.policy.review import this_month
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case, make_entry, register_of

from . import UrlCase

VIEWERS = frozenset({Role.NSO, Role.DSL, Role.SAFEGUARDING_MANAGER, Role.REGISTER_ADMIN})
EDITORS = frozenset({Role.NSO, Role.REGISTER_ADMIN})
CP = frozenset({Role.DSL, Role.SAFEGUARDING_MANAGER})
SECOND_AREA = frozenset({Role.NSO, Role.SAFEGUARDING_MANAGER, Role.REGISTER_ADMIN})


def _register(w):
    return {"pk": register_of(w.area).pk}


def _second_register(w):
    return {"pk": register_of(w.second_area).pk}


def _entry(w):
    return {"pk": make_entry(w).pk}


def _second_entry(w):
    return {"pk": make_entry(w, area=w.second_area).pk}


def _person(w):
    entry = make_entry(w)
    return {"pk": entry.pk, "person_pk": entry.people.first().pk}


def _closed_entry(w):
    entry = make_entry(w)
    actions.do_close_entry(entry, reason="Moved away", acting_user=w.members[Role.NSO])
    return {"pk": entry.pk}


def _case(w):
    return {"case_pk": make_case(w).pk}


def _month(w):
    month = this_month()
    return {"pk": register_of(w.area).pk, "year": month.year, "month": month.month}


def _mark(w):
    entry = make_entry(w)
    return {**_month(w), "entry_pk": entry.pk}


def _export(w, done: bool = False, status: str = "done"):
    export = actions.do_request_export(register_of(w.area), fmt="xlsx", acting_user=w.members[Role.SAFEGUARDING_MANAGER])
    if done:
        export.file.save("matrix.xlsx", ContentFile(b"x"), save=False)
        export.status, export.finished_at = status, timezone.now()
        export.save()
    return {"pk": export.pk}


def _only_sm(w, role):
    return role == Role.SAFEGUARDING_MANAGER


def _reg(name: str, prepare, allowed=VIEWERS, **kw):
    return UrlCase(name, allowed=allowed, prepare=prepare, denied=404, object_of_org=True, **kw)


CASES = [
    UrlCase("registers:index", allowed=VIEWERS, denied=404),
    UrlCase("registers:access", allowed=frozenset({Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN})),
    UrlCase("registers:cp-log", allowed=frozenset({Role.SAFEGUARDING_MANAGER})),
    UrlCase("registers:counts", allowed=frozenset({Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER})),
    _reg("registers:register", _register),
    _reg("registers:register", _second_register, allowed=SECOND_AREA, id="registers:register:second-area"),
    _reg("registers:entry-add", _register, allowed=EDITORS),
    _reg("registers:entry-add-from-case", _case, allowed=frozenset({Role.NSO})),
    _reg("registers:child-protection", _register, allowed=CP),
    _reg("registers:child-protection", _second_register, allowed=frozenset({Role.SAFEGUARDING_MANAGER}),
         id="registers:child-protection:second-area"),
    _reg("registers:reviews", _register),
    _reg("registers:review", _month),
    _reg("registers:review-mark", _mark, allowed=frozenset({Role.DSL}), method="post",
         data=lambda w, kw: {"comment": "Checked"}),
    _reg("registers:review-sign", _month, allowed=frozenset({Role.DSL}), method="post"),
    _reg("registers:export-start", _register, method="post", data=lambda w, kw: {"format": "pdf"}),
    _reg("registers:export-download", lambda w: _export(w, done=True), allowed_for=_only_sm),
    _reg("registers:entry", _entry),
    _reg("registers:entry", _second_entry, allowed=SECOND_AREA, id="registers:entry:second-area"),
    _reg("registers:entry-edit", _entry, allowed=EDITORS),
    _reg("registers:person-add", _entry, allowed=EDITORS),
    _reg("registers:person-edit", _person, allowed=EDITORS),
    _reg("registers:person-remove", _person, allowed=EDITORS),
    _reg("registers:entry-close", _entry, allowed=EDITORS),
    _reg("registers:entry-reopen", _closed_entry, allowed=EDITORS, method="post"),
    _reg("registers:update-add", _entry, allowed=EDITORS),
]
