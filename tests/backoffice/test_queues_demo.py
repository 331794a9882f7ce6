"""The demo officers of the README log in and land on their work queues."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

OFFICERS = {
    "tiepnhan@demo.motcua.vn": "Việc của cán bộ một cửa (tiếp nhận)",
    "truongphong@demo.motcua.vn": "Việc của lãnh đạo phòng",
    "chuyenvien@demo.motcua.vn": "Việc của chuyên viên thụ lý",
    "lanhdao@demo.motcua.vn": "Việc của lãnh đạo cơ quan (ký duyệt)",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize(("email", "section"), OFFICERS.items())
def test_demo_officer_lands_on_the_queues_of_their_role(seeded, client, settings, email, section):
    settings.STAFF_2FA_REQUIRED = False
    response = client.post("/dang-nhap/", {"email": email, "password": settings.DEMO_PASSWORD})
    assert response["Location"] == "/can-bo/"
    page = client.get("/can-bo/")
    assert page.status_code == 200
    assert section in page.content.decode()
    assert client.get("/can-bo/ho-so/", {"queue": "qua-han", "q": "nguyen"}).status_code == 200
