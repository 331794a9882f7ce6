"""Malformed JSON values in every dossier input must give a 4xx with our error shape, never a 500."""

import pytest

from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db

BAD = [None, 1, [], {"x": 1}, "x" * 5000, "\x00", True]


def test_malformed_values_never_give_a_server_error(citizen_api):
    ProcedureVersionFactory(procedure__code="1.004650")
    for bad in BAD:
        for body in (
            {"procedure": bad},
            {"procedure": "1.004650", "applicant": bad},
            {"procedure": "1.004650", "delivery": bad},
            {"procedure": "1.004650", "delivery": {"method": bad, "commune": bad}},
            {"procedure": "1.004650", "note": bad, "agency": bad, "on_behalf": bad},
        ):
            r = citizen_api.post("/api/v1/dossiers", body, format="json")
            assert r.status_code < 500, (body, r.content[:300])
    d = citizen_api.post("/api/v1/dossiers", {"procedure": "1.004650"}, format="json").json()["id"]
    for bad in BAD:
        r = citizen_api.patch(
            f"/api/v1/dossiers/{d}", {"applicant": bad, "delivery": bad}, format="json"
        )
        assert r.status_code < 500, (bad, r.content[:300])
        r = (
            citizen_api.post(
                f"/api/v1/dossiers/{d}/files",
                {"component": bad if bad is not None else ""},
                format="multipart",
            )
            if not isinstance(bad, (dict, list))
            else None
        )
        if r is not None:
            assert r.status_code < 500, (bad, r.content[:300])
    for path in [
        "/api/v1/dossiers/%00",
        "/api/v1/dossiers/xyz/submit",
        "/api/v1/tracking/%20?id_number=",
        "/api/v1/dossiers?page=-1",
        "/api/v1/procedures?page_size=abc",
        "/api/v1/procedures?q=" + "a" * 3000,
    ]:
        r = citizen_api.get(path) if "submit" not in path else citizen_api.post(path)
        assert r.status_code < 500, (path, r.content[:300])
