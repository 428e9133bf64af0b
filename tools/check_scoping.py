#!/usr/bin/env python
"""Fail the build when a view reaches tenant data around the scoping.

Views, forms, template tags and UI panels must start every query from
``Model.objects.for_org(...)`` (or a helper that does). This check reads their
source and rejects the ways round it:

* ``.all_orgs`` / ``.dangerously_unscoped(``: the named exits from scoping;
* ``rls.dangerously_all_orgs(`` / ``rls.use_all_orgs(``: the named exits from row-level security;
* ``._base_manager`` / ``._default_manager``: managers picked by hand;
* ``.raw(``, ``.extra(``, ``connection.cursor(``: SQL the scope cannot see;
* ``get_object_or_404(SomeModel, ...)`` / ``get_list_or_404(SomeModel, ...)``
  with a model class rather than a scoped queryset.

A line may opt out with a trailing ``# scoping: <reason>`` comment, which
makes every exception visible in review (e.g. the public invitation link, where
the unguessable token is what identifies the organisation).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["safeguard", "cases", "registers", "training", "governance"]
BANNED_ATTRS = {"all_orgs", "dangerously_unscoped", "dangerously_all_orgs", "use_all_orgs", "_base_manager",
                "_default_manager", "raw", "extra"}


def is_view_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    if "migrations" in parts or "management" in parts:
        return False
    name = path.name
    return (
        name in {"views.py", "forms.py", "ui.py", "panels.py"}
        or "views" in parts
        or "templatetags" in parts
        or name.startswith("views_")
    )


def problems_in(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        line = lines[node.lineno - 1]  # type: ignore[attr-defined]
        if "# scoping:" in line:
            return
        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {what}")  # type: ignore[attr-defined]

    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in BANNED_ATTRS:
            if node.attr in {"raw", "extra"} and not isinstance(getattr(node, "ctx", None), ast.Load):
                continue
            report(node, f"'.{node.attr}' bypasses the organisation scope")
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if fname in {"get_object_or_404", "get_list_or_404"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id[:1].isupper():
                    report(node, f"{fname}({first.id}, ...) uses the unscoped model; pass a scoped queryset")
            if fname == "cursor" and isinstance(func, ast.Attribute):
                report(node, "raw SQL cursor in a view")
    return found


def main() -> int:
    files = [p for app in APPS for p in (ROOT / app).rglob("*.py") if is_view_module(p)]
    problems = [problem for path in sorted(files) for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} place(s) query tenant data around the scoping (see tools/check_scoping.py).")
        return 1
    print(f"scoping check: {len(files)} view modules clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
