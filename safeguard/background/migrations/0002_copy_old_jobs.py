"""Copy training's ImportJob and ExportJob and registers' RegisterExport rows into BackgroundJob
(their files stay where they are); the old tables are then dropped by those apps' next migrations."""

from django.db import migrations

STATUS = {"checking": "running", "checked": "done", "importing": "running", "waiting": "queued",
          "queued": "queued", "running": "running", "done": "done", "failed": "failed"}


def copy(apps, schema_editor):
    Job = apps.get_model("background", "BackgroundJob")
    Membership = apps.get_model("tenancy", "Membership")
    rows = []
    for old in apps.get_model("training", "ImportJob")._base_manager.all():
        rows.append(Job(
            organisation_id=old.organisation_id, kind="training.import",
            step="import" if old.status in {"importing", "done"} else "check", status=STATUS[old.status],
            progress=old.processed_rows, total=old.total_rows, message=old.failure, requested_by_id=old.created_by_id,
            params={"kind": old.kind, "skip_bad_rows": old.skip_bad_rows}, upload=old.file.name, file_name=old.file_name,
            result={"problems": old.problems, "bad_rows": old.bad_rows, "created": old.created, "updated": old.updated,
                    "unchanged": old.unchanged, "skipped": old.skipped},
            attempts=1, heartbeat_at=old.finished_at or old.created_at, queued_at=old.created_at,
            created_at=old.created_at, started_at=old.created_at, finished_at=old.finished_at))
    for old in apps.get_model("training", "ExportJob")._base_manager.all():
        user_id = Membership._base_manager.filter(pk=old.membership_id).values_list("user_id", flat=True).first()
        rows.append(Job(
            organisation_id=old.organisation_id, kind="training.export", status=STATUS[old.status],
            progress=old.processed, total=old.total, requested_by_id=user_id,
            params={"format": old.format, "filters": old.params}, file=old.file.name, result={"rows": old.rows},
            heartbeat_at=old.finished_at or old.created_at, queued_at=old.created_at, created_at=old.created_at,
            finished_at=old.finished_at))
    for old in apps.get_model("registers", "RegisterExport")._base_manager.select_related("register__area"):
        rows.append(Job(
            organisation_id=old.organisation_id, kind="registers.export", status=STATUS[old.status],
            progress=old.progress, total=100, message=old.error, requested_by_id=old.requested_by_id,
            params={"register_id": old.register_id, "register_name": f"{old.register.area.name} register",
                    "format": old.format}, file=old.file.name,
            heartbeat_at=old.finished_at or old.created_at, queued_at=old.created_at, created_at=old.created_at,
            finished_at=old.finished_at))
    Job._base_manager.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0001_background_job"),
        ("training", "0005_entered_in_error"),
        ("registers", "0004_entryperson_version"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
