"""Recording requests, finding a person's records across cases, registers and training, redaction,
rectification through the case's addendum path, erasure decisions and the deadline flags."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Addendum
from governance.subject_access import actions, content, jobs
from governance.subject_access.models import Decision, FoundRecord, Kind, Mark, Request, Source
from safeguard.tenancy.models import AuditEvent, Flag, Notification
from safeguard.tenancy.roles import Role

from .helpers import (
    NAME,
    REPORTER_SECRET,
    TENANCY,
    dpm,
    found_of,
    make_request,
    subject_case,
    subject_entry,
    subject_training,
)

pytestmark = pytest.mark.django_db


def test_it_records_a_request_with_its_deadline_and_audits_it(world):
    req = make_request(world, received_on=date(2027, 1, 31))
    assert req.reference == "SAR-0001"
    assert req.due_on == date(2027, 3, 1)
    assert (
        AuditEvent.objects.for_org(world.org)
        .filter(action="subject_request.recorded", object_id=req.pk)
        .exists()
    )


def test_it_moves_the_deadline_on_identity_check_and_extension(world):
    req = make_request(world, received_on=date(2026, 10, 1))
    req = actions.do_update_request(
        req,
        version=req.version,
        acting_user=dpm(world),
        identity_verified_on=date(2026, 10, 14),
        identity_method="Passport seen",
    )
    assert req.due_on == date(2026, 11, 16)
    with pytest.raises(ValidationError):
        actions.do_update_request(req, version=req.version, acting_user=dpm(world), extension_months=2)
    req = actions.do_update_request(
        req,
        version=req.version,
        acting_user=dpm(world),
        extension_months=2,
        extension_reason="Records across four registers",
    )
    assert req.due_on == date(2027, 1, 14)


def test_it_finds_the_person_across_cases_registers_and_training(world, django_assert_max_num_queries):
    case = subject_case(world)
    entry = subject_entry(world)
    person = subject_training(world)
    subject_case(world, name="Someone Else", dob=date(1990, 1, 1), tenancy="ZZ-1")  # not them
    req = make_request(world)
    from governance.subject_access import search

    with django_assert_max_num_queries(3):  # one query per source
        matches = search.find(world.org, req)
    assert {(m.source, m.pk) for m in matches} == {
        (Source.CASE, case.pk),
        (Source.ENTRY, entry.pk),
        (Source.TRAINING, person.pk),
    }
    assert "name and date of birth" in next(m for m in matches if m.source == Source.CASE).matched_by


def test_it_finds_by_tenancy_reference_and_person_record(world):
    case = subject_case(world, name="P. Lindqvist", dob=None)
    req = make_request(
        world,
        subject_name="Nobody Matching",
        subject_date_of_birth=None,
        subject_tenancy_reference=TENANCY.lower(),
    )
    actions.do_find_records(req, acting_user=dpm(world))
    assert found_of(req, Source.CASE).case_id == case.pk
    other = subject_case(world, name="Ada Linked", dob=None, tenancy="")
    req2 = make_request(
        world,
        subject_name="Ada L.",
        subject_date_of_birth=None,
        subject_case_person=other.people.get(full_name="Ada Linked"),
    )
    actions.do_find_records(req2, acting_user=dpm(world))
    assert found_of(req2, Source.CASE).matched_by == "the linked person record"


def test_it_never_finds_another_organisations_records(world):
    subject_case(world, org=world.other_org)
    from training import actions as training_actions

    training_actions.do_save_person(world.other_org, {"full_name": NAME}, acting_user=None)
    req = make_request(world, subject_tenancy_reference=TENANCY)
    new, total = actions.do_find_records(req, acting_user=dpm(world))
    assert (new, total) == (0, 0)


def test_it_keeps_marks_when_searching_again(world):
    subject_case(world)
    req = make_request(world)
    assert actions.do_find_records(req, acting_user=dpm(world)) == (1, 1)
    found = found_of(req, Source.CASE)
    actions.do_mark(found, mark=Mark.INCLUDE, reason="", acting_user=dpm(world))
    subject_training(world)
    assert actions.do_find_records(req, acting_user=dpm(world)) == (1, 2)
    assert found_of(req, Source.CASE).mark == Mark.INCLUDE


def test_it_withholds_only_with_an_exemption(world):
    subject_case(world)
    req = make_request(world)
    actions.do_find_records(req, acting_user=dpm(world))
    with pytest.raises(ValidationError):
        actions.do_mark(found_of(req, Source.CASE), mark=Mark.WITHHOLD, reason=" ", acting_user=dpm(world))


def test_it_redacts_a_phrase_a_part_or_everywhere_and_never_audits_the_text(world):
    case = subject_case(world)
    req = make_request(world)
    actions.do_find_records(req, acting_user=dpm(world))
    found = found_of(req, Source.CASE)
    actions.do_redact(
        found,
        part="what_happened",
        phrase=REPORTER_SECRET,
        reason="third party: reporter's identity",
        acting_user=dpm(world),
    )
    child = case.people.get(full_name="Albin Lindqvist")
    actions.do_redact(
        found,
        part=f"person:{child.pk}",
        phrase="",
        reason="third party: information about another person",
        acting_user=dpm(world),
    )
    record = content.content(content.load(world.org, [found])[0])
    parts = {p.key: p for p in record.parts}
    what = parts["what_happened"].segments
    assert REPORTER_SECRET not in "".join(s for s in what if isinstance(s, str))
    assert [s for s in what if isinstance(s, content.Redacted)][
        0
    ].label == "[redacted: third party: reporter's identity]"
    assert "at number 12 rang" in "".join(s for s in what if isinstance(s, str))
    assert parts[f"person:{child.pk}"].segments == [
        content.Redacted("third party: information about another person")
    ]
    details = list(
        AuditEvent.objects.for_org(world.org)
        .filter(action="subject_request.redacted")
        .values_list("detail", flat=True)
    )
    assert len(details) == 2 and REPORTER_SECRET not in str(details)
    with pytest.raises(ValidationError):
        actions.do_redact(
            found, part="what_happened", phrase="words not there", reason="x", acting_user=dpm(world)
        )


def test_it_corrects_a_case_through_an_addendum_only_once_accepted(world):
    case = subject_case(world)
    req = make_request(world, kind=Kind.RECTIFICATION)
    actions.do_find_records(req, acting_user=dpm(world))
    with pytest.raises(PermissionDenied):
        actions.do_rectify(
            req, case=case, action=None, text="Her date of birth is 9 March 1984.", acting_user=dpm(world)
        )
    req = actions.do_decide(
        req,
        decision=Decision.ACCEPTED,
        reason="The date of birth was wrong.",
        version=req.version,
        acting_user=dpm(world),
    )
    correction = actions.do_rectify(
        req, case=case, action=None, text="Her date of birth is 9 March 1984.", acting_user=dpm(world)
    )
    addendum = Addendum.objects.for_org(world.org).get(pk=correction.addendum_id)
    assert addendum.case_id == case.pk and addendum.written_by == dpm(world)
    assert addendum.text.startswith(f"Correction under rectification request {req.reference}:")
    case.refresh_from_db()
    assert NAME in case.what_happened  # what was written is never changed
    with pytest.raises(PermissionDenied):  # anyone else still needs to be the author
        actions.case_actions.do_add_addendum(
            case, text="x", acting_user=world.members[Role.CASE_MANAGER], rectification=req
        )


def test_it_records_a_refused_erasure_with_the_exemption_and_hands_a_granted_one_on(world):
    subject_case(world)
    req = make_request(world, kind=Kind.ERASURE)
    with pytest.raises(ValidationError):
        actions.do_decide(
            req,
            decision=Decision.REFUSED,
            reason="Safeguarding record",
            version=req.version,
            acting_user=dpm(world),
        )
    req = actions.do_decide(
        req,
        decision=Decision.REFUSED,
        reason="Kept for safeguarding",
        exemption="safeguarding",
        close=True,
        version=req.version,
        acting_user=dpm(world),
    )
    assert req.closed_on and req.passed_to_destruction_at is None
    granted = make_request(world, kind=Kind.ERASURE)
    actions.do_find_records(granted, acting_user=dpm(world))
    granted = actions.do_decide(
        granted,
        decision=Decision.ACCEPTED,
        reason="No longer needed",
        version=granted.version,
        acting_user=dpm(world),
    )
    assert Request.objects.for_org(world.org).get(pk=granted.pk).passed_to_destruction_at is not None
    event = AuditEvent.objects.for_org(world.org).get(action="subject_request.passed_to_destruction")
    assert event.detail["records"] == [
        ["case", FoundRecord.objects.for_org(world.org).get(request=granted).case_id]
    ]


def test_it_flags_requests_near_and_over_their_deadline_to_the_data_privacy_manager(world):
    near = make_request(world, received_on=date(2026, 11, 3))  # due 3 Dec
    late = make_request(world, received_on=date(2026, 10, 1))  # due 2 Nov
    make_request(world, received_on=date(2026, 11, 30))  # due 30 Dec: not yet
    other = actions.do_record_request(
        world.other_org,
        {"kind": "access", "requester_name": "X", "subject_name": "X", "received_on": date(2026, 10, 1)},
        acting_user=world.outsider,
    )
    result = jobs.flag_requests(date(2026, 12, 1))
    assert result[jobs.NEAR].raised == 1 and result[jobs.OVERDUE].raised == 2
    notes = Notification.objects.for_org(world.org).filter(kind__startswith="subject_access.")
    assert set(notes.values_list("recipient_id", flat=True)) == {dpm(world).pk}
    assert {n.url for n in notes} == {f"/subject-access/{near.pk}/", f"/subject-access/{late.pk}/"}
    assert jobs.flag_requests(date(2026, 12, 1))[jobs.NEAR].raised == 0  # once
    actions.do_decide(
        late,
        decision=Decision.ACCEPTED,
        reason="Sent",
        close=True,
        version=late.version,
        acting_user=dpm(world),
    )
    assert jobs.flag_requests(date(2026, 12, 1))[jobs.OVERDUE].cleared == 1
    assert Flag.objects.for_org(world.other_org).filter(object_id=other.pk, cleared_at__isnull=True).exists()
