"""Navigation and home-page panels, contributed by each app's ``ui`` module.

An app registers what it adds to the header navigation and to the "my work"
home page, each with the roles that see it; the tenancy app discovers every
``<app>/ui.py`` at start-up. A panel's context function runs only for members
who hold one of its roles, so a role never pays for (or sees) another's work.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.urls import reverse

if TYPE_CHECKING:
    from .access import OrgRequest, TenantRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every member
    order: int = 50
    visible: Callable[[OrgRequest], bool] | None = None  # a further (cheap) check, e.g. object permissions


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[[OrgRequest], dict[str, Any]]
    roles: frozenset[str] | None = None
    order: int = 50


NAV_ITEMS: list[NavItem] = []
PANELS: list[Panel] = []


def register_nav(label: str, url_name: str, *, roles: Collection[str] | None = None, order: int = 50,
                 visible: Callable[[OrgRequest], bool] | None = None) -> None:
    NAV_ITEMS.append(NavItem(label, url_name, frozenset(roles) if roles else None, order, visible))
    NAV_ITEMS.sort(key=lambda item: item.order)


def register_panel(
    key: str,
    title: str,
    template: str,
    context: Callable[[OrgRequest], dict[str, Any]],
    *,
    roles: Collection[str] | None = None,
    order: int = 50,
) -> None:
    if any(p.key == key for p in PANELS):
        return
    PANELS.append(Panel(key, title, template, context, frozenset(roles) if roles else None, order))
    PANELS.sort(key=lambda p: p.order)


def _allowed(roles: frozenset[str] | None, request: TenantRequest) -> bool:
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    return roles is None or membership.has_role(*roles)


def nav_for(request: TenantRequest) -> list[dict[str, Any]]:
    path = request.path
    items = []
    for item in NAV_ITEMS:
        if _allowed(item.roles, request) and (item.visible is None or item.visible(cast("OrgRequest", request))):
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    return items


def panels_for(request: TenantRequest) -> list[dict[str, Any]]:
    result = []
    for panel in PANELS:
        if _allowed(panel.roles, request):
            result.append({"key": panel.key, "title": panel.title, "template": panel.template,
                           **panel.context(cast("OrgRequest", request))})
    return result

