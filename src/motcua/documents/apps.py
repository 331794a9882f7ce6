from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = "Biểu mẫu, giấy tờ"

    def ready(self):
        # The official form a process action names is issued in the transition itself.
        from motcua.documents.transition_forms import issue_for_transition
        from motcua.dossiers.transitions import performed

        performed.connect(issue_for_transition, dispatch_uid="documents.issue_for_transition")
