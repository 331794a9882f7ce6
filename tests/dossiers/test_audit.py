"""``motcua verify-audit`` recomputes the history hash chains that the services write, and
catches an event edited or removed behind the application's back."""

import datetime as dt
import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.management.commands import verify_audit
from motcua.dossiers.models import DossierEvent, DossierFile, Status
from tests.factories import MembershipFactory, ProcedureVersionFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def version():
    return ProcedureVersionFactory(procedure__code="1.004650")


def _submitted(version):
    owner = UserFactory()
    draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    required = version.components.get(required=True)
    services.add_file(draft, actor=owner, component_id=required.pk, name="đơn.pdf", content=PDF)
    return owner, services.submit(draft, owner)


def _long_history(version):
    """Four events with notes, Vietnamese text, lists and file ids in their data."""
    owner, dossier = _submitted(version)
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    services.perform(
        dossier,
        "request_supplement",
        officer,
        note="Thiếu bản sao có chứng thực",
        items=["Bản sao Giấy chứng nhận đăng ký doanh nghiệp", "Ma-két in màu"],
    )
    services.add_file(
        dossier,
        actor=owner,
        component_id=version.components.get(required=True).pk,
        name="bổ sung.pdf",
        content=PDF,
        purpose=DossierFile.Purpose.SUPPLEMENT,
    )
    services.perform(dossier, "submit_supplement", owner, note="Đã bổ sung đủ")
    services.perform(dossier, "request_withdrawal", owner, note="Không còn nhu cầu quảng cáo")
    return dossier


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _broken(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", *args, stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    return err.getvalue()


def test_intact_chains_pass(version):
    dossier = _long_history(version)
    _submitted(version)
    assert dossier.events.count() == 4
    out, err = _run()
    assert "Đã kiểm tra 2 hồ sơ, 5 sự kiện" in out and "nguyên vẹn" in out
    assert err == ""


def test_edited_note_is_detected(version):
    dossier = _long_history(version)
    event = dossier.events.get(action="request_supplement")
    DossierEvent.objects.filter(pk=event.pk).update(note="Hồ sơ đầy đủ")
    err = _broken()
    assert f"{dossier.code}: sự kiện #{event.pk} «request_supplement»" in err
    assert "bị sửa" in err
    # Only the edited event is named: the events after it still chain to its stored hash.
    assert err.count("sự kiện #") == 1


def test_edited_data_or_time_is_detected(version):
    dossier = _long_history(version)
    event = dossier.events.get(action="request_supplement")
    DossierEvent.objects.filter(pk=event.pk).update(data={"items": ["Ma-két in màu"]})
    assert "bị sửa" in _broken()
    DossierEvent.objects.filter(pk=event.pk).update(
        data=event.data, at=event.at - dt.timedelta(seconds=1)
    )
    assert "bị sửa" in _broken()


def test_deleted_middle_event_is_detected(version):
    dossier = _long_history(version)
    middle = dossier.events.get(action="submit_supplement")
    after = dossier.events.get(action="request_withdrawal")
    middle.delete()
    err = _broken()
    assert f"sự kiện #{after.pk} «request_withdrawal»" in err
    assert "không nối tiếp" in err


def test_deleted_last_event_is_detected_by_the_status(version):
    owner, dossier = _submitted(version)
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    services.perform(dossier, "request_supplement", officer, note="Thiếu giấy tờ", items=["Đơn"])
    dossier.events.get(action="request_supplement").delete()
    err = _broken()
    assert f"trạng thái hồ sơ ({Status.SUPPLEMENT_REQUESTED})" in err


def test_deleted_last_event_that_kept_the_status_is_caught_by_the_card(version):
    """request_withdrawal leaves the status as it was, so neither the chain nor the status
    shows its removal; the public tracking card, written with it, still lists it."""
    dossier = _long_history(version)
    dossier.events.get(action="request_withdrawal").delete()
    err = _broken()
    assert f"{dossier.code}: thẻ tra cứu công khai ghi 4 bước xử lý, lịch sử lưu 3" in err


def test_an_unreadable_card_is_reported(version):
    from motcua.dossiers.models import TrackingCard

    _, dossier = _submitted(version)
    TrackingCard.objects.filter(dossier=dossier).update(body="không phải JSON")
    assert "thẻ tra cứu công khai" in _broken()


def test_status_changed_outside_the_application_is_detected(version):
    _, dossier = _submitted(version)
    type(dossier).objects.filter(pk=dossier.pk).update(status=Status.FINISHED)
    assert "trạng thái hồ sơ (9) khác trạng thái của sự kiện cuối (1)" in _broken()


def test_submitted_dossier_without_history_is_detected(version):
    _, dossier = _submitted(version)
    dossier.events.all().delete()
    assert "không có lịch sử" in _broken()


def test_drafts_without_history_are_fine(version):
    owner = UserFactory()
    services.create_draft(owner=owner, procedure_code=version.procedure.code)
    out, _ = _run()
    assert "Đã kiểm tra 1 hồ sơ, 0 sự kiện" in out


def test_only_named_dossiers_and_batches(version, monkeypatch):
    monkeypatch.setattr(verify_audit, "BATCH", 2)
    dossiers = [_submitted(version)[1] for _ in range(5)]
    DossierEvent.objects.filter(dossier=dossiers[4]).update(note="sửa")
    assert f"{dossiers[4].code}:" in _broken()
    out, _ = _run(dossiers[0].code, dossiers[3].code)
    assert "Đã kiểm tra 2 hồ sơ, 2 sự kiện" in out


def test_command_line_exit_code(version, capsys):
    _, dossier = _submitted(version)
    DossierEvent.objects.filter(dossier=dossier).update(note="sửa")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["motcua", "verify_audit"]).execute()
    assert exc.value.code == 1
    assert dossier.code in capsys.readouterr().err
