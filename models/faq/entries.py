"""FAQ entries in the database (from data/faq/ or added by coordinators) and open questions.

One rule for every change coordinators make to the FAQ by chat: it belongs to their own
province (`province_id`) and answers only there; entries with no province (the files, and
those the operator promotes with `faq promote`) answer everywhere.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.line_text import cut
from models.registry import roles
from models.registry.agency_names import short_name
from models.registry.chats import Group, Person
from models.registry.tables import Agency, ChatSetup, Province, RoleGrant

PLACE_KIND = {"regional": "กลุ่มส่วนภูมิภาค", "local": "กลุ่ม อปท.", "coordinators": "กลุ่มผู้ประสานงาน"}
ONE_TO_ONE = "แชตส่วนตัว"


class FaqEntry(Base):
    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    questions: Mapped[str] = mapped_column(Text)  # JSON list
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    reference_ids: Mapped[str] = mapped_column(String(300), default="[]")  # JSON list
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    dates: Mapped[bool] = mapped_column(Boolean, default=False)
    defines: Mapped[str] = mapped_column(String(200), default="[]")  # JSON: terms it defines
    origin: Mapped[str] = mapped_column(String(10), default="file")  # file | chat
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))  # None: national


class OpenQuestion(Base):
    """A question the bot could not answer confidently, kept for coordinators to answer."""

    __tablename__ = "open_questions"
    __table_args__ = (Index("ix_open_questions_status", "province_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    chat_id: Mapped[str | None] = mapped_column(String(64))  # where it was asked
    user_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    quote_token: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(String(1000))
    best_key: Mapped[str | None] = mapped_column(String(80))
    best_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | answered
    asked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    faq_key: Mapped[str | None] = mapped_column(String(80))
    answered_with: Mapped[str | None] = mapped_column(String(80))  # reported: the entry it got


def _letter(ch: str) -> bool:
    """Letters and the vowel and tone marks written on them (Thai สระ), not emoji selectors."""
    return unicodedata.category(ch)[0] in "LM" and not "\ufe00" <= ch <= "\ufe0f"


def looks_like_question(text: str) -> bool:
    """Whether a text is worth a coordinator's time: words, not one letter repeated, and not
    mostly digits, emoji or marks (the asker is told so; it is never forwarded)."""
    chars = [ch for ch in text if not ch.isspace()]
    letters = [ch for ch in chars if _letter(ch)]
    if not letters or (len(set(letters)) == 1 and len(letters) > 3):
        return False
    return len(letters) * 3 >= len(chars)


def greet_once(session: Session, line_user_id: str, today: date) -> bool:
    """True the first time a day someone is greeted one-to-one (and remember the day)."""
    if not line_user_id:
        return False
    who = roles.person(session, line_user_id)
    if who.greeted_on == today:
        return False
    who.greeted_on = today
    return True


def keep_question(
    session: Session, province_id: int, asked: tuple, question: str, decision, now: datetime
) -> OpenQuestion:
    """Store a question the bot could not answer; `asked` is (chat, user, message id, quote
    token), so the answer goes back there quoting it."""
    chat_id, user_id, message_id, quote_token = asked
    row = OpenQuestion(
        province_id=province_id,
        chat_id=chat_id,
        user_id=user_id,
        message_id=message_id,
        quote_token=quote_token,
        text=question[:1000],
        best_key=decision.entry_id,
        best_score=decision.score,
        asked_at=now,
    )
    session.add(row)
    session.flush()
    return row


def askers(session: Session, rows: list[OpenQuestion]) -> dict[int, tuple[str, str]]:
    """Per question, who asked ("name (agency)" for an agency admin) and where (the group's
    name, else its kind, or แชตส่วนตัว), each cut short, in three queries whatever the rows."""
    users = {r.user_id for r in rows if r.user_id}
    chats = {r.chat_id for r in rows if r.chat_id}
    names = dict(
        session.execute(
            select(Person.line_user_id, Person.display_name).where(Person.line_user_id.in_(users))
        ).all()
    )
    agencies: dict[tuple[str, int], list[str]] = {}
    for user, province_id, name in session.execute(
        select(Person.line_user_id, Agency.province_id, Agency.name)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .join(Agency, Agency.id == RoleGrant.agency_id)
        .where(Person.line_user_id.in_(users), RoleGrant.status == "active")
        .order_by(Agency.name)
    ):
        agencies.setdefault((user, province_id), []).append(short_name(name, 30))
    places = {
        group_id: cut(name or PLACE_KIND.get(kind or "", "กลุ่มที่ยังไม่ได้ตั้งค่า"), 40)
        for group_id, name, kind in session.execute(
            select(Group.line_group_id, Group.name, ChatSetup.kind)
            .outerjoin(ChatSetup, ChatSetup.group_id == Group.id)
            .where(Group.line_group_id.in_(chats))
        )
    }
    labels = {}
    for r in rows:
        who = cut(names.get(r.user_id) or f"ผู้ใช้ LINE …{(r.user_id or '-')[-4:]}", 30)
        admin_of = agencies.get((r.user_id, r.province_id))
        if admin_of:
            who += f" ({', '.join(admin_of[:2])})"
        where = places.get(r.chat_id, ONE_TO_ONE if r.chat_id == r.user_id else "กลุ่ม")
        labels[r.id] = (who, where)
    return labels


def add_answered(session: Session, row: OpenQuestion, source: str, now: datetime) -> str:
    """Keep an answered question as an FAQ entry of its province (never national by chat);
    returns its key."""
    key = f"added-{row.id}"
    if session.scalar(select(FaqEntry).where(FaqEntry.key == key)) is None:
        session.add(
            FaqEntry(
                key=key,
                category="added",
                questions=json.dumps([row.text], ensure_ascii=False),
                answer=row.answer or "",
                source=source,
                confirmed=True,
                origin="chat",
                updated_at=now,
                province_id=row.province_id,
            )
        )
    row.faq_key = key
    return key


def local_entries(session: Session, province: Province | None = None) -> list[tuple]:
    """(key, province name, first question, answer) of the active entries of one province
    (or all provinces), oldest first."""
    query = (
        select(FaqEntry.key, Province.name, FaqEntry.questions, FaqEntry.answer)
        .join(Province, Province.id == FaqEntry.province_id)
        .where(FaqEntry.active.is_(True))
        .order_by(FaqEntry.id)
    )
    if province is not None:
        query = query.where(FaqEntry.province_id == province.id)
    return [(k, p, json.loads(q)[0], a) for k, p, q, a in session.execute(query)]


def promote(session: Session, key: str, now: datetime) -> FaqEntry | None:
    """Make a province's entry national (the operator's decision); None if there is none."""
    entry = session.scalar(select(FaqEntry).where(FaqEntry.key == key))
    if entry is not None and entry.province_id is not None:
        entry.province_id, entry.updated_at = None, now
    return entry
