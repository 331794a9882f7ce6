"""The dossier state machine: every allowed status change, declared once (docs/domain.md).

``dossiers.services.perform`` is the only code that reads this table to move a dossier;
the back office, the portal, the API and scheduled jobs all go through it. An action not
listed for the dossier's current status is refused, whoever asks.
"""

from dataclasses import dataclass

from motcua.accounts.models import Role
from motcua.dossiers.models import Status

OWNER = "owner"
# An officer of a partner agency with an open consultation on the dossier (T6), whichever
# agency received or decides it.
CONSULTED = "consulted"
OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
    }
)

# Received and not yet decided: what the competent body still holds.
IN_HAND = frozenset(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
    }
)
STAFF = frozenset({Role.RECEIVER, Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER})


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
            "receive_at_counter",
            "Tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa",
            frozenset({Status.DRAFT}),
            Status.RECEIVED,
            frozenset({Role.RECEIVER}),
        ),
        Transition(
            "accept",
            "Tiếp nhận hồ sơ",
            frozenset({Status.SUBMITTED}),
            Status.RECEIVED,
            frozenset({Role.RECEIVER}),
        ),
        Transition(
            "refuse",
            "Từ chối tiếp nhận hồ sơ",
            frozenset({Status.SUBMITTED}),
            Status.REFUSED,
            frozenset({Role.RECEIVER}),
        ),
        Transition(
            "assign",
            "Phân công thụ lý",
            frozenset({Status.RECEIVED, Status.PROCESSING}),
            Status.PROCESSING,
            frozenset({Role.DEPT_HEAD, Role.RECEIVER}),
        ),
        Transition(
            "forward",
            "Chuyển bước xử lý",
            frozenset({Status.RECEIVED, Status.PROCESSING}),
            Status.PROCESSING,
            STAFF,
        ),
        Transition(
            "transfer",
            "Chuyển cơ quan có thẩm quyền giải quyết",
            frozenset({Status.RECEIVED, Status.PROCESSING}),
            None,
            frozenset({Role.RECEIVER, Role.DEPT_HEAD}),
        ),
        Transition(
            "approve",
            "Duyệt dự thảo kết quả",
            frozenset({Status.PROCESSING}),
            Status.PROCESSING,
            frozenset({Role.DEPT_HEAD, Role.APPROVER}),
        ),
        Transition(
            "reject_draft",
            "Trả lại dự thảo cho chuyên viên",
            frozenset({Status.PROCESSING}),
            Status.PROCESSING,
            frozenset({Role.DEPT_HEAD, Role.APPROVER}),
        ),
        Transition(
            "request_payment",
            "Yêu cầu thực hiện nghĩa vụ tài chính",
            frozenset({Status.RECEIVED, Status.PROCESSING}),
            Status.PAYMENT_REQUESTED,
            frozenset({Role.HANDLER, Role.RECEIVER}),
        ),
        Transition(
            "sign_result",
            "Ký, ban hành kết quả",
            frozenset({Status.PROCESSING}),
            Status.FINISHED,
            frozenset({Role.APPROVER}),
        ),
        Transition(
            "reject_result",
            "Ban hành văn bản trả lời không giải quyết",
            frozenset({Status.PROCESSING}),
            Status.FINISHED,
            frozenset({Role.APPROVER}),
        ),
        Transition(
            "return_result",
            "Trả kết quả",
            frozenset({Status.FINISHED}),
            Status.RETURNED,
            frozenset({Role.RECEIVER}),
        ),
        Transition(
            "apologize",
            "Xin lỗi và hẹn lại ngày trả kết quả",
            IN_HAND,
            None,
            frozenset({Role.DEPT_HEAD, Role.APPROVER}),
        ),
        Transition(
            "stop",
            "Dừng xử lý hồ sơ",
            IN_HAND,
            Status.STOPPED,
            frozenset({Role.APPROVER}),
        ),
        Transition(
            "recall",
            "Thu hồi bước vừa chuyển",
            frozenset({Status.PROCESSING}),
            None,
            STAFF,
        ),
        Transition(
            "consult",
            "Lấy ý kiến cơ quan phối hợp",
            frozenset({Status.PROCESSING}),
            Status.PROCESSING,
            frozenset({Role.HANDLER}),
        ),
        Transition(
            "answer_consultation",
            "Cơ quan phối hợp trả lời ý kiến",
            IN_HAND,
            None,
            frozenset({CONSULTED}),
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


# Every way out of a draft leaves it, and nothing leads back: a draft has no history event,
# which lets ``services.perform`` skip reading the history when a draft is submitted.
DRAFT_HAS_NO_HISTORY = all(
    t.target not in (None, Status.DRAFT) for t in TRANSITIONS.values() if Status.DRAFT in t.sources
) and not any(t.target == Status.DRAFT for t in TRANSITIONS.values())
