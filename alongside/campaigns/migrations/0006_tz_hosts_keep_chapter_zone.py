from django.db import migrations


def hosts_take_chapter_zone(apps, schema_editor):
    """A chapter's events were held on its own clock all along; its host surgery says so."""
    Chapter = apps.get_model("campaigns", "Chapter")
    Surgery = apps.get_model("surgeries", "Surgery")
    for chapter in Chapter.objects.filter(host__isnull=False).only("host_id", "time_zone"):
        Surgery.objects.filter(pk=chapter.host_id).update(time_zone=chapter.time_zone)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_chapter_host"),
        ("surgeries", "0012_tz_time_zone"),
    ]

    operations = [migrations.RunPython(hosts_take_chapter_zone, migrations.RunPython.noop)]
