"""Issue 14: after a case is destroyed, none of its personal data remains in ANY table of the database (every
text, varchar and json column, history tables included), and its files are gone from storage."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from cases import actions
from cases.models import Case
from cases.policy.cadence import next_due_limit
from cases.referrals import actions as referral_actions
from cases.referrals.models import Agency, Capacity, ConsentStatus
from governance.privacy.actions import do_destroy
from governance.privacy.jobs import list_due_records
from governance.privacy.models import ReviewItem, Tombstone
from safeguard.background.runner import run_job
from safeguard.tenancy import audit
from safeguard.tenancy.roles import Role
from tests.cases.helpers import pdf_upload

from .helpers import dpm

pytestmark = pytest.mark.django_db

SECRETS = [
    "Quillonzeph",
    "Xyloquist",
    "TQX-93817",
    "Vorpalquent",
    "Gribblewort",
    "Snorkelvane",
    "Plonkwhistle",
    "Wibbleflange",
    "Frobnicatus",
    "Crumplehorn",
    "Mizzleroot",
    "Blatherskite",
    "Dashwiddle",
    "Jabberlock",
    "Zonkeroo",
    "1987-03-04",
]


def _text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'date')
            ORDER BY 1, 2""")
        return cursor.fetchall()


def _found() -> list[tuple[str, str, str]]:
    hits = []
    columns = _text_columns()
    with connection.cursor() as cursor:
        for table, column in columns:
            cursor.execute(
                f'SELECT {column!r} FROM "{table}" WHERE "{column}"::text ILIKE ANY(%s) LIMIT 1'.replace(  # noqa: S608
                    repr(column), f'"{column}"'
                ),
                [[f"%{s}%" for s in SECRETS]],
            )
            for (value,) in cursor.fetchall():
                hits.append((table, column, str(value)[:80]))
    return hits


def _the_case(world) -> Case:
    officer, manager = world.members[Role.CASE_OFFICER], world.members[Role.CASE_MANAGER]
    data = actions.ConcernData(
        concern_type="safeguarding",
        area_id=world.area.pk,
        department_id=world.department.pk,
        source="neighbour",
        what_happened="Vorpalquent was heard shouting at night.",
        happened_on=date(2020, 1, 2),
        people=[
            actions.PersonData(
                full_name="Quillonzeph Adams",
                date_of_birth=date(1987, 3, 4),
                address="7 Xyloquist Lane",
                tenancy_reference="TQX-93817",
            ),
            actions.PersonData(full_name="Jabberlock Adams", age=40),
        ],
    )
    case = actions.do_report_concern(world.org, data, acting_user=world.members[Role.FRONTLINE])
    actions.do_add_addendum(
        case, text="Snorkelvane was also there.", acting_user=world.members[Role.FRONTLINE]
    )
    case = actions.do_allocate(
        case, officer=officer, concern_type="safeguarding", version=case.version, acting_user=manager
    )
    case = actions.do_update_details(
        case, version=case.version, acting_user=manager, department_id=world.department.pk
    )
    action = actions.do_record_action(
        case,
        action_type="visit",
        taken_on=date(2020, 1, 2),
        note="Gribblewort visit: spoke to Quillonzeph.",
        next_due=next_due_limit(case, date(2020, 1, 2)),
        acting_user=officer,
    )
    actions.do_add_addendum(
        case, text="Zonkeroo correction to the visit.", action=action, acting_user=officer
    )
    actions.do_attach(
        case,
        pdf_upload("Plonkwhistle letter.pdf"),
        content_type="application/pdf",
        description="Plonkwhistle's letter",
        acting_user=officer,
    )
    person = case.people.get(full_name__startswith="Quillonzeph")
    consent = referral_actions.do_record_consent(
        case,
        person,
        referral_actions.ConsentData(
            status=ConsentStatus.GIVEN,
            decided_on=date(2020, 1, 2),
            capacity=Capacity.HAS,
            notes="Crumplehorn agreed.",
        ),
        acting_user=officer,
    )
    assert consent.pk
    referral_actions.do_record_referral(
        case,
        referral_actions.ReferralData(
            agency=Agency.ADULT_SOCIAL_CARE,
            reason="Mizzleroot needs support.",
            decided_on=date(2020, 1, 2),
            person=person,
        ),
        acting_user=officer,
    )
    referral_actions.do_record_dash(
        case,
        assessed_on=date(2020, 1, 2),
        person=person,
        total=5,
        notes="Dashwiddle risk factors.",
        acting_user=officer,
    )
    actions.do_grant_access(
        case.__class__.objects.for_org(world.org).get(pk=case.pk),
        user=world.members[Role.SAFEGUARDING_MANAGER],
        reason="Blatherskite review",
        can_edit=False,
        acting_user=world.members[Role.PEOPLE_DIRECTOR],
    )
    audit.record(org=world.org, actor=officer, action="case.viewed", obj=case, note="Quillonzeph opened")
    case.refresh_from_db()
    case = actions.do_request_closure(
        case, outcome="Wibbleflange: support in place.", version=case.version, acting_user=officer
    )
    case = actions.do_decide_closure(
        case,
        authorise=False,
        reason="Frobnicatus: check the referral.",
        version=case.version,
        acting_user=manager,
        membership=world.membership(Role.CASE_MANAGER),
    )
    case = actions.do_request_closure(
        case, outcome="Wibbleflange: support in place.", version=case.version, acting_user=officer
    )
    return actions.do_decide_closure(
        case,
        authorise=True,
        reason="",
        version=case.version,
        acting_user=manager,
        membership=world.membership(Role.CASE_MANAGER),
    )


def test_it_leaves_none_of_a_destroyed_cases_personal_data_in_any_table(
    world, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(datetime(2020, 1, 2, 10, 0, tzinfo=timezone.get_default_timezone()), tick=False):
        case = _the_case(world)
    files = [a.file.name for a in case.attachments.all()]
    storage = case.attachments.first().file.storage
    assert files and storage.exists(files[0])
    found = {hit[0] for hit in _found()}
    # the strings are really there before: in the case tables and their history
    assert {
        "cases_case",
        "cases_historicalcase",
        "cases_caseperson",
        "cases_action",
        "cases_addendum",
        "cases_attachment",
        "referrals_consent",
        "referrals_referral",
        "tenancy_auditevent",
    } <= found

    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.get_default_timezone()), tick=False):
        list_due_records()
        item = ReviewItem.objects.for_org(world.org).get(object_id=case.pk)
        with django_capture_on_commit_callbacks(execute=False):  # not sent to a worker: run here
            job = do_destroy(world.org, [item.pk], acting_user=dpm(world))
        with django_capture_on_commit_callbacks(execute=True):  # the files go once the transaction commits
            assert run_job(job.pk).status == "done"

    assert _found() == []
    assert not storage.exists(files[0])
    tombstone = Tombstone.objects.for_org(world.org).get()
    assert tombstone.reference == case.reference and tombstone.counts["history rows"] > 10
    assert tombstone.destroyed_at.year == 2026
