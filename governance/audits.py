"""Case audits: who may audit which cases, and the reproducible stratified sample.

* The Safeguarding Manager audits any area; case managers and DSLs audit the areas their role covers.
* Allegations against colleagues are sampled only for an auditor who may see them (``cases.policy.visibility``).
* An auditor never audits a case they work on: allocated to them, reported by them, shared with them,
  or with an action they recorded.
* The sample is drawn with ``random.Random(seed)`` from the candidates ordered by id, area by area, so the
  same round over the same cases draws the same sample again.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Action, Case, CaseAccessGrant
from cases.policy.management import NOT_ALLEGATION
from cases.policy.visibility import visible_q
from safeguard.tenancy.models import Area, Membership, Organisation
from safeguard.tenancy.roles import Role

from .models import AuditedCase, AuditRound


def audit_area_ids(membership: Membership | None) -> frozenset[int] | None | bool:
    """The areas this member may audit: None for all, a set, or False for none."""
    if membership is None:
        return False
    grants = membership.grants
    if Role.SAFEGUARDING_MANAGER in grants:
        return None
    found: set[int] = set()
    any_grant = False
    for role in (Role.CASE_MANAGER, Role.DSL):
        grant = grants.get(role)
        if grant is None:
            continue
        any_grant = True
        if grant.area_ids is None:
            return None
        found |= grant.area_ids
    return frozenset(found) if any_grant else False


def may_audit(membership: Membership | None) -> bool:
    return audit_area_ids(membership) is not False


def auditable_areas(org: Organisation, membership: Membership) -> QuerySet[Area]:
    ids = audit_area_ids(membership)
    qs = Area.objects.for_org(org)
    if ids is False:
        return qs.none()
    return qs if ids is None else qs.filter(pk__in=ids)  # type: ignore[misc]


def works_on_q(org: Organisation | int, user_id: int) -> Q:
    """Cases this person works on (and so may not audit)."""
    grants = CaseAccessGrant.objects.for_org(org).filter(case=OuterRef("pk"), user_id=user_id, revoked_at__isnull=True)
    return (Q(allocated_to_id=user_id) | Q(reported_by_id=user_id) | Q(Exists(grants))
            | Q(Exists(Action.objects.for_org(org).filter(case=OuterRef("pk"), recorded_by_id=user_id))))


def auditable_cases(org: Organisation, membership: Membership | None) -> QuerySet[Case]:
    """Cases ``membership`` may audit: in their audit areas, allegations only if they may see them,
    never one they work on."""
    qs = Case.objects.for_org(org)
    ids = audit_area_ids(membership)
    if ids is False or membership is None:
        return qs.none()
    seen = visible_q(membership) | NOT_ALLEGATION
    qs = qs.filter(seen & (Q() if ids is None else Q(area_id__in=ids)))
    return qs.exclude(works_on_q(org, membership.user_id))


def allocate(sizes: dict[int, int], n: int | None, percent: int | None) -> dict[int, int]:
    """How many to draw from each area: a percentage of each (rounded up), or ``n`` shared out in proportion
    to the areas' sizes (largest remainder, ties to the lower area id)."""
    if percent is not None:
        return {a: min(size, math.ceil(size * percent / 100)) for a, size in sizes.items()}
    total = sum(sizes.values())
    n = min(n or 0, total)
    if not total:
        return dict.fromkeys(sizes, 0)
    exact = {a: n * size / total for a, size in sizes.items()}
    out = {a: math.floor(v) for a, v in exact.items()}
    left = n - sum(out.values())
    for a in sorted(sizes, key=lambda a: (-(exact[a] - out[a]), a))[:left]:
        out[a] += 1
    return out


def draw(candidates: Iterable[tuple[int, int]], *, seed: int, n: int | None = None,
         percent: int | None = None) -> list[tuple[int, int]]:
    """The sample: (case id, area id) pairs, reproducible for the same candidates and seed."""
    by_area: dict[int, list[int]] = defaultdict(list)
    for case_id, area_id in candidates:
        by_area[area_id].append(case_id)
    sizes = {a: len(ids) for a, ids in by_area.items()}
    quota = allocate(sizes, n, percent)
    rng = random.Random(seed)
    sample: list[tuple[int, int]] = []
    for area_id in sorted(by_area):
        ids = sorted(by_area[area_id])
        sample.extend((cid, area_id) for cid in sorted(rng.sample(ids, quota[area_id])))
    return sample


def candidates_for(org: Organisation, membership: Membership, *, area_ids: list[int], start: date,
                   end: date) -> list[tuple[int, int]]:
    return list(auditable_cases(org, membership).filter(
        area_id__in=area_ids, reported_at__date__gte=start, reported_at__date__lte=end,
    ).order_by("pk").values_list("pk", "area_id"))


def visible_rounds(org: Organisation, membership: Membership | None) -> QuerySet[AuditRound]:
    qs = AuditRound.objects.for_org(org)
    if membership is None:
        return qs.none()
    if membership.has_role(Role.SAFEGUARDING_MANAGER):
        return qs
    if not may_audit(membership):
        return qs.filter(audited_cases__auditor_id=membership.user_id).distinct()
    mine = visible_audited_cases(org, membership).filter(round=OuterRef("pk"))
    return qs.filter(Q(started_by_id=membership.user_id) | Q(Exists(mine)))


def visible_audited_cases(org: Organisation, membership: Membership | None) -> QuerySet[AuditedCase]:
    qs = AuditedCase.objects.for_org(org)
    if membership is None:
        return qs.none()
    ids = audit_area_ids(membership)
    if ids is False:
        return qs.filter(auditor_id=membership.user_id)
    seen = visible_q(membership) | NOT_ALLEGATION
    allowed = Case.objects.for_org(org).filter(seen & (Q() if ids is None else Q(area_id__in=ids)))
    return qs.filter(Q(case_id__in=allowed.values("pk")) | Q(auditor_id=membership.user_id))


def can_audit(audited: AuditedCase, membership: Membership | None) -> bool:
    """May record the audit of this case (and its follow-up actions)."""
    if membership is None or audited.round.status != AuditRound.Status.OPEN:
        return False
    return auditable_cases(audited.organisation, membership).filter(pk=audited.case_id).exists()


def month_failure_count(org: Organisation | int, on: date) -> int:
    return AuditedCase.objects.for_org(org).filter(
        audited_on__year=on.year, audited_on__month=on.month, correctly_recorded_on_register=False).count()


def round_progress(org: Organisation | int, round_ids: list[int]) -> dict[int, dict[str, Any]]:
    from django.db.models import Count

    rows = (AuditedCase.objects.for_org(org).filter(round_id__in=round_ids).values("round_id")  # type: ignore[no-redef]
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(audited_on__isnull=False)),
                      failed=Count("pk", filter=Q(correctly_recorded_on_register=False))).order_by())
    return {r["round_id"]: r for r in rows}  # type: ignore[misc]
