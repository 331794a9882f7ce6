"""A submitted dossier that looks like the demo's: real agency tree, real procedure name,
Vietnamese names with every kind of diacritic, files on each component."""

import datetime as dt

from motcua.catalog.models import AdministrativeUnit, Agency, Component
from motcua.dossiers import services
from tests.factories import AgencyFactory, ProcedureVersionFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def demo_procedure():
    province = AgencyFactory(
        code="H48", name="Ủy ban nhân dân tỉnh Quảng Ngãi", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    department = AgencyFactory(
        code="H48.13",
        name="Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi",
        kind=Agency.Kind.DEPARTMENT,
        parent=province,
    )
    version = ProcedureVersionFactory(
        procedure__code="1.004650",
        name="Tiếp nhận hồ sơ thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn",
        agency=department,
        valid_from=dt.date(2025, 7, 1),
        time_limit_value=5,
    )
    version.components.all().delete()
    for position, (name, required, multiple, types) in enumerate(
        [
            ("Văn bản thông báo sản phẩm quảng cáo (Mẫu số 01)", True, False, ["pdf", "docx"]),
            ("Bản sao giấy chứng nhận đăng ký doanh nghiệp", True, False, ["pdf"]),
            ("Ma-két (mẫu) sản phẩm quảng cáo in màu", True, True, ["pdf", "jpg", "png"]),
            (
                "Văn bản chứng minh quyền sở hữu, quyền sử dụng bảng quảng cáo",
                False,
                False,
                ["pdf"],
            ),
        ]
    ):
        Component.objects.create(
            version=version,
            position=position,
            name=name,
            required=required,
            multiple=multiple,
            allowed_types=types,
        )
    return version


def commune():
    province = AdministrativeUnit.objects.get_or_create(
        code="51", defaults={"name": "Tỉnh Quảng Ngãi", "level": "province"}
    )[0]
    return AdministrativeUnit.objects.get_or_create(
        code="21025",
        defaults={"name": "Phường Cẩm Thành", "level": "ward", "parent": province},
    )[0]


def submitted_dossier(*, on_behalf=False, post=True, owner=None):
    version = demo_procedure()
    owner = owner or UserFactory(full_name="Nguyễn Thị Ánh Tuyết", id_number="051190012345")
    draft = services.create_draft(
        owner=owner,
        procedure_code=version.procedure.code,
        applicant=services.Applicant(
            full_name="Nguyễn Thị Ánh Tuyết",
            id_number="051190012345",
            phone="0905123456",
            email="tuyet@example.vn",
            address="Số 12 đường Phạm Văn Đồng, phường Cẩm Thành, tỉnh Quảng Ngãi",
        ),
    )
    delivery = (
        services.Delivery(method="post", commune=commune().code, address="Số 12 Phạm Văn Đồng")
        if post
        else services.Delivery(method="counter")
    )
    services.update_draft(
        draft,
        actor=owner,
        delivery=delivery,
        on_behalf=on_behalf,
        submitter=services.Applicant(full_name="Trần Quốc Bảo", id_number="051090054321")
        if on_behalf
        else None,
    )
    comps = list(version.components.order_by("position"))
    names = [
        [("Thông báo quảng cáo Đường Lê Lợi.pdf", PDF)],
        [("Giấy chứng nhận ĐKDN - Công ty TNHH Quảng cáo Sông Trà.pdf", PDF)],
        [("maket-bang-ron-mat-truoc.png", PNG), ("maket-bang-ron-mat-sau.png", PNG)],
    ]
    for component, files in zip(comps, names, strict=False):
        for name, content in files:
            services.add_file(
                draft, actor=owner, component_id=component.pk, name=name, content=content
            )
    if on_behalf:
        services.add_file(
            draft,
            actor=owner,
            component_id=None,
            name="Giấy ủy quyền.pdf",
            content=PDF,
            purpose="authorisation",
        )
    return services.submit(draft, owner)
