"""One background-job mechanism: every kind fails the same way, with a way to try again; a job
whose worker died, or that the broker never took, is finished (restarted once, then failed) in
bounded time."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registers.models import Register
from safeguard.background import runner
from safeguard.background.kinds import KINDS
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job, enqueue_job, run_job, sweep_jobs
from safeguard.background.tasks import run_background_job
from safeguard.tenancy.roles import Role
from tests.factories import World

Status = BackgroundJob.Status


def _job(world: World, kind: str) -> tuple[BackgroundJob, Client]:
    if kind == "training.import":
        who = world.members[Role.HR_LD]
        job = create_job(org=world.org, kind=kind, requested_by=who, step="check", params={"kind": "people"},
                         upload=ContentFile(b"full_name\nAnn Archer\n", name="people.csv"))
    elif kind == "training.export":
        who = world.members[Role.HR_LD]
        job = create_job(org=world.org, kind=kind, requested_by=who, params={"format": "csv", "filters": {}})
    else:
        who = world.members[Role.SAFEGUARDING_MANAGER]
        register = Register.objects.for_org(world.org).get(area=world.area)
        job = create_job(org=world.org, kind=kind, requested_by=who,
                         params={"register_id": register.pk, "register_name": str(register), "format": "xlsx"})
    client = Client()
    client.force_login(who)
    return job, client


def _page(client: Client, job: BackgroundJob) -> str:
    response = client.get(reverse("background:job", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", ["training.import", "training.export", "registers.export"])
def test_it_shows_a_failed_job_of_every_kind_as_failed_with_a_try_again_button(
        world: World, kind: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    def boom(job: BackgroundJob, progress: Any) -> None:
        progress(5, 10)
        raise RuntimeError("disk full")

    real = KINDS[kind]
    monkeypatch.setitem(KINDS, kind, dataclasses.replace(real, run=boom))
    job, client = _job(world, kind)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message == real.failure_message  # plain words, not the exception
    page = _page(client, job)
    assert "This failed" in page and real.failure_message in page and "disk full" not in page
    assert "data-sg-refresh" not in page and "Try again" in page  # it stops polling

    monkeypatch.setitem(KINDS, kind, real)
    sent: list[Any] = []
    monkeypatch.setattr(run_background_job, "apply_async", lambda args, **kw: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("background:retry", args=[job.pk]))
    assert response["Location"] == reverse("background:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Status.QUEUED and sent == [(job.pk,)] and "data-sg-refresh" in _page(client, job)
    assert run_job(job.pk).status == Status.DONE


def test_it_keeps_a_job_queued_when_the_broker_is_down_and_the_sweep_sends_it(
        world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    job, _ = _job(world, "training.export")

    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(run_background_job, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_job(job)  # the request does not fail
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    sent: list[Any] = []
    monkeypatch.setattr(run_background_job, "apply_async", lambda args, **kw: sent.append(args))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert sweep_jobs()["resent"] == 1
    assert sent == [(job.pk,)]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        sweep_jobs()
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message == runner.NOT_STARTED_MESSAGE  # never waits for ever


def test_it_restarts_once_then_fails_a_job_whose_worker_died(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(run_background_job, "apply_async", lambda args, **kw: sent.append(args))
    job, client = _job(world, "training.import")
    start = timezone.now()

    def worker_dies(job: BackgroundJob, progress: Any) -> None:
        raise SystemExit  # what a killed worker looks like from here: nothing more is written

    monkeypatch.setitem(KINDS, job.kind, dataclasses.replace(KINDS[job.kind], run=worker_dies))
    with pytest.raises(SystemExit):
        run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Status.RUNNING
    with time_machine.travel(start + runner.STALLED_AFTER - timedelta(seconds=30)):
        assert sweep_jobs()["restarted"] == 0  # still within its heartbeat
    with time_machine.travel(start + runner.STALLED_AFTER + timedelta(seconds=30)):
        assert sweep_jobs()["restarted"] == 1
        job.refresh_from_db()
        assert job.status == Status.QUEUED and sent == [(job.pk,)]
        with pytest.raises(SystemExit):
            run_job(job.pk)  # it dies a second time
    with time_machine.travel(start + 2 * runner.STALLED_AFTER + timedelta(minutes=1)):
        page = _page(client, job)  # looking at the page applies the sweep's rule at once
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.message == runner.STALLED_MESSAGE
    assert "stopped part way" in page and "data-sg-refresh" not in page and "Try again" in page
