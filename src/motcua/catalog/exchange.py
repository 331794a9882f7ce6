"""The catalogue exchange format ``motcua.catalog/1`` (docs/catalogue-format.md).

``parse_catalogue`` turns untrusted JSON-like data into typed records or a list of
Vietnamese errors naming the row and key; nothing touches the database here. The Excel
reader and writer map the same records to and from a workbook, so an export always opens
again as an import.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from motcua.core.codes import is_agency_code, parse_procedure_code

FORMAT = "motcua.catalog/1"
AGENCY_KINDS = {
    "province_committee",
    "department",
    "service_centre",
    "commune_committee",
    "commune_centre",
    "central_branch",
    "public_service_unit",
    "level_group",
}
LEVELS = {"toan_trinh", "mot_phan", "truc_tiep"}
COMPETENCE = {"tinh", "xa", "trung_uong"}
TIME_UNITS = {"working_days", "days", "hours", "months"}
DELIVERY = {"counter", "post", "online"}
COPY_TYPES = {"ban_chinh", "ban_sao", "ban_sao_chung_thuc", "ban_dien_tu", "xuat_trinh"}
FILE_TYPES = {"pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip"}
FEE_KINDS = {"phi", "le_phi", "other"}
FLAGS = ("boundary_free", "postal_allowed", "authorisation_allowed", "signed_result_required")
DEFAULT_TYPES = ["pdf", "jpg", "png"]
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
MAX_SIZE_LIMIT = 50 * 1024 * 1024


class CatalogueError(Exception):
    """Raised with every problem found, so an administrator can fix a file in one pass."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class FieldRecord:
    code: str
    name: str


@dataclass
class AgencyRecord:
    code: str
    name: str
    kind: str
    code_qcvn102: str = ""
    short_name: str = ""
    parent: str = ""
    admin_unit: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    hotline: str = ""
    website: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    predecessors: list[str] = field(default_factory=list)


@dataclass
class ComponentRecord:
    name: str
    code: str = ""
    description: str = ""
    required: bool = True
    multiple: bool = False
    originals: int = 1
    copies: int = 0
    copy_type: str = "ban_chinh"
    allowed_types: list[str] = field(default_factory=lambda: list(DEFAULT_TYPES))
    max_size: int = DEFAULT_MAX_SIZE
    template_name: str = ""


@dataclass
class FeeRecord:
    name: str
    amount: int
    kind: str = "le_phi"
    unit: str = ""
    legal_basis: str = ""


@dataclass
class VersionRecord:
    code: str
    name: str
    agency: str
    field: str
    level: str
    valid_from: dt.date
    time_limit_value: float
    time_limit_unit: str
    valid_to: dt.date | None = None
    time_limit_online: float | None = None
    competence_level: str = "tinh"
    no_appointment: bool = False
    applicants: str = ""
    sequence: str = ""
    methods: str = ""
    requirements: str = ""
    result_name: str = ""
    result_code: str = ""
    legal_basis: list[dict] = field(default_factory=list)
    delivery_methods: list[str] = field(default_factory=list)
    flags: dict[str, bool] = field(default_factory=dict)
    publication_decision: str = ""
    publication_date: dt.date | None = None
    notes: str = ""
    components: list[ComponentRecord] = field(default_factory=list)
    fees: list[FeeRecord] = field(default_factory=list)


@dataclass
class Catalogue:
    fields: list[FieldRecord] = field(default_factory=list)
    agencies: list[AgencyRecord] = field(default_factory=list)
    procedures: list[VersionRecord] = field(default_factory=list)


class _Reader:
    """Collects errors while reading one object; each message names where it came from."""

    def __init__(self, where: str, data, errors: list[str]):
        self.where, self.errors = where, errors
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            errors.append(f"{where}: phải là một đối tượng JSON.")

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{self.where}, trường «{key}»: {message}")

    def text(self, key: str, *, required=False, max_len=None) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "bắt buộc phải có.")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(key, "phải là chuỗi ký tự.")
            return ""
        value = unicodedata.normalize("NFC", str(value)).strip()
        if max_len and len(value) > max_len:
            self.fail(key, f"dài quá {max_len} ký tự.")
        return value

    def choice(self, key: str, allowed: set[str], *, default=None) -> str:
        value = self.data.get(key, default)
        if value not in allowed:
            self.fail(key, f"phải là một trong {', '.join(sorted(allowed))}.")
            return default or ""
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(key, "phải là true hoặc false.")
            return default
        return value

    def integer(
        self, key: str, default: int | None = None, *, minimum=0, maximum=None
    ) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, "phải là số nguyên.")
            return default
        if value < minimum or (maximum is not None and value > maximum):
            self.fail(
                key, f"phải nằm trong khoảng {minimum}–{maximum if maximum is not None else '∞'}."
            )
            return default
        return value

    def date(self, key: str, *, required=False) -> dt.date | None:
        value = self.data.get(key)
        if value in (None, ""):
            if required:
                self.fail(key, "bắt buộc phải có (YYYY-MM-DD).")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, "ngày phải viết YYYY-MM-DD.")
            return None

    def code_list(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "phải là danh sách mã.")
            return []
        return value

    def sub(self, key: str) -> dict:
        value = self.data.get(key) or {}
        if not isinstance(value, dict):
            self.fail(key, "phải là một đối tượng.")
            return {}
        return value


def _parse_field(i, data, errors) -> FieldRecord:
    r = _Reader(f"Lĩnh vực thứ {i}", data, errors)
    return FieldRecord(
        code=r.text("code", required=True, max_len=30),
        name=r.text("name", required=True, max_len=200),
    )


def _parse_agency(i, data, errors) -> AgencyRecord:
    r = _Reader(f"Cơ quan thứ {i}", data, errors)
    rec = AgencyRecord(
        code=r.text("code", required=True, max_len=35),
        name=r.text("name", required=True, max_len=255),
        kind=r.choice("kind", AGENCY_KINDS),
        code_qcvn102=r.text("code_qcvn102", max_len=13),
        short_name=r.text("short_name", max_len=80),
        parent=r.text("parent"),
        admin_unit=r.text("admin_unit", max_len=5),
        address=r.text("address", max_len=255),
        phone=r.text("phone", max_len=40),
        email=r.text("email", max_len=254),
        hotline=r.text("hotline", max_len=40),
        website=r.text("website", max_len=200),
        valid_from=r.date("valid_from"),
        valid_to=r.date("valid_to"),
        predecessors=r.code_list("predecessors"),
    )
    if rec.code and rec.kind != "level_group" and not is_agency_code(rec.code):
        r.fail("code", "không phải mã định danh điện tử hợp lệ (QCVN 102 hoặc QĐ 20/2020).")
    if rec.code_qcvn102 and not is_agency_code(rec.code_qcvn102):
        r.fail("code_qcvn102", "không đúng định dạng QCVN 102 (000.00.00.H48).")
    if rec.valid_from and rec.valid_to and rec.valid_to < rec.valid_from:
        r.fail("valid_to", "trước ngày bắt đầu hoạt động.")
    return rec


def _parse_component(where, data, errors) -> ComponentRecord:
    r = _Reader(where, data, errors)
    types = r.data.get("allowed_types", DEFAULT_TYPES)
    if isinstance(types, str):
        types = [t.strip() for t in types.split(",") if t.strip()]
    if (
        not isinstance(types, list)
        or not types
        or any(str(t).lower() not in FILE_TYPES for t in types)
    ):
        r.fail("allowed_types", f"chỉ gồm các định dạng {', '.join(sorted(FILE_TYPES))}.")
        types = list(DEFAULT_TYPES)
    return ComponentRecord(
        name=r.text("name", required=True),
        code=r.text("code", max_len=40),
        description=r.text("description"),
        required=r.boolean("required", True),
        multiple=r.boolean("multiple", False),
        originals=r.integer("originals", 1, maximum=100),
        copies=r.integer("copies", 0, maximum=100),
        copy_type=r.choice("copy_type", COPY_TYPES, default="ban_chinh"),
        allowed_types=[str(t).lower() for t in types],
        max_size=r.integer("max_size", DEFAULT_MAX_SIZE, minimum=1024, maximum=MAX_SIZE_LIMIT),
        template_name=r.text("template_name", max_len=255),
    )


def _parse_fee(where, data, errors) -> FeeRecord:
    r = _Reader(where, data, errors)
    return FeeRecord(
        name=r.text("name", required=True, max_len=255),
        amount=r.integer("amount", 0, maximum=10**12) or 0,
        kind=r.choice("kind", FEE_KINDS, default="le_phi"),
        unit=r.text("unit", max_len=60),
        legal_basis=r.text("legal_basis", max_len=255),
    )


def _parse_legal_basis(r: _Reader) -> list[dict]:
    items = r.data.get("legal_basis") or []
    if not isinstance(items, list):
        r.fail("legal_basis", "phải là danh sách văn bản.")
        return []
    out = []
    for item in items:
        if (
            not isinstance(item, dict)
            or not str(item.get("number") or item.get("title") or "").strip()
        ):
            r.fail("legal_basis", "mỗi văn bản cần «number» hoặc «title».")
            continue
        entry = {
            k: unicodedata.normalize("NFC", str(item.get(k) or "")).strip()
            for k in ("number", "title", "date")
        }
        if entry["date"]:
            try:
                dt.date.fromisoformat(entry["date"])
            except ValueError:
                r.fail("legal_basis", f"ngày «{entry['date']}» phải viết YYYY-MM-DD.")
        out.append(entry)
    return out


def _time_limit_ok(value) -> bool:
    # The column is DECIMAL(6, 1): a larger value or a second decimal would fail (or be
    # rounded differently by each database) only when the import writes it.
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return 0 <= value <= 9999.9 and round(value, 1) == value


def _parse_version(i, data, errors) -> VersionRecord:
    r = _Reader(
        f"Thủ tục thứ {i} ({(data or {}).get('code', '?') if isinstance(data, dict) else '?'})",
        data,
        errors,
    )
    code = r.text("code", required=True, max_len=40)
    if code:
        try:
            parse_procedure_code(code)
        except ValueError as exc:
            r.fail("code", str(exc))
    limit = _Reader(f"{r.where}, thời hạn", r.sub("time_limit"), errors)
    value = limit.data.get("value")
    if not _time_limit_ok(value):
        limit.fail("value", "phải là số không âm, tối đa 9999,9 và một chữ số thập phân.")
        value = 0
    online = limit.data.get("online_value")
    if online is not None and (not _time_limit_ok(online) or online > value):
        limit.fail(
            "online_value",
            "phải là số không âm, một chữ số thập phân, không lớn hơn thời hạn thường.",
        )
        online = None
    result = r.sub("result")
    publication = _Reader(f"{r.where}, công bố", r.sub("publication"), errors)
    flags_in = r.sub("flags")
    flags = {}
    for key, val in flags_in.items():
        if key not in FLAGS or not isinstance(val, bool):
            r.fail(f"flags.{key}", f"cờ hợp lệ: {', '.join(FLAGS)} (giá trị true/false).")
        else:
            flags[key] = val
    delivery = r.code_list("delivery_methods")
    if any(d not in DELIVERY for d in delivery):
        r.fail("delivery_methods", "chỉ gồm counter, post, online.")
    level = r.choice("level", LEVELS)
    if level == "toan_trinh" and delivery and "online" not in delivery and "post" not in delivery:
        r.fail(
            "delivery_methods", "dịch vụ toàn trình phải trả kết quả trực tuyến hoặc qua bưu chính."
        )
    components_in = r.data.get("components") or []
    fees_in = r.data.get("fees") or []
    if not isinstance(components_in, list):
        r.fail("components", "phải là danh sách.")
        components_in = []
    if not isinstance(fees_in, list):
        r.fail("fees", "phải là danh sách.")
        fees_in = []
    if not components_in and level in {"toan_trinh", "mot_phan"}:
        r.fail("components", "dịch vụ trực tuyến phải có ít nhất một thành phần hồ sơ.")
    rec = VersionRecord(
        code=code,
        name=r.text("name", required=True),
        agency=r.text("agency", required=True),
        field=r.text("field", required=True),
        level=level,
        valid_from=r.date("valid_from", required=True),
        valid_to=r.date("valid_to"),
        time_limit_value=float(value),
        time_limit_unit=limit.choice("unit", TIME_UNITS, default="working_days"),
        time_limit_online=float(online) if online is not None else None,
        competence_level=r.choice("competence_level", COMPETENCE, default="tinh"),
        no_appointment=r.boolean("no_appointment", False),
        applicants=r.text("applicants"),
        sequence=r.text("sequence"),
        methods=r.text("methods"),
        requirements=r.text("requirements"),
        result_name=_Reader(r.where, result, errors).text("name"),
        result_code=_Reader(r.where, result, errors).text("code", max_len=40),
        legal_basis=_parse_legal_basis(r),
        delivery_methods=[d for d in delivery if d in DELIVERY],
        flags=flags,
        publication_decision=publication.text("decision", max_len=60),
        publication_date=publication.date("date"),
        notes=r.text("notes"),
        components=[
            _parse_component(f"{r.where}, thành phần {j}", c, errors)
            for j, c in enumerate(components_in, 1)
        ],
        fees=[_parse_fee(f"{r.where}, khoản phí {j}", f, errors) for j, f in enumerate(fees_in, 1)],
    )
    if rec.valid_from and rec.valid_to and rec.valid_to < rec.valid_from:
        r.fail("valid_to", "trước ngày áp dụng.")
    return rec


def parse_catalogue(data) -> Catalogue:
    """Validate a whole catalogue document; raise ``CatalogueError`` listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise CatalogueError(["Tệp không phải một đối tượng JSON của danh mục thủ tục."])
    if data.get("format") != FORMAT:
        errors.append(f"Trường «format» phải là «{FORMAT}».")
    sections = {}
    for key in ("fields", "agencies", "procedures"):
        value = data.get(key) or []
        if not isinstance(value, list):
            errors.append(f"Trường «{key}» phải là danh sách.")
            value = []
        sections[key] = value
    cat = Catalogue(
        fields=[_parse_field(i, d, errors) for i, d in enumerate(sections["fields"], 1)],
        agencies=[_parse_agency(i, d, errors) for i, d in enumerate(sections["agencies"], 1)],
        procedures=[_parse_version(i, d, errors) for i, d in enumerate(sections["procedures"], 1)],
    )
    _check_internal(cat, errors)
    if errors:
        raise CatalogueError(errors)
    return cat


def _check_internal(cat: Catalogue, errors: list[str]) -> None:
    """Duplicates and overlapping versions inside the file itself."""
    seen_fields, seen_agencies = set(), set()
    for f in cat.fields:
        if f.code in seen_fields:
            errors.append(f"Mã lĩnh vực «{f.code}» bị trùng.")
        seen_fields.add(f.code)
    for a in cat.agencies:
        if a.code in seen_agencies:
            errors.append(f"Mã cơ quan «{a.code}» bị trùng.")
        seen_agencies.add(a.code)
    by_code: dict[str, list[VersionRecord]] = {}
    for v in cat.procedures:
        by_code.setdefault(v.code, []).append(v)
    for code, versions in by_code.items():
        versions = sorted((v for v in versions if v.valid_from), key=lambda v: v.valid_from)
        for a, b in zip(versions, versions[1:], strict=False):
            if a.valid_from == b.valid_from:
                errors.append(
                    f"Thủ tục {code}: hai phiên bản cùng áp dụng từ {a.valid_from:%d/%m/%Y}."
                )
            elif a.valid_to is None or a.valid_to >= b.valid_from:
                errors.append(
                    f"Thủ tục {code}: phiên bản từ {a.valid_from:%d/%m/%Y} chồng lên phiên bản từ {b.valid_from:%d/%m/%Y} "
                    "(hãy đặt ngày kết thúc cho phiên bản trước)."
                )


# --- serialisation -------------------------------------------------------------------------


def _date_str(value):
    return value.isoformat() if value else None


def version_to_dict(v: VersionRecord) -> dict:
    return {
        "code": v.code,
        "name": v.name,
        "agency": v.agency,
        "field": v.field,
        "competence_level": v.competence_level,
        "level": v.level,
        "valid_from": _date_str(v.valid_from),
        "valid_to": _date_str(v.valid_to),
        "time_limit": {
            "value": _num(v.time_limit_value),
            "unit": v.time_limit_unit,
            **(
                {"online_value": _num(v.time_limit_online)}
                if v.time_limit_online is not None
                else {}
            ),
        },
        "no_appointment": v.no_appointment,
        "applicants": v.applicants,
        "sequence": v.sequence,
        "methods": v.methods,
        "requirements": v.requirements,
        "result": {"name": v.result_name, "code": v.result_code},
        "legal_basis": v.legal_basis,
        "delivery_methods": v.delivery_methods,
        "flags": v.flags,
        "publication": {"decision": v.publication_decision, "date": _date_str(v.publication_date)},
        "notes": v.notes,
        "components": [asdict(c) for c in v.components],
        "fees": [asdict(f) for f in v.fees],
    }


def agency_to_dict(a: AgencyRecord) -> dict:
    out = asdict(a)
    out["valid_from"], out["valid_to"] = _date_str(a.valid_from), _date_str(a.valid_to)
    return out


def catalogue_to_dict(cat: Catalogue) -> dict:
    return {
        "format": FORMAT,
        "fields": [asdict(f) for f in cat.fields],
        "agencies": [agency_to_dict(a) for a in cat.agencies],
        "procedures": [version_to_dict(v) for v in cat.procedures],
    }


def _num(value):
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


# --- Excel ---------------------------------------------------------------------------------

_PROC_COLUMNS = [
    "code",
    "name",
    "agency",
    "field",
    "competence_level",
    "level",
    "valid_from",
    "valid_to",
    "time_limit.value",
    "time_limit.unit",
    "time_limit.online_value",
    "no_appointment",
    "applicants",
    "sequence",
    "methods",
    "requirements",
    "result.name",
    "result.code",
    "legal_basis",
    "delivery_methods",
    *[f"flags.{f}" for f in FLAGS],
    "publication.decision",
    "publication.date",
    "notes",
]
_COMPONENT_COLUMNS = [
    "procedure_code",
    "valid_from",
    "code",
    "name",
    "description",
    "required",
    "multiple",
    "originals",
    "copies",
    "copy_type",
    "allowed_types",
    "max_size",
    "template_name",
]
_FEE_COLUMNS = ["procedure_code", "valid_from", "kind", "name", "amount", "unit", "legal_basis"]
_AGENCY_COLUMNS = [
    "code",
    "code_qcvn102",
    "name",
    "short_name",
    "kind",
    "parent",
    "admin_unit",
    "address",
    "phone",
    "email",
    "hotline",
    "website",
    "valid_from",
    "valid_to",
    "predecessors",
]


def _cell(value):
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # Word's manual line break (\v) pasted into a text is a newline; other control
        # characters cannot be stored in a worksheet at all (openpyxl refuses the whole file).
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\v", "\n").replace("\f", "\n"))
    return value


def _append(ws, values) -> None:
    ws.append([_cell(v) for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":  # a text starting with "=" is data, not a formula to run
            cell.data_type = "s"


def to_excel(doc: dict) -> bytes:
    """Write a catalogue document (as produced by ``catalogue_to_dict``) to a workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "procedures"
    ws.append(_PROC_COLUMNS)
    comp = wb.create_sheet("components")
    comp.append(_COMPONENT_COLUMNS)
    fees = wb.create_sheet("fees")
    fees.append(_FEE_COLUMNS)
    for p in doc.get("procedures", []):
        flat = {
            **{k: p.get(k) for k in _PROC_COLUMNS if "." not in k},
            "time_limit.value": p["time_limit"]["value"],
            "time_limit.unit": p["time_limit"]["unit"],
            "time_limit.online_value": p["time_limit"].get("online_value"),
            "result.name": p["result"]["name"],
            "result.code": p["result"]["code"],
            "publication.decision": p["publication"]["decision"],
            "publication.date": p["publication"]["date"],
            "legal_basis": "\n".join(
                f"{b['number']} | {b['title']} | {b['date']}" for b in p["legal_basis"]
            ),
            **{f"flags.{f}": p["flags"].get(f) for f in FLAGS},
        }
        _append(ws, [flat.get(c) for c in _PROC_COLUMNS])
        for c in p["components"]:
            _append(comp, [p["code"], p["valid_from"], *(c.get(k) for k in _COMPONENT_COLUMNS[2:])])
        for f in p["fees"]:
            _append(fees, [p["code"], p["valid_from"], *(f.get(k) for k in _FEE_COLUMNS[2:])])
    fs = wb.create_sheet("fields")
    fs.append(["code", "name"])
    for f in doc.get("fields", []):
        _append(fs, [f["code"], f["name"]])
    ag = wb.create_sheet("agencies")
    ag.append(_AGENCY_COLUMNS)
    for a in doc.get("agencies", []):
        _append(ag, [a.get(k) for k in _AGENCY_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(ws):
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return
    keys = [str(h).strip() if h is not None else "" for h in header]
    for row in rows:
        if row is None or all(v in (None, "") for v in row):
            continue
        yield {k: v for k, v in zip(keys, row, strict=False) if k}


def _b(value):
    if isinstance(value, str):
        return {
            "true": True,
            "1": True,
            "x": True,
            "có": True,
            "false": False,
            "0": False,
            "": None,
            "không": False,
        }.get(value.strip().lower(), value)
    return value


def _d(value):
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_excel(content: bytes) -> dict:
    """Read a workbook into the JSON document shape; validation is ``parse_catalogue``'s job."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise CatalogueError([f"Không đọc được tệp Excel: {exc.__class__.__name__}."]) from None
    if "procedures" not in wb.sheetnames:
        raise CatalogueError(["Tệp Excel thiếu trang «procedures»."])
    components: dict[tuple, list] = {}
    fees: dict[tuple, list] = {}
    if "components" in wb.sheetnames:
        for row in _rows(wb["components"]):
            key = (str(row.pop("procedure_code", "")), _d(row.pop("valid_from", None)))
            for k in ("required", "multiple"):
                if k in row:
                    row[k] = _b(row[k])
            components.setdefault(key, []).append({k: v for k, v in row.items() if v is not None})
    if "fees" in wb.sheetnames:
        for row in _rows(wb["fees"]):
            key = (str(row.pop("procedure_code", "")), _d(row.pop("valid_from", None)))
            fees.setdefault(key, []).append({k: v for k, v in row.items() if v is not None})
    procedures = []
    for row in _rows(wb["procedures"]):
        code, valid_from = str(row.get("code") or ""), _d(row.get("valid_from"))
        basis = []
        for line in str(row.get("legal_basis") or "").splitlines():
            parts = [p.strip() for p in line.split("|")]
            if any(parts):
                basis.append(
                    {
                        "number": parts[0],
                        "title": parts[1] if len(parts) > 1 else "",
                        "date": parts[2] if len(parts) > 2 else "",
                    }
                )
        limit = {"value": row.get("time_limit.value"), "unit": row.get("time_limit.unit")}
        if row.get("time_limit.online_value") not in (None, ""):
            limit["online_value"] = row.get("time_limit.online_value")
        procedures.append(
            {
                **{
                    k: row.get(k)
                    for k in (
                        "code",
                        "name",
                        "agency",
                        "field",
                        "competence_level",
                        "level",
                        "applicants",
                        "sequence",
                        "methods",
                        "requirements",
                        "notes",
                    )
                    if row.get(k) is not None
                },
                "code": code,
                "valid_from": valid_from,
                "valid_to": _d(row.get("valid_to")),
                "time_limit": limit,
                "no_appointment": _b(row.get("no_appointment")) or False,
                "result": {
                    "name": row.get("result.name") or "",
                    "code": row.get("result.code") or "",
                },
                "legal_basis": basis,
                "delivery_methods": row.get("delivery_methods") or [],
                "flags": {
                    f: _b(row[f"flags.{f}"]) for f in FLAGS if _b(row.get(f"flags.{f}")) is not None
                },
                "publication": {
                    "decision": row.get("publication.decision") or "",
                    "date": _d(row.get("publication.date")),
                },
                "components": components.get((code, valid_from), []),
                "fees": fees.get((code, valid_from), []),
            }
        )
    doc = {"format": FORMAT, "procedures": procedures}
    if "fields" in wb.sheetnames:
        doc["fields"] = list(_rows(wb["fields"]))
    if "agencies" in wb.sheetnames:
        doc["agencies"] = [
            {k: _d(v) for k, v in row.items() if v is not None} for row in _rows(wb["agencies"])
        ]
    return doc


def read_document(name: str, content: bytes) -> dict:
    """The document in a .json or .xlsx file; ``CatalogueError`` if it cannot be read.
    The admin's upload page and ``motcua import-catalogue`` both read files with it."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return from_excel(content)
    if suffix != ".json":
        raise CatalogueError(["Chỉ nhận tệp .json hoặc .xlsx."])
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogueError(["Tệp JSON phải được mã hóa UTF-8."]) from None
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            [f"Tệp JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}."]
        ) from None
