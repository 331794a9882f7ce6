"""The public catalogue cache: fast repeated reads, never stale after a catalogue write,
never used for a request that carries credentials."""

import pytest
from django.db import transaction

from motcua.catalog import services
from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


def test_second_anonymous_read_is_a_hit(api, cached):
    version = ProcedureVersionFactory(name="Cấp giấy phép thử bộ đệm")
    url = f"/api/v1/procedures/{version.procedure.code}"
    first, second = api.get(url), api.get(url)
    assert first.status_code == second.status_code == 200
    assert "X-Cache" not in first and second["X-Cache"] == "hit"
    assert second.json() == first.json()


def test_catalogue_write_invalidates(api, cached):
    version = ProcedureVersionFactory(name="Cấp giấy phép tên cũ")
    url = "/api/v1/procedures?q=giay+phep+ten"
    assert api.get(url).json()["results"][0]["name"] == "Cấp giấy phép tên cũ"
    version.name = "Cấp giấy phép tên mới"
    with transaction.atomic():
        services.save_version(version)
    response = api.get(url)
    assert "X-Cache" not in response
    assert response.json()["results"][0]["name"] == "Cấp giấy phép tên mới"


def test_credentials_bypass_the_cache(api, cached):
    version = ProcedureVersionFactory()
    url = f"/api/v1/procedures/{version.procedure.code}"
    assert api.get(url).status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Bearer khong-hop-le")
    refused = api.get(url)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"


def test_errors_are_not_cached(api, cached):
    url = "/api/v1/procedures/1.999999"
    assert api.get(url).status_code == 404
    ProcedureVersionFactory(procedure__code="1.999999")
    services.bump_generation()
    assert api.get(url).status_code == 200
