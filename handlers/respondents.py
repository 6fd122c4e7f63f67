"""IIT/EIT respondent counts against each agency's target, reported by chat (`IIT 13/20`)."""

from __future__ import annotations

import re

from bot.replies import Reply
from bot.router import Context, Router
from handlers.progress import _agency
from models import roles
from models.oit_context import framework_for
from models.oit_parser import THAI_DIGITS
from models.submissions import RespondentCount, tool_row

COUNT = re.compile(r"(?i)\b(IIT|EIT)\s*[:=]?\s*([0-9๐-๙]+)\s*/\s*([0-9๐-๙]+)")


def counts_in(ctx: Context, text: str) -> str | None:
    """Recognise a message that reports respondents: it starts with IIT or EIT and n/target."""
    return text if COUNT.match(text.strip()) else None


def record_counts(ctx: Context, text: str) -> Reply:
    """บันทึกจำนวนผู้ตอบ IIT/EIT เทียบกับเป้า (แอดมินหน่วยงาน หรือผู้ประสานงาน)
    IIT 13/20 หรือ IIT 13/20 EIT 45/100 <หน่วยงาน>"""
    if not ctx.event.user_id:
        return Reply.text("ขออภัย บอทไม่เห็นบัญชี LINE ของผู้ส่ง จึงบันทึกไม่ได้")
    found = COUNT.findall(text)
    agency = _agency(ctx, COUNT.sub(" ", text).strip())
    if isinstance(agency, Reply):
        return agency
    person = roles.person(ctx.session, ctx.event.user_id)
    mine = {a.id for a in roles.admin_agencies(ctx.session, person)}
    if agency.id not in mine and not roles.is_coordinator(ctx.session, person, agency.province_id):
        return Reply.text(f"ขออภัย เฉพาะแอดมินของ{agency.name}หรือผู้ประสานงานจังหวัดบันทึกได้")
    framework = framework_for(ctx.session, agency, ctx.now)
    lines = []
    for tool, answered, target in found:
        answered, target = int(answered.translate(THAI_DIGITS)), int(target.translate(THAI_DIGITS))
        if target <= 0 or answered > 100_000:
            return Reply.text("จำนวนไม่ถูกต้อง ตัวอย่าง: IIT 13/20 (ตอบแล้ว 13 คน จากเป้า 20 คน)")
        row = tool_row(ctx.session, RespondentCount, agency.id, framework.id, tool.upper())
        row.answered, row.target = answered, target
        row.recorded_by, row.recorded_at = person.line_user_id, ctx.now
        status = "ครบเป้าแล้ว" if answered >= target else f"ขาดอีก {target - answered} คน"
        lines.append(f"{tool.upper()} {answered}/{target} {status}")
    roles.audit(ctx.session, person.line_user_id, "respondents", agency=agency.code, counts=found)
    return Reply.text(f"บันทึกของ{agency.name}: " + " · ".join(lines), quote=True)


def register(router: Router) -> None:
    router.recognise(counts_in)(record_counts)
