"""tools/check_scoping.py reads every module, and the only exits are named ``dangerously_*`` with a reason."""

from __future__ import annotations

from pathlib import Path

from tools import check_scoping

PROBE = '''
from cases.models import Case


def helper():
    return Case.all_orgs.filter(status="open")


def dangerously_every_case():
    """The daily jobs' set query, across organisations on purpose."""
    return Case.all_orgs.all()


def dangerously_without_reason():
    return Case.all_orgs.all()


def unscoped_with_reason():
    return Case.objects.dangerously_unscoped()  # scoping: the probe's reason


def unscoped_without_reason():
    return Case.objects.dangerously_unscoped()
'''


def _problems(name: str) -> list[str]:
    probe = check_scoping.ROOT / "cases" / name
    probe.write_text(PROBE)
    try:
        return check_scoping.problems_in(probe) if check_scoping.is_checked_module(probe) else []
    finally:
        probe.unlink()


def test_it_checks_modules_that_are_not_views() -> None:
    problems = _problems("tmp_scoping_probe_actions.py")
    lines = sorted(int(p.split(":")[1]) for p in problems)
    source = PROBE.splitlines()
    flagged = [source[n - 1].strip() for n in lines]
    assert flagged == ['return Case.all_orgs.filter(status="open")', "return Case.all_orgs.all()",
                       "return Case.objects.dangerously_unscoped()"]


def test_it_leaves_the_jobs_and_the_admin_their_bypass() -> None:
    assert not check_scoping.is_checked_module(check_scoping.ROOT / "cases" / "jobs.py")
    assert not check_scoping.is_checked_module(check_scoping.ROOT / "safeguard" / "tenancy" / "admin.py")
    assert check_scoping.is_checked_module(check_scoping.ROOT / "registers" / "actions.py")
    assert check_scoping.is_checked_module(Path(check_scoping.ROOT / "training" / "compliance.py"))
