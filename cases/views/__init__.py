"""Case views: reporting, lists, the case page and its work, management decisions, files."""

from __future__ import annotations

from .case import (
    action_addendum,
    add_action,
    add_attachment,
    add_person,
    case_detail,
    chronology,
    download_attachment,
    history,
    viewers,
)
from .lists import find_cases, my_cases, triage, viewing_log
from .manage import (
    access_grants,
    allocate,
    closure_decision,
    edit_details,
    reopen,
    request_closure,
    revoke_grant,
)
from .report import received, report_addendum, report_concern
from .settings import org_lists, toggle_list_item

__all__ = [
    "add_person", "org_lists", "toggle_list_item", "viewing_log",
    "access_grants", "action_addendum", "add_action", "add_attachment", "allocate", "case_detail", "chronology",
    "closure_decision", "download_attachment", "edit_details", "find_cases", "history", "my_cases", "received",
    "reopen", "report_addendum", "report_concern", "request_closure", "revoke_grant", "triage", "viewers",
]
