"""The board dashboard's URLs (issue 10): figures only, for the board, executives, the Safeguarding
Manager and DSLs (their areas)."""

from __future__ import annotations

from datetime import date

from safeguard.tenancy.roles import Role

from . import UrlCase

VIEWERS = frozenset({Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL})
SETTINGS = frozenset({Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN})

MONTHLY_AUDIENCE = frozenset({Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR})
READERS = frozenset({Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL,
                     Role.CASE_MANAGER})


def _report(w, done: bool = True):
    from django.core.files.base import ContentFile

    from governance.dashboard.models import BoardReport

    report = BoardReport.objects.create(organisation=w.org, kind="monthly", period_start=date(2026, 10, 1),
                                        period_end=date(2026, 10, 31), status="done" if done else "waiting")
    if done:
        report.pdf.save("m.pdf", ContentFile(b"%PDF-1.4"), save=False)
        report.xlsx.save("m.xlsx", ContentFile(b"x"), save=False)
        report.save()
    return {"pk": report.pk}


CASES = [
    UrlCase("board:dashboard", allowed=VIEWERS),
    UrlCase("board:commentary", allowed=frozenset({Role.SAFEGUARDING_MANAGER})),
    UrlCase("board:rag-settings", allowed=SETTINGS),
    UrlCase("board:reports", allowed=READERS),
    # a report is the audience's only: for anyone else it does not exist
    UrlCase("board:report", allowed=MONTHLY_AUDIENCE, prepare=_report, object_of_org=True, denied=404,
            allowed_for=lambda w, role: role in MONTHLY_AUDIENCE),
    UrlCase("board:report-download", allowed=MONTHLY_AUDIENCE, prepare=lambda w: {**_report(w), "fmt": "pdf"},
            object_of_org=True, denied=404, allowed_for=lambda w, role: role in MONTHLY_AUDIENCE),
]


def _person(w):
    from tests.registers.helpers import make_case

    case = make_case(w)
    return {"case_pk": case.pk, "person_pk": case.people.first().pk}


def _may_write_case(w, role):
    # the reporter's case is unallocated: its managers may write (case managers cover every area here)
    return role in {Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER}


CASES += [
    UrlCase("board:equality", allowed=frozenset({Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER,
                                                 Role.PEOPLE_DIRECTOR})),
    UrlCase("board:equality-person", prepare=_person, object_of_org=True, denied=404, allowed_for=_may_write_case),
]
