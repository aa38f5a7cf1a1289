from django.db import migrations

# The shared list people pick from when they book, offer to help, or record help.
TOPICS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("x-twitter", "X/Twitter"),
    ("website", "Website or blog"),
    ("newsletters", "Email newsletters"),
    ("fundraising", "Online fundraising"),
    ("photos-video", "Photos and video"),
    ("safety", "Online safety and privacy"),
    ("google-microsoft", "Google or Microsoft tools"),
    ("whatsapp", "WhatsApp and community groups"),
    ("other", "Something else"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("surgeries", "Topic")
    for position, (slug, name) in enumerate(TOPICS):
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("surgeries", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
