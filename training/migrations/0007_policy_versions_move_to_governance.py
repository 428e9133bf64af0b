"""The safeguarding policy staff sign becomes one policy of governance's policies register.

Each organisation's training policy versions are copied into ``governance.PolicyVersion`` under one
``governance.Policy`` ("Safeguarding policy", ``staff_sign_off``), keeping their ids so that every
acknowledgement (and its history) still points at the same version; then training's own table goes."""

import django.db.models.deletion
from django.db import migrations, models


def copy_versions(apps, schema_editor):
    Old = apps.get_model("training", "PolicyVersion")
    OldHistory = apps.get_model("training", "HistoricalPolicyVersion")
    Policy = apps.get_model("governance", "Policy")
    Version = apps.get_model("governance", "PolicyVersion")
    History = apps.get_model("governance", "HistoricalPolicyVersion")
    PolicyHistory = apps.get_model("governance", "HistoricalPolicy")
    policies = {}  # type: ignore[var-annotated]
    for old in Old._base_manager.order_by("organisation_id", "published_at", "pk"):
        policy = policies.get(old.organisation_id)
        if policy is None:
            policy = Policy.objects.create(
                organisation_id=old.organisation_id, title="Safeguarding policy", kind="safeguarding",
                review_on=old.review_on, status="approved", staff_sign_off=True,
                approved_on=old.published_at.date(), effective_on=old.published_at.date(),
                created_at=old.published_at, updated_at=old.published_at, created_by_id=old.published_by_id,
            )
            policies[old.organisation_id] = policy
        # The newest version's review date is the policy's.
        policy.review_on = old.review_on
        Version.objects.create(
            id=old.pk, organisation_id=old.organisation_id, policy=policy, label=old.label, document=old.document.name,
            document_name=old.document_name, review_on=old.review_on, published_on=old.published_at.date(),
            published_at=old.published_at, published_by_id=old.published_by_id,
        )
    for policy in policies.values():
        policy.save(update_fields=["review_on"])
        PolicyHistory.objects.create(
            id=policy.pk, organisation_id=policy.organisation_id, title=policy.title, kind=policy.kind,
            review_on=policy.review_on, status=policy.status, staff_sign_off=True, approved_on=policy.approved_on,
            effective_on=policy.effective_on, approving_body="", notes="", version=0, created_at=policy.created_at,
            updated_at=policy.updated_at, created_by_id=policy.created_by_id, history_date=policy.created_at,
            history_type="+", history_change_reason="Moved from training into the policies register",
        )
    for old in OldHistory.objects.order_by("history_id"):
        policy = policies.get(old.organisation_id)
        if policy is None:
            continue
        History.objects.create(
            id=old.id, organisation_id=old.organisation_id, policy_id=policy.pk, label=old.label,
            document=old.document, document_name=old.document_name, review_on=old.review_on, changes="",
            published_on=old.published_at.date(), published_at=old.published_at, published_by_id=old.published_by_id,
            history_date=old.history_date, history_change_reason=old.history_change_reason,
            history_type=old.history_type, history_user_id=old.history_user_id,
        )
    if policies:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('governance_policyversion', 'id'), "
                           "(SELECT MAX(id) FROM governance_policyversion))")


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0001_governance_records"),
        ("training", "0006_background_jobs_replace_import_and_export"),
    ]

    operations = [
        migrations.RunPython(copy_versions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalpolicyacknowledgement",
            name="version",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="governance.policyversion"),
        ),
        migrations.AlterField(
            model_name="policyacknowledgement",
            name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="acknowledgements",
                                    to="governance.policyversion"),
        ),
        migrations.DeleteModel(name="HistoricalPolicyVersion"),
        migrations.DeleteModel(name="PolicyVersion"),
    ]
