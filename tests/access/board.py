"""The board dashboard's URLs (issue 10): figures only, for the board, executives, the Safeguarding
Manager and DSLs (their areas)."""

from __future__ import annotations

from safeguard.tenancy.roles import Role

from . import UrlCase

VIEWERS = frozenset({Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL})
SETTINGS = frozenset({Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN})

CASES = [
    UrlCase("board:dashboard", allowed=VIEWERS),
    UrlCase("board:commentary", allowed=frozenset({Role.SAFEGUARDING_MANAGER})),
    UrlCase("board:commentary", allowed=frozenset({Role.SAFEGUARDING_MANAGER}), method="post",
            data=lambda w, kw: {"text": "Concerns rose in Elmstead after the awareness week."},
            id="board:commentary:post"),
    UrlCase("board:rag-settings", allowed=SETTINGS),
]
