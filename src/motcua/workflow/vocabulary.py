"""The words a process is written in: action codes, clock effects, forms, national statuses.

Kept apart from ``dossiers`` so that the dossier app may read processes without the
workflow app ever importing it back (tests/test_layers.py forbids a cycle). The status
each action code leads to is the one of ``dossiers.lifecycle``; a test holds the two equal.
"""

from django.db import models


class ActionCode(models.TextChoices):
    ACCEPT = "accept", "Tiếp nhận hồ sơ"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    REFUSE = "refuse", "Từ chối tiếp nhận hồ sơ"
    ASSIGN = "assign", "Phân công thụ lý"
    FORWARD = "forward", "Chuyển bước xử lý"
    TRANSFER = "transfer", "Chuyển cơ quan có thẩm quyền giải quyết"
    APPROVE = "approve", "Duyệt dự thảo kết quả"
    REJECT_DRAFT = "reject_draft", "Trả lại dự thảo cho chuyên viên"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"
    SIGN_RESULT = "sign_result", "Ký, ban hành kết quả"
    REJECT_RESULT = "reject_result", "Ban hành văn bản trả lời không giải quyết"
    RETURN_RESULT = "return_result", "Trả kết quả"
    APOLOGIZE = "apologize", "Xin lỗi và hẹn lại ngày trả kết quả"
    STOP = "stop", "Dừng xử lý hồ sơ"
    CONFIRM_WITHDRAWAL = "confirm_withdrawal", "Xác nhận dừng giải quyết theo đề nghị"
    RECALL = "recall", "Thu hồi bước vừa chuyển"
    CONSULT = "consult", "Lấy ý kiến cơ quan phối hợp"


class Clock(models.TextChoices):
    """What an action does to the dossier's deadline (DOMAIN §7.5)."""

    NONE = "", "Không thay đổi"
    START = "start", "Bắt đầu tính thời hạn"
    PAUSE = "pause", "Tạm dừng tính thời hạn"
    RESUME = "resume", "Tiếp tục tính thời hạn"
    RESTART = "restart", "Tính lại thời hạn từ đầu"
    STOP = "stop", "Kết thúc tính thời hạn"


class FormCode(models.TextChoices):
    NONE = "", "Không"
    MAU_01 = "mau_01", "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    MAU_02 = "mau_02", "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    MAU_03 = "mau_03", "Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    MAU_04 = "mau_04", "Mẫu 04 – Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    STOP_NOTICE = "thong_bao_dung", "Thông báo dừng giải quyết hồ sơ"


class NationalStatus(models.IntegerChoices):
    """DOMAIN §5.1; the same numbers as ``dossiers.models.Status`` (a test holds them equal)."""

    SUBMITTED = 1, "Mới đăng ký"
    RECEIVED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT_REQUESTED = 5, "Yêu cầu bổ sung giấy tờ"
    PAYMENT_REQUESTED = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    FINISHED = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


# The status each action leaves the dossier in; None: unchanged (or decided by the effect).
ACTION_STATUS: dict[str, int | None] = {
    ActionCode.ACCEPT: NationalStatus.RECEIVED,
    ActionCode.REQUEST_SUPPLEMENT: NationalStatus.SUPPLEMENT_REQUESTED,
    ActionCode.REFUSE: NationalStatus.REFUSED,
    ActionCode.ASSIGN: NationalStatus.PROCESSING,
    ActionCode.FORWARD: NationalStatus.PROCESSING,
    ActionCode.TRANSFER: None,
    ActionCode.APPROVE: NationalStatus.PROCESSING,
    ActionCode.REJECT_DRAFT: NationalStatus.PROCESSING,
    ActionCode.REQUEST_PAYMENT: NationalStatus.PAYMENT_REQUESTED,
    ActionCode.SIGN_RESULT: NationalStatus.FINISHED,
    ActionCode.REJECT_RESULT: NationalStatus.FINISHED,
    ActionCode.RETURN_RESULT: NationalStatus.RETURNED,
    ActionCode.APOLOGIZE: None,
    ActionCode.STOP: NationalStatus.STOPPED,
    ActionCode.CONFIRM_WITHDRAWAL: NationalStatus.WITHDRAWN,
    ActionCode.RECALL: None,
    ActionCode.CONSULT: NationalStatus.PROCESSING,
}

# Actions that end the dossier: their target step must be an end step.
FINAL_ACTIONS = frozenset(
    {
        ActionCode.REFUSE,
        ActionCode.STOP,
        ActionCode.CONFIRM_WITHDRAWAL,
        ActionCode.RETURN_RESULT,
    }
)
