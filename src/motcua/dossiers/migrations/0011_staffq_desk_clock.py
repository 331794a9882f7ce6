# ruff: noqa: S608 (the SQL is built from this file's constants only)
"""The desk clock (``dossiers.desk_clock``): a counter per desk, bumped by triggers.

Triggers rather than calls in ``services``: every write that can change a work list changes
a row of one of three tables (a dossier, a membership, a process step), whatever the code
path (``services.perform``, an admin edit, a management command, a bulk ``update()``), and a
trigger writes the bump in the same transaction with no extra round trip. Drafts never appear
in a work list, so a draft's insert or update bumps nothing (a citizen filling the form costs
nothing); PostgreSQL also skips an update that changed no column.

Keys bumped by a dossier row, old and new values both (a transfer or an assignment leaves one
desk's list and joins another's): its receiving agency, its competent agency, its procedure
version's agency, its assignee. A membership bumps its user; a step bumps ``steps`` (which
steps a role works at is part of every officer's list).
"""

from django.db import migrations, models

CLOCK = "dossiers_deskclock"

# table -> (condition a row must meet to count, or "", key expressions of a row)
WATCHED = {
    "dossiers_dossier": (
        "{r}.status <> 0",
        [
            "'a:' || {r}.receiving_agency_id",
            "'a:' || {r}.competent_agency_id",
            "'a:' || (SELECT v.agency_id FROM catalog_procedureversion v WHERE v.id = {r}.version_id)",
            "'u:' || {r}.assignee_id",
        ],
    ),
    "accounts_staffmembership": ("", ["'u:' || {r}.user_id"]),
    "workflow_step": ("", ["'steps'"]),
}


def _name(table: str) -> str:
    return f"desk_clock_{table}"


def _pg_create(table: str, condition: str, keys: list[str]) -> list[str]:
    def collect(row: str) -> str:
        add = f"keys := keys || ARRAY[{', '.join(k.format(r=row) for k in keys)}];"
        return f"IF {condition.format(r=row)} THEN {add} END IF;" if condition else add

    function = f"""
CREATE OR REPLACE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys text[] := '{{}}';
BEGIN
    IF TG_OP <> 'DELETE' THEN {collect("NEW")} END IF;
    IF TG_OP <> 'INSERT' THEN {collect("OLD")} END IF;
    -- In key order, so that two transactions bumping the same desks take their row locks
    -- in the same order and cannot deadlock on them.
    INSERT INTO {CLOCK} (key, n)
    SELECT DISTINCT k, 1 FROM unnest(keys) AS k WHERE k IS NOT NULL ORDER BY 1
    ON CONFLICT (key) DO UPDATE SET n = {CLOCK}.n + 1;
    RETURN NULL;
END
$$"""
    if not condition:
        return [
            function,
            f"CREATE TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {_name(table)}()",
        ]
    new, old = condition.format(r="NEW"), condition.format(r="OLD")
    when = {
        "INSERT": new,
        "UPDATE": f"({old} OR {new}) AND OLD.* IS DISTINCT FROM NEW.*",
        "DELETE": old,
    }
    return [function] + [
        f"CREATE TRIGGER {_name(table)}_{event.lower()} AFTER {event} ON {table} "
        f"FOR EACH ROW WHEN ({test}) EXECUTE FUNCTION {_name(table)}()"
        for event, test in when.items()
    ]


def _pg_drop(table: str) -> list[str]:
    names = [_name(table)] + [f"{_name(table)}_{e}" for e in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {n} ON {table}" for n in names] + [
        f"DROP FUNCTION IF EXISTS {_name(table)}()"
    ]


def _sqlite_create(table: str, condition: str, keys: list[str]) -> list[str]:
    def selects(row: str) -> list[str]:
        where = f" WHERE {condition.format(r=row)}" if condition else ""
        return [f"SELECT {k.format(r=row)} AS k{where}" for k in keys]

    rows = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}
    statements = []
    for event, names in rows.items():
        union = " UNION ".join(s for row in names for s in selects(row))
        when = " OR ".join(condition.format(r=row) for row in names) if condition else ""
        statements.append(
            f"CREATE TRIGGER {_name(table)}_{event.lower()} AFTER {event} ON {table} "
            f"FOR EACH ROW {f'WHEN {when} ' if when else ''}BEGIN "
            # The WHERE is also what lets SQLite parse ON CONFLICT after a SELECT.
            f"INSERT INTO {CLOCK} (key, n) SELECT k, 1 FROM ({union}) WHERE k IS NOT NULL "
            f"ON CONFLICT (key) DO UPDATE SET n = n + 1; END"
        )
    return statements


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_name(table)}_{e}" for e in ("insert", "update", "delete")]


def _run(schema_editor, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, (condition, keys) in WATCHED.items():
        if vendor == "postgresql":
            _run(schema_editor, _pg_create(table, condition, keys))
        elif vendor == "sqlite":
            _run(schema_editor, _sqlite_create(table, condition, keys))
        else:
            raise NotImplementedError(f"desk clock triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in WATCHED:
        _run(schema_editor, _pg_drop(table) if vendor == "postgresql" else _sqlite_drop(table))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0010_competent_agency_queue_index"),
        ("accounts", "0002_vietnamese_labels_and_login_records"),
        ("catalog", "0007_vietnamese_labels"),
        ("workflow", "0002_transfer_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeskClock",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="khóa"
                    ),
                ),
                ("n", models.BigIntegerField(default=0, verbose_name="số lần thay đổi")),
            ],
            options={
                "verbose_name": "đồng hồ bàn làm việc",
                "verbose_name_plural": "đồng hồ bàn làm việc",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
