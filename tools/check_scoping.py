#!/usr/bin/env python
"""Fail the build when code reaches tenant data around the scoping.

Every module of the apps is read (not only views). Outside the places that work
across organisations on purpose (``JOB_MODULES``: the daily jobs, Celery tasks and
the flag machinery; the admin; signals; migrations and management commands), every
query starts from ``Model.objects.for_org(...)`` (or a helper that does), and these
ways round it are rejected:

* ``.all_orgs``: the bypass manager, for the places above only;
* ``._base_manager`` / ``._default_manager``: managers picked by hand;
* ``.raw(``, ``.extra(``, ``connection.cursor(``: SQL the scope cannot see;
* ``get_object_or_404(SomeModel, ...)`` / ``get_list_or_404(SomeModel, ...)``
  with a model class rather than a scoped queryset.

Any other exit is spelled ``dangerously_*`` and says why:

* inside a function named ``dangerously_<what>`` with a docstring giving the reason
  (e.g. ``cases.policy.management.dangerously_managers_of``, the daily jobs' set query);
* or ``.dangerously_unscoped()`` on a line ending ``# scoping: <reason>`` (e.g. the public
  invitation link, where the unguessable token is what identifies the organisation).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["safeguard", "cases", "registers", "training", "governance"]
BANNED_ATTRS = {"all_orgs", "dangerously_unscoped", "_base_manager", "_default_manager"}
BANNED_CALLS = {"raw", "extra", "cursor"}
JOB_MODULES = {"jobs.py", "tasks.py", "flags.py", "admin.py", "signals.py"}
# Job machinery that is not in a jobs.py or tasks.py: the background-job runner, the e-mail outbox
# sender and the training export's run step (each works on its rows by id across organisations).
JOB_PATHS = {"safeguard/background/runner.py", "safeguard/tenancy/notifications.py", "training/exports.py"}


def is_checked_module(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    if "migrations" in rel.parts or "management" in rel.parts:
        return False
    return path.name not in JOB_MODULES and rel.as_posix() not in JOB_PATHS


def _dangerous_lines(tree: ast.AST) -> set[int]:
    """Lines inside ``def dangerously_*`` functions that carry a docstring (their reason)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("dangerously_")
                and ast.get_docstring(node)):
            lines |= set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def problems_in(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found: list[str] = []
    tree = ast.parse(source, filename=str(path))
    allowed = _dangerous_lines(tree)

    def report(node: ast.AST, what: str, *, with_reason: bool = False) -> None:
        lineno = node.lineno  # type: ignore[attr-defined]
        if lineno in allowed or (with_reason and "# scoping:" in lines[lineno - 1]):
            return
        found.append(f"{path.relative_to(ROOT)}:{lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRS:
            report(node, f"'.{node.attr}' bypasses the organisation scope",
                   with_reason=node.attr == "dangerously_unscoped")
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if fname in {"get_object_or_404", "get_list_or_404"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id[:1].isupper():
                    report(node, f"{fname}({first.id}, ...) uses the unscoped model; pass a scoped queryset")
            if fname in BANNED_CALLS and isinstance(func, ast.Attribute):
                report(node, f"'.{fname}(' is SQL the organisation scope cannot see", with_reason=fname == "cursor")
    return found


def main() -> int:
    files = [p for app in APPS for p in (ROOT / app).rglob("*.py") if is_checked_module(p)]
    problems = [problem for path in sorted(files) for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} place(s) query tenant data around the scoping (see tools/check_scoping.py).")
        return 1
    print(f"scoping check: {len(files)} modules clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
