from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0006_rls_roles")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="app_title",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
