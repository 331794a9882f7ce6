"""Admin actions and forms: locking accounts, editing versions, resending mail."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion
from motcua.notifications.models import OutboundMessage
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_procedureversion_changelist"


def action(client, url, name, objects):
    return client.post(reverse(url), {"action": name, "_selected_action": [o.pk for o in objects]})


def test_lock_accounts_deactivates_and_logs(admin_client, superuser):
    departed = StaffFactory()
    other = StaffFactory()
    client = Client()
    client.force_login(departed)
    response = action(
        admin_client, "admin:accounts_user_changelist", "lock_accounts", [departed, superuser]
    )
    assert response.status_code == 302
    departed.refresh_from_db()
    superuser.refresh_from_db()
    other.refresh_from_db()
    assert departed.is_active is False
    assert superuser.is_active and other.is_active
    assert LogEntry.objects.filter(
        object_id=str(departed.pk), change_message="Khóa tài khoản"
    ).exists()
    # The departed officer's open session ends at once.
    assert client.get("/trang-ca-nhan/").status_code == 302


def test_non_superuser_cannot_lock_or_promote_a_superuser(client, superuser, settings):
    settings.STAFF_2FA_REQUIRED = False
    helper = StaffFactory()
    helper.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user"])
    )
    client.force_login(helper)
    action(client, "admin:accounts_user_changelist", "lock_accounts", [superuser])
    superuser.refresh_from_db()
    assert superuser.is_active
    assert client.get(reverse("admin:accounts_user_change", args=[superuser.pk])).status_code == 200
    page = client.get(reverse("admin:accounts_user_change", args=[helper.pk])).content.decode()
    assert 'name="is_superuser"' not in page


def test_user_added_in_admin_is_lower_case_and_confirmed(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "CanBo.Moi@QuangNgai.gov.vn",
            "full_name": "Trần Thị Mới",
            "kind": "staff",
            "usable_password": "true",
            "password1": "Khong-doan-duoc-2026",
            "password2": "Khong-doan-duoc-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="canbo.moi@quangngai.gov.vn")
    assert user.is_confirmed and user.check_password("Khong-doan-duoc-2026")


def test_password_is_shown_hashed_with_a_change_form(admin_client, citizen, password):
    page = admin_client.get(
        reverse("admin:accounts_user_change", args=[citizen.pk])
    ).content.decode()
    assert password not in page
    assert "../password/" in page
    response = admin_client.get(reverse("admin:auth_user_password_change", args=[citizen.pk]))
    assert response.status_code == 200


def version_form(version, **changes):
    data = {
        "procedure": version.procedure_id,
        "name": version.name,
        "agency": version.agency_id,
        "field": version.field_id,
        "competence_level": version.competence_level,
        "level": version.level,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else "",
        "time_limit_value": str(version.time_limit_value),
        "time_limit_unit": version.time_limit_unit,
        "delivery_methods": version.delivery_methods,
        "legal_basis": "16/2012/QH13 | Luật Quảng cáo | 21/06/2012",
        "postal_allowed": "on",
        "authorisation_allowed": "on",
        "signed_result_required": "on",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "fees-TOTAL_FORMS": "0",
        "fees-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_overlapping_version_is_refused_in_vietnamese(admin_client, catalogue):
    current = catalogue["versions"][1]
    data = version_form(current, valid_from="2026-01-01")
    response = admin_client.post(reverse("admin:catalog_procedureversion_add"), data)
    assert response.status_code == 200
    assert "trùng thời gian với phiên bản này" in response.content.decode()
    assert ProcedureVersion.objects.filter(procedure=current.procedure).count() == 2


def test_closing_the_old_version_lets_the_new_one_in(admin_client, catalogue):
    current = catalogue["versions"][1]
    close = version_form(current, valid_to="2025-12-31")
    close.update(
        {
            "fees-TOTAL_FORMS": "1",
            "fees-INITIAL_FORMS": "1",
            "fees-0-id": current.fees.get().pk,
            "fees-0-version": current.pk,
            "fees-0-position": "0",
            "fees-0-kind": "phi",
            "fees-0-name": "Phí thẩm định",
            "fees-0-amount": "150000",
        }
    )
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_change", args=[current.pk]), close
    )
    assert response.status_code == 302, response.content.decode()
    data = version_form(current, valid_from="2026-01-01", name="Tên mới của thủ tục")
    data.update(
        {
            "fees-TOTAL_FORMS": "2",
            "fees-0-kind": "phi",
            "fees-0-name": "Phí",
            "fees-0-amount": "100000",
            "fees-0-position": "0",
            "fees-1-kind": "le_phi",
            "fees-1-name": "Lệ phí",
            "fees-1-amount": "50000",
            "fees-1-position": "1",
            "components-TOTAL_FORMS": "1",
            "components-0-position": "0",
            "components-0-name": "Tờ khai",
            "components-0-required": "on",
            "components-0-copy_type": "ban_chinh",
            "components-0-originals": "1",
            "components-0-copies": "0",
            "components-0-allowed_types": "PDF, docx",
            "components-0-max_size": "1048576",
        }
    )
    response = admin_client.post(reverse("admin:catalog_procedureversion_add"), data)
    assert response.status_code == 302, response.content.decode()
    new = ProcedureVersion.objects.get(procedure=current.procedure, valid_from=dt.date(2026, 1, 1))
    # Kept right by the admin itself: what the portal's search and fee pages read.
    assert new.fee_total == 150000
    assert new.search_text == "1 004650 ten moi cua thu tuc"
    assert new.components.get().allowed_types == ["pdf", "docx"]
    assert new.legal_basis == [
        {"number": "16/2012/QH13", "title": "Luật Quảng cáo", "date": "2012-06-21"}
    ]


def test_bad_inline_values_are_explained(admin_client, catalogue):
    data = version_form(
        catalogue["versions"][1], valid_from="2030-01-01", legal_basis="| | 32/13/2020"
    )
    data.update(
        {
            "components-TOTAL_FORMS": "1",
            "components-0-name": "Tờ khai",
            "components-0-copy_type": "ban_chinh",
            "components-0-originals": "1",
            "components-0-copies": "0",
            "components-0-allowed_types": "exe",
            "components-0-max_size": "1048576",
            "components-0-position": "0",
        }
    )
    page = admin_client.post(reverse("admin:catalog_procedureversion_add"), data).content.decode()
    assert "Chỉ dùng các định dạng" in page
    assert "cần số hiệu hoặc tên văn bản" in page


def test_resend_requeues_failed_messages_only(admin_client, outbox_mail):
    failed = OutboundMessage.objects.create(
        template="password_reset",
        recipient="a@example.vn",
        subject="Đặt lại",
        body_text="x",
        status="failed",
        attempts=8,
        last_error="SMTP 451",
    )
    sent = OutboundMessage.objects.create(
        template="password_reset",
        recipient="b@example.vn",
        subject="Đặt lại",
        body_text="x",
        status="sent",
        attempts=1,
    )
    response = action(
        admin_client, "admin:notifications_outboundmessage_changelist", "resend", [failed, sent]
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 1 and failed.last_error == ""
    assert [m.to for m in outbox_mail] == [["a@example.vn"]]
