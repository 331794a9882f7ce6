from captcha import views as captcha_views
from django.urls import include, path, re_path

from motcua.portal.views import (
    accounts,
    catalogue,
    components,
    delivery,
    dossier_actions,
    dossiers,
    pages,
    profile,
    receipts,
    review,
    tracking,
    verification,
    wizard,
)

app_name = "portal"

# E-mailed links end without a slash; the pages also answer with one (re_path's "/?").
TOKEN = r"(?P<token>[A-Za-z0-9_-]{1,200})/?"

urlpatterns = [
    path("", pages.home, name="home"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("dang-ky/", accounts.register, name="register"),
    path("dang-ky/da-gui/", accounts.register_sent, name="register-sent"),
    re_path(rf"^xac-nhan/{TOKEN}$", accounts.confirm, name="confirm"),
    path("dang-nhap/", accounts.login, name="login"),
    path("dang-xuat/", accounts.logout, name="logout"),
    path("quen-mat-khau/", accounts.password_reset, name="password-reset"),
    path("quen-mat-khau/da-gui/", accounts.password_reset_sent, name="password-reset-sent"),
    re_path(
        rf"^dat-lai-mat-khau/{TOKEN}$",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("trang-ca-nhan/", profile.profile, name="profile"),
    path("ho-so/<str:code>/bien-nhan.pdf", receipts.dossier_receipt, name="dossier-receipt"),
    path("ho-so/<str:code>/ket-qua.pdf", receipts.dossier_result, name="dossier-result"),
    path(
        "ho-so/<str:code>/bieu-mau/<uuid:form_id>.pdf",
        receipts.dossier_form,
        name="dossier-form",
    ),
    path("thu-tuc/", catalogue.procedures, name="procedures"),
    path("thu-tuc/goi-y/", catalogue.suggestions, name="procedure-suggestions"),
    path("thu-tuc/<str:code>/", catalogue.procedure, name="procedure"),
    path(
        "thu-tuc/<str:code>/mau/<int:component_id>/",
        catalogue.component_template,
        name="component-template",
    ),
    # Online submission (the seed letters' order) and the citizen's dossiers.
    path("thu-tuc/<str:code>/nop-ho-so/", wizard.start, name="submit"),
    path("ho-so/<uuid:public_id>/nguoi-nop/", wizard.applicant, name="draft-applicant"),
    path(
        "ho-so/<uuid:public_id>/thanh-phan/<int:page>/",
        components.components,
        name="draft-components",
    ),
    path("ho-so/<uuid:public_id>/nhan-ket-qua/", delivery.delivery, name="draft-delivery"),
    path("ho-so/<uuid:public_id>/kiem-tra/", review.review, name="draft-review"),
    path("ho-so/<uuid:public_id>/xoa-ban-nhap/", wizard.discard, name="draft-discard"),
    path("dia-ban/<str:province>/xa-phuong/", delivery.communes, name="communes"),
    path("trang-ca-nhan/ho-so/", dossiers.my_dossiers, name="my-dossiers"),
    path("ho-so/<str:code>/", dossiers.detail, name="dossier"),
    path("ho-so/<str:code>/da-nop/", dossiers.submitted, name="dossier-submitted"),
    path("ho-so/<str:code>/tep/<str:file_id>/", dossiers.download, name="dossier-file"),
    path("ho-so/<str:code>/bo-sung/", dossier_actions.supplement, name="dossier-supplement"),
    path("ho-so/<str:code>/rut-ho-so/", dossier_actions.withdraw, name="dossier-withdraw"),
    # Before tracking's /tra-cuu/<code>, which would take "xac-thuc" for a code.
    re_path(r"^tra-cuu/xac-thuc/?$", verification.verify, name="verify"),
    re_path(
        r"^tra-cuu/xac-thuc/(?P<code>[A-Za-z0-9.\-]{1,60})/?$",
        verification.verify,
        name="verify-code",
    ),
    # The receipt's QR code points at /tra-cuu/<code>, without a trailing slash.
    path("tra-cuu/", tracking.lookup, name="tracking"),
    re_path(r"^tra-cuu/(?P<code>[A-Za-z0-9.\-]{1,60})/?$", tracking.lookup, name="tracking-code"),
    path("hop-thu-demo/", pages.mailbox, name="mailbox"),
    path("hop-thu-demo/<int:pk>/", pages.mailbox_message, name="mailbox-message"),
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(
        r"^ma-xac-nhan/(?P<key>\w+)/$",
        captcha_views.captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    path("ma-xac-nhan-moi/", pages.captcha_refresh, name="captcha-refresh"),
]
