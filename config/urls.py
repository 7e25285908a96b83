from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actions.views.home import home
from postmortems.views.health import healthz
from postmortems.views.profile import set_language

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("postmortems.urls")),
    path("", include("actions.urls")),
    path("", include("integrations.urls")),
]
