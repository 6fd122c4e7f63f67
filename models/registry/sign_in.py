"""Signing in to the web pages through the bot: a single-use link, valid 10 minutes, bound to
the LINE user who asked for it one-to-one. Only a digest of the token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

VALID = timedelta(minutes=10)
UNKNOWN, USED, EXPIRED = "unknown", "used", "expired"


class SignInToken(Base):
    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue(session: Session, line_user_id: str, now: datetime) -> str:
    """A new token for this person (tokens a day old are forgotten on the way)."""
    session.execute(delete(SignInToken).where(SignInToken.created_at < now - timedelta(days=1)))
    token = secrets.token_urlsafe(32)
    session.add(SignInToken(digest=digest(token), line_user_id=line_user_id, created_at=now))
    return token


def peek(session: Session, token: str, now: datetime) -> str | None:
    """Why a token cannot sign in (UNKNOWN, USED, EXPIRED), or None: a GET only looks, so a
    link preview fetched by LINE's servers does not use it up."""
    row = session.scalar(select(SignInToken).where(SignInToken.digest == digest(token)))
    if row is None:
        return UNKNOWN
    if row.used_at is not None:
        return USED
    return EXPIRED if now - row.created_at > VALID else None


def consume(session: Session, token: str, now: datetime) -> tuple[str | None, str | None]:
    """(the LINE user id, None), or (None, why not); a token signs in once."""
    problem = peek(session, token, now)
    if problem:
        return None, problem
    row = session.scalar(
        select(SignInToken).where(SignInToken.digest == digest(token)).with_for_update()
    )
    if row.used_at is not None:  # another request took it between the two reads
        return None, USED
    row.used_at = now
    return row.line_user_id, None
