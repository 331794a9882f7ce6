"""The forms named under "Mẫu" can be downloaded where the catalogue has them."""

import pytest
from django.core.files.base import ContentFile

from motcua.catalog.models import Component
from motcua.demo.services import demo_form_pdf
from tests.factories import ProcedureVersionFactory
from tests.portal.conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_component(version, **kwargs):
    return Component.objects.create(
        version=version,
        position=3,
        name="Tờ khai đăng ký khai sinh",
        template_name="Mẫu số 01/TK-KS",
        allowed_types=["pdf"],
        **kwargs,
    )


def test_a_stored_form_is_linked_and_downloaded(client, media):
    version = ProcedureVersionFactory()
    component = form_component(version)
    pdf = demo_form_pdf(component)
    assert pdf.startswith(b"%PDF-")
    component.template_file.save("to-khai.pdf", ContentFile(pdf), save=True)
    url = f"/thu-tuc/{version.procedure.code}/mau/{component.pk}/"
    page = html(client.get(f"/thu-tuc/{version.procedure.code}/"))
    assert f'href="{url}"' in page and "Mẫu số 01/TK-KS</a>" in page
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf
    assert r["Content-Disposition"].startswith("attachment;")
    assert "M%E1%BA%ABu%20s%E1%BB%91%2001-TK-KS.pdf" in r["Content-Disposition"]


def test_an_address_only_form_redirects_and_a_missing_one_is_404(client, media):
    version = ProcedureVersionFactory()
    linked = form_component(version, template_url="https://example.gov.vn/mau-01.docx")
    plain = form_component(version)
    assert client.get(f"/thu-tuc/{version.procedure.code}/mau/{linked.pk}/")["Location"] == (
        "https://example.gov.vn/mau-01.docx"
    )
    assert client.get(f"/thu-tuc/{version.procedure.code}/mau/{plain.pk}/").status_code == 404
    other = ProcedureVersionFactory()
    assert client.get(f"/thu-tuc/{other.procedure.code}/mau/{linked.pk}/").status_code == 404
    page = html(client.get(f"/thu-tuc/{version.procedure.code}/"))
    # A form the catalogue only names stays plain text: no link that leads nowhere.
    assert page.count(f"/mau/{plain.pk}/") == 0
