"""A Vietnamese sort key beside every name a citizen picks from (``core.text.sort_key``),
so lists come in dictionary order on SQLite and PostgreSQL alike."""

from django.db import migrations, models

from motcua.core.text import sort_key


def fill_sort_keys(apps, schema_editor):
    for model_name in ("AdministrativeUnit", "Agency", "Field", "ProcedureVersion"):
        model = apps.get_model("catalog", model_name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.name_sort = sort_key(row.name)
        model.objects.bulk_update(rows, ["name_sort"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_trigram_search"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="field",
            options={
                "ordering": ["name_sort"],
                "verbose_name": "lĩnh vực",
                "verbose_name_plural": "lĩnh vực",
            },
        ),
        migrations.RemoveIndex(
            model_name="administrativeunit",
            name="adminunit_parent_name",
        ),
        migrations.AddField(
            model_name="administrativeunit",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="agency",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="field",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="procedureversion",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=500),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="administrativeunit",
            index=models.Index(fields=["parent", "name_sort"], name="adminunit_parent_sort"),
        ),
        migrations.AddIndex(
            model_name="agency",
            index=models.Index(fields=["parent", "name_sort"], name="agency_parent_sort"),
        ),
        migrations.AddIndex(
            model_name="procedureversion",
            index=models.Index(fields=["name_sort"], name="version_name_sort"),
        ),
    ]
