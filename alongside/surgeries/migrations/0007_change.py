# Change, moved here from impact (impact 0004 renamed its table), and its index renamed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surgeries", "0006_session_surgery_date_idx"),
        ("impact", "0004_change_log_moves_to_surgeries"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Change",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("surgery_id", models.BigIntegerField()),
                    ],
                    options={
                        "indexes": [
                            models.Index(fields=["surgery_id", "id"], name="impact_change_surgery")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RenameIndex(
            model_name="change", new_name="change_surgery_idx", old_name="impact_change_surgery"
        ),
    ]
