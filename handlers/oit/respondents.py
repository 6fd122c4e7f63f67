"""IIT/EIT figures by chat: respondent counts against each agency's target (`IIT 13/20`) and
the scores the simulated total needs (`คะแนน <หน่วยงาน> IIT 92.5 EIT 88`)."""

from __future__ import annotations

import re

from handlers.oit.progress import ESTIMATE, agency_meant
from handlers.permissions import known_person
from handlers.replies import Reply
from handlers.router import Context, Router
from models.numbers import WHOLE, parse_decimal, parse_int
from models.oit import respondents
from models.oit.context import framework_for
from models.oit.respondents import ScoreChange
from models.registry import roles
from models.registry.tables import Agency

# Numbers are taken loosely here (any script's digits, letters stuck on) so that a wrong one is
# explained, not left in the text as if it named an agency; read_pairs then holds them to WHOLE.
PAIR = re.compile(r"(?i)\b(IIT|EIT)(?:\s*[:=])?\s*(\d\w*)\s*/\s*(\d\w*)")
NUMBER = re.compile(WHOLE)
MOST = 100_000
# Loose on purpose: whatever follows IIT/EIT is read, so a wrong number is explained, never
# left in the text as if it named an agency (`13/20` is kept whole: group 3 is the "/20").
SCORE = re.compile(
    r"(?i)(?<![A-Za-z])(IIT|EIT)(?![A-Za-z])\s*[:=]?\s*([^\s/]*)((?:\s*/\s*[^\s]*)?)"
)
SCORE_USAGE = "วิธีใช้: คะแนน <รหัสหรือชื่อหน่วยงาน> IIT 92.5 EIT 88 (คะแนนเต็ม 100)"
EXAMPLE = "ตัวอย่าง: IIT 13/20 (ตอบแล้ว 13 คน จากเป้า 20 คน)"
NO_FRAMEWORK = (
    "ยังไม่ได้บันทึก: ระบบยังไม่มีกรอบการประเมินของปีนี้ "
    "โปรดแจ้งผู้ประสานงานจังหวัดหรือผู้ดูแลระบบให้โหลดกรอบการประเมินก่อน แล้วส่งอีกครั้ง"
)


def counts_in(ctx: Context, text: str) -> str | None:
    """Recognise a message that reports respondents: it starts with IIT or EIT and n/target."""
    return text if PAIR.match(text.strip()) else None


def read_pairs(text: str) -> dict[str, tuple[int, int]] | str:
    """{tool: (answered, target)} for every pair in the text, or which pair is wrong and why."""
    pairs: dict[str, tuple[int, int]] = {}
    for match in PAIR.finditer(text):
        tool, typed = match.group(1).upper(), " ".join(match.group(0).split())
        if not all(NUMBER.fullmatch(n) for n in match.group(2, 3)):
            return f"{typed} ใช้ตัวเลข 0-9 หรือ ๐-๙ เท่านั้น"
        answered, target = (parse_int(n, 0, MOST) for n in match.group(2, 3))
        if answered is None or target is None:
            return f"{typed} จำนวนต้องไม่เกิน {MOST:,} คน"
        if target == 0:
            return f"{typed} เป้าต้องมากกว่า 0 คน"
        if tool in pairs:
            return f"{tool} ซ้ำ ระบุ IIT และ EIT อย่างละครั้ง"
        pairs[tool] = (answered, target)
    return pairs


def record_counts(ctx: Context, text: str) -> Reply:
    """บันทึกจำนวนผู้ตอบ IIT/EIT เทียบกับเป้า (แอดมินหน่วยงาน หรือผู้ประสานงาน)
    IIT 13/20 หรือ IIT 13/20 EIT 45/100 <หน่วยงาน>"""
    if not ctx.event.user_id:
        return Reply.text("ขออภัย บอทไม่เห็นบัญชี LINE ของผู้ส่ง จึงบันทึกไม่ได้")
    pairs = read_pairs(text)
    if isinstance(pairs, str):
        return Reply.text(f"ยังไม่ได้บันทึก: {pairs}\n{EXAMPLE}", quote=True)
    typed = " ".join(f"{tool} {answered}/{target}" for tool, (answered, target) in pairs.items())
    agency = agency_meant(ctx, PAIR.sub(" ", text).strip(), typed)
    if isinstance(agency, Reply):
        return agency
    person = roles.person(ctx.session, ctx.event.user_id)
    if not respondents.may_report(ctx.session, person, agency):
        return Reply.text(f"ขออภัย เฉพาะแอดมินของ{agency.name}หรือผู้ประสานงานจังหวัดบันทึกได้")
    framework = framework_for(ctx.session, agency, ctx.now)
    if framework is None:
        return Reply.text(NO_FRAMEWORK, quote=True)
    respondents.record_counts(ctx.session, agency, framework, pairs, person.line_user_id, ctx.now)
    lines = []
    for tool, (answered, target) in pairs.items():
        status = "ครบเป้าแล้ว" if answered >= target else f"ขาดอีก {target - answered} คน"
        lines.append(f"{tool} {answered}/{target} {status}")
    return Reply.text(f"บันทึกของ{agency.name}: " + " · ".join(lines), quote=True)


def read_scores(text: str, example: str) -> dict[str, float] | str:
    """{tool: score 0-100} for each `IIT 92.5` in the text, or why it is not read. A `13/20`
    is a respondent count (the `IIT 13/20` message), never a score: it is refused, not cut."""
    scores: dict[str, float] = {}
    for match in SCORE.finditer(text):
        tool, value, slash = match.group(1).upper(), match.group(2), match.group(3).strip()
        typed = f"{tool} {value}{slash.replace(' ', '')}".strip()
        if slash:
            return (
                f"{typed} ไม่ใช่คะแนน ถ้าเป็นคะแนน (0-100) พิมพ์ {example}\n"
                f"ถ้าเป็นจำนวนผู้ตอบเทียบเป้า พิมพ์ {typed} โดยไม่มีคำว่า คะแนน"
            )
        number = parse_decimal(value.removesuffix("%"), 0, 1e9)
        if number is None:
            return f"{typed} อ่านไม่ได้ คะแนนใช้ตัวเลข 0-9 หรือ ๐-๙ เช่น {example}"
        if number > 100:
            return "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
        if tool in scores:
            return f"{tool} ซ้ำ ระบุ IIT และ EIT อย่างละครั้ง"
        scores[tool] = number
    return scores


def record_scores(ctx: Context, args: str) -> Reply:
    """บันทึกคะแนน IIT/EIT ของหน่วยงาน (ผู้ประสานงาน หรือแอดมินของหน่วยงาน)
    คะแนน <หน่วยงาน> IIT 92.5 EIT 88 — คะแนนเต็ม 100 (จำนวนผู้ตอบพิมพ์ IIT 13/20 แยกต่างหาก)"""
    name = SCORE.sub(" ", args).strip()
    scores = read_scores(args, f"คะแนน {name or '<หน่วยงาน>'} IIT 92.5 EIT 88")
    if isinstance(scores, str):
        return Reply.text(f"ยังไม่ได้บันทึก: {scores}", quote=True)
    if not scores:
        return Reply.text(SCORE_USAGE, quote=True)
    typed = " ".join(f"{tool} {_number(value)}" for tool, value in scores.items())
    agency = agency_meant(ctx, name, f"คะแนน {typed}", SCORE_USAGE)
    if isinstance(agency, Reply):
        return agency
    if not respondents.may_report(ctx.session, ctx.person, agency):
        return Reply.text(f"ขออภัย เฉพาะผู้ประสานงานหรือแอดมินของ{agency.name}บันทึกคะแนนได้")
    framework = framework_for(ctx.session, agency, ctx.now)
    if framework is None:
        return Reply.text(NO_FRAMEWORK, quote=True)
    by = ctx.person.line_user_id
    change = respondents.record_scores(ctx.session, agency, framework, scores, by, ctx.now)
    return Reply.text(_scores_echo(agency, scores, change), quote=True)


def _number(value: float) -> str:
    """85.5, 88 (not 88.0), 0.25: a stored score as people write it."""
    return format(value, "f").rstrip("0").rstrip(".") or "0"


def _scores_echo(agency: Agency, scores: dict, change: ScoreChange) -> str:
    """What was stored and how it was read, then the simulated total before and after."""
    before, was, now = change.before, change.was, change.now
    read = []
    for tool, value in scores.items():
        old = f"{_number(before[tool])} → " if tool in before and before[tool] != value else ""
        read.append(f"{tool} {old}{_number(value)}")
    lines = [f"บันทึกคะแนนของ{agency.name} (อ่านเป็นคะแนนเต็ม 100): " + " · ".join(read)]
    lines.append(f"คะแนน OIT จำลอง {now.oit:.2f}")
    if now.total is None:
        lines.append("คะแนนรวมจำลองยังคำนวณไม่ได้: ต้องมีทั้ง IIT และ EIT")
    else:
        old = f"{was.total:.2f} → " if was.total is not None and was.total != now.total else ""
        lines.append(f"คะแนนรวมจำลอง {old}{now.total:.2f} ({now.label or '-'})")
    lines.append(ESTIMATE)
    return "\n".join(lines)


def register(router: Router) -> None:
    router.recognise(counts_in)(record_counts)
    router.command("คะแนน", middleware=(known_person,))(record_scores)
