"""Celery tasks of background jobs: do one job; the sweep (beat, every minute)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="safeguard.background.tasks.run_background_job", ignore_result=True)
def run_background_job(job_id: int) -> str:
    from safeguard.tenancy import rls

    from .models import BackgroundJob
    from .runner import run_job

    with rls.org_scope(rls.org_of(BackgroundJob, job_id)):  # one organisation's job
        return run_job(job_id).status


@shared_task(name="safeguard.background.tasks.sweep_background_jobs", ignore_result=True)
def sweep_background_jobs() -> dict[str, int]:
    from safeguard.tenancy import rls

    from .runner import sweep_jobs

    with rls.dangerously_all_orgs():  # every organisation's stalled jobs
        return sweep_jobs()
