"""The one progress page of every background job, and its "Try again" button."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from safeguard.tenancy.access import OrgRequest, member_required

from .kinds import get_kind
from .models import BackgroundJob
from .runner import check_stalled, retry_job


def access_job(request: OrgRequest, pk: int) -> BackgroundJob:
    """A job of the member's organisation that its kind lets them see; 404 for anything else."""
    jobs = BackgroundJob.objects.for_org(request.org)
    job = get_object_or_404(jobs, pk=pk)
    try:
        kind = get_kind(job.kind)
    except KeyError:
        raise Http404 from None
    return get_object_or_404(kind.visible(request, jobs.filter(pk=pk)).select_related("requested_by"))


@member_required
def job_page(request: OrgRequest, pk: int) -> HttpResponse:
    job = check_stalled(access_job(request, pk))
    kind = get_kind(job.kind)
    back_url, back_label = kind.back(job)
    return render(request, "background/job.html", {
        "job": job, "kind": kind, "title": kind.title(job), "back_url": back_url, "back_label": back_label,
        "label": kind.step_labels.get(job.step) if job.status == job.Status.RUNNING else job.get_status_display(),
        **kind.context(request, job),
    })


@require_POST
@member_required
def job_retry(request: OrgRequest, pk: int) -> HttpResponse:
    job = access_job(request, pk)
    if not retry_job(job):
        messages.info(request, "This has already been started again.")
    return redirect("background:job", pk=job.pk)
