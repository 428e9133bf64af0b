"""A test-only page whose queries are written wrongly on purpose (tests/tenancy/test_rls.py)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def wrong_queries(request: HttpRequest) -> JsonResponse:
    """Everything a careless view could do to reach another organisation's cases."""
    from cases.models import Case

    other = int(request.GET["other"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM cases_case")  # no organisation at all
        every = sorted(r[0] for r in cursor.fetchall())
        cursor.execute("SELECT id FROM cases_case WHERE organisation_id = %s", [other])  # the wrong one
        theirs = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM cases_caseperson WHERE organisation_id = %s", [other])
        their_people = cursor.fetchone()[0]
        cursor.execute("UPDATE cases_case SET what_happened = 'overwritten' WHERE organisation_id = %s", [other])
        overwritten = cursor.rowcount
        cursor.execute("SELECT current_user, (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)")
        role, bypasses = cursor.fetchone()
    orm = sorted(Case.all_orgs.values_list("pk", flat=True))  # the named bypass of the ORM scope, misused
    return JsonResponse({"every": every, "theirs": theirs, "their_people": their_people,
                         "overwritten": overwritten, "orm": orm, "role": role, "bypasses": bypasses})


urlpatterns = [
    path("rls-probe/", wrong_queries),
    path("", include("safeguard.urls")),
]
