"""The counts of the staff landing page take the dossiers returned in the last 30 days from
these indexes (agency or procedure version, status, return time) rather than reading every
returned dossier of the agency."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0008_withdrawal_request_index")]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["receiving_agency", "status", "returned_at"], name="dossier_agency_returned"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["version", "status", "returned_at"], name="dossier_version_returned"
            ),
        ),
    ]
