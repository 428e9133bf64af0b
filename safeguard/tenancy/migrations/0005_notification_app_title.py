from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0004_merge_20261201_0856")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="app_title",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
