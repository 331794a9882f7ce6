"""Another citizen's draft, dossier or file is a 404 on every page that names one, exactly
like an id that does not exist; staff of the handling agency may open the files."""

import uuid

import pytest

from motcua.accounts.models import Role
from motcua.dossiers import services
from tests.factories import MembershipFactory, UserFactory
from tests.portal.dossiers_support import (
    advertising,
    attach,
    components_of,
    draft_for,
    private_dir,  # noqa: F401 (fixture)
    ready,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _draft_urls(draft, file):
    base = f"/ho-so/{draft.public_id}"
    return [
        f"{base}/",
        f"{base}/nguoi-nop/",
        f"{base}/thanh-phan/1/",
        f"{base}/nhan-ket-qua/",
        f"{base}/kiem-tra/",
        f"{base}/xoa-ban-nhap/",
        f"{base}/tep/{file.public_id}/",
    ]


def _dossier_urls(dossier, file):
    base = f"/ho-so/{dossier.code}"
    return [
        f"{base}/",
        f"{base}/da-nop/",
        f"{base}/tep/{file.public_id}/",
        f"{base}/bo-sung/",
        f"{base}/rut-ho-so/",
    ]


@pytest.fixture
def stranger(client):
    client.force_login(UserFactory())
    return client


def test_another_citizens_draft_is_404_everywhere(stranger):
    owner = UserFactory()
    draft = draft_for(owner)
    file = attach(draft, owner, components_of(draft.version)[0])
    for url in _draft_urls(draft, file):
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, {"action": "continue"}).status_code in (404, 405), url
    draft.refresh_from_db()
    assert draft.files.count() == 1 and draft.applicant_name == owner.full_name


def test_another_citizens_dossier_is_404_everywhere(stranger):
    owner = UserFactory()
    dossier = services.submit(ready(owner), owner)
    file = dossier.files.get()
    attempt = {"reason": "Không cần nữa", "confirm": "1", "action": "send"}
    for url in _dossier_urls(dossier, file):
        assert stranger.get(url).status_code == 404, url
        answer = stranger.post(url, {**attempt, "remove": str(file.public_id)})
        assert answer.status_code in (404, 405), url
    assert not hasattr(type(dossier).objects.get(pk=dossier.pk), "withdrawal")
    assert dossier.files.count() == 1


def test_unknown_ids_are_404_too(logged_in):
    for url in (
        f"/ho-so/{uuid.uuid4()}/",
        f"/ho-so/{uuid.uuid4()}/nguoi-nop/",
        "/ho-so/H48.31-990101-0001/",
        "/ho-so/H48.31-990101-0001/tep/khong-phai-uuid/",
        f"/ho-so/H48.31-990101-0001/tep/{uuid.uuid4()}/",
    ):
        assert logged_in.get(url).status_code == 404, url


def test_a_file_only_under_its_own_dossier(client):
    owner = UserFactory()
    version = advertising()
    mine = services.submit(ready(owner, version), owner)
    other = services.submit(ready(owner, version), owner)
    client.force_login(owner)
    file = mine.files.get()
    assert client.get(f"/ho-so/{mine.code}/tep/{file.public_id}/").status_code == 200
    assert client.get(f"/ho-so/{other.code}/tep/{file.public_id}/").status_code == 404


def test_staff_of_the_agency_may_download_others_may_not(client):
    owner = UserFactory()
    dossier = services.submit(ready(owner), owner)
    file = dossier.files.get()
    url = f"/ho-so/{dossier.code}/tep/{file.public_id}/"
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(MembershipFactory(role=Role.RECEIVER).user)
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    owner = UserFactory()
    dossier = services.submit(ready(owner), owner)
    file = dossier.files.get()
    for url in _dossier_urls(dossier, file) + ["/trang-ca-nhan/ho-so/"]:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next="), url
