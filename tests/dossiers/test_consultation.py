"""Inter-agency consultation (T6) through ``perform``: the handler asks, the partner answers,
each one transaction and one chained event; the deadline in working days; the clock paused
and resumed as the process says; the partner sees the dossier only while consulted."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.core.audit import chain_hash
from motcua.dossiers import consultations, queues, services
from motcua.dossiers.models import Consultation, Dossier, DossierEvent, Status
from motcua.dossiers.staff_selectors import officer, visible
from motcua.workcalendar.selectors import calendar_for
from tests.dossiers.back_office import office, to_examination
from tests.dossiers.consult_helpers import consulting_desk, partner, pdf, private_dir  # noqa: F401
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

QUESTION = "Đề nghị cho ý kiến về điều kiện phòng cháy của công trình."
ANSWER = "Công trình đáp ứng điều kiện phòng cháy, chữa cháy."


def ask(d, staff, *agencies, **extra):
    return services.perform(
        d,
        "consult",
        staff[Role.HANDLER],
        note=QUESTION,
        agencies=[a.code for a in agencies],
        **extra,
    )


def test_the_handler_asks_and_the_partner_answers(private_dir):  # noqa: F811
    d, staff = consulting_desk()
    fire, fire_officer = partner("Công an tỉnh thử nghiệm")
    land, _ = partner("Sở Nông nghiệp thử nghiệm")
    before = d.lock_version
    d = ask(d, staff, fire, land, days=3, files=[pdf()])
    assert d.status == Status.PROCESSING and d.lock_version == before + 1
    assert d.current_step.code == "tham_dinh"  # the dossier stays where it is
    asked = list(Consultation.objects.filter(dossier=d).order_by("agency__name"))
    assert [c.agency for c in asked] == [fire, land]
    assert all(c.question == QUESTION and c.days == 3 and c.is_open for c in asked)
    assert [f.name for f in asked[0].files.all()] == ["cong-van.pdf"]
    event = DossierEvent.objects.get(dossier=d, action="consult")
    assert event.note == QUESTION and event.public_note == ""
    assert sorted(event.data["agencies"]) == sorted([fire.code, land.code])

    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER, files=[pdf("tl.pdf")])
    fire_asked = Consultation.objects.get(dossier=d, agency=fire)
    assert fire_asked.answer == ANSWER and fire_asked.answered_by == fire_officer
    assert [f.side for f in fire_asked.files.all()] == ["answer", "question"]
    assert Consultation.objects.get(dossier=d, agency=land).is_open
    answered = DossierEvent.objects.get(dossier=d, action="answer_consultation")
    assert answered.actor == fire_officer and answered.status == Status.PROCESSING
    assert answered.data["agency"] == fire.code
    # One event per change, each chained to the one before.
    rows = list(DossierEvent.objects.filter(dossier=d).order_by("at", "id"))
    for previous, event in zip(rows, rows[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert rows[-1].hash == chain_hash(
        rows[-2].hash,
        {
            "dossier": d.pk,
            "at": rows[-1].at.isoformat(),
            "action": "answer_consultation",
            "status": rows[-1].status,
            "actor": fire_officer.pk,
            "note": ANSWER,
            "data": rows[-1].data,
        },
    )


def test_the_deadline_is_counted_in_working_days_on_the_dossier_calendar():
    d, staff = consulting_desk()
    fire, _ = partner()
    d = ask(d, staff, fire, days=4)
    c = Consultation.objects.get(dossier=d)
    calendar = calendar_for(d.receiving_agency)
    assert c.due_at == calendar.add_working_days(c.asked_at, 4)
    assert calendar.working_hours_between(c.asked_at, c.due_at) == 32
    # Working days, not calendar days: four working days always span at least four days and
    # more whenever a weekend falls between.
    assert c.due_at - c.asked_at >= dt.timedelta(days=3)


def test_a_friday_question_is_due_after_the_weekend():
    friday = timezone.make_aware(dt.datetime(2026, 12, 4, 9, 0))
    d, _ = consulting_desk()
    due = consultations.due_for(d, friday, 1)
    assert timezone.localtime(due).date() == dt.date(2026, 12, 7)  # Monday


def test_consultation_time_counts_unless_the_process_says_it_does_not():
    d, staff = consulting_desk()
    fire, fire_officer = partner()
    due = d.due_at
    d = ask(d, staff, fire)
    assert d.paused_at is None and d.due_at == due
    assert not Consultation.objects.get(dossier=d).pauses_clock


def test_a_pausing_consultation_stops_the_clock_until_the_last_answer():
    d, staff = consulting_desk(pauses=True)
    fire, fire_officer = partner("Công an tỉnh thử nghiệm")
    land, land_officer = partner("Sở Nông nghiệp thử nghiệm")
    d = ask(d, staff, fire, land)
    assert d.paused_at is not None
    assert consultations.waiting_pause(d)
    paused_due = d.due_at
    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert d.paused_at is not None and d.due_at == paused_due  # still waiting for the other
    # Pretend the pause lasted two working days: the appointment moves by those.
    earlier = d.paused_at - dt.timedelta(days=14)
    Dossier.objects.filter(pk=d.pk).update(paused_at=earlier)
    d.refresh_from_db()
    d = services.perform(d, "answer_consultation", land_officer, note=ANSWER)
    assert d.paused_at is None and d.due_at > paused_due
    assert (
        DossierEvent.objects.filter(dossier=d, action="answer_consultation").last().data["resumed"]
    )


def test_only_the_handler_consults_and_only_in_processing():
    dossier, staff = office()
    fire, _ = partner()
    with pytest.raises(services.DossierError) as exc:  # not accepted yet
        ask(dossier, staff, fire)
    assert exc.value.status == 409
    d = to_examination(dossier, staff)
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "consult", staff[Role.RECEIVER], note=QUESTION, agencies=[fire.code])
    assert exc.value.status == 403
    assert not Consultation.objects.exists()
    assert Dossier.objects.get(pk=d.pk).lock_version == d.lock_version


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"note": "Ngắn", "agencies": ["x"]}, "note"),
        ({"note": QUESTION, "agencies": []}, "agencies"),
        ({"note": QUESTION, "agencies": ["H48.999"]}, "agencies"),
        ({"note": QUESTION, "days": 45}, "days"),
    ],
)
def test_a_bad_request_names_its_field_and_changes_nothing(params, field):
    d, staff = consulting_desk()
    fire, _ = partner()
    params = {"agencies": [fire.code], **params}
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "consult", staff[Role.HANDLER], **params)
    assert exc.value.status == 400 and field in exc.value.fields
    assert not Consultation.objects.exists()


def test_the_same_partner_is_not_asked_twice_while_it_has_not_answered():
    d, staff = consulting_desk()
    fire, _ = partner()
    d = ask(d, staff, fire)
    with pytest.raises(services.DossierError) as exc:
        ask(d, staff, fire)
    assert "agencies" in exc.value.fields


def test_the_partner_sees_the_dossier_only_while_consulted_and_no_other():
    d, staff = consulting_desk()
    other = Dossier.objects.get(pk=d.pk)  # another dossier of the same office, not consulted
    other.pk, other.public_id, other.code = None, uuid.uuid4(), f"{d.code}-B"
    other.save()
    fire, fire_officer = partner()
    assert not queues.may_see(fire_officer, d)
    assert list(visible(officer(fire_officer))) == []
    d = ask(d, staff, fire)
    assert queues.may_see(fire_officer, d)
    assert not queues.may_see(fire_officer, other)
    assert [x.code for x in visible(officer(fire_officer))] == [d.code]
    assert [x.code for x in queues.staff_queue(fire_officer)] == [d.code]
    assert queues.actions_for(fire_officer, d) == ["answer_consultation"]
    assert [c.agency for c in consultations.of_dossier(d, partner=fire_officer)] == [fire]
    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert not queues.may_see(fire_officer, d)
    assert list(visible(officer(fire_officer))) == []
    assert queues.actions_for(fire_officer, d) == []


def test_a_partner_cannot_answer_for_another_agency_nor_twice():
    d, staff = consulting_desk()
    fire, fire_officer = partner()
    _, stranger = partner("Sở khác thử nghiệm")
    d = ask(d, staff, fire)
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "answer_consultation", stranger, note=ANSWER)
    assert exc.value.status == 403
    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert exc.value.status == 403


def test_no_answer_once_the_dossier_is_closed():
    d, staff = consulting_desk()
    fire, fire_officer = partner()
    d = ask(d, staff, fire)
    d = services.perform(d, "stop", staff[Role.APPROVER], note="Căn cứ pháp lý dừng xử lý.")
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert exc.value.status == 409
    assert not queues.may_see(fire_officer, d)


def test_the_office_sees_every_answer_and_the_partner_only_its_own():
    d, staff = consulting_desk()
    fire, fire_officer = partner("Công an tỉnh thử nghiệm")
    land, _ = partner("Sở Nông nghiệp thử nghiệm")
    d = ask(d, staff, fire, land)
    assert queues.seen_as(staff[Role.RECEIVER], d) == queues.OFFICE
    assert len(consultations.of_dossier(d)) == 2
    assert queues.seen_as(fire_officer, d) == queues.PARTNER
    assert [c.agency for c in consultations.of_dossier(d, partner=fire_officer)] == [fire]


def test_the_consult_action_is_offered_only_when_a_partner_exists():
    d, staff = consulting_desk()
    assert "consult" not in queues.actions_for(staff[Role.HANDLER], d)
    partner()
    assert "consult" in queues.actions_for(staff[Role.HANDLER], d)
    assert "consult" not in queues.actions_for(staff[Role.DEPT_HEAD], d)


def test_the_partners_are_in_vietnamese_alphabetical_order_without_the_deciding_agency():
    d, staff = consulting_desk()
    for name in ("Sở Y tế", "Công an tỉnh", "Ban Quản lý khu kinh tế", "Đài Phát thanh"):
        partner(name)
    MembershipFactory(agency=d.version.agency, role=Role.PARTNER_AGENCY)
    names = [a.name for a in consultations.partners(d)]
    assert names == ["Ban Quản lý khu kinh tế", "Công an tỉnh", "Đài Phát thanh", "Sở Y tế"]


def test_a_supplement_and_a_pausing_consultation_both_keep_the_clock_stopped():
    from motcua.dossiers.models import DossierFile

    d, staff = consulting_desk(pauses=True)
    fire, fire_officer = partner()
    d = ask(d, staff, fire)
    started = d.paused_at
    d = services.perform(
        d,
        "request_supplement",
        staff[Role.HANDLER],
        note="Thiếu bản vẽ mặt bằng.",
        items=["Bản vẽ mặt bằng công trình"],
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.paused_at == started
    # The partner answers while the citizen has not: the supplement's pause holds.
    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert d.paused_at == started
    owner = d.owner
    component = d.version.components.filter(required=True).first()
    services.add_file(
        d,
        actor=owner,
        component_id=component.pk,
        name="ban-ve.pdf",
        content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        purpose=DossierFile.Purpose.SUPPLEMENT,
    )
    d = services.perform(d, "submit_supplement", owner)
    assert d.status == Status.PROCESSING and d.paused_at is None


def test_a_supplement_returned_while_the_partner_has_not_answered_keeps_the_clock_stopped():
    from motcua.dossiers.models import DossierFile

    d, staff = consulting_desk(pauses=True)
    fire, fire_officer = partner()
    d = ask(d, staff, fire)
    started = d.paused_at
    d = services.perform(
        d,
        "request_supplement",
        staff[Role.HANDLER],
        note="Thiếu bản vẽ mặt bằng.",
        items=["Bản vẽ mặt bằng công trình"],
    )
    component = d.version.components.filter(required=True).first()
    services.add_file(
        d,
        actor=d.owner,
        component_id=component.pk,
        name="ban-ve.pdf",
        content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        purpose=DossierFile.Purpose.SUPPLEMENT,
    )
    d = services.perform(d, "submit_supplement", d.owner)
    assert d.status == Status.PROCESSING and d.paused_at == started  # still waiting on police
    d = services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    assert d.paused_at is None


def test_the_partner_officers_are_told_by_e_mail_without_the_question():
    from motcua.notifications.models import OutboundMessage

    d, staff = consulting_desk()
    fire, fire_officer = partner()
    MembershipFactory(agency=fire, role=Role.PARTNER_AGENCY, user__is_active=False)
    before = set(OutboundMessage.objects.values_list("pk", flat=True))
    d = ask(d, staff, fire, days=2)
    sent = OutboundMessage.objects.exclude(pk__in=before).filter(template="consultation_requested")
    assert [m.recipient for m in sent] == [fire_officer.email]
    message = sent.get()
    assert d.code in message.subject and f"/can-bo/ho-so/{d.code}/" in message.body_text
    assert QUESTION not in message.body_text and QUESTION not in message.body_html
    assert "2 ngày làm việc" in message.body_text


def test_asking_and_answering_change_the_partner_desks_stamp():
    """A partner's work list holds the dossiers its agency is consulted on: the desk clock
    (migration 0013) must move with the consultation itself, whichever desks the dossier's
    own row names, or a kept work-list page would miss the new request."""
    from motcua.dossiers import desk_clock

    d, staff = consulting_desk()
    fire, fire_officer = partner()
    desk = lambda: desk_clock.stamp(fire_officer.pk, [fire.pk])  # noqa: E731
    before = desk()
    d = ask(d, staff, fire)
    asked = desk()
    assert asked != before
    services.perform(d, "answer_consultation", fire_officer, note=ANSWER)
    answered = desk()
    assert answered != asked
    Consultation.objects.filter(dossier=d).delete()
    assert desk() != answered
