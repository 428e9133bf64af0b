"""Related managers reached from an object of no organisation do not cross organisations."""

from __future__ import annotations

import pytest

from safeguard.tenancy.models import Notification
from safeguard.tenancy.notifications import notify
from safeguard.tenancy.scoping import UnscopedQueryError
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_it_refuses_a_users_notifications_without_an_organisation(world) -> None:
    both = make_user("both@example.test")
    from safeguard.tenancy.actions import RoleSpec, do_add_member

    do_add_member(world.org, both, [RoleSpec("frontline")])
    do_add_member(world.other_org, both, [RoleSpec("frontline")])
    notify(org=world.org, recipients=[both], kind="test", title="In A", url="/")
    notify(org=world.other_org, recipients=[both], kind="test", title="In B", url="/")
    with pytest.raises(UnscopedQueryError):
        list(both.notifications.all())
    assert [n.title for n in both.notifications.for_org(world.org)] == ["In A"]


def test_it_keeps_related_managers_of_a_tenant_object_scoped(world) -> None:
    notify(org=world.org, recipients=[world.members["frontline"]], kind="test", title="Hello", url="/")
    note = Notification.objects.for_org(world.org).get()
    assert note.organisation.pk == world.org.pk
    membership = world.membership("frontline")
    assert list(membership.role_assignments.all())
