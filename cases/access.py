"""Checked fetch of a case for a view. The rules themselves are in ``cases.policy``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Case
from .policy.visibility import can_write, visible_cases

if TYPE_CHECKING:
    from safeguard.tenancy.access import OrgRequest


def access_case(request: OrgRequest, pk: int, *, write: bool = False) -> Case:
    """The case if visible (else 404); 403 when visible but ``write`` is asked and not allowed."""
    membership = getattr(request, "membership", None)
    qs = visible_cases(request.org, membership).select_related(
        "area", "department", "reported_by", "allocated_to", "organisation"
    )
    case = get_object_or_404(qs, pk=pk)
    if write and not can_write(case, membership):  # type: ignore[arg-type]
        raise PermissionDenied
    return case
