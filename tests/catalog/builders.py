"""A small, valid ``motcua.catalog/1`` document to start each catalogue test from.

Each call returns a fresh deep structure, so a test may break one field of it freely.
"""

import copy

_DOCUMENT = {
    "format": "motcua.catalog/1",
    "fields": [
        {"code": "VHCS", "name": "Văn hóa cơ sở"},
        {"code": "HTX", "name": "Hộ tịch"},
    ],
    "agencies": [
        {
            "code": "H48",
            "code_qcvn102": "000.00.00.H48",
            "name": "Ủy ban nhân dân tỉnh Quảng Ngãi",
            "short_name": "UBND tỉnh",
            "kind": "province_committee",
            "valid_from": "2025-07-01",
            "valid_to": None,
            "predecessors": ["H34"],
        },
        {
            "code": "H34",
            "name": "Ủy ban nhân dân tỉnh Kon Tum",
            "kind": "province_committee",
            "valid_from": None,
            "valid_to": "2025-06-30",
        },
        {
            "code": "H48.13",
            "code_qcvn102": "000.00.13.H48",
            "name": "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi",
            "short_name": "Sở VHTTDL",
            "kind": "department",
            "parent": "H48",
            "address": "Số 1 Hùng Vương, phường Cẩm Thành",
            "phone": "0255.3822601",
            "email": "svhttdl@quangngai.gov.vn",
            "hotline": "0255.3822200",
            "website": "https://svhttdl.quangngai.gov.vn",
            "valid_from": "2025-07-01",
        },
        {
            "code": "H48-CAPXA",
            "name": "Ủy ban nhân dân cấp xã",
            "kind": "level_group",
            "parent": "H48",
            "valid_from": "2025-07-01",
        },
    ],
    "procedures": [
        {
            "code": "1.004650",
            "name": "Thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn",
            "agency": "H48.13",
            "field": "VHCS",
            "competence_level": "tinh",
            "level": "toan_trinh",
            "valid_from": "2025-07-01",
            "valid_to": None,
            "time_limit": {"value": 5, "unit": "working_days", "online_value": 4},
            "no_appointment": False,
            "applicants": "Tổ chức, cá nhân",
            "sequence": "Bước 1: nộp hồ sơ.\n\nBước 2: nhận kết quả.",
            "methods": "Trực tuyến; qua bưu chính; trực tiếp",
            "requirements": "",
            "result": {"name": "Văn bản trả lời", "code": "KQ.01"},
            "legal_basis": [
                {"number": "16/2012/QH13", "title": "Luật Quảng cáo", "date": "2012-06-21"},
                {"number": "181/2013/NĐ-CP", "title": "Nghị định hướng dẫn", "date": ""},
            ],
            "delivery_methods": ["counter", "post", "online"],
            "flags": {
                "boundary_free": True,
                "postal_allowed": True,
                "authorisation_allowed": False,
                "signed_result_required": True,
            },
            "publication": {"decision": "1628/QĐ-UBND", "date": "2025-11-21"},
            "notes": "Mã và tên đã đối chiếu.",
            "components": [
                {
                    "code": "GT.01",
                    "name": "Thông báo sản phẩm quảng cáo (Mẫu số 01)",
                    "description": "Theo mẫu, có chữ ký người đại diện.",
                    "required": True,
                    "multiple": False,
                    "originals": 1,
                    "copies": 0,
                    "copy_type": "ban_chinh",
                    "allowed_types": ["pdf", "docx"],
                    "max_size": 5242880,
                    "template_name": "Mẫu số 01 Phụ lục III Thông tư 13/2023/TT-BVHTTDL",
                },
                {
                    "name": "Ma-két sản phẩm quảng cáo",
                    "required": True,
                    "multiple": True,
                    "copy_type": "ban_dien_tu",
                    "allowed_types": ["pdf", "jpg", "png"],
                },
            ],
            "fees": [],
        },
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "agency": "H48-CAPXA",
            "field": "HTX",
            "competence_level": "xa",
            "level": "mot_phan",
            "valid_from": "2025-07-01",
            "valid_to": "2025-12-31",
            "time_limit": {"value": 0.5, "unit": "working_days"},
            "no_appointment": True,
            "delivery_methods": ["counter"],
            "components": [{"name": "Tờ khai đăng ký khai sinh"}],
            "fees": [
                {"kind": "le_phi", "name": "Lệ phí đăng ký khai sinh", "amount": 0, "unit": "lần"}
            ],
        },
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh (thủ tục sửa đổi)",
            "agency": "H48-CAPXA",
            "field": "HTX",
            "competence_level": "xa",
            "level": "mot_phan",
            "valid_from": "2026-01-01",
            "time_limit": {"value": 1, "unit": "working_days"},
            "delivery_methods": ["counter", "post"],
            "components": [
                {"name": "Tờ khai đăng ký khai sinh"},
                {"name": "Giấy chứng sinh", "required": False},
            ],
            "fees": [
                {
                    "kind": "le_phi",
                    "name": "Lệ phí đăng ký khai sinh",
                    "amount": 8000,
                    "unit": "lần",
                },
                {
                    "kind": "phi",
                    "name": "Phí cấp bản sao trích lục",
                    "amount": 3000,
                    "unit": "bản",
                    "legal_basis": "Thông tư 281/2016/TT-BTC",
                },
            ],
        },
    ],
}


def valid_document() -> dict:
    return copy.deepcopy(_DOCUMENT)


def procedure(doc: dict, code: str, index: int = 0) -> dict:
    """The ``index``-th version of ``code`` in ``doc`` (for a test to edit in place)."""
    return [p for p in doc["procedures"] if p["code"] == code][index]
