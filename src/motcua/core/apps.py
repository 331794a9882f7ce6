from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from django_tasks.apps import TasksAppConfig
from django_tasks_db.apps import TasksAppConfig as TasksDatabaseAppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Lõi hệ thống"


# Third-party apps under Vietnamese names: the administration and the permission lists show
# an app's verbose_name, and these apps ship English ones or none ("Axes", "Otp_Totp").
# Labels, and so tables and migrations, stay theirs.


class AxesConfig(AxesAppConfig):
    verbose_name = "Chống dò mật khẩu"


class CaptchaConfig(AppConfig):
    name = "captcha"
    verbose_name = "Mã xác nhận (captcha)"


class OTPConfig(AppConfig):
    name = "django_otp"
    verbose_name = "Xác thực hai bước"


class TOTPConfig(TOTPAppConfig):
    verbose_name = "Ứng dụng xác thực hai bước"


class TasksConfig(TasksAppConfig):
    verbose_name = "Tác vụ nền"


class TasksDatabaseConfig(TasksDatabaseAppConfig):
    verbose_name = "Hàng đợi tác vụ nền"
