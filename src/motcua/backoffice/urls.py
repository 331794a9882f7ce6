from django.urls import path

from motcua.backoffice import book_views, desk_views, queue_views, views

app_name = "backoffice"
urlpatterns = [
    # Work queues: the staff landing page and a queue's list.
    path("can-bo/", queue_views.home, name="queues"),
    path("can-bo/ho-so/", queue_views.dossier_list, name="queue"),
    path("can-bo/xac-thuc-hai-buoc/", views.otp_verify, name="otp-verify"),
    path("can-bo/bao-mat/", views.security, name="security"),
    path("can-bo/so-theo-doi-ho-so/", book_views.book, name="tracking-book"),
    path(
        "can-bo/so-theo-doi-ho-so/excel/",
        book_views.book,
        {"export": "xlsx"},
        name="tracking-book-xlsx",
    ),
    path(
        "can-bo/so-theo-doi-ho-so/pdf/",
        book_views.book,
        {"export": "pdf"},
        name="tracking-book-pdf",
    ),
    # The officer's dossier page, what it serves, and counter intake.
    path("can-bo/ho-so/<str:code>/", desk_views.dossier, name="dossier"),
    path(
        "can-bo/ho-so/<str:code>/tep/<uuid:file_id>/", desk_views.dossier_file, name="dossier-file"
    ),
    path(
        "can-bo/ho-so/<str:code>/y-kien/<uuid:file_id>/",
        desk_views.consultation_file,
        name="consultation-file",
    ),
    path(
        "can-bo/ho-so/<str:code>/bieu-mau/<uuid:form_id>/",
        desk_views.issued_form,
        name="dossier-form",
    ),
    path(
        "can-bo/ho-so/<str:code>/ket-qua/<uuid:result_id>/",
        desk_views.signed_result,
        name="dossier-result",
    ),
    path("can-bo/tiep-nhan-tai-quay/", desk_views.intake, name="intake"),
]
