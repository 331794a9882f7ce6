import django.db.models.deletion
from django.db import migrations, models


def fill_cards(apps, schema_editor):
    """Cards for the dossiers submitted before cards existed, rendered by the same function
    the service uses, through this migration's historical models."""
    from motcua.dossiers import tracking

    tracking.rebuild(
        apps.get_model("dossiers", "Dossier"),
        apps.get_model("dossiers", "DossierEvent"),
        apps.get_model("dossiers", "TrackingCard"),
        replace=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrackingCard",
            fields=[
                ("code", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("id_number", models.CharField(max_length=20)),
                ("body", models.TextField()),
                (
                    "dossier",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tracking_card",
                        to="dossiers.dossier",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill_cards, migrations.RunPython.noop),
    ]
