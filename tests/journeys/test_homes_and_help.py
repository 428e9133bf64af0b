"""Issue 12.2, 12.6, 12.7 and 12.8 as people meet them: the 403 page, notifications, home pages, demo names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from safeguard.tenancy.models import Notification
from safeguard.tenancy.roles import Role
from tests.cases.helpers import allocated, report, with_action


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_tells_the_safeguarding_manager_who_can_import_and_never_to_ask_themself(world) -> None:
    response = _client(world.members[Role.SAFEGUARDING_MANAGER]).get(reverse("training:import"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Learning and Development / HR" in html and world.members[Role.HR_LD].full_name in html
    assert "Safeguarding Manager" not in html.split("<main", 1)[1]
    assert world.members[Role.ORG_ADMIN].full_name in html  # who can give the role


@pytest.mark.django_db
def test_it_tells_the_organisation_administrator_they_can_give_the_role_themself(world) -> None:
    html = _client(world.members[Role.ORG_ADMIN]).get(reverse("training:import")).content.decode()
    assert "you can give a role to someone on the" in html and "organisation administrator (" not in html


@pytest.mark.django_db
def test_it_shows_the_training_links_only_to_those_the_urls_let_in(world) -> None:
    links = {"Import a spreadsheet", "Add a person", "Job roles and courses"}
    shown = {role: {text for text in links if text in _client(world.members[role]).get(
        reverse("training:matrix")).content.decode()} for role in (Role.HR_LD, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)}
    assert shown == {Role.HR_LD: links, Role.SAFEGUARDING_MANAGER: set(), Role.ORG_ADMIN: {"Job roles and courses"}}


@pytest.mark.django_db
def test_it_opens_the_managers_home_with_one_list_overdue_then_today_then_new_each_item_once(world) -> None:
    today = timezone.localdate()
    late = with_action(world, allocated(world), days_ago=9)
    due_today = allocated(world, officer=Role.CASE_MANAGER)
    Case.objects.for_org(world.org).filter(pk=due_today.pk).update(next_action_due=today)
    new = report(world)
    html = _client(world.members[Role.CASE_MANAGER]).get(reverse("home")).content.decode()
    needs = html[html.index('data-testid="needs"'):html.index("</ol>")]
    order = [needs.index(f"Case {late.reference} is overdue"),
             needs.index(f"Record the next action on your case {due_today.reference}"),
             needs.index(f"Allocate the new concern {new.reference}")]
    assert order == sorted(order)
    for case in (late, due_today, new):
        assert needs.count(case.reference) == 1, case.reference  # the notification about it is not repeated
    assert html.index("Needs you now") < html.index('data-panel="cases-mine"')


@pytest.mark.django_db
def test_it_counts_on_hrs_home_what_the_matrix_shows(world) -> None:
    from training import actions
    from training.models import DBSLevel, add_years

    role = actions.do_save_job_role(world.org, {"name": "Visitor", "dbs_level": DBSLevel.ENHANCED}, {},
                                    acting_user=None)
    for i, days in enumerate((10, 45, -5)):
        person, _ = actions.do_save_person(world.org, {"full_name": f"Staff {i}", "reference": f"S{i}",
                                                       "job_role": role}, acting_user=None)
        issued = add_years(timezone.localdate(), -3) + timedelta(days=days)
        actions.do_record_dbs(person, level="enhanced", certificate_number=f"00000000000{i}", issued_on=issued,
                              update_service=False, acting_user=None)
    hr = _client(world.members[Role.HR_LD])
    home = hr.get(reverse("home")).content.decode()
    matrix = hr.get(reverse("training:matrix")).content.decode()
    panel = home[home.index('data-testid="chase-counts"'):]
    counts = matrix[matrix.index('data-testid="matrix-counts"'):]
    assert "DBS checks: <strong>2</strong> due soon, <strong>1</strong> expired" in panel
    assert "DBS checks: <strong>2</strong> due soon, <strong>1</strong> expired" in counts
    assert matrix.count(">Due soon<") >= 2


@pytest.mark.django_db
def test_it_tells_each_person_once_per_event_naming_the_colleague_in_the_app_only(world) -> None:
    from cases import actions

    manager = world.members[Role.CASE_MANAGER]
    case = report(world, reporter=manager)  # a manager reports, then takes it on themself
    actions.do_allocate(case, officer=manager, concern_type=case.concern_type, version=case.version,
                        acting_user=manager)
    assert not Notification.objects.for_org(world.org).filter(recipient=manager).exists()
    other = allocated(world)
    note = Notification.objects.for_org(world.org).get(recipient=world.members[Role.CASE_OFFICER],
                                                       kind="case.allocated", title__contains=other.reference)
    assert note.title == f"Case {other.reference} allocated to you: read it and record your first action"
    assert manager.full_name not in note.title and manager.full_name in note.shown_title
    page = _client(world.members[Role.CASE_OFFICER]).get(reverse("notifications")).content.decode()
    assert note.shown_title in page


@pytest.mark.django_db
def test_it_gives_each_demo_organisation_its_own_household_names() -> None:
    from cases.models import CasePerson
    from registers.models import Entry
    from safeguard.tenancy.demo import seed_all

    demos, _ = seed_all()
    names = [set(CasePerson.objects.for_org(d.org).values_list("full_name", flat=True)) for d in demos]
    households = [set(Entry.objects.for_org(d.org).values_list("household", flat=True)) for d in demos]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not names[i] & names[j], (demos[i].org.slug, demos[j].org.slug, names[i] & names[j])
            assert not households[i] & households[j]
    assert "Dana Whitcombe" in names[0] and "Leah Ravensholt" in names[1] and "Shona Halloran" in names[2]
