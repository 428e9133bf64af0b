"""Changes to organisations and people. Views call these; each is atomic."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import audit
from .members import role_holders
from .models import Area, Department, Invitation, Membership, Organisation, RoleAssignment, User
from .notifications import notify
from .roles import Role

log = logging.getLogger("safeguard.actions")


@dataclass
class RoleSpec:
    """A role to give, limited to these areas/departments (empty: all)."""

    role: str
    area_ids: list[int] = field(default_factory=list)
    department_ids: list[int] = field(default_factory=list)


@transaction.atomic
def do_create_organisation(
    *, name: str, areas: Iterable[str] = (), departments: Iterable[str] = (), slug: str | None = None
) -> Organisation:
    org = Organisation.objects.create(name=name, slug=slug or slugify(name)[:50])
    for area in areas:
        do_add_area(org, name=area)
    for dept in departments:
        Department.objects.create(organisation=org, name=dept)
    return org


@transaction.atomic
def do_add_area(org: Organisation, *, name: str) -> Area:
    """Add a local authority area; the registers app makes its register (post_save)."""
    return Area.objects.create(organisation=org, name=name.strip())


@transaction.atomic
def do_add_department(org: Organisation, *, name: str) -> Department:
    return Department.objects.create(organisation=org, name=name.strip())


def _check_scope_ids(org: Organisation, specs: Iterable[RoleSpec]) -> None:
    """Every area and department id must be this organisation's."""
    area_ids = {i for s in specs for i in s.area_ids}
    dept_ids = {i for s in specs for i in s.department_ids}
    if area_ids and Area.objects.for_org(org).filter(pk__in=area_ids).count() != len(area_ids):
        raise ValidationError("An area chosen is not one of this organisation's.")
    if dept_ids and Department.objects.for_org(org).filter(pk__in=dept_ids).count() != len(dept_ids):
        raise ValidationError("A department chosen is not one of this organisation's.")
    for spec in specs:
        if spec.role not in Role.values:
            raise ValidationError(f"Unknown role {spec.role!r}.")


@transaction.atomic
def do_set_roles(membership: Membership, specs: Iterable[RoleSpec], *, acting_user: User | None) -> Membership:
    """Replace a member's roles; each assignment's history is kept by simple-history."""
    specs = list(specs)
    org = membership.organisation
    _check_scope_ids(org, specs)
    wanted = {s.role: s for s in specs}
    for ra in list(membership.role_assignments.all()):
        if ra.role not in wanted:
            ra.delete()
    for role, spec in wanted.items():
        ra, _ = RoleAssignment.objects.for_org(org).get_or_create(organisation=org, membership=membership, role=role)
        ra.areas.set(spec.area_ids)
        ra.departments.set(spec.department_ids)
    membership.__dict__.pop("grants", None)
    if acting_user is not None:
        audit.record(org=org, actor=acting_user, action="roles.changed", obj=membership,
                     roles=sorted(wanted))
    return membership


@transaction.atomic
def do_add_member(
    org: Organisation,
    user: User,
    specs: Iterable[RoleSpec],
    *,
    job_title: str = "",
    acting_user: User | None = None,
    line_manager: Membership | None = None,
) -> Membership:
    membership, created = Membership.objects.for_org(org).get_or_create(
        organisation=org, user=user, defaults={"job_title": job_title, "line_manager": line_manager}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["is_active", "deactivated_at"])
    return do_set_roles(membership, specs, acting_user=acting_user)


@transaction.atomic
def do_deactivate_member(membership: Membership, *, acting_user: User) -> None:
    """A leaver: no more access here; everything they did stays attributed to them."""
    if membership.user_id == acting_user.pk:
        raise ValidationError("You cannot deactivate yourself.")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    audit.record(org=membership.organisation, actor=acting_user, action="member.deactivated", obj=membership)


@transaction.atomic
def do_reactivate_member(membership: Membership, *, acting_user: User) -> None:
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    audit.record(org=membership.organisation, actor=acting_user, action="member.reactivated", obj=membership)


@transaction.atomic
def do_invite(
    org: Organisation,
    *,
    email: str,
    full_name: str,
    specs: list[RoleSpec],
    job_title: str = "",
    acting_user: User,
) -> Invitation:
    _check_scope_ids(org, specs)
    email = email.strip().lower()
    if Membership.objects.for_org(org).filter(user__email__iexact=email, is_active=True).exists():
        raise ValidationError("This person is already a member of the organisation.")
    Invitation.objects.for_org(org).filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        organisation=org, email=email, full_name=full_name, job_title=job_title,
        roles=[s.role for s in specs],
        area_ids=sorted({i for s in specs for i in s.area_ids}),
        department_ids=sorted({i for s in specs for i in s.department_ids}),
        invited_by=acting_user,
    )
    transaction.on_commit(lambda: _enqueue_invitation(invitation.pk))
    return invitation


def _enqueue_invitation(invitation_id: int) -> None:
    from .tasks import send_invitation

    try:
        send_invitation.apply_async((invitation_id,), retry=False)
    except Exception:  # noqa: BLE001 - broker down: the sweep sends it later
        log.warning("broker unavailable; invitation e-mail will be sent by the next sweep")


def invitation_specs(invitation: Invitation) -> list[RoleSpec]:
    scoped_roles = {Role.CASE_OFFICER, Role.CASE_MANAGER, Role.NSO, Role.DSL, Role.REGISTER_ADMIN}
    return [
        RoleSpec(role, invitation.area_ids if role in scoped_roles else [],
                 invitation.department_ids if role in scoped_roles else [])
        for role in invitation.roles
    ]


@transaction.atomic
def do_accept_invitation(
    invitation: Invitation, *, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Join the organisation, creating the account if this e-mail has none."""
    invitation = Invitation.objects.for_org(invitation.organisation_id).select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError("This invitation has expired or has already been used.")
    if user is None:
        try:
            user = User.objects.create_user(invitation.email, password, full_name=full_name or invitation.full_name)
        except IntegrityError as exc:
            raise ValidationError("An account with this e-mail already exists: sign in to accept.") from exc
    elif user.email.lower() != invitation.email:
        raise ValidationError("This invitation was sent to a different e-mail address.")
    membership = do_add_member(
        invitation.organisation, user, invitation_specs(invitation), job_title=invitation.job_title,
        acting_user=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    notify(org=invitation.organisation, recipients=role_holders(invitation.organisation, Role.ORG_ADMIN),
           kind="member.joined",
           title="An invited person has joined your organisation: check their roles",
           app_title=f"{user.full_name} has joined your organisation: check their roles",
           url=reverse("people-detail", args=[membership.pk]))
    return membership


@transaction.atomic
def do_update_settings(org: Organisation, changes: Mapping[str, object], *, acting_user: User) -> Organisation:
    for key, value in changes.items():
        setattr(org, key, value)
    org.save()
    audit.record(org=org, actor=acting_user, action="organisation.settings_changed", obj=org,
                 fields=sorted(changes))
    return org
