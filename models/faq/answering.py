"""The FAQ as the bot uses it: stored and generated entries, dates from the calendar."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.base import local_today, utcnow
from models.faq.entries import FaqEntry
from models.faq.files import OFF_TOPIC, PLACEHOLDER, read_off_topic
from models.faq.index import FaqIndex, Match, is_chatter
from models.oit.context import current_phase
from models.registry.tables import Province
from models.year import Framework, FrameworkItem, Phase
from models.year.calendar import milestones_of, phases_of, round_year, thai_date
from models.year.frameworks import active_framework

CHECK_MANUAL = "โปรดตรวจสอบคู่มือของปีปัจจุบัน"
DATA_YEAR = {"assessed": "ของปีงบประมาณที่ประเมิน ({year})", "previous": "ของปีงบประมาณก่อนหน้า ({year})"}
# Indexes by what they depend on, least recently used first. Provinces without entries of their
# own share one (national entries only); each province with some has its own (a few MB, a
# second or two to build with the vectors kept), so a worker keeps a few of them.
_INDEXES: dict[tuple, FaqIndex] = {}
KEPT_INDEXES = 8
_VECTOR_FILE: Path | None = None


def use_vector_file(path: Path | None) -> None:
    """Where index builds keep their sentence vectors between starts (FAQ_VECTOR_CACHE)."""
    global _VECTOR_FILE
    _VECTOR_FILE = path


def store(session: Session, entries: list[dict], now: dt.datetime) -> tuple[int, int]:
    """Insert or update file entries by id (idempotent); returns (added, changed)."""
    existing = {e.key: e for e in session.scalars(select(FaqEntry))}
    added = changed = 0
    for entry in entries:
        values = {
            "category": entry["category"],
            "questions": json.dumps(entry["questions"], ensure_ascii=False),
            "answer": entry["answer"],
            "source": entry["source"],
            "reference_ids": json.dumps(entry["reference_ids"]),
            "confirmed": entry["confirmed"],
            "dates": entry["dates"],
        }
        row = existing.get(entry["id"])
        if row is None:
            session.add(FaqEntry(key=entry["id"], origin="file", updated_at=now, **values))
            added += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            changed += 1
    return added, changed


def item_entries(framework: Framework, items: list[FrameworkItem]) -> list[dict]:
    """One generated entry per OIT item of a framework: what to publish, from which year."""
    entries = []
    for item in items:
        number = item.code[1:]
        year = framework.fiscal_year - (1 if item.data_year == "previous" else 0)
        answer = (
            f"{item.code} {item.title} (ตัวชี้วัดที่ {item.indicator}): {item.description} "
            f"ข้อมูลต้องเป็น{DATA_YEAR[item.data_year].format(year=year)} "
            f"เผยแพร่บนเว็บไซต์หลักของหน่วยงาน แล้วส่งลิงก์ของหน้านั้น"
        )
        entries.append(
            {
                "id": f"item-{item.code.lower()}",
                "category": "oit-item",
                "questions": [
                    f"{item.code} คืออะไร",
                    f"ข้อ {number} ต้องเผยแพร่อะไร",
                    f"{item.title}",
                    f"{item.code} {item.title} ต้องใช้ข้อมูลปีไหน",
                ],
                "answer": answer,
                "source": f"กรอบการประเมินปี {framework.fiscal_year} ({framework.status})",
                "reference_ids": [],
                "confirmed": item.confirmed,
                "dates": False,
            }
        )
    return entries


def stored_entries(session: Session, province: Province | None = None) -> list[dict]:
    """The active national entries, plus the province's own (added by its coordinators)."""
    scope = FaqEntry.province_id.is_(None)
    if province is not None:
        scope = or_(scope, FaqEntry.province_id == province.id)
    return [
        {
            "id": row.key,
            "category": row.category,
            "questions": json.loads(row.questions),
            "answer": row.answer,
            "source": row.source,
            "reference_ids": json.loads(row.reference_ids),
            "confirmed": row.confirmed,
            "dates": row.dates,
        }
        for row in session.scalars(
            select(FaqEntry).where(FaqEntry.active.is_(True), scope).order_by(FaqEntry.id)
        )
    ]


def index_key(session: Session, framework: Framework | None, province: Province | None) -> tuple:
    """What the index depends on: the national entries, the province's own active ones (none:
    the key every such province shares), the off-topic file and the framework."""
    count, newest = session.execute(
        select(func.count(), func.max(FaqEntry.updated_at)).where(FaqEntry.province_id.is_(None))
    ).one()
    local = None
    if province is not None:
        own = session.execute(
            select(func.count(), func.max(FaqEntry.updated_at)).where(
                FaqEntry.province_id == province.id, FaqEntry.active.is_(True)
            )
        ).one()
        local = (province.id, *own) if own[0] else None
    examples = OFF_TOPIC.stat()
    framework_key = (framework.id, framework.checksum) if framework else (None, None)
    return (count, newest, local, examples.st_mtime_ns, examples.st_size, *framework_key)


def index_entries(
    session: Session, framework: Framework | None, province: Province | None
) -> list[dict]:
    entries = stored_entries(session, province)
    if framework is not None:
        items = session.scalars(
            select(FrameworkItem)
            .where(FrameworkItem.framework_id == framework.id)
            .order_by(FrameworkItem.position)
        ).all()
        entries += item_entries(framework, items)
    return entries


def build_index(key: tuple, entries: list[dict]) -> FaqIndex:
    while len(_INDEXES) >= KEPT_INDEXES:  # drop the least recently used
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[key] = FaqIndex(entries, read_off_topic(), vector_file=_VECTOR_FILE)
    return _INDEXES[key]


def index_for(session: Session, framework: Framework | None, province: Province | None) -> FaqIndex:
    """The index a province's questions use, rebuilt only when what it holds changes."""
    key = index_key(session, framework, province)
    found = _INDEXES.pop(key, None)
    if found is not None:
        _INDEXES[key] = found  # now the most recently used
        return found
    return build_index(key, index_entries(session, framework, province))


def unbuilt_indexes(session: Session) -> list[tuple[tuple, list[dict]]]:
    """(key, entries) of every province's index not built yet, read in one short transaction
    so the worker can build them (seconds of work) outside it."""
    today, wanted = local_today(utcnow()), {}
    for province in session.scalars(select(Province).order_by(Province.id)).all() or [None]:
        framework = active_framework(session, province, today)
        key = index_key(session, framework, province)
        if key not in _INDEXES and key not in wanted:
            wanted[key] = index_entries(session, framework, province)
        if len(wanted) >= KEPT_INDEXES:  # more would push out the ones just built
            break
    return list(wanted.items())


def warm_up(unbuilt: list[tuple[tuple, list[dict]]]) -> None:
    """Build those indexes and ask each once, so the encoder is loaded before the first
    officer's question."""
    for key, entries in unbuilt:
        build_index(key, entries).best("ITA คืออะไร")


def calendar_values(session: Session, province: Province | None, today: dt.date) -> dict[str, str]:
    """Placeholder values ({phase1_deadline}, {oit_entry_end}, …) in Buddhist-Era Thai dates."""
    if province is None:
        return {}
    year = round_year(province, today)
    values = {}
    for m in milestones_of(session, province.id, year):
        for edge in ("start", "end"):
            if getattr(m, edge):
                values[f"{m.key}_{edge}"] = thai_date(getattr(m, edge))
    for p in phases_of(session, province.id, year):
        values[f"phase{p.number}_deadline"] = thai_date(p.deadline)
    phase = current_phase(session, province, today)
    if phase:
        values["current_phase_deadline"] = f"{thai_date(phase.deadline)} (ระยะที่ {phase.number})"
    return values


def province_with_calendar(session: Session) -> Province | None:
    return session.scalar(
        select(Province)
        .join(Phase, Phase.province_id == Province.id)
        .order_by(Province.id)
        .limit(1)
    )


@dataclass
class Decision:
    answered: bool
    entry_id: str | None
    score: float
    answer: str | None


MATCHED_LENGTH = 300


def decide(session: Session, question: str, province: Province | None, today: dt.date) -> Decision:
    """The same decision the bot makes when addressed: a confident answer, or none. Only the
    head of a long message is matched: no FAQ question is longer, and encoding costs grow."""
    question = question[:MATCHED_LENGTH]
    if is_chatter(question):
        return Decision(False, None, 0.0, None)
    framework = active_framework(session, province, today)
    match: Match | None = index_for(session, framework, province).best(question)
    if match is None or not match.confident:
        best = match.entry["id"] if match and match.entry else None
        return Decision(False, best, round(match.score, 3) if match else 0.0, None)
    answer = render(session, match.entry, province, today)
    return Decision(True, match.entry["id"], round(match.score, 3), answer)


def render(session: Session, entry: dict, province: Province | None, today: dt.date) -> str:
    """The answer text: dates filled from the province's calendar, uncertainty said plainly."""
    answer = entry["answer"]
    if entry.get("dates"):
        values = calendar_values(session, province, today)
        answer = PLACEHOLDER.sub(
            lambda m: values.get(m.group(1), "(ยังไม่ได้กำหนดในปฏิทินจังหวัด)"), answer
        )
    if not entry.get("confirmed", True):
        answer += f"\n({CHECK_MANUAL})"
    return answer
