"""Which records of a kind a member sees and may change (the rules are in ``governance.access``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from safeguard.tenancy.models import Membership, Organisation

from .access import board_only, is_keeper
from .kinds import KINDS, Kind


def _named_q(kind: Kind, user_id: int) -> Q | None:
    q: Q | None = None
    for name in kind.named:
        if "__" in name:
            continue  # sees the record through what is under it, but does not change it
        if name == "members":
            part = Q(members__user_id=user_id)
        elif name == "leads" or "__" in name:
            part = Q(**{name: user_id})
        else:
            part = Q(**{f"{name}_id": user_id})
        q = part if q is None else q | part
    return q


def visible(kind: Kind, org: Organisation, membership: Membership | None) -> QuerySet[Any]:
    """Records of ``kind`` in ``org`` that ``membership`` may open."""
    qs = kind.model.objects.for_org(org)
    if board_only(membership):
        return qs.none()
    if is_keeper(membership) or kind.slug in ("policies", "policy-versions"):
        return qs
    if kind.parent_kind == "audited-cases":
        from .audits import visible_audited_cases

        via_parent = Q(**{f"{kind.parent}__in": visible_audited_cases(org, membership).values("pk")})
    elif kind.parent_kind:
        via_parent = Q(**{f"{kind.parent}__in": visible(KINDS[kind.parent_kind], org, membership).values("pk")})
    else:
        via_parent = Q(pk__in=[])
    named = _named_q(kind, membership.user_id)  # type: ignore[union-attr]
    q = via_parent | named if named is not None else via_parent
    many = any(n in ("members", "leads") or "__" in n for n in kind.named)
    return qs.filter(q).distinct() if many else qs.filter(q)


def can_edit(kind: Kind, obj: Model, membership: Membership | None, parent: Model | None = None) -> bool:
    if board_only(membership):
        return False
    if is_keeper(membership):
        return True
    user_id = membership.user_id  # type: ignore[union-attr]
    for name in kind.named:
        if "__" in name:
            continue  # sees the record through what is under it, but does not change it
        if name == "members":
            if obj.pk and obj.members.filter(user_id=user_id).exists():  # type: ignore[attr-defined]
                return True
        elif name == "leads":
            if obj.pk and obj.leads.filter(pk=user_id).exists():  # type: ignore[attr-defined]
                return True
        elif getattr(obj, f"{name}_id", None) == user_id:
            return True
    if kind.parent:
        parent = parent or getattr(obj, kind.parent)
        if kind.parent_kind == "audited-cases":
            from .audits import can_audit

            return can_audit(parent, membership)  # type: ignore[arg-type]
        return can_edit(KINDS[kind.parent_kind], parent, membership)  # type: ignore[index]
    return False
