"""Suite-wide fixtures. Tests run on whatever DATABASE_URL names (SQLite or PostgreSQL)."""

import os

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, StaffFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle and lockout counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def citizen_api(api, citizen):
    from motcua.accounts.services import issue_api_token

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(citizen)}")
    api.user = citizen
    return api


@pytest.fixture
def outbox_mail(settings):
    """Mail sent through the outbox, delivered synchronously by the immediate task backend."""
    from django.core import mail

    return mail.outbox


@pytest.fixture
def shipped_synonyms(db):
    """The synonym rows the catalogue's data migration ships. A transactional test elsewhere
    flushes every table, migration data included, so tests of search in citizens' words put
    them back instead of trusting whichever test ran before them on this worker."""
    import importlib

    from django.apps import apps

    from motcua.catalog.models import SearchSynonym

    if not SearchSynonym.objects.exists():
        importlib.import_module("motcua.catalog.migrations.0006_seed_search_synonyms").seed(
            apps, None
        )
