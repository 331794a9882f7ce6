"""Every model of the admin site lists, searches and opens with realistic data."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from motcua.backoffice.admin_site import EstimatedCountPaginator, admin_site
from motcua.catalog.models import AdministrativeUnit
from motcua.notifications.models import MailboxMessage, OutboundMessage
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(catalogue, superuser, device_for):
    MembershipFactory(user=superuser, agency=catalogue["agencies"][2])
    province = AdministrativeUnit.objects.create(
        code="51", name="Tỉnh Quảng Ngãi", level="province"
    )
    AdministrativeUnit.objects.create(
        code="21568", name="Phường Cẩm Thành", level="ward", parent=province
    )
    OutboundMessage.objects.create(
        template="confirm_registration",
        recipient="congdan@example.vn",
        subject="Xác nhận đăng ký",
        body_text="Xin chào",
    )
    MailboxMessage.objects.create(
        to="congdan@example.vn",
        from_email="no-reply@motcua.local",
        subject="Xác nhận đăng ký",
        body_text="Xin chào",
    )
    now = timezone.now()
    AccessAttempt.objects.create(
        username="x@example.vn",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        attempt_time=now,
        failures_since_start=2,
        get_data="",
        post_data="",
    )
    AccessLog.objects.create(
        username="x@example.vn", ip_address="10.0.0.1", user_agent="Firefox", attempt_time=now
    )
    AccessFailureLog.objects.create(
        username="x@example.vn",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        attempt_time=now,
        locked_out=False,
    )
    device_for(superuser, confirmed=False)


def registered():
    return sorted(admin_site._registry.items(), key=lambda item: item[0]._meta.label)


def test_everything_is_registered_on_our_site_only_for_our_models():
    labels = {model._meta.label for model in admin_site._registry}
    assert {
        "accounts.User",
        "accounts.StaffMembership",
        "catalog.Agency",
        "catalog.AdministrativeUnit",
        "catalog.Field",
        "catalog.Procedure",
        "catalog.ProcedureVersion",
        "notifications.OutboundMessage",
        "notifications.MailboxMessage",
        "accounts.LoginFailureCount",
        "accounts.LoginRecord",
        "accounts.LoginFailure",
        "accounts.StaffDevice",
        "auth.Group",
    } <= labels
    from motcua.accounts.models import User

    assert User not in admin.site._registry


@pytest.mark.parametrize(
    "model_admin", [m for _, m in registered()], ids=lambda m: m.model._meta.label
)
def test_changelist_and_change_page_render(admin_client, everything, model_admin, settings):
    settings.STAFF_2FA_REQUIRED = False
    opts = model_admin.model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    response = admin_client.get(reverse(f"{base}_changelist"))
    assert response.status_code == 200, opts.label
    assert model_admin.list_per_page <= 50 or opts.label == "auth.Group"
    response = admin_client.get(reverse(f"{base}_changelist"), {"q": "quang ngai"})
    assert response.status_code == 200, opts.label
    obj = model_admin.model._default_manager.order_by("pk").first()
    if obj is not None:
        response = admin_client.get(reverse(f"{base}_change", args=[obj.pk]))
        assert response.status_code == 200, opts.label
    if model_admin.has_add_permission(response.wsgi_request):
        assert admin_client.get(reverse(f"{base}_add")).status_code == 200, opts.label


def test_big_tables_do_not_count_twice():
    for label in (
        "accounts.User",
        "notifications.OutboundMessage",
        "accounts.LoginRecord",
        "accounts.LoginFailure",
        "accounts.LoginFailureCount",
    ):
        model_admin = next(
            m for model, m in admin_site._registry.items() if model._meta.label == label
        )
        assert model_admin.show_full_result_count is False, label
        assert model_admin.paginator is EstimatedCountPaginator, label
        assert model_admin.date_hierarchy is None, label


def test_agency_list_is_a_tree_and_search_folds_diacritics(admin_client, catalogue):
    url = reverse("admin:catalog_agency_changelist")
    page = admin_client.get(url).content.decode()
    assert "— Sở Văn hóa, Thể thao và Du lịch" in page
    found = admin_client.get(url, {"q": "so van hoa the thao"}).content.decode()
    assert 'field-code">H48.13<' in found and 'field-code">H48<' not in found
    assert "H34.13" in admin_client.get(url, {"q": "h34"}).content.decode()


def test_version_search_by_code_and_unaccented_name(admin_client, catalogue):
    url = reverse("admin:catalog_procedureversion_changelist")
    page = admin_client.get(url, {"q": "bang ron"}).content.decode()
    assert "băng-rôn" in page and "1.004650" in page
    assert "1.004650" in admin_client.get(url, {"q": "1.004650"}).content.decode()
    assert "1.004650" not in admin_client.get(url, {"q": "giay phep xay dung"}).content.decode()
    assert "150.000 ₫" in admin_client.get(url).content.decode()


def test_procedure_page_links_its_versions(admin_client, catalogue):
    procedure = catalogue["versions"][0].procedure
    page = admin_client.get(
        reverse("admin:catalog_procedure_change", args=[procedure.pk])
    ).content.decode()
    for version in catalogue["versions"][:2]:
        assert reverse("admin:catalog_procedureversion_change", args=[version.pk]) in page


def test_user_search_by_id_number(admin_client, citizen):
    url = reverse("admin:accounts_user_changelist")
    assert citizen.email in admin_client.get(url, {"q": citizen.id_number}).content.decode()
    assert citizen.email in admin_client.get(url, {"xac_nhan": "yes"}).content.decode()
    assert citizen.email not in admin_client.get(url, {"xac_nhan": "no"}).content.decode()


def test_outbox_search_by_exact_recipient(admin_client, everything):
    url = reverse("admin:notifications_outboundmessage_changelist")
    assert (
        "Xác nhận đăng ký" in admin_client.get(url, {"q": " CongDan@example.vn "}).content.decode()
    )
    assert (
        "Xác nhận đăng ký"
        in admin_client.get(url, {"mau": "confirm_registration"}).content.decode()
    )


def test_totp_secrets_are_never_shown(admin_client, superuser, device_for):
    # Unconfirmed, so that this administrator needs no code to open the admin.
    device = device_for(superuser, confirmed=False)
    page = admin_client.get(
        reverse("admin:accounts_staffdevice_change", args=[device.pk])
    ).content.decode()
    assert device.key not in page
    assert admin_client.get(reverse("admin:accounts_staffdevice_add")).status_code == 403


def test_paginator_estimates_only_unfiltered_big_tables(monkeypatch, superuser):
    from django.db import connection

    from motcua.accounts.models import User
    from motcua.backoffice import admin_site as site_module
    from tests.factories import UserFactory

    UserFactory.create_batch(3)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_user")
    monkeypatch.setattr(site_module, "ESTIMATE_ABOVE", 0)
    assert EstimatedCountPaginator(User.objects.order_by("-id"), 50).count == 4
    assert EstimatedCountPaginator(User.objects.filter(is_staff=True).order_by("pk"), 50).count == 1


def test_mail_log_names_each_message_in_vietnamese(admin_client):
    OutboundMessage.objects.create(
        template="dossier_submitted",
        recipient="congdan@example.vn",
        subject="Nộp hồ sơ thành công: H48.30-260105-0001",
        body_text="Kính gửi ông/bà",
    )
    page = admin_client.get(reverse("admin:notifications_outboundmessage_changelist"))
    text = page.content.decode()
    assert "Nộp hồ sơ thành công: H48.30-260105-0001" in text
    assert 'field-kind">Nộp hồ sơ thành công<' in text
    # The key stays only in the filter's links, never as text a person reads.
    assert ">dossier_submitted<" not in text
    assert ">confirm_registration<" not in text
