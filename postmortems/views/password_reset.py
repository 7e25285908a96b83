"""Password reset, throttled. Only routed when mail is configured (``EMAIL_HOST``)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW_SECONDS = 3600


def _over_limit(key):
    """Count one more request under ``key``; True once the hour's allowance is used up."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > settings.PASSWORD_RESET_LIMIT_PER_HOUR


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, with at most ``PASSWORD_RESET_LIMIT_PER_HOUR`` requests an hour
    per client address and per e-mail address: nobody can flood an inbox or the mail
    server. An answer over the limit says so, and sends nothing."""

    def form_valid(self, form):
        address = self.request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].strip().lower()
        limited = [
            _over_limit(f"password-reset:ip:{address}"),
            _over_limit(f"password-reset:email:{email}"),
        ]
        if any(limited):
            form.add_error(None, _("Too many password reset requests. Try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
