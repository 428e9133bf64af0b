"""Checked fetches for register views.

Without the permission a page needs on a register (``view_register`` to see it,
``manage_register`` to change entries, ``review_register`` to review, ``view_cp_register``
for the child protection page), the page is a 404, exactly like a missing id or
another organisation's: registers are confidential, so nothing says they exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from safeguard.tenancy.access import OrgRequest

from .models import VIEW, Entry, Register
from .permissions import registers_for, user_perms


def visible_registers(request: OrgRequest) -> QuerySet[Register]:
    return registers_for(request.user, request.org, VIEW)


def access_register(request: OrgRequest, pk: int, perm: str = VIEW) -> tuple[Register, set[str]]:
    """The register and the viewer's permissions on it; 404 without ``perm``."""
    register = get_object_or_404(visible_registers(request).select_related("area", "organisation"), pk=pk)
    perms = user_perms(request.user, register)
    require(perm in perms)
    return register, perms


def access_entry(request: OrgRequest, pk: int, perm: str = VIEW) -> tuple[Entry, set[str]]:
    """The entry (its register must be visible) and the viewer's permissions on its register."""
    qs = Entry.objects.for_org(request.org).filter(
        register__in=visible_registers(request)
    ).select_related("register__area", "register__organisation", "department", "case", "created_by")
    entry = get_object_or_404(qs, pk=pk)
    perms = user_perms(request.user, entry.register)
    require(perm in perms)
    return entry, perms


def require(condition: bool) -> None:
    """404 unless ``condition``: for things whose existence is confidential."""
    if not condition:
        raise Http404
