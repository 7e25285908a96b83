"""The project's URLs plus ``bench/bare/``: a view that renders a trivial template through
the same middleware and session, the yardstick each page's time is divided by."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_BARE = engines["django"].from_string(
    "<!doctype html><title>bare</title><p>{{ request.user.get_username }}</p>"
)


def bare(request):
    return HttpResponse(_BARE.render({}, request))


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
