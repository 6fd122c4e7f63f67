"""Read and validate the FAQ files in data/faq/; a bad entry is refused with file, line, field."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from models.base import DATA_DIR
from models.faq.framework_facts import FRAMEWORK_PLACEHOLDERS
from models.year.framework_file import Checker, FrameworkError, LineLoader

FAQ_DIR = DATA_DIR / "faq"
OFF_TOPIC = FAQ_DIR / "off_topic.txt"
MAX_OFF_TOPIC = 300
CATEGORIES = {"general", "oit", "iit", "eit", "itas", "scores", "calendar", "bot", "added"}
MAX_ANSWER = 1000
ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}$")
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
DATE_PLACEHOLDERS = {
    "phase1_deadline", "phase2_deadline", "phase3_deadline", "current_phase_deadline",
    "registration_start", "registration_end", "oit_entry_start", "oit_entry_end",
    "iit_eit_start", "iit_eit_end", "oit_scoring_start", "oit_scoring_end",
    "clarification_start", "clarification_end", "results_start", "results_end",
}  # fmt: skip


class FaqError(ValueError):
    def __init__(self, path: Path | str, error: FrameworkError):
        super().__init__(f"{Path(path).name}: {error}")
        self.file, self.line, self.field = Path(path).name, error.line, error.field


def validate_entry(entry, index: int) -> dict:
    """One entry: id, category, 3+ distinct questions, answer under 1,000 characters, source."""
    c, path = Checker(), f"[{index}]"
    entry_id = c.need(entry, "id", path, str)
    if not ID.match(entry_id):
        raise FrameworkError(entry.lines["id"], f"{path}.id", "ใช้ a-z 0-9 และ - เท่านั้น")
    c.need(entry, "category", path, str, CATEGORIES)
    questions = c.need(entry, "questions", path, list)
    if len({q.strip() for q in questions if isinstance(q, str) and q.strip()}) < 3:
        raise FrameworkError(
            entry.lines["questions"], f"{path}.questions", "ต้องมีคำถามต่างกันอย่างน้อย 3 แบบ"
        )
    answer = c.need(entry, "answer", path, str)
    if not answer.strip() or len(answer) >= MAX_ANSWER:
        raise FrameworkError(
            entry.lines["answer"], f"{path}.answer", f"ต้องยาว 1–{MAX_ANSWER - 1} ตัวอักษร"
        )
    c.need(entry, "source", path, str)
    c.need(entry, "confirmed", path, bool)
    references = c.need(entry, "reference_ids", path, list, required=False) or []
    dates = c.need(entry, "dates", path, bool, required=False) or False
    defines = c.need(entry, "defines", path, list, required=False) or []
    used = set(PLACEHOLDER.findall(answer))
    unknown = used - DATE_PLACEHOLDERS - FRAMEWORK_PLACEHOLDERS
    if unknown or (used & DATE_PLACEHOLDERS and not dates):
        problem = f"ไม่รู้จัก {{{sorted(unknown)[0]}}}" if unknown else "ใช้วันที่ต้องมี dates: true"
        raise FrameworkError(entry.lines["answer"], f"{path}.answer", problem)
    return {
        "id": entry_id,
        "category": entry["category"],
        "questions": [q.strip() for q in questions],
        "answer": answer.strip(),
        "source": entry["source"],
        "reference_ids": [str(r) for r in references],
        "confirmed": entry["confirmed"],
        "dates": dates,
        "defines": [str(d).lower() for d in defines],
    }


def read(path: Path) -> list[dict]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506
        if not isinstance(document, list):
            raise FrameworkError(1, "(ทั้งไฟล์)", "ต้องเป็นรายการคำถาม-คำตอบ")
        return [validate_entry(entry, index) for index, entry in enumerate(document)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise FaqError(
            path, FrameworkError(mark.line + 1 if mark else None, "(YAML)", str(error.problem))
        ) from None
    except FrameworkError as error:
        raise FaqError(path, error) from None


def read_dir(directory: Path = FAQ_DIR) -> list[dict]:
    """Every entry of every *.yaml file; an id used twice is refused."""
    entries, seen = [], {}
    for path in sorted(Path(directory).glob("*.yaml")):
        for entry in read(path):
            if entry["id"] in seen:
                problem = f"id ซ้ำกับใน {seen[entry['id']]}"
                raise FaqError(path, FrameworkError(None, f"{entry['id']}.id", problem))
            seen[entry["id"]] = path.name
            entries.append(entry)
    return entries


def read_off_topic(path: Path = OFF_TOPIC) -> list[str]:
    """The off-topic examples, one per line (# comments and blank lines skipped); a line too long
    to be a chat question is refused with its number."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_OFF_TOPIC:
            problem = f"ยาวเกิน {MAX_OFF_TOPIC} ตัวอักษร"
            raise FaqError(path, FrameworkError(number, "ข้อความ", problem))
        if line not in lines:
            lines.append(line)
    return lines
