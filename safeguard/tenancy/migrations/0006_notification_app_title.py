from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0005_organisation_immediate_risk_action_working_days")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="app_title",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
