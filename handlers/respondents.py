"""IIT/EIT respondent counts against each agency's target, reported by chat (`IIT 13/20`)."""

from __future__ import annotations

import re

from bot.replies import Reply
from bot.router import Context, Router
from handlers.progress import _agency
from models import roles
from models.numbers import WHOLE, parse_int
from models.oit_context import framework_for
from models.submissions import RespondentCount, tool_row

# Numbers are taken loosely here (any script's digits, letters stuck on) so that a wrong one is
# explained, not left in the text as if it named an agency; read_pairs then holds them to WHOLE.
PAIR = re.compile(r"(?i)\b(IIT|EIT)(?:\s*[:=])?\s*(\d\w*)\s*/\s*(\d\w*)")
NUMBER = re.compile(WHOLE)
MOST = 100_000
EXAMPLE = "ตัวอย่าง: IIT 13/20 (ตอบแล้ว 13 คน จากเป้า 20 คน)"
NO_FRAMEWORK = (
    "ยังไม่ได้บันทึก: ระบบยังไม่มีกรอบการประเมินของปีนี้ "
    "โปรดแจ้งผู้ประสานงานจังหวัดหรือผู้ดูแลระบบให้โหลดกรอบการประเมินก่อน แล้วส่งจำนวนอีกครั้ง"
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
    agency = _agency(ctx, PAIR.sub(" ", text).strip(), typed)
    if isinstance(agency, Reply):
        return agency
    person = roles.person(ctx.session, ctx.event.user_id)
    mine = {a.id for a in roles.admin_agencies(ctx.session, person)}
    if agency.id not in mine and not roles.is_coordinator(ctx.session, person, agency.province_id):
        return Reply.text(f"ขออภัย เฉพาะแอดมินของ{agency.name}หรือผู้ประสานงานจังหวัดบันทึกได้")
    framework = framework_for(ctx.session, agency, ctx.now)
    if framework is None:
        return Reply.text(NO_FRAMEWORK, quote=True)
    lines = []
    for tool, (answered, target) in pairs.items():
        row = tool_row(ctx.session, RespondentCount, agency.id, framework.id, tool)
        row.answered, row.target = answered, target
        row.recorded_by, row.recorded_at = person.line_user_id, ctx.now
        status = "ครบเป้าแล้ว" if answered >= target else f"ขาดอีก {target - answered} คน"
        lines.append(f"{tool} {answered}/{target} {status}")
    roles.audit(ctx.session, person.line_user_id, "respondents", agency=agency.code, counts=pairs)
    return Reply.text(f"บันทึกของ{agency.name}: " + " · ".join(lines), quote=True)


def register(router: Router) -> None:
    router.recognise(counts_in)(record_counts)
