from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dxpool.core import views as core_views
from dxpool.core.api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the app's own icon, not a 404.
    path("favicon.ico", core_views.favicon),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("talent/", include("dxpool.talent.urls")),
    path("needs/", include("dxpool.needs.urls")),
    path("matching/", include("dxpool.matching.urls")),
    path("", include("dxpool.places.urls")),
]

handler400 = "dxpool.core.views.error_400"
handler404 = "dxpool.core.views.error_404"
handler403 = "dxpool.core.views.error_403"
handler500 = "dxpool.core.views.error_500"
