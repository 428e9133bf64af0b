from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from safeguard.tenancy.models import Flag, Notification
from safeguard.tenancy.roles import Role
from training import actions
from training.jobs import flag_training
from training.models import PolicyVersion, add_years

from .conftest import Setup


def _open(kind: str) -> int:
    return Flag.all_orgs.filter(kind=kind, cleared_at__isnull=True).count()


def _told(kind: str) -> set[str]:
    return set(Notification.all_orgs.filter(kind=kind).values_list("recipient__email", flat=True))


def _dbs(setup: Setup, renews_in_days: int) -> None:
    issued = add_years(date.today(), -3) + timedelta(days=renews_in_days)
    actions.do_record_dbs(setup.worker, level="enhanced", certificate_number="000000000001", issued_on=issued,
                          update_service=False, acting_user=None)


def test_it_tells_the_person_their_manager_and_hr_once_when_a_dbs_check_is_due(setup: Setup) -> None:
    _dbs(setup, 45)
    flag_training()
    flag_training()
    members = setup.world.members
    expected = {members[Role.FRONTLINE].email, members[Role.CASE_MANAGER].email, members[Role.HR_LD].email}
    assert _told("training.dbs_due_60") == expected
    assert Notification.all_orgs.filter(kind="training.dbs_due_60").count() == 3
    assert _open("training.dbs_due_30") == 0 and _open("training.dbs_expired") == 0
    note = Notification.all_orgs.filter(kind="training.dbs_due_60").first()
    assert setup.worker.full_name not in note.title
    assert note.title == "DBS check of staff member W1 is due for renewal within 60 days: arrange the renewal"
    titles = dict(Notification.all_orgs.filter(kind="training.dbs_due_60").values_list("recipient__email", "app_title"))
    assert titles[members[Role.FRONTLINE].email] == "Your DBS check is due for renewal within 60 days: arrange the renewal"
    assert titles[members[Role.HR_LD].email] == (
        f"{setup.worker.full_name}'s DBS check is due for renewal within 60 days: arrange the renewal")


def test_it_raises_the_30_day_and_expired_flags_as_the_date_comes(setup: Setup) -> None:
    _dbs(setup, 20)
    flag_training()
    # Due within 30 days is one event: not also "within 60 days" on the same day (issue 12.6).
    assert _open("training.dbs_due_60") == 0 and _open("training.dbs_due_30") == 1
    assert Notification.all_orgs.filter(kind__startswith="training.dbs").count() == 3
    flag_training(on=date.today() + timedelta(days=21))
    assert _open("training.dbs_expired") == 1 and _open("training.dbs_due_30") == 0


def test_it_clears_the_flag_when_a_new_check_is_recorded(setup: Setup) -> None:
    _dbs(setup, 10)
    flag_training()
    actions.do_record_dbs(setup.worker, level="enhanced", certificate_number="000000000002",
                          issued_on=date.today(), update_service=False, acting_user=None)
    flag_training()
    assert _open("training.dbs_due_30") == 0 and _open("training.dbs_due_60") == 0


def test_it_flags_training_that_has_run_out(setup: Setup) -> None:
    actions.do_record_training(setup.worker, course=setup.course, level=2, completed_on=date(2020, 1, 1),
                               acting_user=None)
    result = flag_training()
    assert result["training.course_expired"].raised == 1
    assert flag_training()["training.course_expired"].raised == 0


def test_it_flags_the_policy_unsigned_after_30_days_and_asks_again_for_a_new_version(setup: Setup) -> None:
    org = setup.world.org
    v1 = actions.do_publish_policy(org, label="v1", document=ContentFile(b"%PDF", name="p.pdf"),
                                   review_on=date(2030, 1, 1), acting_user=None)
    flag_training()
    assert _open("training.policy_unsigned") == 0
    PolicyVersion.objects.for_org(org).filter(pk=v1.pk).update(published_at=timezone.now() - timedelta(days=31))
    flag_training()
    # Every person with a login who has not signed: hr, manager and worker (the volunteer has no login).
    assert _open("training.policy_unsigned") == 3
    actions.do_sign_policy(setup.worker, v1, acting_user=setup.world.members[Role.FRONTLINE])
    flag_training()
    assert _open("training.policy_unsigned") == 2
    v2 = actions.do_publish_policy(org, label="v2", document=ContentFile(b"%PDF", name="p.pdf"),
                                   review_on=date(2030, 1, 1), acting_user=None)
    flag_training()
    assert _open("training.policy_unsigned") == 0
    PolicyVersion.objects.for_org(org).filter(pk=v2.pk).update(published_at=timezone.now() - timedelta(days=31))
    flag_training()
    assert _open("training.policy_unsigned") == 3
    assert setup.world.members[Role.FRONTLINE].email in _told("training.policy_unsigned")


def test_it_links_a_person_to_a_member_who_joined_later(setup: Setup) -> None:
    from safeguard.tenancy.actions import RoleSpec, do_add_member
    from tests.factories import make_user

    person, _ = actions.do_save_person(setup.world.org, {"full_name": "Late Joiner", "email": "late@oakridge.test"},
                                       acting_user=None)
    assert person.membership is None
    do_add_member(setup.world.org, make_user("Late@oakridge.test", "Late Joiner"), [RoleSpec(Role.FRONTLINE)])
    flag_training()
    flag_training()
    person.refresh_from_db()
    assert person.membership is not None and person.membership.user.full_name == "Late Joiner"
