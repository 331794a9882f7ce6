"""Dossier words that reach the portal's pages only at run time: status and history labels
(model choices and the lifecycle table) and the fixed sentences of the dossier services.

Listing them here lets ``makemessages`` collect them; the pages translate them with
``gettext`` when they show them, and a sentence with no entry stays in Vietnamese.
"""

from django.utils.translation import gettext_noop

STATUS_LABELS = [
    gettext_noop("Bản nháp"),
    gettext_noop("Mới đăng ký"),
    gettext_noop("Được tiếp nhận"),
    gettext_noop("Không được tiếp nhận"),
    gettext_noop("Đang xử lý"),
    gettext_noop("Yêu cầu bổ sung giấy tờ"),
    gettext_noop("Yêu cầu thực hiện nghĩa vụ tài chính"),
    gettext_noop("Công dân yêu cầu rút hồ sơ"),
    gettext_noop("Dừng xử lý"),
    gettext_noop("Đã xử lý xong"),
    gettext_noop("Đã trả kết quả"),
]

ACTION_LABELS = [
    gettext_noop("Nộp hồ sơ trực tuyến"),
    gettext_noop("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    gettext_noop("Công dân nộp bổ sung hồ sơ"),
    gettext_noop("Công dân đề nghị rút hồ sơ"),
    gettext_noop("Xác nhận dừng giải quyết hồ sơ theo đề nghị"),
]

SERVICE_MESSAGES = [
    gettext_noop("Vui lòng nhập họ và tên chủ hồ sơ."),
    gettext_noop("Vui lòng nhập họ và tên người nộp thay."),
    gettext_noop("Vui lòng đính kèm văn bản ủy quyền."),
    gettext_noop("Vui lòng chọn hình thức nhận kết quả."),
    gettext_noop("Vui lòng chọn xã, phường nhận kết quả qua bưu chính."),
    gettext_noop("Vui lòng nhập số nhà, đường, thôn, tổ dân phố."),
    gettext_noop("Hồ sơ chưa đủ thông tin hoặc thành phần bắt buộc."),
    gettext_noop(
        "Thủ tục đã được sửa đổi từ khi bạn bắt đầu khai; vui lòng tạo hồ sơ mới theo quy "
        "định hiện hành."
    ),
    gettext_noop("Vui lòng đính kèm giấy tờ bổ sung trước khi gửi."),
    gettext_noop("Đề nghị rút hồ sơ đã được gửi, đang chờ xác nhận."),
    gettext_noop("Thủ tục này chỉ nộp trực tiếp tại Bộ phận Một cửa, không nộp trực tuyến."),
    gettext_noop("Số định danh cá nhân phải gồm đúng 12 chữ số."),
    gettext_noop("Ba chữ số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh hợp lệ."),
    gettext_noop("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."),
]
