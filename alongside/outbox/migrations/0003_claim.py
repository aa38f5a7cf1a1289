# SentEmail claimed a day's daily jobs as well as emails: it is a once-only claim, so named.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_sentemail_unsubscribe"),
    ]

    operations = [
        migrations.RenameModel(old_name="SentEmail", new_name="Claim"),
        migrations.RenameField(model_name="claim", old_name="sent_at", new_name="claimed_at"),
    ]
