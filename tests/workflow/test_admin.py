"""The province administrator's pages for processes: the checks and the drawing on the change
page, publishing from the list, a published version read-only."""

import pytest
from django.urls import reverse

from motcua.workflow import services
from motcua.workflow.models import Action, Process
from tests.factories import ProcedureVersionFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_the_change_page_draws_the_process_and_says_it_is_valid(admin_client):
    process = services.build_standard(ProcedureVersionFactory())
    page = admin_client.get(reverse("admin:workflow_process_change", args=[process.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Chuyên viên thẩm định, dự thảo kết quả" in html
    assert "Hợp lệ" in html
    assert "Sơ đồ quy trình" in html
    # Published: nothing on the page can be edited, not even the steps.
    assert 'name="steps-0-name"' not in html


def test_a_broken_draft_lists_its_faults_and_cannot_be_published(admin_client):
    process = services.build_standard(ProcedureVersionFactory(), publish_it=False)
    Action.objects.filter(process=process, code="assign").update(roles=[])
    html = admin_client.get(reverse("admin:workflow_process_change", args=[process.pk])).content
    assert "chưa có vai trò nào".encode() in html
    response = admin_client.post(
        reverse("admin:workflow_process_changelist"),
        {"action": "publish", "_selected_action": [process.pk]},
        follow=True,
    )
    assert "Chưa công bố được".encode() in response.content
    assert Process.objects.get(pk=process.pk).state == Process.State.DRAFT


def test_a_new_version_is_made_and_published_from_the_list(admin_client):
    first = services.build_standard(ProcedureVersionFactory())
    admin_client.post(
        reverse("admin:workflow_process_changelist"),
        {"action": "new_version", "_selected_action": [first.pk]},
    )
    draft = Process.objects.get(procedure=first.procedure, number=2)
    assert draft.state == Process.State.DRAFT
    admin_client.post(
        reverse("admin:workflow_process_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert Process.objects.get(pk=draft.pk).state == Process.State.PUBLISHED
    assert Process.objects.get(pk=first.pk).state == Process.State.RETIRED
