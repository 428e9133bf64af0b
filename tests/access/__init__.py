"""The access matrix: every URL pattern, tried as every role, another
organisation's member, a person in no organisation, and anonymous.

Each app lists its URLs in ``tests/access/<app>.py`` as ``CASES``. The matrix
test fails when a URL pattern is in no list, so a new URL cannot ship untested.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safeguard.tenancy.roles import ALL_ROLES

from ..factories import World

EVERYONE = frozenset(ALL_ROLES)


@dataclass
class UrlCase:
    """What each role gets from one URL pattern.

    ``allowed`` roles get a success (2xx or a redirect that is not to the login
    page); the rest get ``denied`` (403, or 404 where even the existence of the
    thing is confidential). ``object_of_org`` URLs carry an id of organisation A:
    B's member gets 404. ``prepare`` builds what the URL points at and returns
    its kwargs.
    """

    name: str
    allowed: frozenset[str] = EVERYONE
    prepare: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    data: Callable[[World, dict[str, Any]], dict[str, Any]] = field(default=lambda w, kw: {})
    denied: int = 403
    object_of_org: bool = False
    public: bool = False  # anonymous may use it
    signed_in_status: int | None = None  # a public URL's exact answer to every signed-in role
    allowed_for: Callable[[World, str], bool] | None = None  # finer rule than roles, e.g. area-limited DSL
    id: str = ""

    @property
    def key(self) -> str:
        return self.id or f"{self.name}:{self.method}"


def all_cases() -> list[UrlCase]:
    cases: list[UrlCase] = []
    package = importlib.import_module(__name__)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases
