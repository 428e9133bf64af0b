"""The register section of a case page: the case's entries, and "add to register" for NSOs."""

from __future__ import annotations

from typing import Any

from django import template

from registers.models import MANAGE, Entry
from registers.permissions import registers_for

register = template.Library()


@register.inclusion_tag("registers/_case_section_body.html", takes_context=True)
def case_register_section(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """Shows nothing at all to someone who sees no register of the case's area."""
    request = context.get("request")
    if request is None or getattr(request, "org", None) is None or case is None:
        return {"show": False}
    return case_section_context(request, case)


def case_section_context(request: Any, case: Any) -> dict[str, Any]:
    """The case's entries on registers the viewer sees, and whether they may add it (3 queries)."""
    visible = registers_for(request.user, request.org)
    entries = list(Entry.objects.for_org(request.org).filter(case=case, register__in=visible)
                   .select_related("register__area"))
    can_add = registers_for(request.user, request.org, MANAGE).filter(area_id=case.area_id).exists()
    can_add = can_add and not any(e.register.area_id == case.area_id for e in entries)
    return {"show": bool(entries) or can_add, "entries": entries, "can_add": can_add, "case": case}
