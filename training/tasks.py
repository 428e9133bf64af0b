"""Celery tasks of the training app: large spreadsheet imports."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="training.tasks.process_import", ignore_result=True)
def process_import(job_id: int, phase: str) -> None:
    """Check (phase "check") or write (phase "run") an import; the progress page polls the job."""
    from safeguard.tenancy import rls

    from .imports import check_import, run_import
    from .models import ImportJob

    with rls.org_scope(rls.org_of(ImportJob, job_id)):
        (check_import if phase == "check" else run_import)(job_id)


@shared_task(name="training.tasks.process_export", ignore_result=True)
def process_export(job_id: int) -> None:
    """Build a large matrix export; its page refreshes until the file is ready."""
    from safeguard.tenancy import rls

    from .exports import run_export
    from .models import ExportJob

    with rls.org_scope(rls.org_of(ExportJob, job_id)):
        run_export(job_id)
