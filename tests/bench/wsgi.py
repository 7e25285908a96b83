"""The project's WSGI application with the bench's URLs (the bare view and the empty
``base.html`` beside the site's own), for ``--concurrent``'s gunicorn."""

from django.conf import settings

from config.wsgi import application

settings.ROOT_URLCONF = "tests.bench.urls"

__all__ = ["application"]
