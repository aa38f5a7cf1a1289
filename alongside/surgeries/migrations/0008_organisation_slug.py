# Organisations get a slug, the address of their own space; existing rows are given one.

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("surgeries", "Organisation")
    taken: set[str] = set()
    for organisation in Organisation.objects.order_by("pk").only("pk", "name"):
        base = slugify(organisation.name)[:70] or "group"
        if base.isdigit():
            base = f"group-{base}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Organisation.objects.filter(pk=organisation.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("surgeries", "0007_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(blank=True, max_length=80, null=True, unique=True),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
