"""Issue 14: a granted erasure request puts its cases on the destruction review (legal holds still apply);
the Data Privacy Manager's delegates handle subject access requests too (one rule for every privacy page)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.actions import PersonData
from governance.privacy import actions as privacy_actions
from governance.privacy.jobs import list_due_records
from governance.privacy.models import LegalHold, ReviewItem, Trigger
from governance.subject_access import actions
from governance.subject_access.models import Decision, FoundRecord, Kind, Request
from safeguard.background.runner import run_job
from safeguard.tenancy.roles import Role
from tests.subject_access.helpers import DOB, NAME, TENANCY, dpm, make_request, subject_case

from .helpers import adult_case, client_for

pytestmark = pytest.mark.django_db


def _granted_erasure(world):
    case = adult_case(
        world, people=[PersonData(full_name=NAME, date_of_birth=DOB, tenancy_reference=TENANCY)]
    )
    req = make_request(world, kind=Kind.ERASURE)
    actions.do_find_records(req, acting_user=dpm(world))
    req.refresh_from_db()
    actions.do_decide(
        req,
        decision=Decision.ACCEPTED,
        reason="No longer needed: the family moved away.",
        version=req.version,
        acting_user=dpm(world),
    )
    return case, req


def test_it_lists_a_granted_erasures_case_on_the_destruction_review_due_today(world) -> None:
    case, req = _granted_erasure(world)
    item = ReviewItem.objects.for_org(world.org).get(object_id=case.pk)
    assert item.status == ReviewItem.Status.PENDING and item.started_from == Trigger.ERASURE
    assert item.due_on == timezone.localdate() and item.reference == case.reference
    list_due_records()  # the nightly job: the case is not due by the schedule, but the erasure keeps it listed
    assert ReviewItem.objects.for_org(world.org).filter(pk=item.pk, status=ReviewItem.Status.PENDING).exists()
    page = client_for(dpm(world)).get(reverse("privacy:queue"))
    assert case.reference in page.content.decode() and "Erasure request granted" in page.content.decode()


def test_it_still_stops_an_erasure_under_a_legal_hold_then_destroys_it_and_its_request_marks(
    world, django_capture_on_commit_callbacks
) -> None:
    case, req = _granted_erasure(world)
    item = ReviewItem.objects.for_org(world.org).get(object_id=case.pk)
    hold = privacy_actions.do_place_hold(
        world.org,
        scope=LegalHold.Scope.CASE,
        reason="Inquiry",
        case=case,
        starts_on=timezone.localdate(),
        acting_user=dpm(world),
    )
    with pytest.raises(ValidationError, match="legal hold"):
        privacy_actions.do_destroy(world.org, [item.pk], acting_user=dpm(world))
    privacy_actions.do_lift_hold(
        world.org, hold.pk, "Inquiry closed", version=hold.version, acting_user=dpm(world)
    )
    with django_capture_on_commit_callbacks(execute=False):
        job = privacy_actions.do_destroy(world.org, [item.pk], acting_user=dpm(world))
    assert run_job(job.pk).status == "done"
    assert not FoundRecord.objects.for_org(world.org).filter(case_id=case.pk).exists()
    assert not FoundRecord.history.filter(case_id=case.pk).exists()
    assert Request.objects.for_org(world.org).filter(pk=req.pk).exists()  # the request is its own record


def test_it_leaves_an_open_case_off_the_review_when_an_erasure_is_granted(world) -> None:
    case = subject_case(world)  # still open: the work is not finished
    req = make_request(world, kind=Kind.ERASURE)
    actions.do_find_records(req, acting_user=dpm(world))
    req.refresh_from_db()
    actions.do_decide(
        req,
        decision=Decision.ACCEPTED,
        reason="Asked to be forgotten.",
        version=req.version,
        acting_user=dpm(world),
    )
    assert not ReviewItem.objects.for_org(world.org).filter(object_id=case.pk).exists()


def test_it_lets_a_named_delegate_handle_subject_access_requests_and_no_one_else(world) -> None:
    officer = world.members[Role.CASE_OFFICER]
    assert client_for(officer).get(reverse("subject_access:list")).status_code == 403
    privacy_actions.do_name_delegate(world.org, officer, acting_user=dpm(world))
    assert client_for(officer).get(reverse("subject_access:list")).status_code == 200
