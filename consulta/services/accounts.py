"""Staff accounts: Argon2id hashes, lock-out after repeated failures."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from ..extensions import db
from ..models import ROLES, User
from ..timeutil import utcnow


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)  # Argon2id, memory-hard


def _hasher() -> PasswordHasher:
    """Production uses argon2-cffi's defaults; the test suite may lower them to save minutes."""
    config = current_app.config
    return _hasher_for(config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536))


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the e-mail is unknown, so timing does not reveal which accounts exist."""
    return hasher.hash(secrets.token_hex(16))


MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"Invalid e-mail address: {email!r}") from exc


def create_user(email: str, role: str, password: str) -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise AccountError(f"A user with e-mail {email} already exists")
    user = User(email=email, role=role, password_hash=_hasher().hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> tuple[User | None, str | None]:
    """Returns (user, None) on success or (None, reason) with reason "invalid" or "locked"."""
    try:
        email = normalise_email(email)
    except AccountError:
        _verify(_dummy_hash(_hasher()), password)
        return None, "invalid"
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None or not user.is_enabled:
        _verify(_dummy_hash(_hasher()), password)
        return None, "invalid"
    now = utcnow()
    if user.locked_until and _aware(user.locked_until) > now:
        return None, "locked"
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.commit()
        return None, "invalid"
    user.failed_logins = 0
    user.locked_until = None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    db.session.commit()
    return user, None


def end_all_sessions(user: User) -> None:
    """Logout invalidates every cookie of this user, not only the current browser's."""
    user.session_nonce = secrets.token_hex(16)
    db.session.commit()


def load_user(user_id: str) -> User | None:
    try:
        raw_id, nonce = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _aware(moment):
    # SQLite returns naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
