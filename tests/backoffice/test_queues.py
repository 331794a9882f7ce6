"""The officers' work queues (/can-bo/, /can-bo/ho-so/): what each queue holds, search,
filters, keyset pages, who sees what, bulk assignment and the staff landing after login."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.workflow.models import Step
from motcua.workflow.services import build_standard
from tests.factories import (
    PASSWORD,
    FieldFactory,
    MembershipFactory,
    ProcedureVersionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/can-bo/"
LIST = "/can-bo/ho-so/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_seq = itertools.count(1)


def make(version, status, *, name="Nguyễn Văn An", idno="051090000001", agency=None, **fields):
    """A dossier in a given state, written straight to the table: these tests are about which
    queue shows what, not about how a dossier gets there (the services' tests do that)."""
    agency = agency or version.agency
    d = Dossier(
        version=version,
        receiving_agency=agency,
        owner=UserFactory(),
        status=status,
        code=f"{agency.code}-250701-{next(_seq):04d}",  # a day no test submits on
        applicant_name=name,
        applicant_id_number=idno,
        submitted_at=timezone.now(),
        **fields,
    )
    d.save()
    return d


def codes(response) -> list[str]:
    return re.findall(r'href="/can-bo/ho-so/([^/"]+)/"', response.content.decode())


@pytest.fixture
def world():
    """Agency A with one officer per role, agency B with a receiver, a procedure each."""
    a = ProcedureVersionFactory(name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    b = ProcedureVersionFactory(name="Cấp giấy phép quảng cáo")
    staff = {
        role: MembershipFactory(agency=a.agency, role=role).user
        for role in (Role.RECEIVER, Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER)
    }
    other = MembershipFactory(agency=b.agency, role=Role.RECEIVER).user
    return {"a": a, "b": b, "staff": staff, "other": other}


def login(client, user):
    client.force_login(user)
    return client


def situations(world):
    """One dossier per queue of agency A, keyed by the queue that must show it."""
    a = world["a"]
    now = timezone.now()
    process = build_standard(a)
    signing = Step.objects.get(process=process, role=Role.APPROVER)
    far = now + dt.timedelta(days=20)
    return {
        "cho-tiep-nhan": make(a, Status.SUBMITTED),
        "moi-tiep-nhan": make(a, Status.RECEIVED, due_at=far, received_at=now),
        "dang-xu-ly": make(a, Status.PROCESSING, due_at=far, received_at=now),
        "cho-bo-sung": make(a, Status.SUPPLEMENT_REQUESTED, due_at=far, paused_at=now),
        "cho-ky": make(a, Status.PROCESSING, due_at=far, current_step=signing, process=process),
        "cho-tra-ket-qua": make(a, Status.FINISHED, due_at=far, finished_at=now),
        "sap-den-han": make(a, Status.PROCESSING, due_at=now + dt.timedelta(minutes=30)),
        "qua-han": make(a, Status.PROCESSING, due_at=now - dt.timedelta(hours=1)),
        "da-tra": make(a, Status.RETURNED, due_at=far, finished_at=now, returned_at=now),
    }


def test_each_queue_shows_its_dossiers_and_the_landing_counts_them(client, world):
    made = situations(world)
    old = make(world["a"], Status.RETURNED, returned_at=timezone.now() - dt.timedelta(days=40))
    make(world["a"], Status.DRAFT)
    login(client, world["staff"][Role.RECEIVER])
    expected = {key: {d.code} for key, d in made.items()}
    # Overdue and due-soon dossiers are also being processed; the signing queue is not.
    expected["dang-xu-ly"] |= {made["sap-den-han"].code, made["qua-han"].code}
    for key, wanted in expected.items():
        response = client.get(LIST, {"queue": key})
        assert response.status_code == 200
        assert set(codes(response)) == wanted, key
    everything = set(codes(client.get(LIST)))
    assert everything == {d.code for d in made.values()} | {old.code}
    page = client.get(HOME).content.decode()
    for key, wanted in expected.items():
        assert re.search(
            rf'href="{LIST}\?queue={key}"><span class="queue-tile__count">{len(wanted)}</span>',
            page,
        ), key
    assert "Việc của cán bộ một cửa (tiếp nhận)" in page


def test_the_deadline_column_says_it_in_words(client, world):
    made = situations(world)
    login(client, world["staff"][Role.HANDLER])
    page = client.get(LIST).content.decode()

    def clock(code):
        row = page[page.index(f">{code}</a>") :]
        return re.search(r'class="clock clock--(\w+)">([^<]+)<', row).groups()

    assert clock(made["qua-han"].code) == ("late", "Quá hạn")
    assert clock(made["sap-den-han"].code) == ("soon", "Sắp đến hạn")
    assert clock(made["dang-xu-ly"].code) == ("ok", "Trong hạn")
    assert clock(made["cho-bo-sung"].code) == ("paused", "Tạm dừng tính hạn")
    assert clock(made["cho-tiep-nhan"].code) == ("none", "Chưa tính hạn")


def test_search_by_code_name_and_identity_number(client, world):
    a = world["a"]
    nhung = make(a, Status.RECEIVED, name="Trần Thị Hồng Nhung", idno="051190001234")
    dung = make(a, Status.RECEIVED, name="Đặng Văn Dũng", idno="051090009999")
    login(client, world["staff"][Role.RECEIVER])

    def found(q):
        return set(codes(client.get(LIST, {"q": q})))

    assert found(nhung.code) == {nhung.code}
    assert found(nhung.code.lower()) == {nhung.code}
    assert found("hong nhung") == {nhung.code}
    assert found("HỒNG  Nhung") == {nhung.code}
    assert found("tran thi") == {nhung.code}
    assert found("dang dung") == {dung.code}
    assert found("Đặng") == {dung.code}
    assert found("051190001234") == {nhung.code}
    assert found("0511 9000 1234") == {nhung.code}
    assert found("05119000") == set()  # a number is matched whole, not as a prefix
    assert found("Lê Văn Tám") == set()
    assert "Không có hồ sơ nào khớp điều kiện tìm kiếm" in client.get(
        LIST, {"q": "Lê Văn Tám"}
    ).content.decode("utf-8")


def test_a_name_changed_later_is_searched_by_its_new_spelling(client, world):
    d = make(world["a"], Status.RECEIVED, name="Lê Thị Mai")
    d.applicant_name = "Lê Thị Ngọc Mai"
    d.save(update_fields=["applicant_name"])
    login(client, world["staff"][Role.RECEIVER])
    assert codes(client.get(LIST, {"q": "ngoc mai"})) == [d.code]


def test_filters_by_procedure_field_status_and_deadline(client, world):
    a = world["a"]
    second = ProcedureVersionFactory(
        agency=a.agency, name="Gia hạn giấy phép xây dựng", field=FieldFactory(name="Xây dựng")
    )
    now = timezone.now()
    late = make(a, Status.PROCESSING, due_at=now - dt.timedelta(hours=2))
    soon = make(second, Status.PROCESSING, due_at=now + dt.timedelta(minutes=20))
    fine = make(second, Status.RECEIVED, due_at=now + dt.timedelta(days=30))
    login(client, world["staff"][Role.DEPT_HEAD])

    def found(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return set(codes(response))

    assert found(procedure=second.procedure.code) == {soon.code, fine.code}
    assert found(field=second.field.pk) == {soon.code, fine.code}
    assert found(field=a.field.pk) == {late.code}
    assert found(status=Status.RECEIVED) == {fine.code}
    assert found(deadline="qua-han") == {late.code}
    assert found(deadline="sap-den-han") == {soon.code}
    assert found(deadline="trong-han") == {fine.code}
    assert found(procedure=second.procedure.code, deadline="trong-han") == {fine.code}
    # The procedure list is in Vietnamese alphabetical order: "Cấp" before "Gia".
    page = client.get(LIST).content.decode()
    assert page.index("Cấp giấy phép xây dựng nhà ở riêng lẻ") < page.index(
        "Gia hạn giấy phép xây dựng"
    )


def test_bad_filters_are_explained_next_to_the_field_and_in_the_summary(client, world):
    login(client, world["staff"][Role.RECEIVER])
    response = client.get(LIST, {"procedure": world["b"].procedure.code, "status": "99"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Có lỗi cần sửa" in page
    assert 'href="#id_procedure">Thủ tục này không thuộc cơ quan của bạn.' in page
    assert 'id="id_procedure_error"' in page and 'id="id_status_error"' in page


def test_pages_follow_the_keyset_both_ways(client, world):
    made = [make(world["a"], Status.RECEIVED) for _ in range(60)]
    newest_first = [d.code for d in reversed(made)]
    login(client, world["staff"][Role.RECEIVER])
    first = client.get(LIST, {"queue": "moi-tiep-nhan"})
    assert codes(first) == newest_first[:25]
    page = first.content.decode()
    assert "Trang trước" not in page
    next_url = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    second = client.get(LIST + next_url)
    assert codes(second) == newest_first[25:50]
    third_url = re.search(r'rel="next" href="([^"]+)"', second.content.decode()).group(1)
    third = client.get(LIST + third_url.replace("&amp;", "&"))
    assert codes(third) == newest_first[50:]
    assert 'rel="next"' not in third.content.decode()
    back_url = re.search(r'rel="prev" href="([^"]+)"', third.content.decode()).group(1)
    assert codes(client.get(LIST + back_url.replace("&amp;", "&"))) == newest_first[25:50]
    # A cursor that is not a number is ignored, never an error.
    assert codes(client.get(LIST, {"queue": "moi-tiep-nhan", "truoc": "x'"})) == codes(first)


def test_anonymous_and_citizens_are_refused(client, world):
    for url in (HOME, LIST):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    login(client, UserFactory())
    assert client.get(HOME).status_code == 403
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"dossiers": ["X"]}).status_code == 403


def test_staff_owing_a_second_factor_are_refused(client, world, settings):
    settings.STAFF_2FA_REQUIRED = True
    login(client, world["staff"][Role.RECEIVER])
    assert client.get(HOME).status_code == 403


def test_an_officer_never_sees_another_agencys_dossier(client, world):
    made = situations(world)
    theirs = make(world["b"], Status.SUBMITTED, idno="051090000777")
    login(client, world["other"])
    for key in ("tat-ca", *made):
        listed = set(codes(client.get(LIST, {"queue": key})))
        assert listed <= {theirs.code}, key
    for d in made.values():
        assert codes(client.get(LIST, {"q": d.code})) == []
        assert codes(client.get(LIST, {"q": d.applicant_id_number})) == []
    assert codes(client.get(LIST, {"q": "Nguyễn Văn An"})) == [theirs.code]
    page = client.get(HOME).content.decode()
    assert f'href="{LIST}?queue=qua-han"><span class="queue-tile__count">0</span>' in page
    # A dossier of A assigned to them is theirs to see.
    mine = make(world["a"], Status.PROCESSING, assignee=world["other"])
    assert set(codes(client.get(LIST))) == {theirs.code, mine.code}


def test_a_dossier_transferred_to_the_competent_agency_is_in_its_queues(client, world):
    """Boundary-free reception (DOMAIN §5.8): received by agency A, handled by agency B."""
    moved = make(
        world["a"], Status.PROCESSING, idno="051090000888", competent_agency=world["b"].agency
    )
    login(client, world["other"])
    assert moved.code in codes(client.get(LIST, {"queue": "tat-ca"}))
    assert codes(client.get(LIST, {"q": moved.code})) == [moved.code]


def _accepted(version, receiver, n):
    """``n`` dossiers submitted and accepted: waiting at the department head's step."""
    owner = UserFactory()
    out = []
    for _ in range(n):
        draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
        services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
        required = version.components.get(required=True)
        services.add_file(draft, actor=owner, component_id=required.pk, name="d.pdf", content=PDF)
        d = services.submit(draft, owner)
        out.append(services.perform(d, "accept", receiver))
    return out


def test_bulk_assign_to_a_chosen_officer_and_to_the_least_loaded(client, world):
    a, staff = world["a"], world["staff"]
    build_standard(a)
    busy = staff[Role.HANDLER]
    idle = MembershipFactory(agency=a.agency, role=Role.HANDLER, user__full_name="Ân Thị Rảnh").user
    first = _accepted(a, staff[Role.RECEIVER], 2)
    login(client, staff[Role.DEPT_HEAD])
    page = client.get(LIST, {"queue": "moi-tiep-nhan"}).content.decode()
    # Officers in Vietnamese alphabetical order ("Â" after "A", before "N"), with their load.
    assert page.index("Ân Thị Rảnh (0 hồ sơ đang xử lý)") < page.index(busy.full_name)
    response = client.post(
        f"{LIST}?queue=moi-tiep-nhan", {"dossiers": [d.code for d in first], "assignee": busy.pk}
    )
    assert response.status_code == 302
    assert "Đã phân công 2 hồ sơ." in client.get(response["Location"]).content.decode()
    for d in first:
        d.refresh_from_db()
        assert (d.status, d.assignee_id) == (Status.PROCESSING, busy.pk)
        assert d.events.filter(action="assign").count() == 1
    later = _accepted(a, staff[Role.RECEIVER], 1)[0]
    client.post(LIST, {"dossiers": [later.code], "assignee": ""})
    later.refresh_from_db()
    assert later.assignee_id == idle.pk  # the default: the least-loaded eligible officer


def test_bulk_assign_reports_each_failure_and_loses_nothing(client, world):
    a, staff = world["a"], world["staff"]
    build_standard(a)
    good = _accepted(a, staff[Role.RECEIVER], 1)[0]
    waiting = make(a, Status.SUBMITTED)  # not accepted yet: no assignment possible
    foreign = make(world["b"], Status.RECEIVED)
    login(client, staff[Role.DEPT_HEAD])
    response = client.post(
        f"{LIST}?queue=tat-ca",
        {"dossiers": [good.code, waiting.code, foreign.code], "assignee": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã phân công 1 hồ sơ; 2 hồ sơ chưa phân công được" in page
    assert f'href="#chon-{waiting.code}">{waiting.code}: Không thể «phân công thụ lý»' in page
    assert f"{foreign.code}: Không tìm thấy hồ sơ này trong phạm vi bạn được xem." in page
    # The failed row stays selected with its reason beside it.
    assert re.search(
        rf'id="chon-{waiting.code}" checked aria-describedby="loi-{waiting.code}"', page
    )
    good.refresh_from_db()
    waiting.refresh_from_db()
    foreign.refresh_from_db()
    assert good.status == Status.PROCESSING and good.assignee_id == staff[Role.HANDLER].pk
    assert (waiting.status, waiting.assignee_id) == (Status.SUBMITTED, None)
    assert (foreign.status, foreign.assignee_id) == (Status.RECEIVED, None)


def test_bulk_assign_needs_a_selection_and_an_assigning_role(client, world):
    login(client, world["staff"][Role.DEPT_HEAD])
    response = client.post(LIST, {"assignee": ""})
    assert response.status_code == 400
    assert "Chọn ít nhất một hồ sơ để phân công." in response.content.decode()
    login(client, world["staff"][Role.HANDLER])
    assert "Phân công thụ lý" not in client.get(LIST).content.decode()
    assert client.post(LIST, {"dossiers": ["X"]}).status_code == 403


def test_staff_login_lands_on_the_work_queues(client, world, settings):
    settings.STAFF_2FA_REQUIRED = False
    officer = world["staff"][Role.RECEIVER]
    response = client.post("/dang-nhap/", {"email": officer.email, "password": PASSWORD})
    assert response["Location"] == HOME
    page = client.get(HOME).content.decode()
    for link in ("Hồ sơ", "Sổ theo dõi hồ sơ", "Bảo mật", "Đăng xuất"):
        assert f">{link}</" in page
    # Citizens still land on their personal page, a superuser on the administration.
    client.logout()
    citizen = UserFactory()
    assert client.post("/dang-nhap/", {"email": citizen.email, "password": PASSWORD})[
        "Location"
    ] == ("/trang-ca-nhan/")
    client.logout()
    admin = StaffFactory(is_superuser=True)
    assert (
        client.post("/dang-nhap/", {"email": admin.email, "password": PASSWORD})["Location"]
        == "/quan-tri/"
    )


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_queue_pages_make_a_fixed_number_of_queries(client, world):
    a = world["a"]
    build_standard(a)
    login(client, world["staff"][Role.DEPT_HEAD])
    make(a, Status.PROCESSING, assignee=world["staff"][Role.HANDLER])
    _queries(client, LIST, {})  # builds the working calendar, kept for later requests
    few = _queries(client, LIST, {"queue": "tat-ca"})
    home_few = _queries(client, HOME, {})
    for i in range(30):
        make(
            ProcedureVersionFactory(agency=a.agency),
            Status.PROCESSING,
            assignee=MembershipFactory(agency=a.agency, role=Role.HANDLER).user,
            due_at=timezone.now() + dt.timedelta(hours=i - 10),
        )
    many = _queries(client, LIST, {"queue": "tat-ca"})
    assert many == few
    assert _queries(client, HOME, {}) == home_few
    # Session, user, second-factor devices, memberships with the desk clock (which also
    # tell the header about counter intake), handlers with their load, procedures, then
    # (the rows having changed) the procedure versions, the calendar's two configuration stamps, the
    # page's ids (one query per part of the scope: assigned, receiving agency, competent
    # agency, procedures), its rows, and the fields: pinned, so that a query per row (or
    # per anything) shows up here. A page seen again: tests/backoffice/test_queue_cache.py.
    assert many == 15, many


def test_the_chosen_procedure_is_selected_in_the_rendered_menu(client, world):
    a = world["a"]
    second = ProcedureVersionFactory(agency=a.agency, name="Gia hạn giấy phép <xây dựng>")
    login(client, world["staff"][Role.DEPT_HEAD])
    page = client.get(LIST, {"procedure": second.procedure.code}).content.decode()
    select = re.search(r'<select name="procedure"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"( selected)?>', select) == [
        ("", ""),
        (a.procedure.code, ""),
        (second.procedure.code, " selected"),
    ]
    assert "Gia hạn giấy phép &lt;xây dựng&gt;" in select  # escaped, as Django's widget does
    # Unfiltered, "all procedures" is the selected one, as Django's own widget has it.
    for params in ({}, {"q": "x", "procedure": ""}):
        page = client.get(LIST, params).content.decode()
        select = re.search(r'<select name="procedure".*?</select>', page, re.S)[0]
        assert re.findall(r"<option[^>]* selected>", select) == ['<option value="" selected>']


def test_the_procedure_menu_is_kept_until_the_catalogue_changes(
    client, world, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from motcua.catalog import services as catalog_services

    settings.CATALOGUE_CACHE_SECONDS = 60
    cache.clear()
    a = world["a"]
    login(client, world["staff"][Role.DEPT_HEAD])
    assert "Gia hạn giấy phép xây dựng" not in client.get(LIST).content.decode()
    # Written behind the services' back, the new procedure waits for the catalogue's next
    # generation: the menu is the kept one, not read again.
    second = ProcedureVersionFactory(agency=a.agency, name="Gia hạn giấy phép xây dựng")
    assert "Gia hạn giấy phép xây dựng" not in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.save_version(second)
    page = client.get(LIST, {"procedure": second.procedure.code})
    assert page.status_code == 200
    assert f'<option value="{second.procedure.code}" selected>' in page.content.decode()
