"""Secrets: facilitator PIN hashes, join codes and URL tokens.

PINs are stored only as salted scrypt hashes (slow on purpose: a leaked database does not give
PINs away cheaply) and compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from .domain import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, MAP_CODE_LENGTH

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of the PIN, with its parameters, as one string."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when the PIN matches the stored hash; compares in constant time."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex),
                                n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


def source_key(source: str) -> str:
    """What is stored for a PIN guesser's source: a hash, never the address itself."""
    return hashlib.sha256(str(source).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def new_join_code(length: int = JOIN_CODE_LENGTH) -> str:
    """A random code from the unambiguous alphabet (6 characters: a workshop's join code)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def new_map_code() -> str:
    """A random short code for a team map (MAP_CODE_LENGTH characters)."""
    return new_join_code(MAP_CODE_LENGTH)


def new_token() -> str:
    """A random URL-safe token for participant identities and private map links."""
    return secrets.token_urlsafe(16)


def token_digest(token: str) -> str:
    """What the database keeps of a browser's cookie: its SHA-256, so a leaked database gives
    nobody a cookie to present."""
    return hashlib.sha256(token.encode()).hexdigest()
