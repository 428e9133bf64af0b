from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from governance.jobs import flag_governance
from governance.models import Policy, PolicyVersion
from safeguard.tenancy.models import Flag, Notification
from safeguard.tenancy.roles import Role
from training import actions as training_actions
from training.compliance import current_policy

from .helpers import make_policy, sm

pytestmark = pytest.mark.django_db


def test_it_counts_a_policy_out_of_date_only_from_the_day_after_its_review_date(world) -> None:
    policy = make_policy(world, review_on=date(2026, 6, 30))
    qs = Policy.objects.for_org(world.org)
    assert not policy.out_of_date(date(2026, 6, 30)) and policy.out_of_date(date(2026, 7, 1))
    assert list(qs.out_of_date(date(2026, 6, 30))) == []
    assert list(qs.out_of_date(date(2026, 7, 1))) == [policy]


def test_it_keeps_the_policy_staff_sign_in_training_as_a_policy_of_the_register(world) -> None:
    version = training_actions.do_publish_policy(world.org, label="2026.1", document=ContentFile(b"%PDF-1.4", name="p.pdf"),
                                                 review_on=date(2027, 5, 1), acting_user=sm(world))
    assert isinstance(version, PolicyVersion)
    policy = Policy.objects.for_org(world.org).get(staff_sign_off=True)
    assert version.policy == policy and policy.review_on == date(2027, 5, 1)
    training_actions.do_publish_policy(world.org, label="2026.2", document=ContentFile(b"%PDF-1.4", name="p.pdf"),
                                       review_on=date(2028, 5, 1), acting_user=sm(world))
    assert Policy.objects.for_org(world.org).count() == 1
    assert current_policy(world.org).label == "2026.2"
    # A version of another policy is never the one staff are asked to sign.
    other = make_policy(world)
    PolicyVersion.objects.create(organisation=world.org, policy=other, label="9.9")
    assert current_policy(world.org).label == "2026.2"
    client = Client()
    client.force_login(sm(world))
    page = client.get(reverse("governance:policies-detail", args=[policy.pk]))
    assert b"2026.2" in page.content and b"2026.1" in page.content


def test_it_reminds_the_owner_and_the_manager_once_at_60_and_30_days_and_when_out_of_date(world) -> None:
    today = date(2026, 12, 1)
    owner = world.members[Role.CASE_MANAGER]
    policy = make_policy(world, owner=owner, review_on=today + timedelta(days=45))
    flag_governance(today)
    flag_governance(today)
    told = set(Notification.all_orgs.filter(kind="governance.policy_review_60").values_list("recipient_id", flat=True))
    assert told == {owner.pk, sm(world).pk}
    assert Notification.all_orgs.filter(kind="governance.policy_review_60").count() == 2
    flag_governance(today + timedelta(days=20))
    assert Notification.all_orgs.filter(kind="governance.policy_review_30").count() == 2
    assert not Flag.all_orgs.filter(kind="governance.policy_review_60", cleared_at__isnull=True).exists()
    flag_governance(today + timedelta(days=46))
    assert Flag.all_orgs.filter(kind="governance.policy_out_of_date", cleared_at__isnull=True,
                                object_id=policy.pk).exists()
    note = Notification.all_orgs.get(kind="governance.policy_out_of_date", recipient=owner)
    assert "Hoarding policy" in note.title
    # Reviewed: the flag clears.
    Policy.objects.for_org(world.org).filter(pk=policy.pk).update(review_on=today + timedelta(days=400))
    flag_governance(today + timedelta(days=47))
    assert not Flag.all_orgs.filter(kind="governance.policy_out_of_date", cleared_at__isnull=True).exists()


def test_it_refuses_a_change_made_on_an_out_of_date_copy_and_keeps_what_was_typed(world) -> None:
    policy = make_policy(world)
    client = Client()
    client.force_login(sm(world))
    url = reverse("governance:policies-edit", args=[policy.pk])
    data = {"title": "Hoarding policy", "kind": "hoarding", "review_on": "2031-01-01", "status": "approved",
            "version": policy.version, "approving_body": "The Board"}
    assert client.post(url, data).status_code == 302
    data["approving_body"] = "Executive team"
    page = client.post(url, data)  # still the old version number
    assert page.status_code == 200
    assert "Someone else changed this record" in page.content.decode()
    assert b"Executive team" in page.content
    policy.refresh_from_db()
    assert policy.approving_body == "The Board" and policy.history.count() == 2


def test_it_says_in_plain_words_what_is_wrong_with_a_policy(world) -> None:
    client = Client()
    client.force_login(sm(world))
    page = client.post(reverse("governance:policies-add"), {"title": "", "kind": "adults", "review_on": "31/02/2026",
                                                            "status": "approved"})
    text = page.content.decode()
    assert "Enter the title" in text and "Enter a real date for the review date" in text


def test_it_keeps_other_organisations_policies_and_board_members_out(world) -> None:
    policy = make_policy(world)
    client = Client()
    client.force_login(world.outsider)
    assert client.get(reverse("governance:policies-detail", args=[policy.pk])).status_code == 404
    client.force_login(world.members[Role.BOARD_MEMBER])
    assert client.get(reverse("governance:home")).status_code == 403
    assert client.get(reverse("governance:policies-detail", args=[policy.pk])).status_code == 404


def test_it_asks_staff_to_read_a_version_of_the_signed_policy_added_in_the_register(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from training.models import Person, PolicyAcknowledgement

    training_actions.do_save_person(world.org, {"full_name": "Ann Reader", "email": sm(world).email},
                                    acting_user=None)
    training_actions.do_publish_policy(world.org, label="1", document=ContentFile(b"%PDF-1.4", name="p.pdf"),
                                       review_on=date(2027, 1, 1), acting_user=sm(world))
    policy = Policy.objects.for_org(world.org).get(staff_sign_off=True)
    client = Client()
    client.force_login(sm(world))
    response = client.post(reverse("governance:policy-versions-add", args=[policy.pk]), {
        "label": "2", "published_on": "2026-11-30", "review_on": "2028-11-30", "changes": "New section",
        "upload": SimpleUploadedFile("v2.pdf", b"%PDF-1.4 version two", content_type="application/pdf")})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.review_on == date(2028, 11, 30) and current_policy(world.org).label == "2"
    person = Person.objects.for_org(world.org).get(email=sm(world).email)
    assert PolicyAcknowledgement.objects.for_org(world.org).filter(person=person, version__label="2").exists()
