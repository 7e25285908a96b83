from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actions.views.home import home
from postmortems.views.favicon import favicon
from postmortems.views.health import healthz
from postmortems.views.password_reset import ThrottledPasswordResetView
from postmortems.views.profile import set_language

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("api.web_urls")),
    path("", include("postmortems.urls")),
    path("", include("actions.urls")),
    path("", include("integrations.urls")),
]

# Password reset sends mail: without a mail server it could only fail, so it is not offered.
if settings.PASSWORD_RESET_ENABLED:
    urlpatterns += [
        path(
            "accounts/password_reset/",
            ThrottledPasswordResetView.as_view(),
            name="password_reset",
        ),
        path(
            "accounts/password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            "accounts/reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            "accounts/reset/done/",
            auth_views.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ]

handler404 = "api.errors.not_found"
