from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job
from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role
from training import actions
from training.models import Course, JobRole, Person, PolicyVersion

from . import EVERYONE, UrlCase

VIEW_ALL = frozenset({Role.HR_LD, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN})
MANAGE = frozenset({Role.HR_LD})
SETTINGS = frozenset({Role.HR_LD, Role.ORG_ADMIN})
FIGURES = VIEW_ALL | {Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR}


# Each prepare may run several times on one database (the every-page axe test): all are idempotent.
def _volunteer(w):
    existing = Person.objects.for_org(w.org).filter(reference="V9").first()
    return existing or actions.do_save_person(w.org, {"full_name": "Val Unteer", "reference": "V9"},
                                              acting_user=None)[0]


def _person(w):
    return {"pk": _volunteer(w).pk}


def _record(w):
    course = Course.objects.for_org(w.org).filter(name="Safeguarding").first() or actions.do_save_course(
        w.org, name="Safeguarding", levels=1, acting_user=None)
    record, _ = actions.do_record_training(_volunteer(w), course=course, level=1, completed_on=date(2025, 1, 2),
                                           evidence=SimpleUploadedFile("c.pdf", b"%PDF-1.4"), acting_user=None)
    return {"pk": record.pk}


def _dbs(w):
    check, _ = actions.do_record_dbs(_volunteer(w), level="enhanced", certificate_number="001234567890",
                                     issued_on=date(2025, 1, 2), update_service=False, acting_user=None)
    return {"pk": check.pk}


def _policy(w):
    for member in Membership.objects.for_org(w.org).filter(training_person__isnull=True).select_related("user"):
        actions.do_save_person(w.org, {"full_name": member.user.full_name, "email": member.user.email},
                               acting_user=None)
    version = PolicyVersion.objects.for_org(w.org).filter(label="v1").first() or actions.do_publish_policy(
        w.org, label="v1", document=ContentFile(b"%PDF-1.4", name="p.pdf"), review_on=date(2030, 1, 1),
        acting_user=None)
    return {"pk": version.pk}


def _job_role(w):
    role, _ = JobRole.all_orgs.get_or_create(organisation=w.org, name="Officer")
    return {"pk": role.pk}


def _import(w):
    job = create_job(org=w.org, kind="training.import", requested_by=w.members[Role.HR_LD], step="check",
                     params={"kind": "people"}, upload=ContentFile(b"full_name\nAnn\n", name="p.csv"))
    BackgroundJob.all_orgs.filter(pk=job.pk).update(status=BackgroundJob.Status.DONE, total=1)
    return {"pk": job.pk}


def _export(w, status: str = "done"):
    job = create_job(org=w.org, kind="training.export", requested_by=w.members[Role.HR_LD], params={"format": "csv"})
    job.file.save("m.csv", ContentFile(b"Name\nAnn\n"), save=False)
    job.status, job.result = status, {"rows": 1}
    job.save()
    return {"pk": job.pk}


CASES = [
    UrlCase("training:matrix", allowed=VIEW_ALL),
    UrlCase("training:matrix-export", allowed=VIEW_ALL),
    # Only the member who asked for an export sees it; for anyone else it does not exist.
    UrlCase("training:export-download", prepare=_export, object_of_org=True, denied=404,
            allowed_for=lambda w, role: role == Role.HR_LD),
    UrlCase("training:mine"),
    UrlCase("training:figures", allowed=FIGURES),
    UrlCase("training:person-add", allowed=MANAGE),
    UrlCase("training:person", allowed=VIEW_ALL, prepare=_person, object_of_org=True, denied=404),
    UrlCase("training:person-edit", allowed=MANAGE, prepare=_person, object_of_org=True),
    UrlCase("training:dbs-add", allowed=MANAGE, prepare=_person, object_of_org=True),
    UrlCase("training:training-add", allowed=MANAGE, prepare=_person, object_of_org=True),
    UrlCase("training:evidence", allowed=VIEW_ALL, prepare=_record, object_of_org=True, denied=404),
    UrlCase("training:dbs-edit", allowed=MANAGE, prepare=_dbs, object_of_org=True),
    UrlCase("training:dbs-error", allowed=MANAGE, prepare=_dbs, object_of_org=True),
    UrlCase("training:training-edit", allowed=MANAGE, prepare=_record, object_of_org=True),
    UrlCase("training:training-error", allowed=MANAGE, prepare=_record, object_of_org=True),
    UrlCase("training:policy"),
    UrlCase("training:policy-publish", allowed=frozenset({Role.HR_LD, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN})),
    UrlCase("training:policy-document", prepare=_policy, object_of_org=True),
    UrlCase("training:policy-sign", allowed=EVERYONE, method="post", prepare=_policy, object_of_org=True),
    UrlCase("training:settings", allowed=SETTINGS),
    UrlCase("training:course-add", allowed=SETTINGS, method="post", data=lambda w, kw: {"name": "Prevent", "levels": 1}),
    UrlCase("training:job-role-add", allowed=SETTINGS),
    UrlCase("training:job-role-edit", allowed=SETTINGS, prepare=_job_role, object_of_org=True),
    UrlCase("training:import", allowed=MANAGE),
    UrlCase("training:import-template", allowed=MANAGE, prepare=lambda w: {"kind": "people"}),
    UrlCase("training:import-confirm", allowed=MANAGE, method="post", prepare=_import, object_of_org=True),
]
