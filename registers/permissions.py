"""Who may see and work on which register: guardian object permissions kept in step with roles.

Defaults from roles (a role limited to areas covers only those areas' registers):

* Safeguarding Manager: see every register and its child protection page.
* Register administrator and Named Senior Officer: see and add/update entries.
* Designated Safeguarding Lead: see, review and sign off, and the child protection page.

``AccessOverride`` rows, set in the app by the Safeguarding Manager or the
organisation administrator, give or take away one permission on one register
for one person over those defaults. ``sync_access`` computes what everyone in an
organisation should hold and writes only the difference, in a fixed handful of
queries; signals call it whenever roles, memberships, areas or overrides change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from safeguard.tenancy.models import Membership, Organisation, User
from safeguard.tenancy.roles import Role

from .models import MANAGE, PERMISSION_LABELS, REVIEW, VIEW, VIEW_CP, AccessOverride, Register
from .models import RegisterUserObjectPermission as Perm

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.SAFEGUARDING_MANAGER: (VIEW, VIEW_CP),
    Role.REGISTER_ADMIN: (VIEW, MANAGE),
    Role.NSO: (VIEW, MANAGE),
    Role.DSL: (VIEW, REVIEW, VIEW_CP),
}
ACCESS_ADMIN_ROLES = (Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)

Key = tuple[int, int, str]  # (register id, user id, codename)


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
        for role, grant in membership.grants.items():
            for codename in ROLE_PERMISSIONS.get(role, ()):
                wanted |= {(reg_id, membership.user_id, codename) for reg_id, area_id in registers.items()
                           if grant.area_ids is None or area_id in grant.area_ids}
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
    active = _active_user_ids(org_id)
    for reg_id, user_id, codename, allowed in overrides.values_list("register_id", "user_id", "permission",
                                                                    "allowed"):
        key = (reg_id, user_id, codename)
        if allowed and user_id in active:
            wanted.add(key)
        else:
            wanted.discard(key)
    return wanted


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
