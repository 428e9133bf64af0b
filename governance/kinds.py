"""The kinds of governance record that share one set of list, add, view, change and close pages.

Each ``Kind`` says which model, which fields a person fills in, which columns its list shows, who is named
on a record (and so sees and updates it), what closing it means, and which kind it belongs under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone

from safeguard.tenancy.scoping import TenantModel

from . import models as m


@dataclass
class Kind:
    slug: str
    model: type[TenantModel]
    singular: str
    plural: str
    fields: list[str]
    columns: list[tuple[str, str]]  # (heading, attribute or method of the record)
    named: tuple[str, ...] = ("owner",)  # user FKs (or "leads" M2M) whose people see and update the record
    closed: Q | None = None  # records that are finished
    close: Callable[[Model], dict[str, Any]] | None = None  # values that close one
    close_label: str = "Close"
    parent: str | None = None  # FK to the kind this one is added under
    parent_kind: str | None = None
    restricted: bool = False  # viewing it is audited (it can link cases)
    has_case: bool = False  # a linked case, entered by reference
    has_cases: bool = False  # linked cases (M2M), entered by references
    has_document: bool = False
    due: str | None = None  # the date field that says when it is due
    filters: tuple[str, ...] = ()  # fields the list can be filtered on
    search: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    extra_defaults: Callable[[Any], dict[str, Any]] = field(default=lambda parent: {})
    description: str = ""
    home: bool = True  # listed on the governance home page
    printable: bool = False
    importable: bool = False

    def url(self, page: str = "") -> str:
        """The URL name of one of the kind's pages: "" (list), "add", "detail", "edit", "close", "document"."""
        return f"governance:{self.slug}-{page}" if page else f"governance:{self.slug}"

    n_list = property(lambda self: self.url())
    n_add = property(lambda self: self.url("add"))
    n_detail = property(lambda self: self.url("detail"))
    n_edit = property(lambda self: self.url("edit"))
    n_close = property(lambda self: self.url("close"))
    n_document = property(lambda self: self.url("document"))


def _today() -> date:
    return timezone.localdate()


def _closed_status(value: str, date_field: str | None = None) -> Callable[[Model], dict[str, Any]]:
    def close(obj: Model) -> dict[str, Any]:
        values: dict[str, Any] = {"status": value}
        if date_field and not getattr(obj, date_field):
            values[date_field] = _today()
        return values
    return close


ACTION_FIELDS = ["title", "owner", "due_on", "status", "completed_on", "notes"]
ACTION_COLUMNS = [("Action", "title"), ("Owner", "owner"), ("Due", "due_on"), ("Status", "get_status_display")]
ACTION_CLOSED = Q(status__in=[m.ActionStatus.DONE, m.ActionStatus.CANCELLED])

KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.slug] = kind
    return kind


register(Kind(
    slug="policies", model=m.Policy, singular="policy", plural="Policies",
    description="Every safeguarding-related policy, who owns it and when it must be reviewed.",
    fields=["title", "kind", "owner", "approving_body", "approved_on", "effective_on", "review_on", "status",
            "staff_sign_off", "notes"],
    columns=[("Policy", "title"), ("Category", "get_kind_display"), ("Owner", "owner"), ("Review date", "review_on"),
             ("Status", "status_text")],
    closed=Q(status=m.PolicyStatus.WITHDRAWN), close=_closed_status(m.PolicyStatus.WITHDRAWN), close_label="Withdraw",
    due="review_on", filters=("kind", "status"), search=("title",), select_related=("owner",), importable=True,
))
register(Kind(
    slug="policy-versions", model=m.PolicyVersion, singular="policy version", plural="Versions",
    fields=["label", "published_on", "review_on", "changes"], columns=[("Version", "label"),
                                                                        ("Published", "published_on")],
    named=(), parent="policy", parent_kind="policies", has_document=True, home=False,
))
register(Kind(
    slug="case-reviews", model=m.CaseReview, singular="case review", plural="Case reviews",
    description="Serious case reviews, child safeguarding practice reviews, safeguarding adult reviews and "
                "domestic homicide reviews we take part in.",
    fields=["kind", "title", "local_authority", "notified_on", "started_on", "published_on", "failure_contributed",
            "lead", "summary", "status"],
    columns=[("Review", "title"), ("Type", "get_kind_display"), ("Local authority", "local_authority"),
             ("Notified", "notified_on"), ("Failure contributed", "failure_contributed"), ("Status", "get_status_display")],
    named=("lead",), closed=Q(status=m.CaseReview.Status.CLOSED), close=_closed_status(m.CaseReview.Status.CLOSED),
    restricted=True, has_cases=True, has_document=True, filters=("kind", "status"), search=("title",),
    select_related=("lead",),
))
register(Kind(
    slug="recommendations", model=m.ReviewRecommendation, singular="recommendation", plural="Recommendations",
    fields=["text", "owner", "due_on", "status"],
    columns=[("Recommendation", "text"), ("Owner", "owner"), ("Due", "due_on"), ("Status", "get_status_display")],
    parent="review", parent_kind="case-reviews", closed=ACTION_CLOSED, close=_closed_status(m.ActionStatus.DONE),
    close_label="Mark done", due="due_on", home=False,
))
register(Kind(
    slug="review-actions", model=m.FollowUpAction, singular="case review action", plural="Actions",
    fields=ACTION_FIELDS, columns=ACTION_COLUMNS, parent="case_review", parent_kind="case-reviews",
    closed=ACTION_CLOSED, close=_closed_status(m.ActionStatus.DONE, "completed_on"), close_label="Mark done",
    due="due_on", extra_defaults=lambda parent: {"source": m.ActionSource.CASE_REVIEW}, home=False,
))
register(Kind(
    slug="lessons", model=m.Lesson, singular="lesson", plural="Lessons learnt",
    description="What we learnt from reviews, audits, complaints, near misses and other organisations' cases.",
    fields=["lesson", "source", "source_detail", "case_review", "theme", "action", "owner", "recorded_on", "status"],
    columns=[("Lesson", "lesson"), ("Theme", "theme"), ("Source", "get_source_display"), ("Owner", "owner"),
             ("Status", "get_status_display")],
    closed=Q(status=m.Lesson.Status.EMBEDDED), close=_closed_status(m.Lesson.Status.EMBEDDED),
    close_label="Mark done and embedded", filters=("theme", "source", "status"), search=("lesson", "theme"),
    select_related=("owner",),
))
INCIDENT_FIELDS = ["received_on", "summary", "owner", "response_due_on", "responded_on", "outcome", "learning"]
register(Kind(
    slug="near-misses", model=m.NearMiss, singular="near miss", plural="Near misses",
    description="Things that nearly went wrong, and what we learnt.",
    fields=INCIDENT_FIELDS,
    columns=[("Received", "received_on"), ("Summary", "summary"), ("Owner", "owner"),
             ("Response due", "response_due_on"), ("Status", "get_status_display")],
    closed=Q(status="closed"), close=_closed_status("closed", "responded_on"), restricted=True, has_case=True,
    has_document=True, due="response_due_on", filters=("status",), search=("summary",), select_related=("owner",),
))
register(Kind(
    slug="complaints", model=m.Complaint, singular="complaint", plural="Safeguarding complaints",
    description="Complaints about how we handled a safeguarding matter, and our response.",
    fields=["received_on", "complainant_kind", "summary", "owner", "response_due_on", "responded_on", "upheld",
            "outcome", "learning"],
    columns=[("Received", "received_on"), ("From", "get_complainant_kind_display"), ("Summary", "summary"),
             ("Owner", "owner"), ("Response due", "response_due_on"), ("Status", "get_status_display")],
    closed=Q(status="closed"), close=_closed_status("closed", "responded_on"), restricted=True, has_case=True,
    has_document=True, due="response_due_on", filters=("status", "complainant_kind"), search=("summary",),
    select_related=("owner",),
))
register(Kind(
    slug="groups", model=m.Group, singular="group", plural="Groups and meetings",
    description="The Safeguarding Advisory Group or Panel and similar groups: terms of reference, members, "
                "meetings, minutes and actions.",
    fields=["name", "terms_of_reference", "quorum", "frequency_months", "is_active"],
    columns=[("Group", "name"), ("Meets", "get_frequency_months_display"), ("Quorum", "quorum"),
             ("Last met", "last_met")],
    named=("members",), closed=Q(is_active=False), close=lambda obj: {"is_active": False}, close_label="Stand down",
    has_document=True, search=("name",),
))
register(Kind(
    slug="group-members", model=m.GroupMember, singular="member", plural="Members",
    fields=["user", "role"], columns=[("Member", "user"), ("Role", "role")], named=(), parent="group",
    parent_kind="groups", home=False, select_related=("user",),
))
register(Kind(
    slug="meetings", model=m.Meeting, singular="meeting", plural="Meetings",
    fields=["held_on", "status", "agenda", "minutes", "decisions"],
    columns=[("Date", "held_on"), ("Status", "get_status_display")], named=(), parent="group", parent_kind="groups",
    has_document=True, home=False,
))
register(Kind(
    slug="attendance", model=m.Attendance, singular="attendance", plural="Attendance",
    fields=["user", "status"], columns=[("Person", "user"), ("Attendance", "get_status_display")], named=(),
    parent="meeting", parent_kind="meetings", home=False, select_related=("user",),
))
register(Kind(
    slug="meeting-actions", model=m.FollowUpAction, singular="meeting action", plural="Actions",
    fields=ACTION_FIELDS, columns=ACTION_COLUMNS, parent="meeting", parent_kind="meetings", closed=ACTION_CLOSED,
    close=_closed_status(m.ActionStatus.DONE, "completed_on"), close_label="Mark done", due="due_on",
    extra_defaults=lambda parent: {"source": m.ActionSource.MEETING}, home=False,
))
register(Kind(
    slug="audit-actions", model=m.FollowUpAction, singular="follow-up action", plural="Follow-up actions",
    fields=ACTION_FIELDS, columns=ACTION_COLUMNS, parent="audited_case", parent_kind="audited-cases",
    closed=ACTION_CLOSED, close=_closed_status(m.ActionStatus.DONE, "completed_on"), close_label="Mark done",
    due="due_on", extra_defaults=lambda parent: {"source": m.ActionSource.AUDIT}, home=False,
))
register(Kind(
    slug="outcomes", model=m.Outcome, singular="outcome", plural="Work plan",
    description="The safeguarding work plan: outcomes, actions, leads, target dates and progress.",
    fields=["title", "description", "position"], columns=[("Outcome", "title")], named=("actions__leads",),
    printable=True,
    importable=True, search=("title",),
))
register(Kind(
    slug="plan-actions", model=m.PlanAction, singular="work plan action", plural="Actions",
    fields=["title", "leads", "target_on", "status", "completed_on"],
    columns=[("Action", "title"), ("Leads", "leads"), ("Target date", "target_on"),
             ("Status", "get_status_display")],
    named=("leads",), parent="outcome", parent_kind="outcomes", closed=Q(status=m.PlanAction.Status.DONE),
    close=_closed_status(m.PlanAction.Status.DONE, "completed_on"), close_label="Mark done", due="target_on",
    home=False,
))
register(Kind(
    slug="progress", model=m.ProgressNote, singular="progress note", plural="Progress",
    fields=["noted_on", "text"], columns=[("Date", "noted_on"), ("Progress", "text")], named=(),
    parent="action", parent_kind="plan-actions", home=False,
))
register(Kind(
    slug="suppliers", model=m.Supplier, singular="supplier", plural="Suppliers and contractors",
    description="Suppliers and contractors, the safeguarding clause in their contract and their policy.",
    fields=["name", "services", "contract_has_clause", "policy_basis", "confirmed_on", "review_on", "owner",
            "is_active"],
    columns=[("Supplier", "name"), ("Clause in contract", "contract_has_clause"), ("Policy", "get_policy_basis_display"),
             ("Confirmed", "confirmed_on"), ("Next confirmation", "review_on")],
    closed=Q(is_active=False), close=lambda obj: {"is_active": False}, close_label="No longer used",
    has_document=True, due="review_on", filters=("policy_basis",), search=("name",), importable=True,
    select_related=("owner",),
))


def children_of(slug: str) -> list[Kind]:
    return [k for k in KINDS.values() if k.parent_kind == slug]
