"""Secrets of integrations: generated, shown once, stored hashed or encrypted.

A bearer secret is only ever compared, so only its SHA-256 is kept. A signing key (the
HMAC key of PagerDuty's signatures, a tracker's token) must be read back to be used, so it
is encrypted with Fernet under ``INTEGRATIONS_ENCRYPTION_KEY`` (derived from
``SECRET_KEY`` when unset: changing ``SECRET_KEY`` then makes stored keys unreadable, and
the sources must be given new secrets).
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

SECRET_BYTES = 32


def generate():
    return secrets.token_urlsafe(SECRET_BYTES)


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret, stored_digest):
    return bool(stored_digest) and hmac.compare_digest(digest(secret), stored_digest)


def _fernet():
    key = settings.INTEGRATIONS_ENCRYPTION_KEY
    if not key:
        raw = hashlib.sha256(b"hindsight-integrations:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(raw)
    return Fernet(key)


def encrypt(value):
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def decrypt(token):
    """The clear value, or "" when the token cannot be read (e.g. the key changed)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return ""
