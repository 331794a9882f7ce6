from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = "Chữ ký số"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The built-in plugins register themselves on import.
        from motcua.signing import plugins  # noqa: F401
