# The change log belongs to the core, so anything can say "this surgery changed" without
# importing impact (surgeries/changelog.py). The table is renamed, not copied.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0003_snapshot_counted_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Change")],
            database_operations=[
                migrations.AlterModelTable(name="Change", table="surgeries_change"),
            ],
        ),
    ]
