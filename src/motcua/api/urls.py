from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from motcua.api import dossier_documents, dossier_files, dossiers, staff, tracking, verify, views

app_name = "api"

urlpatterns = [
    # First: the busiest anonymous read should not be matched against every other route.
    path("tracking/<str:code>", tracking.tracking, name="tracking"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("auth/register", views.register, name="register"),
    path("auth/confirm", views.confirm, name="confirm"),
    path("auth/resend-confirmation", views.resend_confirmation, name="resend-confirmation"),
    path("auth/token", views.token, name="token"),
    path("auth/logout", views.logout, name="logout"),
    path("auth/password-reset", views.password_reset, name="password-reset"),
    path(
        "auth/password-reset/confirm", views.password_reset_confirm, name="password-reset-confirm"
    ),
    path("me", views.me, name="me"),
    path("agencies", views.AgencyList.as_view(), name="agencies"),
    path("fields", views.FieldList.as_view(), name="fields"),
    path("procedures", views.ProcedureList.as_view(), name="procedures"),
    path("procedures/<str:code>", views.procedure_detail, name="procedure-detail"),
    path("dossiers", dossiers.DossierList.as_view(), name="dossiers"),
    path("dossiers/<str:code>", dossiers.dossier_detail, name="dossier-detail"),
    path("dossiers/<str:id>/submit", dossiers.submit, name="dossier-submit"),
    path("dossiers/<str:code>/receipt", dossiers.receipt, name="dossier-receipt"),
    path("dossiers/<str:code>/withdraw", dossiers.withdraw, name="dossier-withdraw"),
    path("dossiers/<str:id>/files", dossier_files.upload, name="dossier-files"),
    path(
        "dossiers/<str:code>/files/<uuid:file_id>",
        dossier_files.dossier_file,
        name="dossier-file",
    ),
    path("dossiers/<str:code>/supplement", dossier_files.supplement, name="dossier-supplement"),
    path("dossiers/<str:code>/result", dossier_documents.result, name="dossier-result"),
    path(
        "dossiers/<str:code>/forms/<uuid:form_id>",
        dossier_documents.form,
        name="dossier-form",
    ),
    path("staff/dossiers", staff.StaffDossierList.as_view(), name="staff-dossiers"),
    path("staff/dossiers/<str:code>", staff.staff_dossier, name="staff-dossier"),
    path("staff/dossiers/<str:code>/actions", staff.staff_action, name="staff-dossier-actions"),
    path("verify/<str:code>", verify.verify, name="verify"),
]
