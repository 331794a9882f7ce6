"""The dossier state machine: every allowed status change, declared once (docs/domain.md).

``dossiers.services.perform`` is the only code that reads this table to move a dossier;
the back office, the portal, the API and scheduled jobs all go through it. An action not
listed for the dossier's current status is refused, whoever asks.
"""

from dataclasses import dataclass

from motcua.accounts.models import Role
from motcua.dossiers.models import Status

OWNER = "owner"
OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
    }
)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: int | None  # None: the effect decides (e.g. back to where a supplement came from)
    actors: frozenset  # OWNER and/or staff roles of the receiving or handling agency


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit",
            "Nộp hồ sơ trực tuyến",
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            frozenset({OWNER}),
        ),
        Transition(
            "request_supplement",
            "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING}),
            Status.SUPPLEMENT_REQUESTED,
            frozenset({Role.RECEIVER, Role.HANDLER}),
        ),
        Transition(
            "submit_supplement",
            "Công dân nộp bổ sung hồ sơ",
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            None,
            frozenset({OWNER}),
        ),
        Transition(
            "request_withdrawal", "Công dân đề nghị rút hồ sơ", OPEN, None, frozenset({OWNER})
        ),
        Transition(
            "confirm_withdrawal",
            "Xác nhận dừng giải quyết hồ sơ theo đề nghị",
            OPEN,
            Status.WITHDRAWN,
            frozenset({Role.RECEIVER}),
        ),
    )
}


def transition(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def actions_from(status: int) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if status in t.sources]
