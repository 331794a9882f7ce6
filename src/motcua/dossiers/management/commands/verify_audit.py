"""``motcua verify-audit``: recompute every dossier's history hash chain (docs/architecture.md).

Each event stores the hash of the previous event of its dossier and its own hash, computed
by ``dossiers.services._record`` as ``chain_hash(prev_hash, payload)``. Recomputing them
here shows any history edited or shortened behind the application's back:

- an event whose content changed no longer matches its own hash;
- an event removed from the middle leaves its successor pointing at a hash that is not its
  predecessor's;
- a last event removed, or a status changed in the table, leaves the dossier's status
  different from the status its history ends in (every status change writes one event);
- any event removed, added or changed in its action or status no longer matches the
  public tracking card, which was rewritten in the transaction of every event (so a last
  event that did not change the status cannot vanish unnoticed either, unless the card was
  forged too).

The exit code is 1 when any dossier's history is broken, so a cron job or a monitor can
alert on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError

from motcua.core.audit import chain_hash
from motcua.dossiers.models import Dossier, DossierEvent, Status, TrackingCard

BATCH = 500


def event_payload(event: DossierEvent) -> dict:
    """What ``dossiers.services._record`` hashed, rebuilt from the stored row. ``at`` goes
    through ``isoformat()`` of the aware UTC datetime, as it did when it was written."""
    return {
        "dossier": event.dossier_id,
        "at": event.at.isoformat(),
        "action": event.action,
        "status": event.status,
        "actor": event.actor_id,
        "note": event.note,
        "data": event.data,
    }


def history_problems(
    status: int, events: Iterable[DossierEvent], card: list[tuple[str, int]] | None = None
) -> list[str]:
    """Everything wrong with one dossier's history, in order; empty when intact. ``card``:
    the (action, status) steps its public tracking card lists, when it has one."""
    events = list(events)
    problems = []
    expected_prev = ""
    last = None
    for event in events:
        label = f"sự kiện #{event.pk} «{event.action}» lúc {event.at:%H:%M:%S %d/%m/%Y} UTC"
        if event.prev_hash != expected_prev:
            problems.append(
                f"{label} không nối tiếp sự kiện liền trước: có sự kiện bị xóa, chèn hoặc đổi thứ tự"
            )
        if chain_hash(event.prev_hash, event_payload(event)) != event.hash:
            problems.append(f"{label} bị sửa: nội dung không khớp mã băm đã lưu")
        # The chain continues from what is stored, so one edited event is reported once and
        # not again for every event after it.
        expected_prev = event.hash
        last = event
    if last is None:
        if status != Status.DRAFT:
            problems.append("hồ sơ đã nộp nhưng không có lịch sử xử lý nào")
    elif last.status != status:
        problems.append(
            f"trạng thái hồ sơ ({status}) khác trạng thái của sự kiện cuối ({last.status}): "
            "sự kiện cuối bị xóa hoặc trạng thái bị sửa ngoài ứng dụng"
        )
    if card is not None and card != [(e.action, e.status) for e in events]:
        problems.append(
            f"thẻ tra cứu công khai ghi {len(card)} bước xử lý, lịch sử lưu {len(events)}: "
            "sự kiện bị xóa, thêm hoặc sửa ngoài ứng dụng"
        )
    return problems


def _card_steps(body: str) -> list[tuple[str, int]]:
    try:
        return [(step["action"], step["status"]) for step in json.loads(body)["history"]]
    except (ValueError, KeyError, TypeError):
        return [("?", -1)]  # unreadable: reported as a mismatch


def verify(codes: list[str] | None = None):
    """Yield (dossier reference, problems, number of events) for every dossier checked, in
    id order, a batch of dossiers and their events at a time so that memory stays flat at
    millions of rows."""
    dossiers = Dossier.objects.order_by("pk")
    if codes:
        dossiers = dossiers.filter(code__in=codes)
    last_pk = 0
    while True:
        batch = list(
            dossiers.filter(pk__gt=last_pk).values_list("pk", "code", "public_id", "status")[:BATCH]
        )
        if not batch:
            return
        last_pk = batch[-1][0]
        events: dict[int, list[DossierEvent]] = {}
        history = DossierEvent.objects.filter(dossier_id__in=[row[0] for row in batch])
        for event in history.order_by("dossier_id", "at", "id"):
            events.setdefault(event.dossier_id, []).append(event)
        cards = dict(
            TrackingCard.objects.filter(dossier_id__in=[row[0] for row in batch]).values_list(
                "dossier_id", "body"
            )
        )
        for pk, code, public_id, status in batch:
            own = events.get(pk, [])
            card = _card_steps(cards[pk]) if pk in cards else None
            yield code or str(public_id), history_problems(status, own, card), len(own)


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm lịch sử xử lý của mọi hồ sơ; mã thoát 1 nếu có chuỗi bị phá vỡ."

    def add_arguments(self, parser):
        parser.add_argument(
            "codes", nargs="*", help="Chỉ kiểm tra các hồ sơ có mã số này (mặc định: tất cả)."
        )

    def handle(self, *args, **opts):
        checked = events = broken = 0
        for reference, problems, count in verify(opts["codes"]):
            checked += 1
            events += count
            if problems:
                broken += 1
                for problem in problems:
                    self.stderr.write(f"{reference}: {problem}")
        summary = f"Đã kiểm tra {checked} hồ sơ, {events} sự kiện"
        if broken:
            raise CommandError(f"{summary}: {broken} hồ sơ có lịch sử bị phá vỡ.", returncode=1)
        self.stdout.write(f"{summary}: mọi chuỗi lịch sử nguyên vẹn.")
