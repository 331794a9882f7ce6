"""On PostgreSQL, index the folded search column for substring and typo-tolerant search.

``search_text`` already holds text folded by ``core.text.fold`` (no marks, đ→d), so the
index needs no ``unaccent`` wrapper. Other databases skip this migration's SQL.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS version_search_trgm ON catalog_procedureversion "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS agency_name_trgm ON catalog_agency USING gin (name_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS version_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS agency_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
