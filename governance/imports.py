"""Importing the policies register, the work plan and suppliers from a spreadsheet (issue 9, item 10).

Each kind is an ``ImportSpec`` on the shared machinery (``safeguard.background.imports``, the same check,
preview in plain words, skip-bad-rows and progress as training's imports): only the row checker and the row
writer are governance's. Records are matched within the organisation only: a policy on its title, a supplier
on its name, a work plan outcome on its title and an action on its outcome and title; people on the e-mail
address of an active member of the organisation. So importing a file again changes nothing, and another
organisation's records and people are never matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from safeguard.background.imports import ImportSpec, Problem, date_cell, problem, text, yes_no
from safeguard.background.models import BackgroundJob
from safeguard.tenancy import audit
from safeguard.tenancy.models import Membership, Organisation, User

from . import models as m
from .actions.common import apply, stamp

IMPORTABLE = ("policies", "outcomes", "suppliers")


@dataclass
class Lookups:
    """What rows are matched against, loaded once per step (a few queries), all in one organisation."""

    org: Organisation
    people: dict[str, User] = field(default_factory=dict)
    policies: dict[str, m.Policy] = field(default_factory=dict)
    suppliers: dict[str, m.Supplier] = field(default_factory=dict)
    outcomes: dict[str, m.Outcome] = field(default_factory=dict)
    actions: dict[tuple[int, str], m.PlanAction] = field(default_factory=dict)

    @classmethod
    def loader(cls, slug: str) -> Any:
        def load(org: Organisation) -> Lookups:
            found = cls(org)
            for ms in Membership.objects.for_org(org).filter(is_active=True).select_related("user"):
                if ms.user.email:
                    found.people[ms.user.email.lower()] = ms.user
            if slug == "policies":
                found.policies = {p.title.lower(): p for p in m.Policy.objects.for_org(org)}
            elif slug == "suppliers":
                found.suppliers = {s.name.lower(): s for s in m.Supplier.objects.for_org(org)}
            else:
                found.outcomes = {o.title.lower(): o for o in m.Outcome.objects.for_org(org)}
                for a in m.PlanAction.objects.for_org(org).prefetch_related("leads"):
                    found.actions[(a.outcome_id, a.title.lower())] = a
            return found
        return load


def _choice(n: int, row: dict[str, Any], column: str, choices: Any, default: str, problems: list[Problem],
            words: dict[str, str] | None = None) -> str:
    """A choice written as its label or its stored value, in any case."""
    value = text(row, column)
    if not value:
        return default
    known = {**{str(v).lower(): str(v) for v in choices.values}, **{str(lbl).lower(): str(v) for v, lbl in choices.choices},
             **(words or {})}
    found = known.get(value.lower().replace("_", " ")) or known.get(value.lower())
    if found is None:
        labels = ", ".join(str(lbl).lower() for _, lbl in choices.choices)
        problems.append(problem(n, column, f"'{value}' is not one of: {labels}"))
        return default
    return found


def _person(n: int, row: dict[str, Any], column: str, look: Lookups, problems: list[Problem]) -> User | None:
    email = text(row, column).lower()
    if not email:
        return None
    user = look.people.get(email)
    if user is None:
        problems.append(problem(n, column, f"No one in your organisation has the e-mail address '{email}'"))
    return user


def _once(n: int, key: str, shown: str, column: str, seen: set[str], problems: list[Problem]) -> None:
    if key in seen:
        problems.append(problem(n, column, f"'{shown}' appears more than once in the file"))
    seen.add(key)


def _length(n: int, value: str, column: str, limit: int, problems: list[Problem]) -> None:
    if len(value) > limit:
        problems.append(problem(n, column, f"This is longer than {limit} characters"))


def _blank(row: dict[str, Any], columns: dict[str, str]) -> set[str]:
    """Fields whose cell is empty: on a record already there, they keep what it holds."""
    return {name for column, name in columns.items() if not text(row, column)}


def _given(values: dict[str, Any], existing: Model | None) -> dict[str, Any]:
    blank = values.pop("_blank", set())
    return values if existing is None else {k: v for k, v in values.items() if k not in blank}


def _save(obj: Model, values: dict[str, Any], *, job: BackgroundJob, slug: str) -> str:
    """Create or change one record: history, version and audit as for a change in the browser."""
    new = obj.pk is None
    changed = apply(obj, values)
    if not new and not changed:
        return "unchanged"
    user = job.requested_by
    stamp(obj, acting_user=user, new=new)
    obj._history_user = user  # type: ignore[attr-defined]
    obj.save()
    audit.record(org=job.organisation, actor=user, action=f"governance.{slug}.{'added' if new else 'changed'}",
                 obj=obj, imported_from=job.file_name)
    return "created" if new else "updated"


# --- Policies ---------------------------------------------------------------------------------------------

def _check_policy(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    title = text(row, "title")
    if not title:
        problems.append(problem(n, "title", "The title is missing"))
    else:
        _once(n, title.lower(), title, "title", seen, problems)
        _length(n, title, "title", 200, problems)
    values: dict[str, Any] = {
        "title": title,
        "kind": _choice(n, row, "category", m.PolicyKind, m.PolicyKind.OTHER, problems),
        "owner": _person(n, row, "owner_email", look, problems),
        "approving_body": text(row, "approving_body")[:200],
        "approved_on": date_cell(n, row, "approval_date", problems, required=False),
        "effective_on": date_cell(n, row, "effective_date", problems, required=False),
        "review_on": date_cell(n, row, "review_date", problems, required=True),
        "status": _choice(n, row, "status", m.PolicyStatus, m.PolicyStatus.APPROVED, problems),
    }
    values["_blank"] = _blank(row, {"category": "kind", "owner_email": "owner", "approving_body": "approving_body",
                                    "approval_date": "approved_on", "effective_date": "effective_on",
                                    "status": "status"})
    return values, problems


def _write_policy(job: BackgroundJob, values: dict[str, Any], look: Lookups) -> str:
    existing = look.policies.get(values["title"].lower())
    values = _given(dict(values), existing)
    policy = existing or m.Policy(organisation=job.organisation)
    values = {**values, "title": policy.title or values["title"]}  # a match keeps its own spelling
    outcome = _save(policy, values, job=job, slug="policies")
    look.policies[policy.title.lower()] = policy
    return outcome


# --- Suppliers --------------------------------------------------------------------------------------------

BASIS_WORDS = {"own": m.Supplier.PolicyBasis.OWN, "ours": m.Supplier.PolicyBasis.OURS,
               "follows ours": m.Supplier.PolicyBasis.OURS, "not confirmed": m.Supplier.PolicyBasis.UNKNOWN,
               "unknown": m.Supplier.PolicyBasis.UNKNOWN}


def _check_supplier(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    name = text(row, "name")
    if not name:
        problems.append(problem(n, "name", "The supplier's name is missing"))
    else:
        _once(n, name.lower(), name, "name", seen, problems)
        _length(n, name, "name", 200, problems)
    services = text(row, "services")
    if not services:
        problems.append(problem(n, "services", "Say what services they provide"))
    values = {
        "name": name, "services": services,
        "contract_has_clause": yes_no(n, row, "contract_has_clause", problems),
        "policy_basis": _choice(n, row, "policy", m.Supplier.PolicyBasis, m.Supplier.PolicyBasis.UNKNOWN, problems,
                                BASIS_WORDS),  # type: ignore[arg-type]
        "confirmed_on": date_cell(n, row, "confirmed_on", problems, required=False),
        "review_on": date_cell(n, row, "next_confirmation_due", problems, required=False),
        "owner": _person(n, row, "owner_email", look, problems),
        "is_active": yes_no(n, row, "still_used", problems, default=True),
    }
    if values["confirmed_on"] and values["confirmed_on"] > timezone.localdate():  # type: ignore[operator]
        problems.append(problem(n, "confirmed_on", f"{values['confirmed_on']:%d/%m/%Y} is in the future"))
    values["_blank"] = _blank(row, {"contract_has_clause": "contract_has_clause", "policy": "policy_basis",
                                    "confirmed_on": "confirmed_on", "next_confirmation_due": "review_on",
                                    "owner_email": "owner", "still_used": "is_active"})
    return values, problems


def _write_supplier(job: BackgroundJob, values: dict[str, Any], look: Lookups) -> str:
    existing = look.suppliers.get(values["name"].lower())
    values = _given(dict(values), existing)
    supplier = existing or m.Supplier(organisation=job.organisation)
    values = {**values, "name": supplier.name or values["name"]}
    outcome = _save(supplier, values, job=job, slug="suppliers")
    look.suppliers[supplier.name.lower()] = supplier
    return outcome


# --- The work plan: one row per action (or an outcome on its own) -----------------------------------------

def _check_plan_row(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    outcome, action = text(row, "outcome"), text(row, "action")
    if not outcome:
        problems.append(problem(n, "outcome", "The outcome is missing"))
    _length(n, outcome, "outcome", 300, problems)
    _length(n, action, "action", 300, problems)
    values: dict[str, Any] = {"outcome": outcome, "action": action, "leads": [], "target_on": None,
                              "status": m.PlanAction.Status.NOT_STARTED, "completed_on": None}
    if not action:
        for column in ("leads", "target_date", "status", "completed_on"):
            if text(row, column):
                problems.append(problem(n, "action", "The action is missing (this row has its details)"))
                break
        return values, problems
    _once(n, f"{outcome.lower()}|{action.lower()}", action, "action", seen, problems)
    for email in [e.strip() for e in text(row, "leads").replace(";", ",").split(",") if e.strip()]:
        user = look.people.get(email.lower())
        if user is None:
            problems.append(problem(n, "leads", f"No one in your organisation has the e-mail address '{email}'"))
        elif user not in values["leads"]:
            values["leads"].append(user)
    values["target_on"] = date_cell(n, row, "target_date", problems, required=True)
    values["status"] = _choice(n, row, "status", m.PlanAction.Status, m.PlanAction.Status.NOT_STARTED, problems)
    values["completed_on"] = date_cell(n, row, "completed_on", problems, required=False)
    return values, problems


def _write_plan_row(job: BackgroundJob, values: dict[str, Any], look: Lookups) -> str:
    outcome = look.outcomes.get(values["outcome"].lower())
    made = outcome is None
    if outcome is None:
        outcome = m.Outcome(organisation=job.organisation, position=len(look.outcomes) + 1)
        _save(outcome, {"title": values["outcome"]}, job=job, slug="outcomes")
        look.outcomes[outcome.title.lower()] = outcome
    if not values["action"]:
        return "created" if made else "unchanged"
    key = (outcome.pk, values["action"].lower())
    action = look.actions.get(key) or m.PlanAction(organisation=job.organisation, outcome=outcome)
    leads = values["leads"]
    plain = {"title": action.title or values["action"], "target_on": values["target_on"], "status": values["status"],
             "completed_on": values["completed_on"]}
    result = _save(action, plain, job=job, slug="plan-actions")
    if {u.pk for u in action.leads.all()} != {u.pk for u in leads}:
        action._history_user = job.requested_by  # type: ignore[attr-defined]
        action.leads.set(leads)
        result = "updated" if result == "unchanged" else result
    look.actions[key] = action
    return "created" if made else result


SPECS: dict[str, ImportSpec] = {
    "policies": ImportSpec(
        columns=["title", "category", "owner_email", "approving_body", "approval_date", "effective_date",
                 "review_date", "status"],
        required=["title", "review_date"],
        examples=["Hoarding policy", "Hoarding", "sam.manager@example.org", "The Board", "14/03/2025", "01/04/2025",
                  "31/03/2027", "Approved"],
        load=Lookups.loader("policies"), check=_check_policy, write=_write_policy),
    "suppliers": ImportSpec(
        columns=["name", "services", "contract_has_clause", "policy", "confirmed_on", "next_confirmation_due",
                 "owner_email", "still_used"],
        required=["name", "services"],
        examples=["Brightside Repairs", "Responsive repairs", "yes", "own", "02/06/2025", "02/06/2026",
                  "sam.manager@example.org", "yes"],
        load=Lookups.loader("suppliers"), check=_check_supplier, write=_write_supplier),
    "outcomes": ImportSpec(
        columns=["outcome", "action", "leads", "target_date", "status", "completed_on"],
        required=["outcome", "action"],
        examples=["Everyone knows how to raise a concern", "Run briefings for every team", "sam.manager@example.org",
                  "31/03/2027", "On track", ""],
        load=Lookups.loader("outcomes"), check=_check_plan_row, write=_write_plan_row),
}

HELP = {  # shown on the upload page
    "policies": "One row per policy, matched on its title: a title already in the register is updated, not added "
                "again. The owner is given by their e-mail address. Category and status are written as on the "
                "policy's page (for example: Hoarding, Approved). An empty cell leaves what the register holds.",
    "suppliers": "One row per supplier, matched on its name: a name already listed is updated, not added again. "
                 "The policy column says own, ours or not yet confirmed; yes/no columns take yes or no. An empty cell "
                 "leaves what the list holds.",
    "outcomes": "One row per action, under its outcome: an outcome is matched on its title, and an action on its "
                "outcome and title, so a file imported again adds nothing twice. Leads are e-mail addresses, "
                "separated by commas. Status: not started, on track, at risk or done.",
}


def template_rows(slug: str) -> list[list[str]]:
    return SPECS[slug].template_rows()


def run_step(job: BackgroundJob, progress: Any) -> None:
    from safeguard.background import imports as shared

    shared.run_step(job, progress, SPECS[str(job.params["kind"])])


