"""``/favicon.ico``: browsers and tools ask for it on every site even when the page names
its icon, so it answers with the static icon instead of a 404 (or a login page)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static


@login_not_required
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
