"""Idempotency-Key answers are kept in the database, so a retry reaching another server
process (whose cache knows nothing) still gets the first answer."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.api import idempotency
from motcua.api.models import IdempotencyRecord
from motcua.dossiers.models import Dossier
from tests.api.dossier_helpers import version

pytestmark = pytest.mark.django_db

DOSSIERS = "/api/v1/dossiers"


def _create(api, key="k-1"):
    return api.post(DOSSIERS, {"procedure": "1.004650"}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_in_another_process_gets_the_first_answer(citizen_api):
    version()
    first = _create(citizen_api)
    cache.clear()  # what another process's own cache would hold: nothing
    again = _create(citizen_api)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1


def test_keys_are_per_user(citizen_api):
    from rest_framework.test import APIClient

    from motcua.accounts.services import issue_api_token
    from tests.factories import UserFactory

    other_api = APIClient()
    other_api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(UserFactory())}")
    version()
    assert _create(citizen_api).json() != _create(other_api).json()
    assert Dossier.objects.count() == 2


def test_a_copy_arriving_while_the_first_runs_is_told_to_wait(citizen_api, citizen):
    version()
    IdempotencyRecord.objects.create(
        user=citizen, scope="create", key_digest=_digest("k-1"), created_at=timezone.now()
    )
    r = _create(citizen_api)
    assert r.status_code == 409 and r.json()["error"]["code"] == "request_in_progress"
    assert not Dossier.objects.exists()


def test_a_first_request_that_died_does_not_block_the_key_for_ever(citizen_api, citizen):
    version()
    IdempotencyRecord.objects.create(
        user=citizen,
        scope="create",
        key_digest=_digest("k-1"),
        created_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert _create(citizen_api).status_code == 201
    assert IdempotencyRecord.objects.get().status == 201


def test_errors_are_not_kept(citizen_api):
    r = _create(citizen_api)  # no such procedure yet
    assert r.status_code >= 400
    assert not IdempotencyRecord.objects.exists()
    version()
    assert _create(citizen_api).status_code == 201


def test_answers_are_forgotten_after_a_day(citizen_api):
    version()
    _create(citizen_api)
    assert idempotency.purge_expired(timezone.now() + dt.timedelta(hours=23)) == 0
    assert idempotency.purge_expired(timezone.now() + dt.timedelta(hours=25)) == 1
    assert _create(citizen_api).status_code == 201
    assert Dossier.objects.count() == 2


def _digest(key):
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()
