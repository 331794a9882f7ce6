from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("can-bo/xac-thuc-hai-buoc/", views.otp_verify, name="otp-verify"),
    path("can-bo/bao-mat/", views.security, name="security"),
]
