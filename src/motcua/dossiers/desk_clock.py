"""The desk clock: a number per desk that changes whenever what an officer's work list can
show changes, read in one small statement instead of an aggregate over the list's rows.

A desk is an agency (``a:<id>``: dossiers it receives, decides, or whose procedure version
it owns), an officer (``u:<id>``: dossiers assigned to them, their memberships) and the
process steps (``steps``: which steps a role works at). Database triggers (migration 0011)
bump the counters in the transaction of the write, so the value is the same for every
server process and a cache keyed on it is never stale, whichever process kept the page.

Counters only grow and are never deleted, so for a fixed set of keys their sum changes
whenever one of them does; a key with no row reads as 0 (rows loaded with triggers off).
Read the stamp BEFORE what it guards: a write committed in between then leaves newer data
under the older stamp (one wasted cache entry), never older data under the newer one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from motcua.core.db import fetch_text_row

STEPS = "steps"


def keys(user_id: int, agency_ids: Iterable[int]) -> list[str]:
    return [f"u:{user_id}", STEPS, *(f"a:{a}" for a in sorted(set(agency_ids)))]


def stamp(user_id: int, agency_ids: Iterable[int]) -> str:
    """Changes whenever a dossier those agencies or that officer could see in a work list
    changes, when the officer's memberships change, and when process steps change."""
    wanted = keys(user_id, agency_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n), 0) FROM dossiers_deskclock "  # noqa: S608 (placeholders)
            f"WHERE key IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        (total,) = cursor.fetchone()
    return str(total)


# One row of text (``core.db.fetch_text_row``: a prepared statement on PostgreSQL, planned
# once per connection; planning the join anew took longer than running it): the officer's
# memberships as "role agency,role agency", the stamp as ``stamp`` sums it (each agency
# once), and the ``steps`` counter.
_SCOPE_SQL = (
    "SELECT (SELECT {agg}(m.role || ' ' || m.agency_id, ',') FROM accounts_staffmembership m "
    "WHERE m.user_id = CAST(%s AS bigint)), "
    "(SELECT CAST(COALESCE(SUM(c.n), 0) AS text) FROM dossiers_deskclock c "
    "WHERE c.key = %s OR c.key = 'steps' OR c.key IN (SELECT 'a:' || m.agency_id "
    "FROM accounts_staffmembership m WHERE m.user_id = CAST(%s AS bigint))), "
    "(SELECT CAST(c.n AS text) FROM dossiers_deskclock c WHERE c.key = 'steps')"
)
_SCOPE_SQL_BY_VENDOR = {
    "postgresql": _SCOPE_SQL.format(agg="string_agg"),
    "sqlite": _SCOPE_SQL.format(agg="group_concat"),
}


def memberships_and_stamp(user_id: int) -> tuple[list[tuple[str, int]], str, int]:
    """The officer's (role, agency id) memberships, the stamp of those agencies and the
    officer (as ``stamp`` gives it), and the ``steps`` counter, in one statement: what a
    work-list request needs before its cache."""
    uid = str(user_id)
    found, total, steps = fetch_text_row(
        _SCOPE_SQL_BY_VENDOR[connection.vendor], [uid, f"u:{uid}", uid]
    )
    memberships = []
    for pair in found.split(",") if found else []:
        role, agency = pair.split(" ")
        memberships.append((role, int(agency)))
    return memberships, str(total), int(steps or 0)
