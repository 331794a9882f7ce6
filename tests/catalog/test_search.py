"""Search in citizens' words (catalog.search): synonyms, fillers, ranking, popularity,
corrections, suggestions; the portal and the API answer with the same ranking."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.catalog import search, services
from motcua.catalog.models import SearchSynonym
from motcua.dossiers.models import Dossier
from tests.factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_synonyms")]


def version(code, name, **kwargs):
    return ProcedureVersionFactory(procedure=ProcedureFactory(code=code), name=name, **kwargs)


@pytest.fixture
def permits():
    agency, field = AgencyFactory(code="H48.16"), FieldFactory(code="XD")
    made = [
        version("1.000003", "Gia hạn giấy phép xây dựng", agency=agency, field=field),
        version("1.000002", "Cấp lại giấy phép xây dựng", agency=agency, field=field),
        version(
            "1.000001",
            "Cấp giấy phép xây dựng (giấy phép xây dựng mới, giấy phép sửa chữa, cải tạo, "
            "giấy phép di dời công trình) đối với công trình, nhà ở riêng lẻ",
            agency=agency,
            field=field,
        ),
        version("1.000004", "Đăng ký khai sinh", agency=agency, field=field),
        version(
            "1.000005", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", agency=agency, field=field
        ),
        version("1.000006", "Chứng thực chữ ký", agency=agency, field=field),
        version("1.000007", "Cấp giấy xác nhận tình trạng hôn nhân", agency=agency, field=field),
    ]
    return {v.procedure.code: v for v in made}


def codes(results):
    return [v.procedure.code for v in results]


def test_a_name_starting_with_the_query_comes_before_renewals_and_extensions(permits):
    assert codes(search.search(q="giay phep xay dung"))[:3] == ["1.000001", "1.000002", "1.000003"]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("xin giấy phép xây nhà", "1.000001"),  # filler "xin", "xây nhà" → xây dựng nhà ở
        ("GPXD", "1.000001"),
        ("làm giấy khai sinh cho con", "1.000004"),  # not the one that mentions "con"
        ("công chứng chữ ký", "1.000006"),
        ("giấy độc thân", "1.000007"),
    ],
)
def test_citizens_words_find_the_procedure(permits, q, code):
    assert codes(search.search(q=q))[0] == code


def test_not_every_word_needs_to_match_more_matching_first(permits):
    found = codes(search.search(q="khai sinh karaoke"))
    assert set(found) == {"1.000004", "1.000005"}


def test_a_query_of_fillers_alone_still_searches(permits):
    assert set(codes(search.search(q="cap"))) == {"1.000001", "1.000002", "1.000007"}


def test_popularity_breaks_a_tie(permits, django_capture_on_commit_callbacks):
    assert codes(search.search(q="dang ky khai sinh"))[0] == "1.000004"
    tied = ["1.000002", "1.000003"]
    assert codes(search.search(q="giay phep xay dung lai han"))[:2] == tied
    for code, count in (("1.000003", 500), ("1.000002", 3)):
        permits[code].procedure.__class__.objects.filter(code=code).update(recent_dossiers=count)
    with django_capture_on_commit_callbacks(execute=True):
        services.bump_generation()  # as refresh_popularity does
    assert codes(search.search(q="giay phep xay dung lai han"))[:2] == tied[::-1]


def test_typo_is_corrected_and_said(permits):
    results = search.search(q="giay phep xay dugn")
    assert codes(results)[0] == "1.000001"
    assert results.corrected == "giấy phép xây dựng"


def test_did_you_mean_when_nothing_matches(permits):
    results = search.search(q="thuwxx")  # three slips: beyond what search corrects itself
    assert not results.exists()
    assert results.suggestion == "thực"
    assert codes(search.search(q=results.suggestion)) == ["1.000006"]
    assert search.search(q="zqxw vbnm").suggestion == ""


def test_suggestions_while_typing(permits):
    assert codes(search.suggest("giay phep xay d"))[0] == "1.000001"
    assert search.suggest("g") == []


def test_a_synonym_saved_takes_effect_at_once(permits, django_capture_on_commit_callbacks):
    assert not search.search(q="qzchuky").exists()
    with django_capture_on_commit_callbacks(execute=True):
        row = SearchSynonym.objects.create(phrase="QZCHUKY", meaning="chứng thực chữ ký")
    assert codes(search.search(q="qzchuky")) == ["1.000006"]
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    assert not search.search(q="qzchuky").exists()


def test_refresh_popularity_counts_the_last_twelve_months(permits):
    now = timezone.now()
    permit = permits["1.000001"]
    owner = UserFactory()
    for days in (10, 300, 400):
        when = now - dt.timedelta(days=days)
        Dossier.objects.create(
            version=permit, receiving_agency=permit.agency, owner=owner, submitted_at=when
        )
    Dossier.objects.create(version=permit, receiving_agency=permit.agency, owner=owner)  # a draft
    assert services.refresh_popularity(now) == 1
    permit.procedure.refresh_from_db()
    assert permit.procedure.recent_dossiers == 2
    assert services.refresh_popularity(now) == 0


@pytest.fixture
def many_ties():
    agency, field = AgencyFactory(code="H48.77"), FieldFactory(code="TIES")
    objects = ["nhà ở", "công trình", "biển quảng cáo", "tàu cá", "trạm gốc", "cột điện"]
    verbs = ["Cấp giấy phép", "Cấp lại giấy phép", "Gia hạn giấy phép", "Điều chỉnh giấy phép"]
    n = 0
    for verb in verbs:
        for obj in objects:
            for extra in ("", " tạm thời", " cho hộ gia đình"):
                n += 1
                version(f"9.{n:06d}", f"{verb} {obj}{extra}", agency=agency, field=field)


@pytest.mark.parametrize("q", ["giay phep", "cap giay phep nha o", "giay phep tam thoi", "gia han"])
def test_ranked_order_is_the_same_however_it_is_read(many_ties, q, monkeypatch):
    import importlib

    rank = importlib.import_module("motcua.catalog.search.rank")
    # Fine-sorted lazily, run by run: any page, read in any order, and the whole list give the
    # order the fine key gives the first FINE results at once.
    monkeypatch.setattr(rank, "FINE", 20)
    whole = codes(search.search(q=q))
    assert len(whole) > 10
    backwards = search.search(q=q)
    assert [backwards[i].procedure.code for i in reversed(range(len(whole)))] == whole[::-1]
    paged = search.search(q=q)
    pages = [codes(paged[start : start + 7]) for start in range(35, -1, -7)]
    assert [c for page in reversed(pages) for c in page] == whole[:42]
    assert codes(paged) == whole


def test_a_word_searched_before_finds_a_procedure_added_since(
    permits, django_capture_on_commit_callbacks
):
    # Each word's matches are kept on the catalogue snapshot: a write makes a new one.
    assert codes(search.search(q="khai sinh")) == ["1.000004", "1.000005"]
    assert codes(search.search(q="khai sinh")) == ["1.000004", "1.000005"]
    with django_capture_on_commit_callbacks(execute=True):
        added = version("1.000008", "Đăng ký khai sinh lưu động")
        services.bump_generation()
    assert "1.000008" in codes(search.search(q="khai sinh"))
    with django_capture_on_commit_callbacks(execute=True):
        added.name = "Đăng ký lưu động"
        added.save()
        services.bump_generation()
    assert "1.000008" not in codes(search.search(q="khai sinh"))
