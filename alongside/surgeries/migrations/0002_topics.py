from django.db import migrations

from alongside.surgeries.topics import ensure_topics


def add_topics(apps, schema_editor):
    ensure_topics(apps.get_model("surgeries", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("surgeries", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
