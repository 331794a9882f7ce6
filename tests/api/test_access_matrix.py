"""Who sees what (issue 9, item 7): every person against every endpoint of a dossier, and every
URL an answer holds fetched with every person's token.

People: the owner, another citizen, nobody (no token), the one-stop officer, the department
head, the handler and the leader of the agency, and an officer of another agency. Staff see only
the dossiers of their agency or assigned to them; a citizen never sees the officers' notes to
each other; the owner gets the forms addressed to the applicant, not the office's control slip.
"""

import hashlib
import json
from urllib.parse import urlsplit

import pytest

from motcua.dossiers.models import Dossier
from tests.api.access_scene import EVERYONE, INTERNAL, STAFF_OF_AGENCY, build_scene
from tests.api.dossier_helpers import client_for, private_dir  # noqa: F401 (fixture)
from tests.factories import AgencyFactory, MembershipFactory
from tests.signing.conftest import pki, result_pdf  # noqa: F401 (session fixtures)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def scene(private_dir, pki, result_pdf):  # noqa: F811
    return build_scene(pki, result_pdf)


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def expect(owner=404, citizen=404, staff=200, outsider=404, anonymous=401) -> dict:
    table = {"owner": owner, "citizen": citizen, "outsider": outsider, "anonymous": anonymous}
    table.update(dict.fromkeys(STAFF_OF_AGENCY, staff))
    return table


def endpoints(s) -> dict[str, dict]:
    code = s.code
    file_id = s.dossier.files.first().public_id
    pdf = expect(owner=200)
    return {
        f"{API}/dossiers/{code}": expect(owner=200, staff=404),
        f"{API}/dossiers/{code}/receipt": pdf,
        f"{API}/dossiers/{code}/result": pdf,
        f"{API}/dossiers/{code}/forms/{s.receipt.public_id}": pdf,
        f"{API}/dossiers/{code}/forms/{s.slip.public_id}": expect(owner=404),
        f"{API}/dossiers/{code}/files/{file_id}": pdf,
        f"{API}/staff/dossiers/{code}": expect(owner=403, citizen=403),
    }


def test_every_person_against_every_endpoint_of_the_dossier(scene):
    checked = 0
    for url, table in endpoints(scene).items():
        for who in EVERYONE:
            response = scene.clients[who].get(url)
            checked += 1
            assert response.status_code == table[who], (url, who, response.content[:200])
            if response.status_code == 200 and "/staff/" not in url and url.count("/") > 4:
                assert response["Content-Type"] == "application/pdf", (url, who)
                assert body(response).startswith(b"%PDF"), (url, who)
    assert checked == 7 * len(EVERYONE)


def test_actions_on_the_dossier_by_people_who_may_not_see_it_change_nothing(scene):
    url = f"{API}/staff/dossiers/{scene.code}/actions"
    before = Dossier.objects.get(pk=scene.dossier.pk).lock_version
    wanted = {"owner": 403, "citizen": 403, "outsider": 404, "anonymous": 401}
    for who, status in wanted.items():
        r = scene.clients[who].post(url, {"action": "return_result"}, format="json")
        assert r.status_code == status, (who, r.content[:200])
    assert Dossier.objects.get(pk=scene.dossier.pk).lock_version == before


def test_lists_hold_only_what_each_person_may_see(scene):
    def codes(who, url):
        return [row["code"] for row in scene.clients[who].get(url).json()["results"]]

    assert codes("owner", f"{API}/dossiers") == [scene.code]
    assert codes("citizen", f"{API}/dossiers") == []
    assert codes("receiver", f"{API}/dossiers") == []  # an officer's own dossiers only
    assert scene.code in codes("receiver", f"{API}/staff/dossiers")  # finished: to return
    assert codes("outsider", f"{API}/staff/dossiers") == []
    assert scene.clients["owner"].get(f"{API}/staff/dossiers").status_code == 403
    assert scene.clients["anonymous"].get(f"{API}/staff/dossiers").status_code == 401


def test_an_officer_of_another_agency_sees_the_dossier_once_it_is_assigned_to_them(scene):
    outsider = MembershipFactory(agency=AgencyFactory(), role="handler").user
    api = client_for(outsider)
    url = f"{API}/staff/dossiers/{scene.code}"
    assert api.get(url).status_code == 404
    Dossier.objects.filter(pk=scene.dossier.pk).update(assignee=outsider)
    answer = api.get(url)
    assert answer.status_code == 200
    for link in urls_in(answer.json()):
        if "/verify/" not in link:
            assert api.get(local(link)).status_code == 200, link


def test_a_citizen_never_sees_the_officers_notes_to_each_other(scene, client):
    staff_answer = scene.clients["handler"].get(f"{API}/staff/dossiers/{scene.code}").json()
    assert INTERNAL in [event["note"] for event in staff_answer["history"]]
    owner_answer = scene.clients["owner"].get(f"{API}/dossiers/{scene.code}")
    assert INTERNAL not in json.dumps(owner_answer.json(), ensure_ascii=False)
    number = scene.dossier.applicant_id_number
    tracking = scene.clients["anonymous"].get(f"{API}/tracking/{scene.code}?id_number={number}")
    assert tracking.status_code == 200
    assert INTERNAL not in json.dumps(tracking.json(), ensure_ascii=False)
    client.force_login(scene.dossier.owner)
    for page in (f"/ho-so/{scene.code}/", f"/tra-cuu/{scene.code}?id_number={number}"):
        html = client.get(page, follow=True).content.decode()
        assert INTERNAL not in html, page


# --- every URL of every answer --------------------------------------------------------------


def urls_in(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(("http://testserver/", "/api/")) else []
    if isinstance(value, dict):
        return [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return []


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_url_of_every_answer_serves_who_may_see_it_and_404s_everyone_else(scene):
    answers = {"owner": scene.clients["owner"].get(f"{API}/dossiers/{scene.code}").json()}
    for who in STAFF_OF_AGENCY:
        answers[who] = scene.clients[who].get(f"{API}/staff/dossiers/{scene.code}").json()
    owner = answers["owner"]
    assert owner["result"]["url"].endswith(f"/dossiers/{scene.code}/result")
    assert owner["result"]["signer"] and owner["result"]["signed_at"]
    assert [f["code"] for f in owner["forms"]] == ["01"]  # not the office's control slip
    assert [f["code"] for f in answers["receiver"]["forms"]] == ["01", "05"]
    assert owner["files"] and all(f["url"] for f in owner["files"])
    receipt = f"http://testserver{API}/dossiers/{scene.code}/receipt"
    walked = 0
    for reader, answer in answers.items():
        for url in [*urls_in(answer), receipt]:
            path = local(url)
            if path.startswith(f"{API}/verify/"):  # the public verification: anyone
                verdict = scene.clients["anonymous"].get(path)
                assert verdict.status_code == 200 and verdict.json()["valid"] is True
                continue
            slip = str(scene.slip.public_id) in path
            for who in EVERYONE:
                r = scene.clients[who].get(path)
                if who == "anonymous":
                    wanted = 401
                elif who in STAFF_OF_AGENCY or (who == "owner" and not slip):
                    wanted = 200
                else:
                    wanted = 404
                assert r.status_code == wanted, (reader, path, who, r.content[:200])
                if wanted == 200:
                    assert r["Content-Type"] == "application/pdf", (path, who)
                walked += 1
    assert walked > 40


def test_portal_downloads_follow_the_same_rule(scene, client):
    code = scene.code
    client.force_login(scene.dossier.owner)
    page = client.get(f"/ho-so/{code}/").content.decode()
    result_link = f"/ho-so/{code}/ket-qua.pdf"
    receipt_link = f"/ho-so/{code}/bieu-mau/{scene.receipt.public_id}.pdf"
    slip_link = f"/ho-so/{code}/bieu-mau/{scene.slip.public_id}.pdf"
    assert result_link in page and receipt_link in page and slip_link not in page
    assert "Kết quả giải quyết" in page and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    for link in (result_link, receipt_link):
        r = client.get(link)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", link
        assert r.content.startswith(b"%PDF")
    assert client.get(slip_link).status_code == 404
    client.force_login(scene.clients["citizen"].user)
    for link in (result_link, receipt_link, slip_link):
        assert client.get(link).status_code == 404, link
    client.force_login(scene.clients["receiver"].user)
    assert client.get(slip_link).status_code == 200
    client.force_login(scene.clients["outsider"].user)
    assert client.get(result_link).status_code == 404


def test_the_result_the_owner_downloads_carries_a_valid_signature(scene):
    from motcua.signing.services import verify_pdf

    answer = scene.clients["owner"].get(f"{API}/dossiers/{scene.code}").json()["result"]
    data = body(scene.clients["owner"].get(local(answer["url"])))
    check = verify_pdf(data)
    assert check.valid, check.message
    assert answer["signer"] == scene.result.signer_name
    assert answer["sha256"] == scene.result.sha256 == hashlib.sha256(data).hexdigest()
    middle = len(data) // 3  # a byte of the signed content, changed
    tampered = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    assert not verify_pdf(tampered).valid


# --- a partner agency consulted on the dossier (T6) -----------------------------------------


def test_a_partner_agency_sees_the_dossier_only_while_it_is_consulted(private_dir):  # noqa: F811
    from motcua.accounts.models import Role
    from motcua.dossiers import services
    from tests.dossiers.consult_helpers import consulting_desk, partner

    d, staff = consulting_desk()
    fire, fire_officer = partner()
    _, other_partner = partner("Sở khác thử nghiệm")
    api, other = client_for(fire_officer), client_for(other_partner)
    url = f"{API}/staff/dossiers/{d.code}"
    file_url = f"{API}/dossiers/{d.code}/files/{d.files.first().public_id}"
    for who in (api, other):
        assert who.get(url).status_code == 404
        assert who.get(file_url).status_code == 404
    question = "Đề nghị cho ý kiến về hồ sơ này theo quy định."
    d = services.perform(d, "consult", staff[Role.HANDLER], note=question, agencies=[fire.code])
    answer = api.get(url)
    assert answer.status_code == 200
    links = [link for link in urls_in(answer.json()) if "/verify/" not in link]
    assert links  # the dossier's files and forms at least
    for link in links:
        assert api.get(local(link)).status_code == 200, link
        assert other.get(local(link)).status_code == 404, link
    assert other.get(url).status_code == 404
    assert [row["code"] for row in other.get(f"{API}/staff/dossiers").json()["results"]] == []
    services.perform(d, "answer_consultation", fire_officer, note="Đồng ý với đề xuất.")
    assert api.get(url).status_code == 404
    for link in links:
        assert api.get(local(link)).status_code == 404, link
    assert [row["code"] for row in api.get(f"{API}/staff/dossiers").json()["results"]] == []
