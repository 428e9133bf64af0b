"""Celery tasks of background jobs: do one job; the sweep (beat, every minute)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="safeguard.background.tasks.run_background_job", ignore_result=True)
def run_background_job(job_id: int) -> str:
    from .runner import run_job

    return run_job(job_id).status


@shared_task(name="safeguard.background.tasks.sweep_background_jobs", ignore_result=True)
def sweep_background_jobs() -> dict[str, int]:
    from .runner import sweep_jobs

    return sweep_jobs()
