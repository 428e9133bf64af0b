from __future__ import annotations

from datetime import date, timedelta

import pytest

from governance import models as m
from governance.jobs import flag_governance
from safeguard.tenancy.models import Flag, Notification
from safeguard.tenancy.roles import Role

from .helpers import make_group, make_meeting, make_plan_action, make_supplier, sm

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def _told(kind: str) -> list[int]:
    return sorted(Notification.all_orgs.filter(kind=kind).values_list("recipient_id", flat=True))


def test_it_tells_an_overdue_meeting_actions_owner_once_and_clears_when_done(world) -> None:
    owner = world.members[Role.CASE_OFFICER]
    action = m.FollowUpAction.objects.create(organisation=world.org, source="meeting", meeting=make_meeting(world),
                                             title="Send minutes", owner=owner, due_on=TODAY - timedelta(days=1))
    flag_governance(TODAY)
    flag_governance(TODAY)
    assert _told("governance.action_overdue") == [owner.pk]
    note = Notification.all_orgs.get(kind="governance.action_overdue")
    assert note.url.endswith(f"/meeting-actions/{action.pk}/")
    m.FollowUpAction.objects.for_org(world.org).filter(pk=action.pk).update(status="done")
    flag_governance(TODAY)
    assert not Flag.all_orgs.filter(kind="governance.action_overdue", cleared_at__isnull=True).exists()


def test_it_tells_the_manager_when_a_group_has_not_met_within_its_frequency(world) -> None:
    make_meeting(world)  # held 1 October 2026, quarterly
    flag_governance(date(2026, 12, 31))
    assert _told("governance.group_not_met") == []
    flag_governance(date(2027, 1, 2))
    assert _told("governance.group_not_met") == [sm(world).pk]
    assert "Safeguarding Panel" in Notification.all_orgs.get(kind="governance.group_not_met").title
    assert make_group(world).pk == Flag.all_orgs.get(kind="governance.group_not_met").object_id


def test_it_flags_overdue_work_plan_actions_suppliers_and_complaint_responses(world) -> None:
    lead = world.members[Role.HR_LD]
    action = make_plan_action(world)
    action.leads.add(lead)
    make_supplier(world)  # no confirmation yet
    m.Complaint.objects.create(organisation=world.org, summary="S", received_on=TODAY - timedelta(days=20),
                               response_due_on=TODAY + timedelta(days=3))
    flag_governance(date(2027, 4, 1))
    assert _told("governance.plan_action_overdue") == sorted([lead.pk, sm(world).pk])
    assert _told("governance.supplier_confirmation_due") == [sm(world).pk]
    assert _told("governance.complaint_response_due") == [sm(world).pk]
    # Titles are e-mailed: they never carry a person's name.
    for note in Notification.all_orgs.filter(kind__startswith="governance."):
        assert lead.full_name not in note.title and sm(world).full_name not in note.title
