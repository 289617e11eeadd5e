"""Accounts: creating and changing users, passwords (argon2), TOTP and pupil grants.

Also the `python -m dashboard user ...` commands. Passwords are read from a prompt, or
from the first line of standard input when it is not a terminal; never from arguments.
Disabling a user or resetting a password bumps `session_version`, which ends that
user's open sign-ins on their next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.db import session_scope
from data.schema import LocalAuthority, PupilGrant, School, User
from data.scope import ADMIN, LA_OFFICER, ROLES, SCHOOL_ROLES, SCHOOL_VIEWER

PASSWORD_MIN_LENGTH = 12
TOTP_ROLES = (ADMIN, LA_OFFICER)
TOTP_ISSUER = "Attendance Tracker"
DEMO_USERS = (
    ("viewer@demo.example", "Demo Viewer", SCHOOL_VIEWER, "demo-viewer-2026", ""),
    ("pupils@demo.example", "Demo Pupil Access", SCHOOL_VIEWER, "demo-pupils-2026", ""),
    ("la@demo.example", "Demo LA Officer", LA_OFFICER, "demo-la-2026", "DEMOLAOFFICERTOTPSECRETTWOSIXAAA"),
    ("admin@demo.example", "Demo Administrator", ADMIN, "demo-admin-2026", "DEMOADMINISTRATORTOTPSECRETAAAAA"),
)  # fmt: skip
_hasher = PasswordHasher()


@dataclass(frozen=True, eq=False)
class Account(UserMixin):
    """A signed-in (or signing-in) user as Flask-Login sees them; no secrets."""

    id: int
    email: str
    name: str
    role: str
    school_id: str | None
    la_code: int | None
    session_version: int
    totp_enabled: bool
    language: str

    @property
    def needs_totp(self) -> bool:
        """Whether signing in needs a TOTP code: required by role, or turned on."""
        return self.totp_enabled or self.role in TOTP_ROLES


def normalise_email(email: str) -> str:
    """Return an email address as stored: trimmed and lower-case."""
    return email.strip().lower()


def authenticate(url: str, email: str, password: str) -> Account | None:
    """Return the active account whose email and password match, else None."""
    with session_scope(url) as session:
        user = _user_by_email(session, email)
        if user is None:
            _verify(_dummy_hash(), password)
            return None
        if not _verify(user.password_hash, password) or not user.active:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return _account(user)


def user_id_for(url: str, email: str) -> int | None:
    """Return the id of the user with an email, or None."""
    with session_scope(url) as session:
        user = _user_by_email(session, email)
        return None if user is None else user.id


def load_account(url: str, user_id: int) -> Account | None:
    """Return an active user's account, or None when missing or disabled."""
    with session_scope(url) as session:
        user = session.get(User, user_id)
        return _account(user) if user is not None and user.active else None


def create_user(
    url: str,
    email: str,
    name: str,
    role: str,
    password: str,
    school_id: str | None = None,
    la_code: int | None = None,
) -> int:
    """Create an account and return its id; ValueError says what is wrong."""
    _check_password(password)
    with session_scope(url) as session:
        _check_placement(session, role, school_id, la_code)
        if _user_by_email(session, email) is not None:
            raise ValueError("A user with that email already exists.")
        if "@" not in email or not name.strip():
            raise ValueError("A user needs an email address and a name.")
        user = User(
            email=normalise_email(email),
            name=name.strip(),
            password_hash=_hasher.hash(password),
            role=role,
            school_id=school_id,
            la_code=la_code,
            created_at=datetime.now().replace(microsecond=0),
        )
        session.add(user)
        session.flush()
        user_id = user.id
    audit.record(url, "user_added", user_id, school_id, f"role {role}")
    return user_id


def disable_user(url: str, email: str) -> int:
    """Disable an account and end its sign-ins; return its id."""
    with session_scope(url) as session:
        user = _existing_user(session, email)
        user.active = False
        user.session_version += 1
        user_id = user.id
    audit.record(url, "user_disabled", user_id)
    return user_id


def end_sign_ins(url: str, user_id: int) -> None:
    """End every open sign-in of an account: a session cookie kept from before, even
    one copied elsewhere, no longer signs anyone in."""
    with session_scope(url) as session:
        user = session.get(User, user_id)
        if user is not None:
            user.session_version += 1


def reset_password(url: str, email: str, password: str) -> int:
    """Set a new password and end the account's sign-ins; return its id."""
    _check_password(password)
    with session_scope(url) as session:
        user = _existing_user(session, email)
        user.password_hash = _hasher.hash(password)
        user.session_version += 1
        user_id = user.id
    audit.record(url, "password_reset", user_id)
    return user_id


def grant_pupil_access(url: str, email: str, school_id: str) -> int:
    """Give a user pupil-level access to a school within their scope; return their id."""
    with session_scope(url) as session:
        user = _existing_user(session, email)
        school = session.get(School, school_id)
        if school is None:
            raise ValueError(f"No school with id {school_id}.")
        if not _role_covers(user, school):
            raise ValueError(f"School {school_id} is outside that user's scope.")
        if session.get(PupilGrant, (user.id, school_id)) is None:
            session.add(PupilGrant(user_id=user.id, school_id=school_id))
        user_id = user.id
    audit.record(url, "pupil_access_granted", user_id, school_id)
    return user_id


def revoke_pupil_access(url: str, email: str, school_id: str) -> int:
    """Take away a user's pupil-level access to a school; return their id."""
    with session_scope(url) as session:
        user = _existing_user(session, email)
        grant = session.get(PupilGrant, (user.id, school_id))
        if grant is None:
            raise ValueError(f"That user has no pupil access to school {school_id}.")
        session.delete(grant)
        user_id = user.id
    audit.record(url, "pupil_access_revoked", user_id, school_id)
    return user_id


def list_users(url: str) -> list[dict[str, object]]:
    """Return every user by email: id, email, name, role, school_id, la_code, active,
    totp (bool) and grants (sorted school ids)."""
    with session_scope(url) as session:
        users = session.scalars(select(User).order_by(User.email)).all()
        grants = session.execute(select(PupilGrant).order_by(PupilGrant.school_id))
        granted: dict[int, list[str]] = {}
        for (grant,) in grants:
            granted.setdefault(grant.user_id, []).append(grant.school_id)
        return [_listing(user, granted.get(user.id, [])) for user in users]


def enable_totp(url: str, user_id: int, secret: str | None = None) -> str:
    """Turn on TOTP for a user with the given (already confirmed) or a new secret;
    return the secret."""
    secret = secret or pyotp.random_base32()
    with session_scope(url) as session:
        user = session.get(User, user_id)
        if user is None:
            raise ValueError(f"No user with id {user_id}.")
        user.totp_secret = secret
    audit.record(url, "totp_enabled", user_id)
    return secret


def verify_totp(url: str, user_id: int, code: str) -> bool:
    """Return whether a code matches the user's TOTP secret (one step either side)."""
    with session_scope(url) as session:
        user = session.get(User, user_id)
        secret = None if user is None else user.totp_secret
    return secret is not None and check_totp_code(secret, code)


def check_totp_code(secret: str, code: str) -> bool:
    """Return whether a six-digit code matches a TOTP secret now (one step either
    side)."""
    code = code.strip().replace(" ", "")
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def totp_uri(email: str, secret: str) -> str:
    """Return the otpauth:// address an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def create_demo_users(url: str) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo accounts for the first demo school and its authority.

    Returns (email, password, description); the descriptions of the administrator and
    the LA officer give their fixed TOTP secret. SQLite databases only.
    """
    if not url.startswith("sqlite"):
        raise ValueError("Demo users are only created in a SQLite database.")
    with session_scope(url) as session:
        school = session.scalars(select(School).order_by(School.id).limit(1)).first()
        if school is None:
            raise ValueError("Build the demo data before creating demo users.")
        for email, name, role, password, secret in DEMO_USERS:
            _demo_user(session, school, email, name, role, password, secret)
        session.flush()
        pupil_user = _user_by_email(session, DEMO_USERS[1][0])
        assert pupil_user is not None
        if session.get(PupilGrant, (pupil_user.id, school.id)) is None:
            session.add(PupilGrant(user_id=pupil_user.id, school_id=school.id))
    return [
        (email, password, _demo_description(role, email, secret, school.id))
        for email, _name, role, password, secret in DEMO_USERS
    ]


def demo_accounts(url: str) -> list[tuple[str, str, str]]:
    """Return the demo sign-ins that exist in this database (none outside the demo)."""
    with session_scope(url) as session:
        rows = session.execute(
            select(User.email, User.role, User.school_id).where(
                User.email.in_([row[0] for row in DEMO_USERS]), User.active
            )
        ).all()
    present = {row.email: row for row in rows}
    return [
        (
            email,
            password,
            _demo_description(role, email, secret, present[email].school_id or ""),
        )
        for email, _name, role, password, secret in DEMO_USERS
        if email in present
    ]


def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(
        select(User).where(User.email == normalise_email(email))
    ).first()


def _existing_user(session: Session, email: str) -> User:
    user = _user_by_email(session, email)
    if user is None:
        raise ValueError("No user with that email.")
    return user


def _account(user: User) -> Account:
    names = ("id", "email", "name", "role", "school_id", "la_code", "language")
    values = {name: getattr(user, name) for name in names}
    totp = user.totp_secret is not None
    return Account(**values, session_version=user.session_version, totp_enabled=totp)


def _listing(user: User, grants: list[str]) -> dict[str, object]:
    names = ("id", "email", "name", "role", "school_id", "la_code", "active")
    listing: dict[str, object] = {name: getattr(user, name) for name in names}
    return listing | {"totp": user.totp_secret is not None, "grants": grants}


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValueError(f"A password needs at least {PASSWORD_MIN_LENGTH} characters.")


def _check_placement(
    session: Session, role: str, school_id: str | None, la_code: int | None
) -> None:
    """Check a role has the school or authority it needs, and that it exists."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role}; use one of {', '.join(ROLES)}.")
    if role in SCHOOL_ROLES and (school_id is None or la_code is not None):
        raise ValueError(f"A {role} needs --school and no --la.")
    if role == LA_OFFICER and (la_code is None or school_id is not None):
        raise ValueError("An la_officer needs --la and no --school.")
    if role == ADMIN and (school_id is not None or la_code is not None):
        raise ValueError("An admin takes neither --school nor --la.")
    if school_id is not None and session.get(School, school_id) is None:
        raise ValueError(f"No school with id {school_id}.")
    if la_code is not None and session.get(LocalAuthority, la_code) is None:
        raise ValueError(f"No local authority numbered {la_code}.")


def _role_covers(user: User, school: School) -> bool:
    """Return whether a user's role reaches a school (for granting pupil access)."""
    if user.role == ADMIN:
        return True
    if user.role == LA_OFFICER:
        return school.la_code == user.la_code
    return school.id == user.school_id


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """Return a hash to check unknown emails against, so they take as long."""
    return _hasher.hash("not a password of anyone")


def _demo_user(
    session: Session,
    school: School,
    email: str,
    name: str,
    role: str,
    password: str,
    secret: str,
) -> None:
    """Create or reset one demo account."""
    user = _user_by_email(session, email) or User(
        email=email, created_at=datetime.now().replace(microsecond=0)
    )
    user.name = name
    user.role = role
    user.password_hash = _hasher.hash(password)
    user.school_id = school.id if role in SCHOOL_ROLES else None
    user.la_code = school.la_code if role == LA_OFFICER else None
    user.totp_secret = secret or None
    user.active = True
    user.session_version = (user.session_version or 0) + 1
    session.add(user)


def _demo_description(role: str, email: str, secret: str, school_id: str) -> str:
    described = {
        SCHOOL_VIEWER: f"school viewer, school {school_id}",
        LA_OFFICER: "local-authority officer",
        ADMIN: "administrator",
    }[role]
    if email == DEMO_USERS[1][0]:
        described += ", with pupil-level access"
    if secret:
        described += f"; TOTP secret {secret}"
    return described
