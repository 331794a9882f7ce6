"""Seed (or reuse) the ``motcua_bench`` database: a province-sized catalogue, population and
a million stored dossiers (``bench/dossiers.py``).

``python -m bench.seed [--fresh]`` runs this step alone. The data is deterministic (fixed random
seed), so two machines benchmark the same rows. A marker table records what was seeded; a
database whose marker and row counts agree with what is asked for is reused as it is, anything
else is dropped and seeded again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from bench import dossiers as bench_dossiers
from bench import pg, vocab

# Bump when the generated data changes shape, so old bench databases are re-seeded.
# 2: dossiers, bench accounts, one to three pool components (so some procedures ask for two).
SEED_VERSION = 3  # 3: public tracking cards
MARKER_TABLE = "bench_seed"
VALID_FROM = dt.date(2025, 7, 1)
OLD_VALID_FROM = dt.date(2023, 3, 1)
OLD_VALID_TO = dt.date(2025, 6, 30)
CITIZEN_PASSWORD = "MatKhau2026"
DEFAULT_PROCEDURES = 2000
DEFAULT_CITIZENS = 100_000
DEFAULT_DOSSIERS = bench_dossiers.DEFAULT_DOSSIERS


@dataclass
class SeedInfo:
    procedures: int
    versions: int
    citizens: int
    dossiers: int
    reused: bool
    seconds: float
    # The dossiers' share of ``seconds`` (COPY, index builds), and what this run's start
    # removed of earlier runs' submissions.
    dossier_seconds: float = 0.0
    leftovers_removed: int = 0


def django_environment(data_dir: str) -> dict[str, str]:
    """Settings for both the seeding process and the server under test. Demo mode and DEBUG
    off whatever the caller's shell says: DEBUG records every query and would skew timings."""
    return {
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": pg.database_url(),
        "MOTCUA_DATA_DIR": data_dir,
        "MOTCUA_MODE": "demo",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_LOG_LEVEL": "WARNING",
        # As in production behind its reverse proxy: per-address throttles (public tracking)
        # key on the X-Forwarded-For address the proxy appends, so the load generator can
        # stand for many citizens instead of one address hitting the limit in two seconds.
        "MOTCUA_BEHIND_PROXY": "1",
    }


def configure_django(data_dir: str) -> None:
    os.environ.update(django_environment(data_dir))
    import django

    django.setup()


def _marker_matches(procedures: int, citizens: int, dossiers: int) -> tuple[float, float] | None:
    """(seconds the matching seed took, of which dossiers), or None when the database must be
    seeded again."""
    if not pg.database_exists():
        return None
    marker = pg.query(
        pg.BENCH_DB,
        f"SELECT seed_version, procedures, citizens, dossiers, seconds, dossier_seconds "
        f"FROM {MARKER_TABLE}",
    )
    if not marker or tuple(marker[0][:4]) != (SEED_VERSION, procedures, citizens, dossiers):
        return None
    # Dossiers past the seeded ids are earlier runs' submissions, removed before measuring.
    counts = pg.query(
        pg.BENCH_DB,
        "SELECT (SELECT count(*) FROM catalog_procedure), "
        "(SELECT count(*) FROM accounts_user WHERE kind = 'citizen'), "
        "(SELECT count(*) FROM dossiers_dossier WHERE id <= %s)",
        [dossiers],
    )
    if not counts or tuple(counts[0]) != (procedures, citizens, dossiers):
        return None
    return float(marker[0][4]), float(marker[0][5])


def prepare(
    *,
    procedures: int,
    citizens: int,
    dossiers: int = DEFAULT_DOSSIERS,
    fresh: bool,
    data_dir: str,
    log=print,
) -> SeedInfo:
    """Make ``motcua_bench`` hold the asked-for data and leave Django configured against it,
    with the bench accounts' API tokens freshly issued."""
    previous = None if fresh else _marker_matches(procedures, citizens, dossiers)
    if previous is None:
        log(f"database {pg.BENCH_DB}: (re)creating" + (" (--fresh)" if fresh else ""))
        pg.drop_database()
        pg.create_database()
    configure_django(data_dir)
    from django.core.management import call_command

    # Always: a reused database still gets migrations other people added since it was seeded.
    call_command("migrate", verbosity=0, interactive=False)
    from motcua.catalog.models import ProcedureVersion

    if previous is not None:
        log(
            f"database {pg.BENCH_DB}: reusing the seeded data (seeding took {previous[0]:.0f} s; "
            "--fresh re-seeds)"
        )
        removed = bench_dossiers.remove_leftovers(dossiers)
        if removed:
            log(f"  removed {removed} dossiers submitted by earlier runs")
        bench_dossiers.issue_tokens()
        return SeedInfo(
            procedures,
            ProcedureVersion.objects.count(),
            citizens,
            dossiers,
            True,
            previous[0],
            previous[1],
            removed,
        )

    started = time.perf_counter()
    rng = random.Random(20250701)
    t = time.perf_counter()
    versions = seed_catalogue(procedures, rng)
    log(
        f"  catalogue: {procedures} procedures, {versions} versions in {time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    seed_citizens(citizens, rng)
    log(f"  citizens: {citizens} in {time.perf_counter() - t:.1f} s")
    log(f"  dossiers: {dossiers:,} with PostgreSQL COPY …", flush=True)
    loaded = bench_dossiers.seed_dossiers(dossiers, log=log)
    log(
        f"  dossiers: {loaded.dossiers:,}, {loaded.events:,} history events, "
        f"{loaded.counters:,} code counters in {loaded.seconds:.1f} s (COPY and index builds)"
    )
    t = time.perf_counter()
    _analyze()
    log(f"  VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    seconds = time.perf_counter() - started
    _write_marker(procedures, citizens, dossiers, seconds, loaded.seconds)
    bench_dossiers.issue_tokens()
    log(f"seeding took {seconds:.1f} s")
    return SeedInfo(procedures, versions, citizens, dossiers, False, seconds, loaded.seconds)


def _procedure_names(count: int, rng: random.Random) -> list[tuple[str, str, str, bool]]:
    """(code, name, field code, decided by communes) for ``count`` procedures, named ones first."""
    named_names = {name for _, name, _, _ in vocab.NAMED}
    combos = []
    for field_code, (_, _, commune_share, _, objects) in vocab.FIELDS.items():
        for verbs, obj, qualifiers in objects:
            for verb in vocab.VERBS[verbs] if isinstance(verbs, str) else verbs:
                for qualifier in qualifiers:
                    name = " ".join(part for part in (verb, obj, qualifier) if part)
                    if name not in named_names:
                        combos.append((name, field_code, rng.random() < commune_share))
    rng.shuffle(combos)
    wanted = count - len(vocab.NAMED)
    # A catalogue larger than the vocabulary repeats procedures for organisations and for
    # individuals, as real catalogues do.
    base = list(combos)
    for suffix in (
        " cho tổ chức",
        " cho cá nhân",
        " trên môi trường điện tử",
        " theo thủ tục rút gọn",
    ):
        if len(combos) >= wanted:
            break
        combos += [(name + suffix, f, c) for name, f, c in base]
    taken_codes = {code for code, _, _, _ in vocab.NAMED}
    result = [(code, name, field, communal) for code, name, field, communal in vocab.NAMED][:count]
    for name, field_code, communal in combos[: max(0, wanted)]:
        while True:
            code = f"{2 if communal else 1}.{rng.randrange(1, 13000):06d}"
            if code not in taken_codes:
                break
        taken_codes.add(code)
        result.append((code, name, field_code, communal))
    return result


def _weighted(rng: random.Random, pairs, k: int) -> list:
    values = [v for v, _ in pairs]
    return rng.choices(values, cum_weights=list(accumulate(w for _, w in pairs)), k=k)


def seed_catalogue(count: int, rng: random.Random) -> int:
    from django.db import transaction

    from motcua.catalog.models import Agency, Component, FeeItem, Field, Procedure, ProcedureVersion
    from motcua.core.text import fold

    with transaction.atomic():
        agencies: dict[str, Agency] = {}
        for code, name, short, kind, parent in vocab.AGENCIES:
            agencies[code] = Agency(
                code=code,
                name=name,
                short_name=short,
                kind=kind,
                parent=agencies.get(parent),
                valid_from=VALID_FROM,
            )
            agencies[code].save()
        communes = []
        for n, place in enumerate(vocab.COMMUNES, start=1):
            agency = Agency(
                code=f"H48.50.{n:02d}",
                name=f"Ủy ban nhân dân {place}",
                short_name=f"UBND {place}",
                kind=Agency.Kind.COMMUNE_COMMITTEE,
                parent=agencies[vocab.COMMUNE_GROUP],
                valid_from=VALID_FROM,
            )
            agency.save()
            communes.append(agency)
        fields = {}
        for code, (name, *_rest) in vocab.FIELDS.items():
            fields[code] = Field(code=code, name=name)
            fields[code].save()

        specs = _procedure_names(count, rng)
        procedures = Procedure.objects.bulk_create(
            [Procedure(code=code) for code, *_ in specs], batch_size=1000
        )
        versions, extras = [], []
        levels = _weighted(
            rng, [("toan_trinh", 45), ("mot_phan", 40), ("truc_tiep", 15)], len(specs)
        )
        for (_code, name, field_code, communal), procedure, level in zip(
            specs, procedures, levels, strict=True
        ):
            _, agency_code, _, competence, _ = vocab.FIELDS[field_code]
            agency = agencies[agency_code]
            if communal:
                competence = "xa"
                # Most commune procedures are decided by every commune (hung on the level group);
                # a few belong to one commune only.
                agency = (
                    rng.choice(communes) if rng.random() < 0.1 else agencies[vocab.COMMUNE_GROUP]
                )
            elif competence == "tinh" and rng.random() < 0.05:
                agency = agencies[vocab.PROVINCE]
            periods = [(VALID_FROM, None)]
            if rng.random() < 0.15:
                periods.append((OLD_VALID_FROM, OLD_VALID_TO))
            for valid_from, valid_to in periods:
                version = _version(
                    rng,
                    procedure,
                    name,
                    agency,
                    fields[field_code],
                    competence,
                    level,
                    valid_from,
                    valid_to,
                    fold,
                )
                versions.append(version)
                extras.append(_components_and_fees(rng, name))
                version.fee_total = sum(fee.amount for fee in extras[-1][1])
        ProcedureVersion.objects.bulk_create(versions, batch_size=500)
        components, fees = [], []
        for version, (version_components, version_fees) in zip(versions, extras, strict=True):
            for item in version_components + version_fees:
                item.version = version
            components += version_components
            fees += version_fees
        Component.objects.bulk_create(components, batch_size=2000)
        FeeItem.objects.bulk_create(fees, batch_size=2000)
    return len(versions)


def _version(rng, procedure, name, agency, field, competence, level, valid_from, valid_to, fold):
    from motcua.catalog.models import ProcedureVersion
    from motcua.core.text import sort_key as _sort_key

    unit, value = rng.choice(
        [("working_days", rng.choice([1, 2, 3, 5, 7, 10, 12, 15, 20, 30, 45]))] * 17
        + [("days", rng.choice([15, 30, 60]))] * 2
        + [("hours", rng.choice([4, 8]))]
    )
    delivery = ["counter", "post"] + (["online"] if level != "truc_tiep" else [])
    legal = [
        dict(zip(("number", "title", "date"), law, strict=True))
        for law in rng.sample(vocab.LEGAL, rng.randint(1, 3))
    ]
    version = ProcedureVersion(
        procedure=procedure,
        valid_from=valid_from,
        valid_to=valid_to,
        name=name,
        agency=agency,
        field=field,
        competence_level=competence,
        level=level,
        time_limit_value=Decimal(value),
        time_limit_unit=unit,
        time_limit_online=Decimal(max(1, value - 1))
        if level == "toan_trinh" and rng.random() < 0.3
        else None,
        applicants=rng.choice(vocab.APPLICANTS),
        sequence=(
            "Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định.\n"
            "Bước 2: Nộp hồ sơ tại Bộ phận Một cửa hoặc trực tuyến trên Cổng dịch vụ công.\n"
            "Bước 3: Cơ quan có thẩm quyền thẩm định hồ sơ và giải quyết.\n"
            "Bước 4: Trả kết quả theo hình thức người nộp đã chọn."
        ),
        methods="Trực tiếp; qua dịch vụ bưu chính công ích; trực tuyến.",
        requirements=rng.choice(
            ["Không", "Đáp ứng đầy đủ điều kiện theo quy định của pháp luật chuyên ngành."]
        ),
        result_name=f"Văn bản giải quyết: {name[0].lower()}{name[1:]}",
        legal_basis=legal,
        delivery_methods=delivery,
        postal_allowed=True,
        publication_decision=f"Quyết định số {rng.randint(100, 1999)}/QĐ-UBND",
        publication_date=valid_from - dt.timedelta(days=rng.randint(5, 40)),
    )
    # Exactly what ProcedureVersion.refresh_search_text computes, without its per-row query.
    version.search_text = fold(f"{procedure.code} {name}")
    version.name_sort = _sort_key(name)
    return version


def _components_and_fees(rng, name):
    from motcua.catalog.models import Component, FeeItem

    first, template = rng.choice(vocab.COMPONENT_FIRST)
    components = [
        Component(
            position=0,
            name=first,
            required=True,
            allowed_types=["pdf", "docx"],
            template_name=template,
            copy_type="ban_chinh",
        )
    ]
    # One to three: many real procedures ask for two documents (a form and one proof).
    picked = rng.sample(vocab.COMPONENT_POOL, rng.randint(1, 3))
    if rng.random() < 0.6:
        picked.append(rng.choice(vocab.COMPONENT_OPTIONAL))
    for position, (component, types, copy_type) in enumerate(picked[:4], start=1):
        optional = component in {c for c, _, _ in vocab.COMPONENT_OPTIONAL}
        components.append(
            Component(
                position=position,
                name=component,
                required=not optional,
                multiple=optional or rng.random() < 0.2,
                allowed_types=types,
                copy_type=copy_type,
                copies=0 if copy_type == "ban_chinh" else 1,
                max_size=rng.choice([5, 10, 20]) * 1024 * 1024,
            )
        )
    fees = []
    for position in range(_weighted(rng, [(0, 30), (1, 50), (2, 20)], 1)[0]):
        kind, fee_name, amounts = rng.choice(vocab.FEES)
        fees.append(
            FeeItem(
                position=position,
                kind=kind,
                name=fee_name,
                amount=rng.choice(amounts),
                unit="hồ sơ",
                legal_basis="Nghị quyết số 23/2025/NQ-HĐND",
            )
        )
    return components, fees


def seed_citizens(count: int, rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password

    from motcua.accounts.models import User
    from motcua.core.text import fold

    # Argon2 is slow by design: hash once, every citizen gets the same (valid) hash.
    password = make_password(CITIZEN_PASSWORD)
    surnames = _weighted(rng, vocab.SURNAMES, count)
    provinces = _weighted(rng, vocab.ID_PROVINCES, count)
    serials: dict[str, int] = {}
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2025, 11, 1, tzinfo=dt.UTC) - start).total_seconds())
    users = []
    for i in range(count):
        female = rng.random() < 0.5
        middle = rng.choice(vocab.MIDDLE_FEMALE if female else vocab.MIDDLE_MALE)
        given = rng.choice(vocab.GIVEN_FEMALE if female else vocab.GIVEN_MALE)
        surname = surnames[i]
        born = int(rng.triangular(1945, 2007, 1988))
        century_digit = (0 if born < 2000 else 2) + (1 if female else 0)
        prefix = f"{provinces[i]}{century_digit}{born % 100:02d}"
        # A running serial per prefix keeps numbers unique, as the confirmed-id constraint wants.
        serials[prefix] = serials.get(prefix, rng.randrange(0, 400_000)) + rng.randint(1, 40)
        joined = start + dt.timedelta(seconds=rng.randrange(span))
        users.append(
            User(
                email=f"{fold(given)}.{fold(surname)}.{i}@{rng.choice(vocab.EMAIL_DOMAINS)}",
                full_name=f"{surname} {middle} {given}",
                kind=User.Kind.CITIZEN,
                phone=f"{rng.choice(vocab.MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}",
                id_number=f"{prefix}{serials[prefix]:06d}",
                address=f"Số {rng.randint(1, 350)}, đường {rng.choice(vocab.STREETS)}, "
                f"{rng.choice(vocab.COMMUNES)}, tỉnh Quảng Ngãi",
                password=password,
                date_joined=joined,
                email_confirmed_at=joined + dt.timedelta(minutes=rng.randint(1, 2880)),
                is_active=True,
            )
        )
    _copy(User, users)


def _copy(model, objects) -> None:
    """COPY rows into ``model``'s table: an order of magnitude faster than bulk_create for
    100k rows. Values go through each field's own get_db_prep_save, as an INSERT would."""
    from django.db import connection, transaction
    from django.db.models import AutoField, BigAutoField

    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)]
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(statement) as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # VACUUM also sets the visibility map, so index-only scans behave as on a settled database.
        cursor.execute("VACUUM (ANALYZE)")


def _write_marker(
    procedures: int, citizens: int, dossiers: int, seconds: float, dossier_seconds: float
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (seed_version integer, procedures integer, "
            "citizens integer, dossiers integer, seconds double precision, "
            "dossier_seconds double precision, seeded_at timestamptz DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (seed_version, procedures, citizens, dossiers, seconds, "
            "dossier_seconds) VALUES (%s, %s, %s, %s, %s, %s)",
            [SEED_VERSION, procedures, citizens, dossiers, seconds, dossier_seconds],
        )


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(
        prog="python -m bench.seed", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed the bench database")
    parser.add_argument("--procedures", type=int, default=DEFAULT_PROCEDURES)
    parser.add_argument("--citizens", type=int, default=DEFAULT_CITIZENS)
    parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS)
    args = parser.parse_args(argv)
    try:
        print(f"PostgreSQL {pg.check_server()}")
    except pg.PostgresUnavailable as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as data_dir:
        prepare(
            procedures=args.procedures,
            citizens=args.citizens,
            dossiers=args.dossiers,
            fresh=args.fresh,
            data_dir=data_dir,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
