"""Importing policies, the work plan and suppliers (issue 9, item 10), on training's import machinery."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from governance import models as m
from safeguard.background.models import BackgroundJob
from safeguard.tenancy.roles import Role

from .helpers import make_policy, sm

pytestmark = pytest.mark.django_db


def _client(w, role: str = Role.SAFEGUARDING_MANAGER) -> Client:
    client = Client()
    client.force_login(w.members[role])
    return client


def _upload(client: Client, slug: str, data: bytes, name: str = "file.csv") -> BackgroundJob:
    response = client.post(reverse("governance:import", args=[slug]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return BackgroundJob.all_orgs.latest("pk")


def _import(client: Client, job: BackgroundJob, skip: bool = False) -> BackgroundJob:
    client.post(reverse("governance:import-confirm", args=[job.pk]), {"skip_bad_rows": "yes"} if skip else {})
    job.refresh_from_db()
    return job


POLICIES = (
    "title,category,owner_email,approving_body,approval_date,effective_date,review_date,status\n"
    "Domestic abuse policy,Domestic abuse,{sm},The Board,14/03/2025,01/04/2025,31/03/2027,Approved\n"
    "Whistleblowing policy,Whistling,nobody@nowhere.test,The Board,14/03/2025,,next spring,Approved\n"
)


def test_a_bad_policy_row_is_shown_in_plain_words_and_nothing_is_imported_unless_skipped(world) -> None:
    client = _client(world)
    job = _upload(client, "policies", POLICIES.format(sm=sm(world).email).encode())
    page = client.get(reverse("background:job", args=[job.pk])).content.decode()
    assert "1 of 2 rows has a problem" in page
    assert "&#x27;Whistling&#x27; is not one of:" in page
    assert "No one in your organisation has the e-mail address &#x27;nobody@nowhere.test&#x27;" in page
    assert "&#x27;next spring&#x27; is not a date: write it like 31/12/2025" in page
    assert {p["row"] for p in job.result["problems"]} == {3}
    assert _import(client, job).status == "done"  # refused: the check stays as it was
    assert not m.Policy.objects.for_org(world.org).filter(title__endswith="abuse policy").exists()
    job = _import(client, job, skip=True)
    assert job.status == "done" and job.result["created"] == 1 and job.result["skipped"] == 1
    policy = m.Policy.objects.for_org(world.org).get(title="Domestic abuse policy")
    assert policy.kind == m.PolicyKind.DOMESTIC_ABUSE and policy.owner == sm(world)
    assert policy.history.count() == 1
    assert not m.Policy.objects.for_org(world.org).filter(title="Whistleblowing policy").exists()


def test_importing_the_same_policies_twice_adds_nothing_and_updates_by_title(world) -> None:
    existing = make_policy(world, title="Hoarding policy")
    data = (b"title,category,review_date\n"
            b"hoarding POLICY,Hoarding,01/01/2031\n"
            b"Safer recruitment policy,Safer recruitment,01/01/2031\n")
    client = _client(world)
    job = _import(client, _upload(client, "policies", data))
    assert (job.result["created"], job.result["updated"]) == (1, 1)
    existing.refresh_from_db()
    assert str(existing.review_on) == "2031-01-01" and existing.version == 1
    count = m.Policy.objects.for_org(world.org).count()
    job = _import(client, _upload(client, "policies", data))
    assert job.result["unchanged"] == 2 and job.result["created"] == 0
    assert m.Policy.objects.for_org(world.org).count() == count


def test_another_organisations_policies_and_people_are_never_matched(world) -> None:
    from governance.actions.policies import do_save_policy

    theirs = do_save_policy(world.other_org, {"title": "Hoarding policy", "review_on": "2030-01-01"},
                            acting_user=world.outsider)
    data = f"title,owner_email,review_date\nHoarding policy,{world.outsider.email},01/01/2031\n".encode()
    client = _client(world)
    job = _upload(client, "policies", data)
    assert [p["column"] for p in job.result["problems"]] == ["owner_email"]  # B's member is no one here
    job = _import(client, _upload(client, "policies", data.replace(world.outsider.email.encode(), b"")))
    assert job.result["created"] == 1
    theirs.refresh_from_db()
    assert str(theirs.review_on) == "2030-01-01" and theirs.version == 0
    assert m.Policy.objects.for_org(world.org).filter(title="Hoarding policy").count() == 1


def test_suppliers_import_from_xlsx_once(world) -> None:
    book = Workbook()
    sheet = book.active
    for row in [["name", "services", "contract_has_clause", "policy", "confirmed_on", "next_confirmation_due",
                 "owner_email", "still_used"],
                ["Brightside Repairs", "Repairs", "yes", "own", "02/06/2025", "02/06/2026", sm(world).email, "yes"],
                ["Greenway Gardens", "Grounds", "perhaps", "ours", "", "", "", ""]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    client = _client(world)
    job = _upload(client, "suppliers", out.getvalue(), "suppliers.xlsx")
    assert job.result["problems"] == [{"row": 3, "column": "contract_has_clause",
                                       "message": "'perhaps' should be yes or no"}]
    job = _import(client, job, skip=True)
    assert job.result["created"] == 1
    supplier = m.Supplier.objects.for_org(world.org).get()
    assert supplier.contract_has_clause and supplier.policy_basis == "own" and supplier.owner == sm(world)
    job = _import(client, _upload(client, "suppliers", out.getvalue(), "suppliers.xlsx"), skip=True)
    assert job.result["unchanged"] == 1 and m.Supplier.objects.for_org(world.org).count() == 1


WORK_PLAN = (
    "outcome,action,leads,target_date,status,completed_on\n"
    "Everyone knows how to raise a concern,Run briefings,{sm},31/03/2027,On track,\n"
    "Everyone knows how to raise a concern,Update the intranet page,,30/06/2027,,\n"
    "Audits find records complete,,,,,\n"
)


def test_the_work_plan_imports_outcomes_and_actions_once(world) -> None:
    client = _client(world)
    data = WORK_PLAN.format(sm=sm(world).email).encode()
    job = _import(client, _upload(client, "outcomes", data))
    assert job.status == "done" and job.result["created"] == 3, job.result
    outcome = m.Outcome.objects.for_org(world.org).get(title="Everyone knows how to raise a concern")
    action = outcome.actions.get(title="Run briefings")
    assert list(action.leads.all()) == [sm(world)] and action.status == "on_track"
    job = _import(client, _upload(client, "outcomes", data))
    assert job.result["unchanged"] == 3
    assert m.Outcome.objects.for_org(world.org).count() == 2 and m.PlanAction.objects.for_org(world.org).count() == 2
    bad = b"outcome,action,leads,target_date,status,completed_on\nX,Do it,,,sideways,\n"
    job = _upload(client, "outcomes", bad)
    assert [p["message"] for p in job.result["problems"]] == [
        "The date is missing", "'sideways' is not one of: not started, on track, at risk, done"]


def test_the_import_link_shows_only_to_those_who_keep_the_records(world) -> None:
    keeper, dsl = _client(world), _client(world, Role.DSL)
    for slug in ("policies", "outcomes", "suppliers"):
        assert 'data-testid="import-link"' in keeper.get(reverse(f"governance:{slug}")).content.decode()
        assert 'data-testid="import-link"' not in dsl.get(reverse(f"governance:{slug}")).content.decode()
    assert 'data-testid="import-link"' not in keeper.get(reverse("governance:lessons")).content.decode()
    assert keeper.get(reverse("governance:import", args=["lessons"])).status_code == 404


def test_it_offers_templates(world) -> None:
    response = _client(world).get(reverse("governance:import-template", args=["suppliers"]))
    assert response.content.decode().startswith("name,services,contract_has_clause")
    response = _client(world).get(reverse("governance:import-template", args=["outcomes"]) + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_empty_cell_keeps_what_a_matched_record_holds(world) -> None:
    policy = make_policy(world, title="Hoarding policy", status=m.PolicyStatus.DRAFT, owner=sm(world))
    client = _client(world)
    job = _import(client, _upload(client, "policies", b"title,owner_email,status,review_date\nHoarding policy,,,01/01/2032\n"))
    assert job.result["updated"] == 1
    policy.refresh_from_db()
    assert policy.status == m.PolicyStatus.DRAFT and policy.owner == sm(world) and str(policy.review_on) == "2032-01-01"
