"""Personal API tokens: how they look and how they are stored.

A token is ``hs_`` and 40 random URL-safe characters. The database keeps only an HMAC-SHA256
of it, keyed with a key derived from SECRET_KEY: a leaked database (or backup) gives no
usable token, and without SECRET_KEY the digests cannot even be checked offline. The token
has 240 bits of randomness, so a fast keyed hash is enough (a slow password hash would only
make every API request slower). Rotating SECRET_KEY invalidates every token.
"""

import secrets

from django.utils.crypto import salted_hmac

PREFIX = "hs_"
PREFIX_SHOWN = 10


def generate():
    return PREFIX + secrets.token_urlsafe(30)


def digest(token):
    return salted_hmac("hindsight.api.token", token, algorithm="sha256").hexdigest()
