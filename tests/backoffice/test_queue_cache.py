"""The queue page's rows kept in the cache (``backoffice.queue_views._page_key``): a page seen
again reads only who asks and the desk clock, and any write, whichever process or code path
makes it, shows on the very next view."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.workflow.services import build_standard
from tests.backoffice.test_queues import LIST, _accepted, make
from tests.factories import MembershipFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(settings):
    # Production's catalogue cache: the menus are kept too, as on a real server.
    settings.CATALOGUE_CACHE_SECONDS = 60
    version = ProcedureVersionFactory(name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    agency = version.agency
    desk = SimpleNamespace(
        version=version,
        head=MembershipFactory(agency=agency, role=Role.DEPT_HEAD).user,
        receiver=MembershipFactory(agency=agency, role=Role.RECEIVER).user,
        handler=MembershipFactory(
            agency=agency, role=Role.HANDLER, user__full_name="Lê Văn Xử"
        ).user,
    )
    build_standard(version)  # its steps take the officers who hold their roles now
    return desk


def _statements(client, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def codes(page) -> list[str]:
    page = page if isinstance(page, str) else page.content.decode()
    return re.findall(r'href="/can-bo/ho-so/([^/"]+)/"', page)


def _row(page: str, code: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*?chon-{code}.*?</tr>", page, re.S)[0]


def test_a_page_seen_again_reads_only_who_asks_and_the_desk_clock(client, desk, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # both views in the same minute
    for _ in range(3):
        make(desk.version, Status.RECEIVED, received_at=now)
    client.force_login(desk.head)
    first, page = _statements(client, {"queue": "tat-ca"})
    again, same = _statements(client, {"queue": "tat-ca"})
    assert codes(same) == codes(page) and len(codes(page)) == 3
    # Session, user, second-factor devices, memberships with the desk clock, handlers with
    # their load: the rows, their ids, the menus and the calendar are not read again.
    assert again == 5, again
    assert first > again


def test_a_perform_shows_on_the_next_view(client, desk):
    d = _accepted(desk.version, desk.receiver, 1)[0]
    client.force_login(desk.head)
    params = {"queue": "tat-ca"}
    page = client.get(LIST, params).content.decode()
    assert "Lê Văn Xử" not in _row(page, d.code)
    assert "Lê Văn Xử (0 hồ sơ đang xử lý)" in page
    assert d.code in codes(client.get(LIST, {"queue": "moi-tiep-nhan"}))
    services.perform(d, "assign", desk.head, assignee=desk.handler.pk)
    page = client.get(LIST, params).content.decode()
    assert "Lê Văn Xử" in _row(page, d.code)
    assert "Lê Văn Xử (1 hồ sơ đang xử lý)" in page
    # The queue it left no longer lists it.
    assert d.code not in codes(client.get(LIST, {"queue": "moi-tiep-nhan"}))


def test_a_write_behind_the_applications_back_shows_too(client, desk):
    """What another server process (or a bulk update, or the admin) writes reaches no cache
    of this one: the database's desk clock is what changes the page's key."""
    d = make(desk.version, Status.RECEIVED, received_at=timezone.now(), name="Nguyễn Văn An")
    client.force_login(desk.head)
    assert "Nguyễn Văn An" in client.get(LIST).content.decode()
    Dossier.objects.filter(pk=d.pk).update(applicant_name="Trần Thị Mới")
    page = client.get(LIST).content.decode()
    assert "Trần Thị Mới" in page and "Nguyễn Văn An" not in page
    newer = make(desk.version, Status.SUBMITTED)
    assert codes(client.get(LIST)) == [newer.code, d.code]


def test_the_deadline_colour_moves_with_the_minute(client, desk, monkeypatch):
    now = timezone.now()
    d = make(desk.version, Status.PROCESSING, due_at=now + dt.timedelta(minutes=30))
    client.force_login(desk.head)
    assert "Quá hạn" not in _row(client.get(LIST).content.decode(), d.code)
    # Two hours on, with nothing written: a new minute, so the page is built again.
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(hours=2))
    assert "clock--late" in _row(client.get(LIST).content.decode(), d.code)


def test_a_kept_page_is_the_officers_own(client, desk):
    d = make(desk.version, Status.RECEIVED, received_at=timezone.now())
    client.force_login(desk.head)
    assert f'id="chon-{d.code}"' in client.get(LIST).content.decode()
    # A handler of the same agency, same query string: no checkboxes, they may not assign.
    client.force_login(desk.handler)
    page = client.get(LIST).content.decode()
    assert d.code in codes(page) and f'id="chon-{d.code}"' not in page


def test_a_failed_assignment_marks_only_its_own_answer(client, desk):
    waiting = make(desk.version, Status.SUBMITTED)
    client.force_login(desk.head)
    client.get(LIST)
    response = client.post(LIST, {"dossiers": [waiting.code], "assignee": ""})
    assert response.status_code == 200
    assert f'id="chon-{waiting.code}" checked' in response.content.decode()
    page = client.get(LIST).content.decode()
    assert f'id="chon-{waiting.code}" checked' not in page and "row--error" not in page
    # And a refused POST (nothing chosen) is marked, not answered with the kept rows.
    refused = client.post(LIST, {"assignee": ""})
    assert refused.status_code == 400
    assert 'aria-describedby="id_dossiers_error"' in refused.content.decode()


def test_a_kept_page_carries_a_working_csrf_token(desk):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    waiting = make(desk.version, Status.SUBMITTED)
    browser.force_login(desk.head)
    browser.get(LIST)
    page = browser.get(LIST).content.decode()  # the kept one
    assert "csrf-token-of-this-answer" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(
        LIST, {"dossiers": [waiting.code], "assignee": "", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200  # answered (the row's refusal), not 403
    assert "Không thể «phân công thụ lý»" in response.content.decode()


def test_the_officers_stamp_is_the_desk_clocks(desk):
    from motcua.dossiers import desk_clock, staff_selectors

    other = ProcedureVersionFactory()
    MembershipFactory(
        user=desk.head,
        agency=other.agency,
        role=Role.DEPT_HEAD,
        valid_from=timezone.localdate() - dt.timedelta(days=9),
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )
    make(desk.version, Status.SUBMITTED)
    make(other, Status.SUBMITTED)  # the expired desk's clock moves, not the officer's
    o = staff_selectors.officer(desk.head)
    assert o.agencies == (desk.version.agency_id,)
    assert o.stamp == desk_clock.stamp(desk.head.pk, o.agencies) != "0"
