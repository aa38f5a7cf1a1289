# The once-only claims and the unsubscribes belong with the rest of email, in the outbox app.
# The tables are renamed, not copied: every row stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_privacy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SentEmail"),
                migrations.DeleteModel(name="Unsubscribe"),
            ],
            database_operations=[
                migrations.AlterModelTable(name="SentEmail", table="outbox_sentemail"),
                migrations.AlterModelTable(name="Unsubscribe", table="outbox_unsubscribe"),
            ],
        ),
    ]
