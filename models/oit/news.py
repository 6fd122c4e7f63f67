"""What an agency has not been told yet: review outcomes and problems found in its links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.line_text import cut
from models.oit.link_verdict import TOLD, VERDICT_TEXT
from models.oit.records import natural_key, urls_of
from models.oit.submissions import APPROVED, CURRENT, FIX, LinkCheck, Submission
from models.queues.leases import DONE

MAX_LINES = 10


def untold(session: Session, agency_id: int, now: datetime) -> list[str]:
    """Thai lines for news the agency has not seen, marked as told (at most MAX_LINES)."""
    lines = []
    reviewed = session.scalars(
        select(Submission).where(
            Submission.agency_id == agency_id,
            Submission.state == CURRENT,
            Submission.review.in_([APPROVED, FIX]),
            Submission.review_told_at.is_(None),
        )
    ).all()
    for row in sorted(reviewed, key=lambda r: natural_key(r.item_code)):
        if row.review == APPROVED:
            lines.append(f"✅ {row.item_code} ผู้ประสานงานตรวจแล้ว ผ่าน")
        else:
            lines.append(f"✏️ {row.item_code} ต้องแก้ไข: {row.review_note or '-'}")
        row.review_told_at = now
    lines += link_news(session, agency_id, now)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"…และอีก {len(lines) - MAX_LINES} เรื่อง พิมพ์ สถานะ เพื่อดูทั้งหมด"]
    return lines


def link_news(session: Session, agency_id: int, now: datetime) -> list[str]:
    """One line per item and problem, each outcome told once. Only a link's latest check
    counts (one that failed and then passed is no news); a re-check or the same link sent again
    that finds what the admin already heard is marked told without a word."""
    fresh = session.scalars(
        select(LinkCheck.url)
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .where(
            Submission.agency_id == agency_id,
            LinkCheck.status == DONE,
            LinkCheck.told_at.is_(None),
        )
    ).all()
    if not fresh:
        return []
    checks = session.execute(
        select(LinkCheck, Submission)
        .join(Submission, Submission.id == LinkCheck.submission_id)
        .where(
            Submission.agency_id == agency_id,
            LinkCheck.status == DONE,
            LinkCheck.url.in_(set(fresh)),
        )
        .order_by(LinkCheck.id)
    ).all()
    latest = {(check.submission_id, check.url): check.id for check, _ in checks}
    heard: dict[tuple[str, str], str | None] = {}  # per item and link: the problem last heard of
    found: dict[tuple[str, str], list[tuple[Submission, str]]] = {}  # (problem, note): hits
    for check, row in checks:
        link = (row.item_code, check.url)
        if check.told_at is not None:
            if row.ended_at is None or check.told_at < row.ended_at:  # marked while current
                heard[link] = check.verdict if check.verdict in TOLD else None
            continue
        check.told_at = now
        live = row.state == CURRENT and latest[(row.id, check.url)] == check.id
        if check.verdict not in TOLD:
            heard[link] = None
        elif live and heard.get(link) != check.verdict:
            heard[link] = check.verdict
            found.setdefault((check.verdict, check.note or "-"), []).append((row, check.url))
    ordered = sorted(found.items(), key=lambda f: min(natural_key(r.item_code) for r, _ in f[1]))
    return [_line(verdict, note, hits) for (verdict, note), hits in ordered]


def _line(verdict: str, note: str, hits: list[tuple[Submission, str]]) -> str:
    """One problem and the items it hit ("O1, O19"), naming the link when only some of an
    item's links have it."""
    links: dict[str, tuple[int, list[str]]] = {}
    for row, url in hits:
        links.setdefault(row.item_code, (len(urls_of(row)), []))[1].append(url)
    items = []
    for code in sorted(links, key=natural_key):
        of, urls = links[code]
        items.append(code if len(urls) >= of else f"{code} ({', '.join(cut(u, 60) for u in urls)})")
    return f"⚠️ {', '.join(items)} {VERDICT_TEXT[verdict]}: {note}"
