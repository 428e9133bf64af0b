from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0002_invitation_emailed_at")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="app_title",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
