import django.utils.timezone
from django.db import migrations, models


def create_the_row(apps, schema_editor):
    # One row, always there: ETags date the record by it (resolutions.provenance).
    apps.get_model("resolutions", "RecordVersion").objects.get_or_create(
        pk=1, defaults={"changed_at": django.utils.timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0003_subject_history_and_dgacm_resolutions"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
