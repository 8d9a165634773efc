from django.contrib import admin
from django.urls import include, path

from printops.api import api
from printops.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("library/", include("printops.library.urls")),
    path("materials/", include("printops.materials.urls")),
    path("production/", include("printops.production.urls")),
    path("", include("printops.front.urls")),
    path("", include("printops.accounts.urls")),
]

handler400 = "printops.core.views.bad_request"
handler403 = "printops.core.views.forbidden"
handler404 = "printops.core.views.not_found"
handler500 = "printops.core.views.server_error"
