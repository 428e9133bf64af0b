"""Template helpers: the case page section, and links to a case's own page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def case_url(case_pk: int) -> str:
    """The cases app's page for a case, or this app's section of it while that page does not exist."""
    try:
        return reverse("cases:detail", args=[case_pk])
    except NoReverseMatch:
        return reverse("referrals:case", args=[case_pk])


@register.inclusion_tag("referrals/_case_body.html", takes_context=True)
def referrals_case_section(context: Any, case: Any) -> dict[str, Any]:
    """The "referrals, consent and risk" section for the case page (a fixed number of queries)."""
    from ..selectors import case_context

    request = context["request"]
    data = case_context(case, request.membership)
    data.update(request=request, heading_level=2, in_case_page=True)
    return data
