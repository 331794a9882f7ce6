"""Translatable wording for what the services and models only say in Vietnamese.

Account errors are shown by their stable code, so the English page gets English text; an
unknown code falls back to the service's own message. Model choice labels are plain
Vietnamese strings; listing them here lets ``makemessages`` collect them, and templates
translate them at render time with ``{% translate value %}``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

ACCOUNT_ERRORS = {
    "invalid_credentials": _("Thư điện tử hoặc mật khẩu không đúng."),
    "unconfirmed": _(
        "Tài khoản chưa được xác nhận. Vui lòng mở thư «Xác nhận đăng ký tài khoản sử dụng dịch vụ "
        "công trực tuyến» và bấm vào đường dẫn trong thư."
    ),
    "inactive": _("Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên."),
    "invalid_token": _("Đường dẫn không hợp lệ hoặc đã được sử dụng."),
    "token_expired": _("Đường dẫn đã hết hạn. Vui lòng yêu cầu gửi lại."),
    "already_confirmed": _(
        "Đường dẫn này đã được dùng: tài khoản đã được xác nhận. Mời bạn đăng nhập."
    ),
    "id_number_taken": _("Số định danh này đã gắn với một tài khoản khác đã xác nhận."),
    "tax_code_taken": _("Mã số thuế này đã gắn với một tài khoản khác đã xác nhận."),
}


def account_error(exc) -> str:
    return ACCOUNT_ERRORS.get(exc.code, exc.message)


CHOICE_LABELS = [
    gettext_noop("Toàn trình"),
    gettext_noop("Một phần"),
    gettext_noop("Trực tiếp"),
    gettext_noop("ngày làm việc"),
    gettext_noop("ngày"),
    gettext_noop("ngày (theo lịch)"),
    gettext_noop("giờ làm việc"),
    gettext_noop("tháng"),
    gettext_noop("Trung ương"),
    gettext_noop("Cấp tỉnh"),
    gettext_noop("Cấp xã"),
    gettext_noop("Nhận trực tiếp tại Bộ phận Một cửa"),
    gettext_noop("Nhận qua dịch vụ bưu chính công ích"),
    gettext_noop("Nhận kết quả trực tuyến"),
    gettext_noop("Bản chính"),
    gettext_noop("Bản sao"),
    gettext_noop("Bản sao có chứng thực"),
    gettext_noop("Bản điện tử"),
    gettext_noop("Xuất trình"),
    gettext_noop("Phí"),
    gettext_noop("Lệ phí"),
    gettext_noop("Nghĩa vụ tài chính khác"),
    gettext_noop("Công dân"),
    gettext_noop("Tổ chức, doanh nghiệp"),
    gettext_noop("Cán bộ, công chức"),
    gettext_noop("UBND tỉnh"),
    gettext_noop("Sở, ban, ngành"),
    gettext_noop("Trung tâm Phục vụ hành chính công"),
    gettext_noop("UBND xã, phường, đặc khu"),
    gettext_noop("Trung tâm PVHCC cấp xã"),
    gettext_noop("Cơ quan ngành dọc"),
    gettext_noop("Đơn vị sự nghiệp"),
    gettext_noop("Nhóm cơ quan cùng cấp"),
]
