from django.urls import include, path

from motcua.backoffice.admin_site import admin_site
from motcua.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", include("motcua.api.urls")),
    path("quan-tri/", admin_site.urls),
    path("", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]

handler404 = "motcua.core.views.not_found"
handler500 = "motcua.core.views.server_error"
handler403 = "motcua.core.views.forbidden"
handler400 = "motcua.core.views.bad_request"
