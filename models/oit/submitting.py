"""What an agency sends: which lines are recorded, which are refused and why, and withdrawing
an item; the chat and the coming web pages record links through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from models.oit import records
from models.oit.context import framework_for
from models.oit.parser import ParsedLinks
from models.oit.url_rules import url_problem, url_warnings
from models.registry import roles
from models.registry.tables import Agency
from models.year import Framework


@dataclass
class Recorded:
    """The outcome of one message of links: refused lines change nothing."""

    saved: list[str] = field(default_factory=list)  # item codes recorded, in the order sent
    problems: list[str] = field(default_factory=list)  # why a line was refused
    warnings: list[str] = field(default_factory=list)  # recorded, but a link looks wrong
    remaining: int = 0  # items of the framework with no link yet


def record_links(
    session: Session,
    agency: Agency,
    framework: Framework,
    parsed: ParsedLinks,
    *,
    by: str,
    now: datetime,
    on_behalf: bool = False,
    source: str = "chat",
    message_id: str | None = None,
    event_at: datetime | None = None,
    by_item: bool = False,
) -> Recorded:
    """Check every parsed line and record the good ones: an item of this year's framework whose
    links are all usable (one line's problem is its own, never the others'). A problem names
    its line and item, or the item alone (`by_item`: a form has fields, not lines)."""
    codes = [item.code for item in records.items_of(session, framework.id)]
    done = Recorded(problems=[f"บรรทัด {b.line_no}: {b.reason}" for b in parsed.bad])
    for line in parsed.items:
        if line.code not in codes:
            done.problems.append(
                f"บรรทัด {line.line_no}: ไม่มีข้อ {line.code} ในปี {framework.fiscal_year} "
                f"(มี {codes[0]}–{codes[-1]})"
            )
            continue
        broken = next((why for why in map(url_problem, line.urls) if why), None)
        if broken:
            where = line.code if by_item else f"บรรทัด {line.line_no} ({line.code})"
            done.problems.append(f"{where}: {broken}")
            continue
        records.record(
            session, agency, framework, line.code, line.urls, by=by, now=now,
            on_behalf=on_behalf, source=source, message_id=message_id, event_at=event_at,
        )  # fmt: skip
        done.saved.append(line.code)
        for url in line.urls:
            done.warnings += [f"⚠️ {line.code}: {w}" for w in url_warnings(url, agency.website)]
    live = records.current(session, agency.id, framework.id)
    done.remaining = len([c for c in codes if c not in live])
    return done


def withdraw_items(
    session: Session, agency: Agency, codes: list[str], by: str, now: datetime
) -> tuple[list[str], list[str]]:
    """Withdraw each item's live links (kept in history): (the codes asked, in natural order;
    the codes withdrawn)."""
    framework = framework_for(session, agency, now)
    codes = records.natural(codes)
    done = [c for c in codes if records.withdraw(session, agency, framework, c, by, now)]
    if done:
        roles.audit(session, by, "oit.withdraw", agency=agency.code, items=done)
    return codes, done
