"""The FAQ as the bot uses it: the entries a province's index holds (stored, generated per item,
corrected), the indexes kept per process, and the decision to answer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.base import local_today, utcnow
from models.faq import corrections
from models.faq.entries import FaqEntry
from models.faq.files import OFF_TOPIC, read_off_topic
from models.faq.framework_facts import with_items
from models.faq.index import FaqIndex, Match, is_chatter
from models.faq.rendering import render
from models.numbers import THAI_DIGITS
from models.oit.parser import ITEM
from models.oit.progress import document_of
from models.registry.tables import Province
from models.year import Framework, Phase
from models.year.frameworks import active_framework

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
            "defines": json.dumps(entry.get("defines", [])),
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
            "defines": json.loads(row.defines or "[]"),
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
        fixes = corrections.scope_key(session, province.id)
        local = (province.id, *own, *fixes) if own[0] or fixes[0] else None
    examples = OFF_TOPIC.stat()
    framework_key = (framework.id, framework.checksum) if framework else (None, None)
    national = (count, newest, *corrections.scope_key(session, None))
    return (*national, local, examples.st_mtime_ns, examples.st_size, *framework_key)


@dataclass
class Contents:
    """What one index holds: entries (corrected wordings joined to their right entry), the
    off-topic examples, and the (wording, wrong entry) pairs coordinators corrected."""

    entries: list[dict]
    off_topic: list[str]
    negatives: list[tuple[str, str]]


def index_entries(
    session: Session, framework: Framework | None, province: Province | None
) -> Contents:
    document = document_of(framework) if framework is not None else None
    entries = with_items(stored_entries(session, province), document)
    fixes = corrections.applied(session, province.id if province else None)
    return taught(
        entries, read_off_topic(), [(f.question, f.wrong_key, f.right_key) for f in fixes]
    )


def taught(entries: list[dict], off_topic: list[str], fixes: list[tuple]) -> Contents:
    """Apply corrections: a wording joins its right entry, or the off-topic examples when the
    coordinator named none; the wrong entry never wins it again."""
    position = {e["id"]: n for n, e in enumerate(entries)}
    entries, extra = list(entries), []
    for question, _, right in fixes:
        if right in position:
            entry = entries[position[right]]
            entries[position[right]] = {**entry, "questions": [*entry["questions"], question]}
        elif right is None:  # a right entry missing here (another province's) only bars
            extra.append(question)
    return Contents(entries, off_topic + extra, [(q, wrong) for q, wrong, _ in fixes])


def build_index(key: tuple, contents: Contents) -> FaqIndex:
    while len(_INDEXES) >= KEPT_INDEXES:  # drop the least recently used
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[key] = FaqIndex(
        contents.entries,
        contents.off_topic,
        vector_file=_VECTOR_FILE,
        negatives=contents.negatives,
    )
    return _INDEXES[key]


def index_for(session: Session, framework: Framework | None, province: Province | None) -> FaqIndex:
    """The index a province's questions use, rebuilt only when what it holds changes."""
    key = index_key(session, framework, province)
    found = _INDEXES.pop(key, None)
    if found is not None:
        _INDEXES[key] = found  # now the most recently used
        return found
    return build_index(key, index_entries(session, framework, province))


def unbuilt_indexes(session: Session) -> list[tuple[tuple, Contents]]:
    """(key, contents) of every province's index not built yet, read in one short transaction
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


def warm_up(unbuilt: list[tuple[tuple, Contents]]) -> None:
    """Build those indexes and ask each once, so the encoder is loaded before the first
    officer's question."""
    for key, contents in unbuilt:
        build_index(key, contents).best("ITA คืออะไร")


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
    document = document_of(framework) if framework is not None else None
    answer = render(session, match.entry, province, today, document)
    return Decision(True, match.entry["id"], round(match.score, 3), answer)


def index_today(
    session: Session, province: Province | None, today: dt.date
) -> tuple[FaqIndex, dict | None]:
    """The index a province's questions use today, and its framework document."""
    framework = active_framework(session, province, today)
    document = document_of(framework) if framework is not None else None
    return index_for(session, framework, province), document


def entry_named(
    session: Session, name: str, province: Province | None, today: dt.date
) -> dict | None:
    """The entry a coordinator names in `ผิด ควรเป็น …`: its id, or an item code (O20, ข้อ 20)."""
    name = name.strip().lower()
    code = ITEM.search(name)
    key = f"item-o{int(code.group(1).translate(THAI_DIGITS))}" if code else name
    index, _ = index_today(session, province, today)
    return next((e for e in index.entries if e["id"] == key), None)


def nearest_entries(
    session: Session, question: str, province: Province | None, today: dt.date, skip: str
) -> list[dict]:
    """The three entries closest to a question, less one (for a coordinator to choose from)."""
    index, _ = index_today(session, province, today)
    scores = index.scores(question[:MATCHED_LENGTH])[: len(index.entries)]
    order = [index.entries[n] for n in scores.argsort()[::-1]]
    return [e for e in order if e["id"] != skip][:3]


def answer_text(session: Session, entry: dict, province: Province | None, today: dt.date) -> str:
    _, document = index_today(session, province, today)
    return render(session, entry, province, today, document)
