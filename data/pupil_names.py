"""Pupils' names and UPNs for pupil-level reports, and the opaque ids pages use.

A release holds pupils by database id and context only; names live in the `pupils`
table and are read here, always for one school, so an id from another school finds no
name. Pages and addresses name a pupil by an opaque token: an HMAC of the school and
the pupil's database id under the app's secret. It holds no name, UPN or date of
birth, cannot be guessed or reversed without the secret, and is resolved only against
the pupils of the viewer's own school.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from data.db import session_scope
from data.schema import Pupil, School

TOKEN_LENGTH = 20


@dataclass(frozen=True)
class PupilName:
    """A pupil's UPN and name, as the pupil reports show them."""

    upn: str
    surname: str
    forename: str

    @property
    def full(self) -> str:
        """Return the name as lists sort it: "Surname, Forename"."""
        return f"{self.surname}, {self.forename}"


def pupil_names(
    url: str, school_id: str, pupil_ids: Iterable[int]
) -> dict[int, PupilName]:
    """Return the names of the given pupils of one school, by pupil id.

    Ids that belong to another school (or to nobody) are left out.
    """
    wanted = {int(pupil_id) for pupil_id in pupil_ids}
    if not wanted:
        return {}
    query = select(Pupil.id, Pupil.upn, Pupil.surname, Pupil.forename).where(
        Pupil.school_id == school_id
    )
    if len(wanted) <= 50:
        query = query.where(Pupil.id.in_(sorted(wanted)))
    with session_scope(url) as session:
        rows = session.execute(query).all()
    return {
        row.id: PupilName(row.upn, row.surname, row.forename)
        for row in rows
        if row.id in wanted
    }


def name_order(name: PupilName) -> tuple[str, str, str]:
    """Return the key that sorts names alphabetically, "Ŵyn" among the Ws."""
    return (_plain(name.surname), _plain(name.forename), name.upn)


def pupil_by_upn(url: str, school_id: str, upn: str) -> int | None:
    """Return the id of the school's pupil with this UPN, or None."""
    query = select(Pupil.id).where(
        Pupil.school_id == school_id, Pupil.upn == upn.strip().upper()
    )
    with session_scope(url) as session:
        return session.scalar(query)


def school_name(url: str, school_id: str) -> str:
    """Return a school's name, or its id when the school is unknown."""
    with session_scope(url) as session:
        found = session.scalar(select(School.name).where(School.id == school_id))
    return found or school_id


def pupil_token(secret: str | bytes, school_id: str, pupil_id: int) -> str:
    """Return the opaque id of a pupil of a school, as addresses and pickers carry it."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    message = f"pupil:{school_id}:{int(pupil_id)}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]


def find_pupil(
    secret: str | bytes, school_id: str, pupil_ids: Iterable[int], token: str | None
) -> int | None:
    """Return the pupil among `pupil_ids` whose opaque id is `token`, or None."""
    if not token or len(token) != TOKEN_LENGTH:
        return None
    for pupil_id in pupil_ids:
        expected = pupil_token(secret, school_id, int(pupil_id))
        if hmac.compare_digest(expected, token):
            return int(pupil_id)
    return None


def _plain(text: str) -> str:
    """Return text without accents, case-folded, for sorting."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
