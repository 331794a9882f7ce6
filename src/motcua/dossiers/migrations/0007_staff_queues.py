"""The staff work queues: the applicant's name folded for search, and the indexes the queue
pages need (a page of an agency's dossiers in a status, newest first; the deadline queues;
a search by identity number). On PostgreSQL the folded name gets a trigram index so that a
search for part of a name does not read the whole table."""

from django.conf import settings
from django.db import migrations, models

from motcua.core.text import fold

BATCH = 2000


def fold_names(apps, schema_editor):
    """One UPDATE per batch (bulk_update's CASE), not one per row: a province's million
    dossiers took many minutes row by row."""
    Dossier = apps.get_model("dossiers", "Dossier")
    last = 0
    while True:
        rows = list(
            Dossier.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "applicant_name")[:BATCH]
        )
        if not rows:
            return
        changed = [
            Dossier(pk=pk, applicant_name_folded=fold(name)[:150]) for pk, name in rows if name
        ]
        Dossier.objects.bulk_update(changed, ["applicant_name_folded"], batch_size=500)
        last = rows[-1][0]


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_applicant_trgm ON dossiers_dossier "
        "USING gin (applicant_name_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_applicant_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_vietnamese_labels"),
        ("dossiers", "0006_competent_agency"),
        ("workflow", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_folded",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=150,
                verbose_name="họ tên chủ hồ sơ (không dấu)",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["receiving_agency", "status", "-id"], name="dossier_agency_status_id"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["version", "status", "-id"], name="dossier_version_status_id"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["receiving_agency", "status", "due_at"], name="dossier_agency_due"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["version", "status", "due_at"], name="dossier_version_due"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_id_number"], name="dossier_applicant_idno"),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
