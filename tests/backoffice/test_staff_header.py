"""The staff header: one navigation on every staff page, counter intake offered only to
those who hold a one-stop desk."""

import pytest
from django.urls import reverse

from motcua.accounts.models import Role
from tests.dossiers.back_office import office

pytestmark = pytest.mark.django_db

INTAKE_LINK = 'href="/can-bo/tiep-nhan-tai-quay/"'


def header(html: str) -> str:
    start = html.index('aria-label="Điều hướng cán bộ"')
    return html[start : html.index("</nav>", start)]


def test_every_staff_page_shows_the_staff_header_with_counter_intake(client):
    d, staff = office()
    client.force_login(staff[Role.RECEIVER])
    for url in (
        reverse("backoffice:queues"),
        reverse("backoffice:dossier", args=[d.code]),
        reverse("backoffice:intake"),
        reverse("backoffice:tracking-book"),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        nav = header(r.content.decode())
        assert INTAKE_LINK in nav and "Tiếp nhận tại quầy" in nav, url
        assert "Sổ theo dõi hồ sơ" in nav and "Đăng xuất" in nav, url
        # The citizen's navigation is not there.
        assert "Trang cá nhân" not in r.content.decode(), url
    r = client.get(reverse("backoffice:intake"))
    assert 'href="/can-bo/tiep-nhan-tai-quay/" aria-current="page"' in header(r.content.decode())


@pytest.mark.parametrize("role", [Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER])
def test_counter_intake_is_not_offered_without_a_desk(client, role):
    d, staff = office()
    client.force_login(staff[role])
    for url in (
        reverse("backoffice:queues"),
        reverse("backoffice:dossier", args=[d.code]),
        reverse("backoffice:tracking-book"),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert INTAKE_LINK not in header(r.content.decode()), url
