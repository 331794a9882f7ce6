"""The desk clock also follows consultations (T6): a partner agency's officers see a dossier
in their work list while their agency is consulted on it, so asking, answering or removing a
consultation changes that agency's list even when the dossier's own row names other desks.
The triggers are those of migration 0011, on one more table."""

import importlib

from django.db import migrations

clock = importlib.import_module("motcua.dossiers.migrations.0011_staffq_desk_clock")

TABLE = "dossiers_consultation"
KEYS = ["'a:' || {r}.agency_id"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        clock._run(schema_editor, clock._pg_create(TABLE, "", KEYS))
    elif vendor == "sqlite":
        clock._run(schema_editor, clock._sqlite_create(TABLE, "", KEYS))
    else:
        raise NotImplementedError(f"desk clock triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    drop = clock._pg_drop if vendor == "postgresql" else clock._sqlite_drop
    clock._run(schema_editor, drop(TABLE))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_consult_consultations")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
