"""``Authorization: Bearer <secret>``, as Opsgenie, Alertmanager and Grafana send it."""

from integrations import secrets


def authenticate(request, source):
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    return secrets.matches(token.strip(), source.secret_digest)
