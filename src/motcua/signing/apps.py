from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = "Chữ ký số"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The built-in plugins register themselves on import.
        # The result is signed in the transition "Ký, ban hành kết quả" itself.
        from motcua.dossiers.transitions import performed
        from motcua.signing import plugins  # noqa: F401
        from motcua.signing.transition_signing import sign_for_transition

        performed.connect(sign_for_transition, dispatch_uid="signing.sign_for_transition")
