"""The personal list given again past the middleware stack (motcua.api.my_dossiers): the same
bytes as the ordinary path, one statement, and never an answer a change or a refused token
should have stopped."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.accounts.models import ApiToken
from motcua.dossiers import services
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    DOSSIERS,
    create,
    private_dir,
    receiver_of,
    submitted,
    version,
)
from tests.api.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

SHORT_PATH = "motcua.api.my_dossiers.MyDossiersMiddleware"


def _answer(response) -> tuple:
    return response.status_code, list(response.items()), response.content


@pytest.fixture
def listed(citizen_api):
    v = version()
    for _ in range(3):
        submitted(citizen_api, v)
    create(citizen_api)
    return citizen_api


REQUESTS = [
    ({}, {}),
    ({"page_size": 2, "page": 2}, {}),
    ({"format": "json"}, {}),
    ({}, {"HTTP_ACCEPT": "application/json; indent=2"}),
    ({}, {"HTTP_ACCEPT": "text/html"}),  # refused (406), never kept
    ({"page": 9}, {}),  # past the last page (404), never kept
    ({}, {"HTTP_X_FORWARDED_PROTO": "https"}),
]


@pytest.mark.parametrize(("query", "headers"), REQUESTS)
def test_the_answer_given_again_is_byte_for_byte_the_ordinary_one(listed, settings, query, headers):
    first = _answer(listed.get(DOSSIERS, query, **headers))
    again = _answer(listed.get(DOSSIERS, query, **headers))
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SHORT_PATH]
    ordinary = _answer(listed.get(DOSSIERS, query, **headers))
    assert first == again == ordinary
    status, items, _ = again
    names = {name for name, _ in items}
    assert {"Content-Security-Policy", "X-Frame-Options", "Content-Language"} <= names
    assert "Vary" not in names and "Set-Cookie" not in names


def test_a_repeat_costs_one_statement_the_token_and_the_stamp(listed):
    first = listed.get(DOSSIERS)
    with CaptureQueriesContext(connection) as captured:
        again = listed.get(DOSSIERS)
    assert again.content == first.content
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert '"accounts_apitoken"' in sql and "COUNT(*)" in sql, sql


def test_pages_accept_headers_and_citizens_do_not_share_an_answer(listed, citizen):
    from tests.api.dossier_helpers import new_citizen_api

    one = listed.get(DOSSIERS, {"page_size": 2}).json()
    two = listed.get(DOSSIERS, {"page_size": 2, "page": 2}).json()
    assert {x["id"] for x in one["results"]}.isdisjoint({x["id"] for x in two["results"]})
    plain = listed.get(DOSSIERS).content
    indented = listed.get(DOSSIERS, HTTP_ACCEPT="application/json; indent=2").content
    assert plain != indented and listed.get(DOSSIERS).content == plain
    assert new_citizen_api().get(DOSSIERS).json()["count"] == 0


@pytest.mark.parametrize(
    "refuse",
    [
        lambda t: t.__class__.objects.filter(pk=t.pk).update(revoked_at=timezone.now()),
        lambda t: t.__class__.objects.filter(pk=t.pk).update(expires_at=timezone.now()),
        lambda t: t.user.__class__.objects.filter(pk=t.user_id).update(is_active=False),
    ],
    ids=["revoked", "expired", "inactive"],
)
def test_a_token_that_no_longer_passes_is_refused_at_once(listed, citizen, refuse):
    assert listed.get(DOSSIERS).status_code == 200
    assert listed.get(DOSSIERS).status_code == 200  # kept
    refuse(ApiToken.objects.get(user=citizen))
    assert_error(listed.get(DOSSIERS), 401, "unauthenticated")


def test_a_bad_token_gets_the_ordinary_refusal(listed, settings):
    listed.credentials(HTTP_AUTHORIZATION="Bearer khong-phai-ma-that")
    short = _answer(listed.get(DOSSIERS))
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SHORT_PATH]
    assert short == _answer(listed.get(DOSSIERS))
    assert short[0] == 401


def test_every_write_shows_at_once(citizen_api):
    """Submission, a withdrawal request, an officer's step and a discarded draft all go
    through services and change the stamp the key is built on."""
    v = version()
    d = submitted(citizen_api, v)
    row = citizen_api.get(DOSSIERS).json()["results"][0]
    assert row["status"] == 1 and row["next_actions"] == ["request_withdrawal"]
    services.perform(d, "accept", receiver_of(d))
    row = citizen_api.get(DOSSIERS).json()["results"][0]
    assert row["status"] != 1 and row["status_label"] != "Mới đăng ký"
    services.perform(d, "request_withdrawal", d.owner, note="Không cần nữa")
    assert citizen_api.get(DOSSIERS).json()["results"][0]["next_actions"] == []
    draft_id = create(citizen_api).json()["id"]
    assert citizen_api.get(DOSSIERS).json()["count"] == 2
    assert citizen_api.delete(f"{DOSSIERS}/{draft_id}").status_code == 204
    body = citizen_api.get(DOSSIERS).json()
    assert body["count"] == 1 and body["results"][0]["code"] == d.code


def test_a_change_shows_even_where_another_cache_holds_the_old_answer(listed, citizen):
    """Production runs several processes, each with its own memory cache: the stamp comes
    from the database, so a write made elsewhere (here: straight to the database, without
    a word to this process's cache) still makes a new key."""
    before = listed.get(DOSSIERS).json()
    d = citizen.dossiers.order_by("-created_at").first()
    d.applicant_name = "Ai đó khác"
    d.save()  # any save moves updated_at, as every service's does
    type(d).objects.filter(pk=d.pk).update(status=9)
    after = listed.get(DOSSIERS).json()
    assert after != before and after["results"][0]["status"] == 9


def test_the_token_use_is_recorded_as_on_the_ordinary_path(listed, citizen):
    token = ApiToken.objects.get(user=citizen)
    listed.get(DOSSIERS)
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=5)
    )
    listed.get(DOSSIERS)
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=30)
    recorded = token.last_used_at
    listed.get(DOSSIERS)
    token.refresh_from_db()
    assert token.last_used_at == recorded  # at most once a minute


def test_a_request_with_cookies_goes_the_ordinary_way(listed):
    listed.get(DOSSIERS)
    listed.cookies["django_language"] = "en"
    first = listed.get(DOSSIERS)
    with CaptureQueriesContext(connection) as captured:
        again = listed.get(DOSSIERS)
    assert again.content == first.content
    assert len(captured) == 2  # the token, then the view's own stamp


def test_nul_and_foreign_hosts_are_refused_as_everywhere(listed):
    listed.get(DOSSIERS)
    assert_error(listed.get(DOSSIERS, {"page": "1\x00"}), 400, "invalid_character")
    r = listed.get(DOSSIERS, HTTP_HOST="evil.example")
    assert r.status_code == 400 and r["Content-Language"]


def test_the_short_path_mirrors_the_route_and_the_views_policy():
    """What the middleware leaves out is only right while the view keeps this policy: change
    it (a throttle, another authentication) and the short path must change too."""
    from rest_framework.permissions import IsAuthenticated

    from motcua.api.authentication import BearerTokenAuthentication
    from motcua.api.dossiers import DossierList
    from motcua.api.my_dossiers import PATH

    assert reverse("api:dossiers") == PATH
    view = DossierList()
    assert view.get_throttles() == []
    assert [type(p) for p in view.get_permissions()] == [IsAuthenticated]
    assert [type(a) for a in view.get_authenticators()] == [BearerTokenAuthentication]
    assert APIClient().get(DOSSIERS).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_the_prepared_read_answers(citizen_api, citizen):
    """As in production (autocommit): on PostgreSQL the token and the stamp come through the
    prepared statement (motcua.core.db), timestamps passed as text included."""
    v = version()
    d = submitted(citizen_api, v)
    first, again = citizen_api.get(DOSSIERS), citizen_api.get(DOSSIERS)
    assert first.status_code == again.status_code == 200 and first.content == again.content
    services.perform(d, "request_withdrawal", d.owner, note="Không cần nữa")
    assert citizen_api.get(DOSSIERS).json()["results"][0]["next_actions"] == []
    ApiToken.objects.filter(user=citizen).update(revoked_at=timezone.now())
    assert_error(citizen_api.get(DOSSIERS), 401, "unauthenticated")
