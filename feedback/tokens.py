"""The feedback link's token: random, shown once, kept only as a hash.

A token is looked up by its SHA-256 hash (an index lookup on a value the caller cannot steer), so
no comparison of the secret runs character by character: a guessed or altered token finds no row,
exactly like one that never existed.
"""

import hashlib
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_TOKEN_SHAPE.match(token))
