"""Registers made with their area, and permissions kept in step with roles and overrides."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from safeguard.tenancy.models import Area, Membership, RoleAssignment

from .models import AccessOverride, Register
from .permissions import sync_access
from .policy.access import ROLE_PERMISSIONS


def ensure_register(area: Area) -> Register:
    """The area's register, made if missing (idempotent)."""
    register, created = Register.all_orgs.get_or_create(area=area, defaults={"organisation_id": area.organisation_id})
    if created:
        sync_access(area.organisation_id)
    return register


def ensure_registers(org_id: int) -> int:
    """Make any missing register of the organisation's areas and sync access; returns how many were made."""
    missing = Area.objects.for_org(org_id).filter(register__isnull=True)
    made = [Register(organisation_id=org_id, area=area) for area in missing]
    Register.all_orgs.bulk_create(made)
    sync_access(org_id)
    return len(made)


@receiver(post_save, sender=Area, dispatch_uid="registers_area_saved")
def _area_saved(sender: type[Area], instance: Area, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        ensure_register(instance)


@receiver(post_save, sender=RoleAssignment, dispatch_uid="registers_role_saved")
@receiver(post_delete, sender=RoleAssignment, dispatch_uid="registers_role_deleted")
def _role_changed(sender: type[RoleAssignment], instance: RoleAssignment, raw: bool = False,
                  **kwargs: Any) -> None:
    if raw or instance.role not in ROLE_PERMISSIONS:  # other roles give no register access
        return
    user_id = Membership.all_orgs.filter(pk=instance.membership_id).values_list("user_id", flat=True).first()
    if user_id is not None:
        sync_access(instance.organisation_id, [user_id])


@receiver(m2m_changed, sender=RoleAssignment.areas.through, dispatch_uid="registers_role_areas")
def _role_areas_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # an area's assignments changed: resync the whole organisation
        sync_access(instance.organisation_id)
        return
    _role_changed(RoleAssignment, instance)


@receiver(post_save, sender=Membership, dispatch_uid="registers_membership_saved")
def _membership_saved(sender: type[Membership], instance: Membership, created: bool = False, raw: bool = False,
                      **kwargs: Any) -> None:
    if not raw and not created:  # a new membership has no roles yet
        sync_access(instance.organisation_id, [instance.user_id])


@receiver(post_save, sender=AccessOverride, dispatch_uid="registers_override_saved")
@receiver(post_delete, sender=AccessOverride, dispatch_uid="registers_override_deleted")
def _override_changed(sender: type[AccessOverride], instance: AccessOverride, raw: bool = False,
                      **kwargs: Any) -> None:
    if not raw:
        sync_access(instance.organisation_id, [instance.user_id])
