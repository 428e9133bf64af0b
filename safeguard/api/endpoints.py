"""The REST API (django-ninja): OpenAPI 3 at /api/v1/openapi.json, documentation at /api/v1/docs.

Every call is authenticated by an organisation's API token (``Authorization: Bearer sgk_...``),
checked for its scope, rate-limited per token and audited (``api.called``). The token acts as
its service account: each endpoint calls the same forms, actions and policy the browser does.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum, StrEnum
from typing import Any, cast

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from cases.models import Case, CasePerson, CaseStatus, ConcernType, PersonType, Source
from safeguard.tenancy import audit, rls
from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.models import Membership

from .models import ApiToken, Scope, WebhookSubscription
from .tokens import dangerously_find_token, rate_limited

IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d2a52-1c7e-4e55-9a8b-3c0d7b1e2f10")


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = dangerously_find_token(token)
        if found is None:
            return None
        rls.use_org(found.organisation_id)
        wait = rate_limited(found)
        if wait:
            raise RateLimited(wait)
        ApiToken.objects.for_org(found.organisation_id).filter(pk=found.pk).update(last_used_at=timezone.now())
        request.api_token = found  # type: ignore[attr-defined]
        signed = cast("OrgRequest", request)  # from here on the request is the service account's
        signed.org = found.organisation
        signed.membership = found.service_account
        audit.record(org=found.organisation, actor=found.service_account.user, action="api.called", obj=found,
                     method=request.method, path=request.path[:200])
        return found


class RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        self.wait = wait


api = NinjaAPI(title="Safeguard API", version="1.0.0", urls_namespace="api-v1", auth=TokenAuth(), docs_url=None,
               description="Per-organisation API for housing and HR systems. Authenticate with "
                           "`Authorization: Bearer <token>`; tokens are made by the organisation administrator "
                           "under Organisation settings, API tokens.")


class Error(Schema):
    detail: Any


ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 422: Error, 429: Error}


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> Any:
    response = api.create_response(request, {"detail": "Too many calls: wait and try again"}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> Any:
    response = api.create_response(request, {"detail": "A valid API token is needed (expired or revoked tokens "
                                                       "do not work)"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def need(request: HttpRequest, scope: str) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise HttpError(403, f"This token does not have the {scope} scope")
    return token


def member(request: HttpRequest) -> Membership:
    """The token's service account (``TokenAuth`` set it on the request)."""
    return cast("OrgRequest", request).membership


# --- concerns -------------------------------------------------------------------------------------

ConcernTypeEnum = Enum("ConcernTypeEnum", {c.name: c.value for c in ConcernType}, type=str)  # type: ignore[misc]
SourceEnum = Enum("SourceEnum", {c.name: c.value for c in Source}, type=str)  # type: ignore[misc]
PersonTypeEnum = Enum("PersonTypeEnum", {c.name: c.value for c in PersonType}, type=str)  # type: ignore[misc]


class PersonIn(Schema):
    full_name: str = Field(max_length=200)
    person_type: PersonTypeEnum = PersonTypeEnum("adult")
    date_of_birth: date | None = None
    age: int | None = Field(None, ge=0, le=120)
    address: str = Field("", max_length=500)
    tenancy_reference: str = Field("", max_length=60)


class ConcernIn(Schema):
    immediate_risk: bool
    concern_type: ConcernTypeEnum
    area_id: int = Field(ge=1, le=2**62)
    department_id: int = Field(ge=1, le=2**62)
    source: SourceEnum
    happened_on: date
    what_happened: str = Field(min_length=1, max_length=20000)
    people: list[PersonIn] = Field(min_length=1, max_length=12)
    category_ids: list[int] = Field(default_factory=list, max_length=50)
    vulnerability_ids: list[int] = Field(default_factory=list, max_length=50)
    is_colleague_allegation: bool = False


class ConcernOut(Schema):
    id: int
    reference: str
    status: str
    reported_at: str
    held_by_officer: bool


def _concern_out(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "reference": case.reference, "status": case.status,
            "reported_at": case.reported_at.isoformat(), "held_by_officer": case.allocated_to_id is not None}


def _form_data(body: ConcernIn, token: uuid.UUID) -> QueryDict:
    """The concern as the browser form posts it, so the form's own validation applies."""
    qd = QueryDict(mutable=True)
    qd.update({"token": str(token), "immediate_risk": "yes" if body.immediate_risk else "no",
               "concern_type": body.concern_type.value, "area": str(body.area_id),
               "department": str(body.department_id), "source": body.source.value,
               "happened_on": body.happened_on.isoformat(), "what_happened": body.what_happened,
               "people-TOTAL_FORMS": str(len(body.people)), "people-INITIAL_FORMS": "0"})
    if body.is_colleague_allegation:
        qd["is_colleague_allegation"] = "on"
    qd.setlist("categories", [str(i) for i in body.category_ids])
    qd.setlist("vulnerabilities", [str(i) for i in body.vulnerability_ids])
    for i, p in enumerate(body.people):
        qd.update({f"people-{i}-full_name": p.full_name, f"people-{i}-person_type": p.person_type.value,
                   f"people-{i}-date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else "",
                   f"people-{i}-age": "" if p.age is None else str(p.age), f"people-{i}-address": p.address,
                   f"people-{i}-tenancy_reference": p.tenancy_reference})
    return qd


def _errors(*forms: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prefix, form in forms:
        for name, errors in form.errors.items():
            key = f"{prefix}{name}" if name != "__all__" else (prefix.rstrip(".") or "concern")
            found.setdefault(key, []).extend(str(e) for e in errors)
    return found


@api.post("/concerns", response={200: ConcernOut, 201: ConcernOut, 404: Error, **ERRORS}, tags=["concerns"],
          summary="Report a concern", openapi_extra={"x-scopes": ["concerns:write"]})
def report_concern(request: HttpRequest, body: ConcernIn) -> Any:
    """Record a concern reported in the calling system; the reporter is the token's service account.

    The concern form's validation and duplicate protection apply. Send an `Idempotency-Key` header
    (any string up to 200 characters) so a retried POST records one concern: the retry answers 200 with
    the first concern. Errors answer 422 with `detail` mapping each field to its messages."""
    from cases import actions
    from cases.forms import ConcernForm, PeopleFormSet, concern_data
    from cases.views.report import already_sent

    token = need(request, Scope.CONCERNS_WRITE)
    org, user = token.organisation, token.service_account.user
    key = request.headers.get("Idempotency-Key", "")[:200]
    submission = uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{token.pk}:{key}") if key else uuid.uuid4()
    data = _form_data(body, submission)
    form, people = ConcernForm(data, org=org), PeopleFormSet(data, prefix="people")
    if not (form.is_valid() and people.is_valid()):
        detail = _errors(("", form), *((f"people.{i}.", f) for i, f in enumerate(people.forms)))
        if people.non_form_errors():
            detail.setdefault("people", []).extend(str(e) for e in people.non_form_errors())
        return 422, {"detail": detail}
    earlier = already_sent(org, user, form.cleaned_data, people)
    if earlier is not None:
        return 200, _concern_out(earlier)
    from django.core.exceptions import ValidationError

    try:
        case = actions.do_report_concern(org, concern_data(form, people), acting_user=user, token=submission)
    except ValidationError as exc:
        return 422, {"detail": {"concern": exc.messages}}
    audit.record(org=org, actor=user, action="api.concern_reported", obj=case, token=token.prefix)
    return 201, _concern_out(case)


@api.get("/concerns/{concern_id}", response={200: ConcernOut, 404: Error, **ERRORS}, tags=["concerns"],
         summary="A concern this token reported", openapi_extra={"x-scopes": ["concerns:write"]})
def get_concern(request: HttpRequest, concern_id: int) -> Any:
    """What the reporter may know of a concern the token's service account reported (as the browser's
    "Concern received" page): its reference, status and whether a case officer holds it. Any other id is 404."""
    token = need(request, Scope.CONCERNS_WRITE)
    if not 0 < concern_id < 2**62:
        return 404, {"detail": "Not found"}
    case = Case.objects.for_org(token.organisation).filter(reported_by=token.service_account.user,
                                                           pk=concern_id).first()
    if case is None:
        return 404, {"detail": "Not found"}
    return 200, _concern_out(case)


# --- case lookups ---------------------------------------------------------------------------------


class LookupIn(Schema):
    tenancy_reference: str = Field("", max_length=60)
    full_name: str = Field("", max_length=200)
    date_of_birth: date | None = None


class LookupMatch(Schema):
    case_exists: bool
    restricted: bool
    reference: str | None = None
    status: str | None = None


class LookupOut(Schema):
    open_cases: list[LookupMatch]


@api.post("/cases/lookup", response={200: LookupOut, **ERRORS}, tags=["cases"],
          summary="Does a tenancy or a person match open cases?", openapi_extra={"x-scopes": ["cases:lookup"]})
def lookup(request: HttpRequest, body: LookupIn) -> Any:
    """The same person match the case page shows (`cases.referrals.matching.other_cases`): a tenancy
    reference (case, spaces and punctuation ignored) or a full name with a date of birth. Cases the
    service account may see come with their reference and status; others say only that a case exists;
    allegations against a colleague it may not see are left out. Terms are POSTed, never in the URL."""
    from cases.policy.roles import may_open_case_list
    from cases.referrals.matching import other_cases

    token = need(request, Scope.CASES_LOOKUP)
    membership = member(request)
    if not may_open_case_list(membership):
        raise HttpError(403, "The token's service account has no role that sees cases")
    if not body.tenancy_reference.strip() and not (body.full_name.strip() and body.date_of_birth):
        return 422, {"detail": {"lookup": ["Give a tenancy reference, or a full name and a date of birth"]}}
    probe = CasePerson(organisation=token.organisation, full_name=body.full_name, date_of_birth=body.date_of_birth,
                       tenancy_reference=body.tenancy_reference)
    found = other_cases(Case(organisation=token.organisation), [probe], membership)
    matches = []
    for other in found:
        if other.case.status == CaseStatus.CLOSED:
            continue
        matches.append({"case_exists": True, "restricted": not other.visible,
                        "reference": other.case.reference if other.visible else None,
                        "status": other.case.status if other.visible else None})
    audit.record(org=token.organisation, actor=membership.user, action="api.cases_looked_up", obj=token,
                 matches=len(matches))
    return 200, {"open_cases": matches}


# --- board figures --------------------------------------------------------------------------------


class RatingOut(Schema):
    area: str
    rating: str
    facts: list[str]


class RegisterRow(Schema):
    label: str
    families: str
    children: str
    adults: str


class BoardOut(Schema):
    month: str
    ratings: list[RatingOut]
    registers_by_area: list[RegisterRow]
    registers_by_risk: list[RegisterRow]
    register_totals: RegisterRow | None


def _row(r: dict[str, Any]) -> dict[str, str]:
    return {"label": str(r.get("label", "")), **{c: str(r.get(c, "")) for c in ("families", "children", "adults")}}


@api.get("/board/summary", response={200: BoardOut, **ERRORS}, tags=["board"],
         summary="Register counts and the RAG rating", openapi_extra={"x-scopes": ["board:read"]})
def board_summary(request: HttpRequest) -> Any:
    """The board dashboard's figures (`governance.dashboard.page.build`): the live RAG rating of the
    organisation and each area with its facts, and families, children and adults on the registers by
    area and by level of risk. Aggregate only; figures under 5 read "fewer than 5" (the suppression
    rules of every board figure). The service account needs a board dashboard role."""
    from governance.dashboard import page
    from governance.dashboard.views import VIEWERS
    from safeguard.tenancy.models import Area

    token = need(request, Scope.BOARD_READ)
    membership = member(request)
    if not membership.has_role(*VIEWERS):
        raise HttpError(403, "The token's service account has no role that sees the board dashboard")
    org, today = token.organisation, timezone.localdate()
    area_ids = page.allowed_area_ids(membership)
    areas = dict(Area.objects.for_org(org).filter(is_active=True).order_by("name").values_list("pk", "name"))
    allowed = areas if area_ids is None else {a: n for a, n in areas.items() if a in area_ids}
    data = page.build(org, filters=page.parse_filters({}, allowed, today), area_ids=area_ids, today=today,
                      areas=areas)
    regs = data["registers"]
    audit.record(org=org, actor=membership.user, action="api.board_read", obj=token)
    return 200, {
        "month": f"{today:%Y-%m}",
        "ratings": [{"area": r.name, "rating": r.rating, "facts": [f.text for f in r.facts]} for r in data["ratings"]],
        "registers_by_area": [_row(r) for r in regs["areas"]["rows"]],
        "registers_by_risk": [_row(r) for r in regs["risks"]["rows"]],
        "register_totals": _row(regs["areas"]["total"]) if regs["areas"]["total"] else None,
    }


# --- webhooks -------------------------------------------------------------------------------------


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: str


@api.get("/webhooks", response={200: list[SubscriptionOut], **ERRORS}, tags=["webhooks"],
         summary="The organisation's webhook subscriptions", openapi_extra={"x-scopes": ["webhooks:read"]})
def webhook_subscriptions(request: HttpRequest) -> Any:
    """Subscriptions are added and removed by the organisation administrator (Organisation settings,
    Webhook subscriptions), where the signing secret is shown once; it is never returned here."""
    token = need(request, Scope.WEBHOOKS_READ)
    subs = WebhookSubscription.objects.for_org(token.organisation).filter(removed_at__isnull=True)
    return 200, [{"id": s.pk, "url": s.url, "events": s.events, "created_at": s.created_at.isoformat()} for s in subs]


# --- imports --------------------------------------------------------------------------------------


class ImportKindEnum(StrEnum):
    people = "people"
    dbs = "dbs"
    training = "training"


class ImportIn(Schema):
    rows: list[dict[str, str | int | float | bool | None]] = Field(min_length=1, max_length=2000)
    dry_run: bool = True
    skip_bad_rows: bool = False


class ImportProblem(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    dry_run: bool
    imported: bool
    rows: int
    bad_rows: int
    problems: list[ImportProblem]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def _csv(kind: str, rows: list[dict[str, Any]]) -> bytes:
    """The rows as the file import reads them (the import's own columns; unknown keys are dropped)."""
    import csv
    import io

    from safeguard.background.imports import norm
    from training.imports import COLUMNS

    columns = COLUMNS[kind]
    out = io.StringIO()
    # Not a file anyone downloads: the import's input, read back by the same reader as an upload.
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        values = {norm(k): "" if v is None else ("yes" if v is True else "no" if v is False else str(v))
                  for k, v in row.items()}
        writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue().encode()


@api.post("/imports/{kind}", response={200: ImportOut, 422: ImportOut | Error, **{k: v for k, v in ERRORS.items()
                                                                                 if k != 422}},
          tags=["imports"], summary="Import people, DBS checks or training records",
          openapi_extra={"x-scopes": ["people:import"]})
def import_rows(request: HttpRequest, kind: ImportKindEnum, body: ImportIn) -> Any:
    """The spreadsheet import of Training (`training.import`, the same checks and matching), with rows
    as JSON objects keyed by the template's columns (up to 2,000 a call). `dry_run` (the default) answers
    the preview: every problem by row (rows are numbered from 2, as in a spreadsheet) and column, changing
    nothing. Without it the good rows are written in one transaction; if a row is bad nothing is written
    (422) unless `skip_bad_rows`. A re-import duplicates nothing. Needs the Learning and Development / HR role."""
    from django.core.files.base import ContentFile

    from safeguard.background.models import BackgroundJob
    from safeguard.background.runner import create_job, restart_step, run_now
    from training.access import MANAGE
    from training.background_jobs import IMPORT

    token = need(request, Scope.PEOPLE_IMPORT)
    membership = member(request)
    if not membership.has_role(*MANAGE):
        raise HttpError(403, "The token's service account does not manage training records")
    user = membership.user
    job = create_job(org=token.organisation, kind=IMPORT, requested_by=user, step="check",
                     params={"kind": kind.value, "source": "api"},
                     upload=ContentFile(_csv(kind.value, body.rows), name=f"api-{kind.value}.csv"))
    job = run_now(job)
    audit.record(org=token.organisation, actor=user, action="api.import", obj=job, kind=kind.value,
                 rows=len(body.rows), dry_run=body.dry_run)
    if job.status == BackgroundJob.Status.FAILED:
        return 422, {"detail": job.message or "The rows could not be read"}
    result = job.result or {}
    preview = {"rows": len(body.rows), "bad_rows": result.get("bad_rows", 0),
               "problems": result.get("problems", [])[:500]}
    if body.dry_run:
        return 200, {"dry_run": True, "imported": False, **preview}
    if preview["bad_rows"] and not body.skip_bad_rows:
        return 422, {"dry_run": False, "imported": False, **preview}
    restart_step(job, "import", params={**job.params, "skip_bad_rows": body.skip_bad_rows})
    job = run_now(job)
    if job.status == BackgroundJob.Status.FAILED:
        return 422, {"detail": job.message or "Nothing was imported"}
    counts = {k: job.result.get(k, 0) for k in ("created", "updated", "unchanged", "skipped")}
    return 200, {"dry_run": False, "imported": True, **preview, **counts}
