"""Telling people the outcome of what they asked, though they may never write again.

One-to-one when the bot may push to them: a friend of the bot (a push to one user costs one
message, counted in the month's budget by the outbox), at most `per_day` such pushes a day per
person. Everyone else hears it in the next reply in their agency's group (held news, free).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from models.line_text import cut
from models.notices import held
from models.notices import limits as notice_limits
from models.notices.text import admins_of
from models.oit.records import natural_key
from models.oit.submissions import APPROVED, Submission
from models.registry import roles
from models.registry.chats import Person
from models.registry.tables import Agency, RoleGrant

KEY_LIMIT = 200  # HeldNotice.key
TOLD_BY_PUSH = " · แจ้งผู้ขอทางแชตส่วนตัวแล้ว"
TOLD_IN_GROUP = " · ผู้ขอจะเห็นผลในกลุ่มของหน่วยงาน"
NOT_TOLD = " · บอทแจ้งผู้ขอไม่ได้ (ยังไม่ได้เพิ่มบอทเป็นเพื่อน และหน่วยงานยังไม่มีกลุ่มในบอท) โปรดแจ้งผู้ขอเอง"
ADD_FRIEND = "โปรดเพิ่มบอทเป็นเพื่อน เพื่อรับแจ้งเตือนทางแชตส่วนตัวแทนการแจ้งในกลุ่ม (ประหยัดโควตาข้อความของจังหวัด) "


@dataclass
class Told:
    """One-to-one pushes to queue, as (LINE user id, text), and whether the news got anywhere."""

    pushes: list[tuple[str, str]] = field(default_factory=list)
    told: bool = False
    held: bool = False  # kept for the next reply in the agency's group


def tell(
    session: Session,
    people: list[Person],
    agency: Agency,
    text: str,
    *,
    key: str,
    now: datetime,
    per_day: int,
    by: str,
    here: str | None = None,
) -> Told:
    """Push `text` to each friend within today's limit, hold it once (naming the others) for the
    agency's group. `by` decided and saw the reply; a decision made in the agency's own group
    (`here`) was read there."""
    groups = [group for group, _ in roles.agency_groups(session, agency)]
    if here and here in groups:
        return Told(told=True)
    others = [p for p in people if p.line_user_id != by]
    if people and not others:
        return Told(told=True)
    told, rest = Told(), []
    for person in others:
        friend = person.is_friend
        if friend and notice_limits.allow_to_person(session, person.line_user_id, now, per_day):
            told.pushes.append((person.line_user_id, text))
        else:
            rest.append(person)
    told.told = bool(told.pushes)
    if rest or not others:
        names = ", ".join(roles.display_name(p) for p in rest)
        for group in groups:
            held.hold(session, f"{key}:{group}"[:KEY_LIMIT], group, _to(names, text), now)
        told.held = bool(groups)
        told.told = told.told or told.held
    return told


def _to(names: str, text: str) -> str:
    return f"ถึง {names}: {text}" if names else text


def add_friend_note(person: Person, add_friend_url: str | None) -> str:
    """A line asking a new admin not known to be a friend of the bot to add it ("" when they
    are, or when the link is unknown): friends are reminded one-to-one, the cheapest way."""
    if not add_friend_url or person.is_friend:
        return ""
    return "\n" + ADD_FRIEND + add_friend_url


def registration_text(agency: Agency, approved: bool, reason: str = "") -> str:
    """What a requester is told, with what they can do now."""
    if approved:
        return (
            f"✅ คำขอเป็นแอดมินของ{agency.name} ได้รับอนุมัติแล้ว "
            "ส่งลิงก์ OIT ได้เลย เช่น O1 https://… (บรรทัดละข้อ)"
        )
    why = f" เหตุผล: {cut(reason, 300)}" if reason else ""
    return f"คำขอเป็นแอดมินของ{agency.name} ไม่ได้รับอนุมัติ{why}\nหากมีข้อสงสัย โปรดสอบถามผู้ประสานงานจังหวัด"


def tell_registration(
    session: Session,
    grant: RoleGrant,
    reason: str,
    *,
    now: datetime,
    per_day: int,
    by: str,
    here: str | None,
    add_friend_url: str | None = None,
) -> Told:
    """Tell the person who asked to be an agency's admin what the coordinator decided (a new
    admin not known to be a friend of the bot is asked to add it)."""
    person, agency = session.get(Person, grant.person_id), session.get(Agency, grant.agency_id)
    text = registration_text(agency, grant.status == "active", reason)
    if grant.status == "active":
        text += add_friend_note(person, add_friend_url)
    return tell(
        session,
        [person],
        agency,
        text,
        key=f"outcome:grant:{grant.id}",
        now=now,
        per_day=per_day,
        by=by,
        here=here,
    )


def settle_requests(
    session: Session,
    requests: list[RoleGrant],
    approve: bool,
    reason: str,
    *,
    by: str,
    now: datetime,
    per_day: int,
    here: str | None,
    add_friend_url: str | None = None,
) -> list[tuple[str, Told]]:
    """Decide registration requests and tell each requester: (a line for the coordinator
    saying how the requester was told, what to queue) per request."""
    settled = []
    for request in requests:
        roles.decide(session, request, approve, by, now, reason)
        told = tell_registration(
            session,
            request,
            reason,
            now=now,
            per_day=per_day,
            by=by,
            here=here,
            add_friend_url=add_friend_url,
        )
        how = TOLD_BY_PUSH if told.pushes else (TOLD_IN_GROUP if told.held else "")
        how = how or ("" if told.told else NOT_TOLD)
        settled.append((roles.request_label(session, request) + how, told))
    return settled


def review_text(agency: Agency, rows: list[Submission]) -> str:
    """The outcomes of one review, then how to send a fixed link."""
    lines = [f"ผลตรวจลิงก์ OIT ของ{agency.name}:"]
    fixes = []
    for row in sorted(rows, key=lambda r: natural_key(r.item_code)):
        if row.review == APPROVED:
            lines.append(f"✅ {row.item_code} ผ่าน")
        else:
            lines.append(f"✏️ {row.item_code} ต้องแก้ไข: {row.review_note or '-'}")
            fixes.append(row.item_code)
    if fixes:
        more = " (ข้ออื่นพิมพ์แบบเดียวกัน บรรทัดละข้อ)" if len(fixes) > 1 else ""
        lines.append(f"แก้แล้วส่ง {fixes[0]} <ลิงก์ใหม่>{more}")
    return "\n".join(lines)


def tell_review(
    session: Session,
    agency: Agency,
    rows: list[Submission],
    now: datetime,
    per_day: int,
    by: str,
    here: str | None,
) -> Told:
    """Tell the agency's admins (those who sent these links, else all of them) the outcome of a
    review; once told, `untold` does not tell it again."""
    if not rows:
        return Told()
    admins = admins_of(session, [agency.id]).get(agency.id, [])
    senders = {row.submitted_by for row in rows if not row.on_behalf}
    people = [p for p in admins if p.line_user_id in senders] or admins
    key = f"outcome:review:{agency.id}:{min(r.id for r in rows)}:{now:%Y%m%d%H%M%S%f}"
    told = tell(
        session,
        people,
        agency,
        review_text(agency, rows),
        key=key,
        now=now,
        per_day=per_day,
        by=by,
        here=here,
    )
    if told.told:
        for row in rows:
            row.review_told_at = now
    return told
