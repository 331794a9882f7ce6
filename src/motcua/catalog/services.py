"""Writes to the catalogue. Every change goes through these functions (admin, commands, seed).

An import is one transaction: a file with one error changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError, Q

from motcua.catalog import exchange
from motcua.catalog.models import (
    AdministrativeUnit,
    Agency,
    Component,
    FeeItem,
    Field,
    Procedure,
    ProcedureVersion,
)
from motcua.core.text import fold, nfc, sort_key


def bump_generation() -> None:
    """Invalidate every cached catalogue read, once the current transaction commits."""
    from django.core.cache import cache

    from motcua.catalog.selectors import GENERATION_KEY

    def bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted): any fresh value invalidates
            cache.set(GENERATION_KEY, 2, None)

    transaction.on_commit(bump)


@dataclass
class ImportReport:
    fields: int = 0
    agencies: int = 0
    procedures_created: int = 0
    versions_created: int = 0
    versions_updated: int = 0

    def summary(self) -> str:
        return (
            f"{self.fields} lĩnh vực, {self.agencies} cơ quan, {self.procedures_created} thủ tục mới, "
            f"{self.versions_created} phiên bản mới, {self.versions_updated} phiên bản cập nhật"
        )


def import_catalogue(data: dict) -> ImportReport:
    """Validate and apply a ``motcua.catalog/1`` document; raise ``CatalogueError`` if invalid."""
    cat = exchange.parse_catalogue(data)
    with transaction.atomic():
        report = ImportReport()
        fields = {f.code: f for f in Field.objects.all()}
        for rec in cat.fields:
            obj = fields.get(rec.code) or Field(code=rec.code)
            obj.name = rec.name
            obj.save()
            fields[rec.code] = obj
            report.fields += 1
        _import_agencies(cat.agencies, report)
        agencies = {a.code: a for a in Agency.objects.all()}
        errors = []
        for rec in cat.procedures:
            if rec.agency not in agencies:
                errors.append(f"Thủ tục {rec.code}: không có cơ quan mã «{rec.agency}».")
            if rec.field not in fields:
                errors.append(f"Thủ tục {rec.code}: không có lĩnh vực mã «{rec.field}».")
        if errors:
            raise exchange.CatalogueError(errors)
        for rec in cat.procedures:
            _import_version(rec, agencies[rec.agency], fields[rec.field], report)
        _check_overlaps({rec.code for rec in cat.procedures})
        bump_generation()
        return report


def _import_agencies(records: list[exchange.AgencyRecord], report: ImportReport) -> None:
    existing = {a.code: a for a in Agency.objects.all()}
    units = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            code__in=[r.admin_unit for r in records if r.admin_unit]
        )
    }
    errors = []
    for rec in records:
        obj = existing.get(rec.code) or Agency(code=rec.code)
        for attr in (
            "code_qcvn102",
            "name",
            "short_name",
            "kind",
            "address",
            "phone",
            "email",
            "hotline",
            "website",
            "valid_from",
            "valid_to",
        ):
            setattr(obj, attr, getattr(rec, attr))
        if rec.admin_unit and rec.admin_unit not in units:
            errors.append(f"Cơ quan {rec.code}: không có đơn vị hành chính mã «{rec.admin_unit}».")
        obj.admin_unit = units.get(rec.admin_unit)
        obj.parent = None
        obj.save()
        existing[rec.code] = obj
        report.agencies += 1
    for rec in records:
        obj = existing[rec.code]
        if rec.parent:
            if rec.parent not in existing:
                errors.append(f"Cơ quan {rec.code}: không có cơ quan cấp trên mã «{rec.parent}».")
                continue
            obj.parent = existing[rec.parent]
            obj.save(update_fields=["parent"])
        missing = [p for p in rec.predecessors if p not in existing]
        if missing:
            errors.append(
                f"Cơ quan {rec.code}: không có cơ quan tiền thân mã {', '.join(missing)}."
            )
        obj.predecessors.set([existing[p] for p in rec.predecessors if p in existing])
    errors += _tree_cycles(existing.values())
    if errors:
        raise exchange.CatalogueError(errors)


def _tree_cycles(agencies) -> list[str]:
    parent = {a.code: (a.parent.code if a.parent_id else None) for a in agencies}
    errors = []
    for code in parent:
        seen, cur = set(), code
        while cur is not None:
            if cur in seen:
                errors.append(f"Cơ quan {code}: cây cơ quan có vòng lặp.")
                break
            seen.add(cur)
            cur = parent.get(cur)
    return errors


def _import_version(
    rec: exchange.VersionRecord, agency: Agency, field: Field, report: ImportReport
) -> None:
    procedure, created = Procedure.objects.get_or_create(code=rec.code)
    report.procedures_created += int(created)
    version = ProcedureVersion.objects.filter(
        procedure=procedure, valid_from=rec.valid_from
    ).first()
    if version is None:
        version = ProcedureVersion(procedure=procedure, valid_from=rec.valid_from)
        report.versions_created += 1
    else:
        report.versions_updated += 1
    version.valid_to = rec.valid_to
    version.name = nfc(rec.name)
    version.agency = agency
    version.field = field
    version.competence_level = rec.competence_level
    version.level = rec.level
    version.time_limit_value = Decimal(str(rec.time_limit_value))
    version.time_limit_unit = rec.time_limit_unit
    version.time_limit_online = (
        Decimal(str(rec.time_limit_online)) if rec.time_limit_online is not None else None
    )
    version.no_appointment = rec.no_appointment
    for attr in (
        "applicants",
        "sequence",
        "methods",
        "requirements",
        "result_name",
        "result_code",
        "legal_basis",
        "delivery_methods",
        "publication_decision",
        "publication_date",
        "notes",
    ):
        setattr(version, attr, getattr(rec, attr))
    for flag in exchange.FLAGS:
        if flag in rec.flags:
            setattr(version, flag, rec.flags[flag])
    version.fee_total = sum(f.amount for f in rec.fees)
    version.refresh_search_text()
    version.save()
    _import_components(version, rec.components)
    version.fees.all().delete()
    FeeItem.objects.bulk_create(
        FeeItem(
            version=version,
            position=i,
            kind=f.kind,
            name=f.name,
            amount=f.amount,
            unit=f.unit,
            legal_basis=f.legal_basis,
        )
        for i, f in enumerate(rec.fees)
    )


# Every field the catalogue format carries for a component is copied onto the row, so a
# field added to ComponentRecord is imported without a second list to keep in step.
_COMPONENT_ATTRS = tuple(f.name for f in fields(exchange.ComponentRecord))


def _import_components(version: ProcedureVersion, records) -> None:
    """Make the version's components those of ``records``, matched by code (by name where
    there is no code) and updated in place: dossiers' files point at component rows, so
    re-importing a catalogue (the demo seeding twice, a corrected text) must not delete and
    recreate them. A component that dossiers hold files for cannot be dropped: such a change
    needs a new version."""
    existing: dict[str, list[Component]] = {}
    for current in version.components.order_by("position", "id"):
        existing.setdefault(_component_key(current), []).append(current)
    for position, rec in enumerate(records):
        same = existing.get(_component_key(rec))
        component = same.pop(0) if same else Component(version=version)
        component.position = position
        for attr in _COMPONENT_ATTRS:
            setattr(component, attr, getattr(rec, attr))
        component.save()
    dropped = [c.pk for same in existing.values() for c in same]
    if not dropped:
        return
    try:
        Component.objects.filter(pk__in=dropped).delete()
    except ProtectedError:
        raise exchange.CatalogueError(
            [
                f"Thủ tục {version.procedure.code} (hiệu lực từ {version.valid_from:%d/%m/%Y}): "
                "không thể bỏ thành phần hồ sơ mà hồ sơ đã nộp đang dùng; hãy tạo phiên bản "
                "mới với ngày hiệu lực mới."
            ]
        ) from None


def _component_key(component) -> str:
    return component.code or fold(component.name)


def overlapping_version(procedure, start: dt.date, end: dt.date | None, *, exclude_pk=None):
    """The stored version of ``procedure`` whose validity meets [start, end], if any.

    Versions of one procedure never overlap: a dossier is bound to exactly one of them.
    """
    others = ProcedureVersion.objects.filter(procedure=procedure).exclude(pk=exclude_pk)
    clash = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if end is not None:
        clash = clash.filter(valid_from__lte=end)
    return clash.order_by("valid_from").first()


def delivery_error(level: str, delivery_methods: list[str]) -> str | None:
    """A full-online (toàn trình) service must return its result online or by post."""
    if (
        level == "toan_trinh"
        and delivery_methods
        and not {"online", "post"} & set(delivery_methods)
    ):
        return "Dịch vụ toàn trình phải trả kết quả trực tuyến hoặc qua bưu chính."
    return None


def save_version(version: ProcedureVersion) -> ProcedureVersion:
    """Save a version edited by hand, keeping the derived search text and fee total right."""
    with transaction.atomic():
        version.refresh_search_text()
        if version.pk:
            version.fee_total = sum(version.fees.values_list("amount", flat=True))
        version.save()
        bump_generation()
        return version


def refresh_fee_total(version: ProcedureVersion) -> None:
    version.fee_total = sum(version.fees.values_list("amount", flat=True))
    version.save(update_fields=["fee_total"])
    bump_generation()


def _check_overlaps(codes: set[str]) -> None:
    """Versions already in the database must not overlap the imported ones either."""
    errors = []
    versions = ProcedureVersion.objects.filter(procedure__code__in=codes).select_related(
        "procedure"
    )
    by_proc: dict[str, list[ProcedureVersion]] = {}
    for v in versions.order_by("procedure__code", "valid_from"):
        by_proc.setdefault(v.procedure.code, []).append(v)
    for code, vs in by_proc.items():
        for a, b in zip(vs, vs[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                errors.append(
                    f"Thủ tục {code}: phiên bản từ {a.valid_from:%d/%m/%Y} chồng lên phiên bản từ "
                    f"{b.valid_from:%d/%m/%Y} đã có trong hệ thống."
                )
    if errors:
        raise exchange.CatalogueError(errors)


def export_catalogue(versions=None, *, include_agencies: bool = True) -> dict:
    """The catalogue (or the given versions) as a ``motcua.catalog/1`` document."""
    if versions is None:
        versions = ProcedureVersion.objects.all()
    versions = versions.select_related("procedure", "agency", "field").prefetch_related(
        "components", "fees"
    )
    cat = exchange.Catalogue()
    used_fields = {}
    for v in versions.order_by("procedure__code", "valid_from"):
        used_fields[v.field.code] = v.field
        cat.procedures.append(_version_record(v))
    cat.fields = [
        exchange.FieldRecord(code=f.code, name=f.name)
        for f in sorted(used_fields.values(), key=lambda f: f.code)
    ]
    if include_agencies:
        for a in (
            Agency.objects.select_related("parent", "admin_unit")
            .prefetch_related("predecessors")
            .order_by("code")
        ):
            cat.agencies.append(
                exchange.AgencyRecord(
                    code=a.code,
                    name=a.name,
                    kind=a.kind,
                    code_qcvn102=a.code_qcvn102,
                    short_name=a.short_name,
                    parent=a.parent.code if a.parent else "",
                    admin_unit=a.admin_unit.code if a.admin_unit else "",
                    address=a.address,
                    phone=a.phone,
                    email=a.email,
                    hotline=a.hotline,
                    website=a.website,
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                    predecessors=sorted(p.code for p in a.predecessors.all()),
                )
            )
    return exchange.catalogue_to_dict(cat)


def _version_record(v: ProcedureVersion) -> exchange.VersionRecord:
    return exchange.VersionRecord(
        code=v.procedure.code,
        name=v.name,
        agency=v.agency.code,
        field=v.field.code,
        level=v.level,
        valid_from=v.valid_from,
        valid_to=v.valid_to,
        time_limit_value=float(v.time_limit_value),
        time_limit_unit=v.time_limit_unit,
        time_limit_online=float(v.time_limit_online) if v.time_limit_online is not None else None,
        competence_level=v.competence_level,
        no_appointment=v.no_appointment,
        applicants=v.applicants,
        sequence=v.sequence,
        methods=v.methods,
        requirements=v.requirements,
        result_name=v.result_name,
        result_code=v.result_code,
        legal_basis=v.legal_basis,
        delivery_methods=v.delivery_methods,
        flags={f: getattr(v, f) for f in exchange.FLAGS},
        publication_decision=v.publication_decision,
        publication_date=v.publication_date,
        notes=v.notes,
        components=[
            exchange.ComponentRecord(
                name=c.name,
                code=c.code,
                description=c.description,
                required=c.required,
                multiple=c.multiple,
                originals=c.originals,
                copies=c.copies,
                copy_type=c.copy_type,
                allowed_types=c.allowed_types,
                max_size=c.max_size,
                template_name=c.template_name,
            )
            for c in v.components.all()
        ],
        fees=[
            exchange.FeeRecord(
                name=f.name, amount=f.amount, kind=f.kind, unit=f.unit, legal_basis=f.legal_basis
            )
            for f in v.fees.all()
        ],
    )


REFORM_DATE = dt.date(2025, 7, 1)
_LEVELS = {
    "tỉnh": "province",
    "thành phố trung ương": "province",
    "xã": "commune",
    "phường": "ward",
    "đặc khu": "special_zone",
}


@transaction.atomic
def load_administrative_units() -> int:
    """Copy the two-tier units (34 provinces, their communes) from ``vietnam-provinces``.

    Idempotent: existing rows are updated by code, so a newer package release can be loaded
    over an older one.
    """
    from vietnam_provinces import Province, Ward

    existing = {u.code: u for u in AdministrativeUnit.objects.all()}
    count = 0
    provinces = {}
    for p in Province.iter_all():
        code = f"{int(p.code):02d}"
        unit = existing.get(code) or AdministrativeUnit(code=code)
        unit.name, unit.level, unit.parent, unit.valid_from = p.name, "province", None, REFORM_DATE
        unit.save()
        provinces[int(p.code)] = unit
        count += 1
    new_units = []
    for w in Ward.iter_all():
        code = f"{int(w.code):05d}"
        level = _LEVELS.get(getattr(w.division_type, "value", str(w.division_type)), "commune")
        parent = provinces[int(w.province_code)]
        unit = existing.get(code)
        if unit is None:
            unit = AdministrativeUnit(
                code=code, name=w.name, level=level, parent=parent, valid_from=REFORM_DATE
            )
            unit.name_folded = ""
            new_units.append(unit)
        elif (unit.name, unit.level, unit.parent_id) != (w.name, level, parent.pk):
            unit.name, unit.level, unit.parent = w.name, level, parent
            unit.save()
        count += 1

    for u in new_units:
        u.name_folded = fold(u.name)
        u.name_sort = sort_key(u.name)
    AdministrativeUnit.objects.bulk_create(new_units, batch_size=500)
    return count


# Commune committees carry the code <province>.40.<nn> (QCVN 102: 000.<nn>.40.<province>),
# <nn> being the commune's place among the province's communes in the order of their
# administrative-unit codes: the numbering the demo catalogue's hand-written entries use.
COMMUNE_BLOCK = "40"


def ensure_commune_committees(group_code: str, *, valid_from: dt.date = REFORM_DATE) -> int:
    """Give every commune, ward and special zone of a province its People's Committee,
    under the commune-level group ``group_code``; return how many were created.

    The communes are read from the administrative units (``load_administrative_units``),
    the same rows the delivery address offers, so the receiving-office list and the address
    list cannot disagree. The province is the ``admin_unit`` of the group's parent (the
    provincial People's Committee). Committees already in the catalogue, matched by their
    administrative unit, keep their code and details; a new one takes the code of its
    place in the numbering, and a clash with an agency of another unit is refused.
    """
    with transaction.atomic():
        group = Agency.objects.select_related("parent__admin_unit").filter(code=group_code).first()
        if group is None or group.kind != Agency.Kind.LEVEL_GROUP:
            raise exchange.CatalogueError([f"Không có nhóm cơ quan cấp xã mã «{group_code}»."])
        province_agency = group.parent
        province = province_agency.admin_unit if province_agency else None
        if province is None:
            raise exchange.CatalogueError(
                [
                    f"Cơ quan {province_agency.code if province_agency else group_code}: "
                    "chưa gắn đơn vị hành chính cấp tỉnh."
                ]
            )
        root = province_agency.code
        units = list(
            AdministrativeUnit.objects.filter(parent=province, valid_to__isnull=True)
            .exclude(level=AdministrativeUnit.Level.PROVINCE)
            .order_by("code")
        )
        served = set(
            Agency.objects.filter(
                kind=Agency.Kind.COMMUNE_COMMITTEE, admin_unit__in=units, valid_to__isnull=True
            ).values_list("admin_unit_id", flat=True)
        )
        taken = dict(Agency.objects.values_list("code", "admin_unit_id"))
        province_name = province_agency.name.removeprefix("Ủy ban nhân dân ").strip()
        created, errors = 0, []
        for number, unit in enumerate(units, start=1):
            if unit.pk in served:
                continue
            code = f"{root}.{COMMUNE_BLOCK}.{number:02d}"
            if code in taken:
                errors.append(
                    f"Mã {code} dành cho {unit.name} đã thuộc về một cơ quan khác; "
                    "hãy sửa mã trong danh mục cơ quan."
                )
                continue
            place = unit.name[:1].lower() + unit.name[1:]
            Agency(
                code=code,
                code_qcvn102=f"000.{number:02d}.{COMMUNE_BLOCK}.{root}",
                name=f"Ủy ban nhân dân {place}",
                short_name=f"UBND {place}",
                kind=Agency.Kind.COMMUNE_COMMITTEE,
                parent=group,
                admin_unit=unit,
                address=f"{unit.name}, {province_name}",
                valid_from=valid_from,
            ).save()
            created += 1
        if errors:
            raise exchange.CatalogueError(errors)
        if created:
            bump_generation()
        return created


POPULARITY_WINDOW = dt.timedelta(days=365)


def refresh_popularity(now: dt.datetime | None = None) -> int:
    """Recount each procedure's dossiers submitted in the last twelve months, for search
    ranking; return how many procedures changed. One grouped scan of the dossiers, run daily
    by the worker (``catalog.tasks``), so that no search ever counts dossiers."""
    from django.apps import apps
    from django.db.models import Count
    from django.utils import timezone

    dossier = apps.get_model("dossiers", "Dossier")
    since = (now or timezone.now()) - POPULARITY_WINDOW
    counts = dict(
        dossier.objects.filter(submitted_at__gte=since)
        .values_list("version__procedure_id")
        .annotate(n=Count("id"))
        .values_list("version__procedure_id", "n")
    )
    changed = []
    for procedure in Procedure.objects.only("id", "recent_dossiers"):
        count = counts.get(procedure.id, 0)
        if procedure.recent_dossiers != count:
            procedure.recent_dossiers = count
            changed.append(procedure)
    with transaction.atomic():
        Procedure.objects.bulk_update(changed, ["recent_dossiers"], batch_size=500)
        if changed:
            bump_generation()
    return len(changed)
