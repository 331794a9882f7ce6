"""Every URL an API answer holds works for the API's client (issue 8, item 4).

The test walks every answer a citizen meets (catalogue, token, profile, drafts, uploads,
submission, my dossiers page by page, dossier detail, tracking), collects every string that
is a URL of this site, however deep, and fetches each one:
- with the owner's bearer token: 200, and a document (JSON, PDF, the file), never HTML;
- without a token: 401 for a private document, 200 for a public one (the catalogue);
- with another citizen's token: 404 for a private document, exactly as an unknown one;
  a page of "my dossiers" is the asker's own list, never the owner's dossiers.
"""

from urllib.parse import urlsplit

import pytest

from tests.api.dossier_helpers import (
    DOSSIERS,
    client_for,
    create,
    jpeg,
    new_citizen_api,
    private_dir,  # noqa: F401 (fixture)
    ready_draft,
    required_component,
    upload,
    version,
)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def urls_in(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith((SITE, "/api/", "/")) and len(value) > 1 else []
    if isinstance(value, dict):
        return [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return []


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "testserver"), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def answers(owner, v, api) -> list:
    """Every kind of answer the citizen's client reads, in the order it meets them."""
    found = [
        api.get("/api/v1/procedures?page_size=1"),
        api.get(f"/api/v1/procedures/{v.procedure.code}"),
        api.get("/api/v1/agencies"),
        api.get("/api/v1/fields"),
        owner.get("/api/v1/me"),
        create(owner, v.procedure.code, delivery={"method": "counter"}),
    ]
    draft = found[-1].json()["id"]
    found.append(upload(owner, draft, required_component(v), jpeg(), "anh.jpg"))
    found.append(owner.get(f"{DOSSIERS}/{draft}"))
    submitted = ready_draft(owner, v)
    found.append(owner.post(f"{DOSSIERS}/{submitted}/submit"))
    code = found[-1].json()["code"]
    found += [
        owner.get(f"{DOSSIERS}/{code}"),
        owner.get(f"{DOSSIERS}?page_size=1"),
        owner.get(f"{DOSSIERS}?page_size=1&page=2"),
        api.get(f"/api/v1/tracking/{code}?id_number={owner.user.id_number}"),
    ]
    for r in found:
        assert r.status_code in (200, 201), (r.request["PATH_INFO"], r.content[:300])
    return found


def test_every_url_in_every_answer_serves_its_owner_and_no_one_else(api, private_dir):  # noqa: F811
    v = version()
    owner = new_citizen_api()
    other = new_citizen_api()
    create(other, v.procedure.code)  # the other citizen has dossiers of their own
    urls = {u for r in answers(owner, v, api) for u in urls_in(r.json())}
    kinds = {local(u).split("?")[0].rsplit("/", 1)[-1] for u in urls}
    # The walk met the receipt, files and further pages, not just one URL.
    assert "receipt" in kinds and any(len(k) == 36 for k in kinds), urls
    assert any("page=" in u for u in urls), urls
    for url in sorted(urls):
        path = local(url)
        mine = owner.get(path)
        assert mine.status_code == 200, (url, mine.status_code)
        kind = mine["Content-Type"]
        assert not kind.startswith("text/html"), (url, kind)
        assert kind.split(";")[0] in ("application/json", "application/pdf", "image/jpeg"), (
            url,
            kind,
        )
        if kind.startswith("application/pdf"):
            assert (
                b"".join(mine.streaming_content if mine.streaming else [mine.content])[:5]
                == b"%PDF-"
            ), url
        anonymous = api.get(path)
        if anonymous.status_code == 200:
            continue  # public: the catalogue and its pages
        assert anonymous.status_code == 401, (url, anonymous.status_code)
        assert anonymous["Content-Type"].startswith("application/json"), url
        stranger = other.get(path)
        if path.split("?")[0] == DOSSIERS:
            # "My dossiers" is whoever asks: a page of the other's own, or none at all.
            assert stranger.status_code in (200, 404), (url, stranger.status_code)
            assert owner.user.id_number not in stranger.content.decode(), url
            assert not {d["code"] for d in mine.json()["results"]} & {
                d["code"] for d in stranger.json().get("results", [])
            }, url
            continue
        assert stranger.status_code == 404, (url, stranger.status_code)
        assert stranger["Content-Type"].startswith("application/json"), url


def test_the_receipt_url_is_the_pdf_for_the_bearer_token_not_the_login_page(citizen_api):
    v = version()
    owner = client_for(citizen_api.user)
    draft = ready_draft(owner, v)
    url = owner.post(f"{DOSSIERS}/{draft}/submit").json()["receipt_url"]
    r = owner.get(local(url))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert new_citizen_api().get(local(url)).status_code == 404
