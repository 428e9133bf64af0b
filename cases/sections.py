"""Extra sections on the case page, contributed by other apps (referrals, consent, registers).

    from cases.sections import register_section

    register_section("referrals", "Referrals and alerts", "referrals/_case_section.html",
                     lambda request, case: {"referrals": ...})

The context function receives a case the viewer may see; keep it to a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from safeguard.tenancy.access import OrgRequest

from .models import Case


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest, Case], dict[str, Any]]
    order: int = 50


SECTIONS: list[Section] = []


def register_section(key: str, title: str, template: str, context: Callable[[HttpRequest, Case], dict[str, Any]],
                     *, order: int = 50) -> None:
    if any(s.key == key for s in SECTIONS):
        return
    SECTIONS.append(Section(key, title, template, context, order))
    SECTIONS.sort(key=lambda s: s.order)


def for_case(request: OrgRequest, case: Case) -> list[dict[str, Any]]:
    return [{"key": s.key, "title": s.title, "template": s.template, **s.context(request, case)} for s in SECTIONS]
