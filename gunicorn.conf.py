"""gunicorn settings read by every start (`gunicorn -c gunicorn.conf.py`, and by default
from the working directory): no ``Server`` header.

gunicorn writes ``Server: gunicorn`` on every response and has no setting to turn it off;
the version tells an attacker which parser bugs to try. The response's default header
lines are built in one method, so the ``Server`` line is dropped there.
``tests/test_gunicorn_conf.py`` starts a real gunicorn and fails if an upgrade brings the
header back.
"""

from gunicorn.http import wsgi


def _without_server_header(default_headers):
    def headers(self):
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    return headers


if not getattr(wsgi.Response.default_headers, "drops_server_header", False):
    wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
    wsgi.Response.default_headers.drops_server_header = True
