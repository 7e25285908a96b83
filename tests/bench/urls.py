"""The project's URLs plus two yardsticks rendered through the same middleware and session:
``bench/bare/`` (a trivial template: each page's time is divided by it) and ``bench/empty/``
(the site's ``base.html`` with no content: what the page chrome alone costs)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_BARE = engines["django"].from_string(
    "<!doctype html><title>bare</title><p>{{ request.user.get_username }}</p>"
)

_EMPTY = engines["django"].from_string('{% extends "base.html" %}')


def bare(request):
    return HttpResponse(_BARE.render({}, request))


def empty(request):
    return HttpResponse(_EMPTY.render({}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/empty/", empty, name="bench_empty"),
    *project_urlpatterns,
]
