"""Guardian object permissions on registers kept in step with the rule of ``registers.policy.access``.

``sync_access`` computes what everyone in an organisation should hold (role defaults, then
``AccessOverride`` rows) and writes only the difference, in a fixed handful of queries;
signals call it whenever roles, memberships, areas or overrides change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from safeguard.tenancy.models import Membership, Organisation, User

from .models import PERMISSION_LABELS, VIEW, AccessOverride, Register
from .models import RegisterUserObjectPermission as Perm
from .policy.access import ROLE_PERMISSIONS, Key, apply_overrides, role_defaults


def permission_ids() -> dict[str, int]:
    ct = ContentType.objects.get_for_model(Register)
    return dict(Permission.objects.filter(content_type=ct, codename__in=PERMISSION_LABELS)
                .values_list("codename", "pk"))


def _role_defaults(org_id: int, registers: dict[int, int], user_ids: Iterable[int] | None) -> set[Key]:
    """(register, user, perm) that active members' roles give; ``registers`` maps register -> area."""
    memberships = Membership.objects.for_org(org_id).filter(
        is_active=True, user__is_active=True, role_assignments__role__in=list(ROLE_PERMISSIONS)
    ).distinct().prefetch_related("role_assignments__areas", "role_assignments__departments")
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=list(user_ids))
    wanted: set[Key] = set()
    for membership in memberships:
        wanted |= role_defaults(membership.user_id, membership.grants, registers)
    return wanted


def _active_user_ids(org_id: int) -> set[int]:
    return set(Membership.objects.for_org(org_id).filter(is_active=True, user__is_active=True)
               .values_list("user_id", flat=True))


def wanted_access(org_id: int, user_ids: Iterable[int] | None = None) -> set[Key]:
    registers = dict(Register.objects.for_org(org_id).values_list("pk", "area_id"))
    wanted = _role_defaults(org_id, registers, user_ids)
    overrides = AccessOverride.objects.for_org(org_id)
    if user_ids is not None:
        overrides = overrides.filter(user_id__in=list(user_ids))
    return apply_overrides(wanted, overrides.values_list("register_id", "user_id", "permission", "allowed"),
                           _active_user_ids(org_id))


def sync_access(org: Organisation | int, user_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Make the stored permissions match roles and overrides; returns (added, removed)."""
    org_id = org if isinstance(org, int) else org.pk
    user_ids = None if user_ids is None else sorted(set(user_ids))
    wanted = wanted_access(org_id, user_ids)
    ids = permission_ids()
    codename_of = {pk: code for code, pk in ids.items()}
    existing = Perm.objects.filter(content_object__organisation_id=org_id)
    if user_ids is not None:
        existing = existing.filter(user_id__in=user_ids)
    have = {(r, u, codename_of[p]): pk for pk, r, u, p in
            existing.values_list("pk", "content_object_id", "user_id", "permission_id")}
    extra = [pk for key, pk in have.items() if key not in wanted]
    if extra:
        Perm.objects.filter(pk__in=extra).delete()
    missing = [Perm(content_object_id=r, user_id=u, permission_id=ids[c]) for r, u, c in wanted - set(have)]
    Perm.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing), len(extra)


def registers_for(user: User, org: Organisation | int, perm: str = VIEW) -> QuerySet[Register]:
    """The organisation's registers on which ``user`` holds ``perm`` (object permissions only)."""
    return get_objects_for_user(
        user, perm, klass=Register.objects.for_org(org), with_superuser=False, accept_global_perms=False
    )


def has_any_register(user: User, org: Organisation | int) -> bool:
    """One cheap query: does this person see at least one register here?"""
    org_id = org if isinstance(org, int) else org.pk
    return Perm.objects.filter(user_id=user.pk, content_object__organisation_id=org_id,
                               permission__codename=VIEW).exists()


def user_perms(user: User, register: Register) -> set[str]:
    """The codenames ``user`` holds on ``register`` (one query)."""
    return set(Perm.objects.filter(user_id=user.pk, content_object=register)
               .values_list("permission__codename", flat=True))
