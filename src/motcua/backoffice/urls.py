from django.urls import path

from motcua.backoffice import book_views, queue_views, views

app_name = "backoffice"
urlpatterns = [
    # Work queues (helper queues): the staff landing page and a queue's list.
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
]
