"""The registry of kinds of background job: what each does and how its page shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from safeguard.tenancy.access import OrgRequest

    from .models import BackgroundJob
    from .runner import Progress


def own_jobs(request: OrgRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    """The default: a person sees only the jobs they asked for."""
    return jobs.filter(requested_by=request.user)


@dataclass(frozen=True)
class JobKind:
    """One kind of long work.

    ``run(job, progress)`` does the work in the worker: it calls ``progress(done, total)`` every few
    hundred rows (that is also the heartbeat), stores what it made on ``job`` (``job.file``,
    ``job.result``; saved by the runner) and raises ``JobFailed("plain words")`` for a failure the
    person can act on. Any other exception fails the job with ``failure_message``.
    """

    name: str
    run: Callable[[BackgroundJob, Progress], None]
    title: Callable[[BackgroundJob], str]
    result_template: str  # included on the page when the job is done
    back: Callable[[BackgroundJob], tuple[str, str]]  # (url, label) of the page it belongs to
    visible: Callable[[OrgRequest, QuerySet[BackgroundJob]], QuerySet[BackgroundJob]] = own_jobs
    context: Callable[[OrgRequest, BackgroundJob], dict[str, Any]] = field(default=lambda r, j: {})
    step_labels: dict[str, str] = field(default_factory=dict)  # what "in progress" means at each step
    unit: str = "rows"
    failure_message: str = "Something went wrong, so the work was not finished. Please try again."


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind:
    if name not in KINDS:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("background_jobs")
    return KINDS[name]
