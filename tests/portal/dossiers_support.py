"""Set-up shared by the portal's dossier page tests: the seeds' advertising procedure, the
administrative units a result can be posted to, drafts and submitted dossiers, files."""

import io
import re

import pytest

from motcua.catalog.models import AdministrativeUnit, Agency, Component
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile
from tests.factories import AgencyFactory, ProcedureVersionFactory

CODE = "1.004650"
NAME = "Tiếp nhận hồ sơ thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CAPTCHA = re.compile(r"/ma-xac-nhan/\w+/|name=\"captcha_0\" value=\"\w+\"|id_captcha_0\w*")


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(out, "PNG")
    return out.getvalue()


def advertising(components: int = 2, **kwargs):
    """The seeds' procedure, with its notification form required and a PDF-only optional
    component (so a phone photo is turned into a PDF); ``components`` > 2 adds more."""
    agency = AgencyFactory(code="H48.31", name="Sở Văn hóa, Thể thao và Du lịch")
    version = ProcedureVersionFactory(
        procedure__code=kwargs.pop("code", CODE),
        name=NAME,
        agency=kwargs.pop("agency", agency),
        **kwargs,
    )
    version.components.all().delete()
    Component.objects.create(
        version=version,
        position=0,
        name="Thông báo sản phẩm quảng cáo (Mẫu số 01)",
        description="Nêu rõ nội dung, thời gian, địa điểm quảng cáo, số lượng bảng quảng cáo.",
        allowed_types=["pdf", "docx"],
        originals=1,
    )
    Component.objects.create(
        version=version,
        position=1,
        name="Ma-két sản phẩm quảng cáo in màu",
        required=False,
        allowed_types=["pdf"],
        copies=1,
    )
    for i in range(2, components):
        Component.objects.create(
            version=version,
            position=i,
            name=f"Giấy tờ chứng minh số {i}",
            required=False,
            multiple=True,
            allowed_types=["pdf", "jpg", "png"],
        )
    return version


def components_of(version) -> list[Component]:
    return list(version.components.order_by("position", "id"))


def places():
    """Two provinces of the two-tier system and a few of their communes."""
    qn = AdministrativeUnit.objects.create(code="51", name="Tỉnh Quảng Ngãi", level="province")
    AdministrativeUnit.objects.create(code="01", name="Thành phố Hà Nội", level="province")
    AdministrativeUnit.objects.create(
        code="21184", name="Phường Cẩm Thành", level="ward", parent=qn
    )
    AdministrativeUnit.objects.create(code="22015", name="Xã Tịnh Khê", level="commune", parent=qn)
    return qn


def commune_group():
    """A commune-level procedure's group node and two commune People's Committees."""
    group = AgencyFactory(code="H48.XA", name="UBND cấp xã", kind=Agency.Kind.LEVEL_GROUP)
    for code, name in (("H48.X1", "UBND phường Cẩm Thành"), ("H48.X2", "UBND xã Tịnh Khê")):
        AgencyFactory(code=code, name=name, kind=Agency.Kind.COMMUNE_COMMITTEE, parent=group)
    return group


def draft_for(user, version=None) -> Dossier:
    version = version or advertising()
    return services.create_draft(owner=user, procedure_code=version.procedure.code)


def attach(dossier, user, component, content=PDF, name="thong-bao.pdf", purpose="initial"):
    return services.add_file(
        dossier,
        actor=user,
        component_id=component.pk,
        name=name,
        content=content,
        purpose=purpose,
    )


def ready(user, version=None) -> Dossier:
    """A draft that can be submitted: applicant from the account, counter delivery, the
    required component attached."""
    version = version or advertising()
    dossier = draft_for(user, version)
    services.update_draft(dossier, actor=user, delivery=services.Delivery(method="counter"))
    attach(dossier, user, components_of(version)[0])
    return dossier


def submitted(user, version=None) -> Dossier:
    return services.submit(ready(user, version), user)


def same_page(a: str, b: str) -> str:
    """A page without what differs on every render (CSRF token, captcha key)."""
    return CAPTCHA.sub("", CSRF.sub("", a)), CAPTCHA.sub("", CSRF.sub("", b))


@pytest.fixture
def private_dir(tmp_path, settings):
    """Uploads of this test in their own folder, so "nothing stored" can be checked."""
    storage = DossierFile._meta.get_field("file").storage
    old_location = storage._location
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage._location = str(tmp_path)
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield tmp_path
    storage._location = old_location
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def stored(folder) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())
