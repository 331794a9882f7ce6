"""Back-office scenarios (issue 9): an officer's work queue and dossier through the staff API,
and the accept transition, on the million seeded dossiers.

What they need beyond the citizens' seed is added here, incrementally, so a database seeded
before the back office existed keeps its million rows:

- ``STAFF`` one-stop officers (role ``receiver``), one for each of the receiving agencies
  with the most dossiers, recorded in ``bench_accounts`` with role ``staff`` so that every run
  re-issues their API tokens like the citizens' (a bearer token is what an officer's app
  holds once past the login and its second factor; the bench issues it directly);
- for ``accept``, a pool of status-1 (submitted, waiting for the desk) dossiers received by
  those agencies, cloned from seeded rows with ids past the seeded million, just before the
  scenario runs (``reset``). Each run starts by deleting such rows (``remove_leftovers``),
  and ``reset`` does so again, so the in-process measurement and the probe, which accept some
  of them, do not leave the load any dossier it cannot accept.
"""

from __future__ import annotations

import json
import random

from bench import dossiers, pg
from bench.load import Request

STAFF = 6
STAFF_EMAIL = "can-bo-mot-cua-{n}@bench.motcua.vn"
# Codes of the accept pool: a day after the seeded window and before any real submission.
POOL_DAY = "261115"
# wrk's two threads each take half the list; warm-up and measured run a quarter each (see
# bench/load.py), so the pool holds four times what one run can accept.
POOL = 16_000
DETAIL_DOSSIERS = 2_000


def staff_accounts() -> list[tuple[dossiers.Account, int]]:
    """(account, agency id) of the bench officers, created on first use."""
    rows = pg.query(
        pg.BENCH_DB,
        f"SELECT a.role, a.user_id, a.secret, m.agency_id FROM {dossiers.ACCOUNTS_TABLE} a "
        "JOIN accounts_staffmembership m ON m.user_id = a.user_id AND m.role = 'receiver' "
        "WHERE a.role = 'staff' ORDER BY a.user_id",
    )
    if not rows:
        _create_staff()
        dossiers.issue_tokens()
        return staff_accounts()
    return [
        (dossiers.Account(role, user_id, secret), agency) for role, user_id, secret, agency in rows
    ]


def _create_staff() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from motcua.accounts.models import Role, StaffMembership, User

    busiest = pg.query(
        pg.BENCH_DB,
        "SELECT receiving_agency_id FROM dossiers_dossier WHERE mod(id, 50) = 0 "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT %s",
        [STAFF],
    )
    password = make_password(None)
    with transaction.atomic(), pg.connect() as conn, conn.cursor() as cur:
        for n, (agency_id,) in enumerate(busiest, 1):
            user, _ = User.objects.get_or_create(
                email=STAFF_EMAIL.format(n=n),
                defaults={
                    "full_name": f"Cán bộ Một cửa {n}",
                    "kind": User.Kind.STAFF,
                    "is_staff": True,
                    "is_active": True,
                    "password": password,
                },
            )
            StaffMembership.objects.get_or_create(
                user=user, agency_id=agency_id, role=Role.RECEIVER
            )
            cur.execute(
                f"INSERT INTO {dossiers.ACCOUNTS_TABLE} (role, user_id, secret) VALUES (%s, %s, %s)",
                ["staff", user.pk, dossiers._secret(user.pk)],
            )
        conn.commit()


def _seeded() -> int:
    from bench.seed import MARKER_TABLE

    rows = pg.query(pg.BENCH_DB, f"SELECT dossiers FROM {MARKER_TABLE} LIMIT 1")
    return rows[0][0]


def _headers(account: dossiers.Account) -> dict[str, str]:
    return {"Authorization": account.authorization}


def queue_requests() -> list[Request]:
    """Each officer's queue: mostly page 1, now and then a status filter or a later page."""
    requests = []
    for n, (account, _) in enumerate(staff_accounts()):
        auth = _headers(account)
        for query in ("", "", "", "?status=1", f"?page={2 + n % 4}", "?status=9"):
            requests.append(Request(f"/api/v1/staff/dossiers{query}", headers=auth))
    return requests


def detail_requests(count: int = DETAIL_DOSSIERS) -> list[Request]:
    """Dossiers of each officer's agency drawn from the million, every status."""
    staff = staff_accounts()
    requests = []
    per = count // len(staff)
    for account, agency in staff:
        rows = pg.query(
            pg.BENCH_DB,
            "SELECT code FROM dossiers_dossier WHERE receiving_agency_id = %s AND id <= %s "
            "AND mod(id, 97) = %s ORDER BY id DESC LIMIT %s",
            [agency, _seeded(), agency % 97, per],
        )
        auth = _headers(account)
        requests += [Request(f"/api/v1/staff/dossiers/{code}", headers=auth) for (code,) in rows]
    random.Random(9).shuffle(requests)
    return requests


def _pool_codes() -> list[tuple[str, dossiers.Account]]:
    staff = staff_accounts()
    agencies = dict(
        pg.query(
            pg.BENCH_DB,
            "SELECT id, code FROM catalog_agency WHERE id = ANY(%s)",
            [[agency for _, agency in staff]],
        )
    )
    per = POOL // len(staff)
    return [
        (f"{agencies[agency]}-{POOL_DAY}-{n:05d}", account)
        for n in range(1, per + 1)
        for account, agency in staff
    ]


def reset_pool() -> None:
    """Delete what earlier runs and this run's measurement added, then clone ``POOL``
    submitted dossiers (status 1) for the officers' agencies from seeded ones, newest ids."""
    seeded = _seeded()
    dossiers.remove_leftovers(seeded)
    staff = staff_accounts()
    per = POOL // len(staff)
    with pg.connect() as conn, conn.cursor() as cur:
        columns = [
            row[0]
            for row in cur.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'dossiers_dossier' AND column_name <> 'id' "
                "ORDER BY ordinal_position"
            ).fetchall()
        ]
        override = {
            "public_id": "gen_random_uuid()",
            "code": f"a.code || '-{POOL_DAY}-' || lpad(t.n::text, 5, '0')",
            "status": "1",
            "sub_state": "''",
            "created_at": "now() - interval '2 hours'",
            "updated_at": "now() - interval '1 hour'",
            "submitted_at": "now() - interval '1 hour'",
            "lock_version": "0",
        }
        nulls = {
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "process_id",
            "current_step_id",
            "competent_agency_id",
            "assignee_id",
            "step_started_at",
            "step_due_at",
            "original_due_at",
            "paused_at",
        }
        select = ", ".join(override.get(c, "NULL" if c in nulls else f"t.{c}") for c in columns)
        for _, agency in staff:
            cur.execute(
                f"INSERT INTO dossiers_dossier ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {select} FROM (SELECT d.*, row_number() OVER (ORDER BY d.id DESC) AS n "
                "FROM dossiers_dossier d WHERE d.receiving_agency_id = %s AND d.id <= %s "
                "ORDER BY d.id DESC LIMIT %s) t JOIN catalog_agency a ON a.id = %s",
                [agency, seeded, per, agency],
            )
            # Those codes are never issued by the application either.
            cur.execute(
                "INSERT INTO dossiers_codecounter (agency_code, day, last) "
                "SELECT code, %s, %s FROM catalog_agency WHERE id = %s "
                "ON CONFLICT (agency_code, day) DO UPDATE SET last = GREATEST("
                "dossiers_codecounter.last, EXCLUDED.last)",
                ["2026-11-15", per, agency],
            )
        # The planner should know the new waiting rows (a second on the million).
        cur.execute("ANALYZE dossiers_dossier")
        conn.commit()


def accept_requests() -> list[Request]:
    body = json.dumps({"action": "accept"}).encode()
    return [
        Request(
            f"/api/v1/staff/dossiers/{code}/actions",
            method="POST",
            headers={**_headers(account), "Content-Type": "application/json"},
            body=body,
        )
        for code, account in _pool_codes()
    ]


# --- the HTML pages: a browser's session, past the login and its second factor ------------


def staff_cookies() -> list[tuple[dossiers.Account, int, dict[str, str]]]:
    """(account, agency, headers) with a fresh session cookie for each bench officer: logged
    in, with a confirmed TOTP device and the session marked verified by it, as the login
    page and its second step leave it (so the pages' second-factor check is passed, not
    skipped)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.accounts.models import User

    staff = staff_accounts()
    users = User.objects.in_bulk([account.user_id for account, _ in staff])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    found = []
    for account, agency in staff:
        user = users[account.user_id]
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
        found.append((account, agency, cookie))
    return found


def queue_page_requests() -> list[Request]:
    """Each officer's work queue page, as the browser asks for it after login."""
    return [Request("/can-bo/ho-so/", headers=cookie) for _, _, cookie in staff_cookies()]


def dossier_page_requests() -> list[Request]:
    """The dossier page for the same dossiers as ``detail_requests``, with each officer's
    session instead of the bearer token."""
    cookies = {account.authorization: cookie for account, _, cookie in staff_cookies()}
    return [
        Request(
            f"/can-bo/ho-so/{r.path.rsplit('/', 1)[1]}/",
            headers=cookies[r.headers["Authorization"]],
        )
        for r in detail_requests()
    ]
