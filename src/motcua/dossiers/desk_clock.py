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


def memberships_and_stamp(user_id: int) -> tuple[list[tuple[str, int]], str, int]:
    """The officer's (role, agency id) memberships, the stamp of those agencies and the
    officer (as ``stamp`` gives it), and the ``steps`` counter, in one statement: what a
    work-list request needs before its cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.role, m.agency_id, c.n FROM accounts_staffmembership m "
            "LEFT JOIN dossiers_deskclock c ON c.key = 'a:' || m.agency_id "
            "WHERE m.user_id = %s "
            "UNION ALL SELECT c.key, NULL, c.n FROM dossiers_deskclock c WHERE c.key IN (%s, %s)",
            [user_id, f"u:{user_id}", STEPS],
        )
        rows = cursor.fetchall()
    memberships = [(role, agency) for role, agency, _ in rows if agency is not None]
    # One agency in several roles is one desk: count its counter once, as ``stamp`` does.
    agencies = {agency: n or 0 for _, agency, n in rows if agency is not None}
    others = {key: n for key, agency, n in rows if agency is None}
    total = sum(agencies.values()) + sum(others.values())
    return memberships, str(total), others.get(STEPS, 0)
