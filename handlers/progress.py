"""Where an agency stands (สถานะ), where a province stands (สรุป), and IIT/EIT figures (คะแนน)."""

from __future__ import annotations

import re

from bot.replies import Reply, text_message
from bot.router import Context, Router
from handlers.cards import flex, status_card
from handlers.permissions import COORDINATOR_ONLY, known_person
from models import held, roles
from models import oit_progress as progress
from models.calendar import thai_date
from models.domain import Agency, Province
from models.oit_context import current_phase, framework_for, resolve_agency
from models.oit_notices import untold
from models.oit_records import current, item_status
from models.oit_summary import summary_text
from models.submissions import APPROVED, FIX, MISSING, PENDING, ToolScore, tool_row

ESTIMATE = "คะแนนจำลองเป็นการประมาณการจากผลตรวจของจังหวัด ไม่ใช่ผลทางการของ ป.ป.ช."
SCORE = re.compile(r"(?i)\b(IIT|EIT)\s*[:=]?\s*([0-9]+(?:\.[0-9]+)?)")


def _agency(ctx: Context, args: str, command: str = "สถานะ") -> Agency | Reply:
    """The agency named in args, else the sender's own (asking when they run several: each
    choice re-sends `command` with that agency's code, so what was typed is not lost)."""
    person = roles.person(ctx.session, ctx.event.user_id) if ctx.event.user_id else None
    mine = roles.admin_agencies(ctx.session, person) if person else []
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    if args.strip():
        provinces = [setup.province_id] if setup else [None]
        chosen, other = resolve_agency(ctx.session, args.strip(), mine, provinces)
        if chosen or other:
            return chosen or other
        return Reply.text(f"ไม่พบหน่วยงาน “{args.strip()[:60]}” ลองพิมพ์รหัสหรือชื่อเต็ม", quote=True)
    if len(mine) == 1:
        return mine[0]
    if mine:
        return Reply.text(
            "คุณเป็นแอดมินหลายหน่วยงาน เลือกหน่วยงาน",
            quick_replies=[(a.code[:20], f"{command} {a.code}") for a in mine],
            quote=True,
        )
    return Reply.text(f"วิธีใช้: {command} <รหัสหรือชื่อหน่วยงาน>", quote=True)


def status(ctx: Context, args: str) -> Reply:
    """ดูความคืบหน้าการส่งลิงก์ OIT ของหน่วยงาน และคะแนนจำลอง
    สถานะ (หน่วยงานของฉัน) หรือ สถานะ <รหัสหรือชื่อหน่วยงาน>"""
    agency = _agency(ctx, args)
    if isinstance(agency, Reply):
        return agency
    framework = framework_for(ctx.session, agency, ctx.now)
    codes = progress.item_codes(ctx.session, framework.id)
    rows = current(ctx.session, agency.id, framework.id)
    counts = {APPROVED: 0, PENDING: 0, FIX: 0, MISSING: 0}
    for code in codes:
        counts[item_status(rows.get(code))] += 1
    todo = [c for c in codes if item_status(rows.get(c)) in (MISSING, FIX)]
    tools = progress.tool_scores(ctx.session, {agency.id: agency}, framework.id)[agency.id]
    sim = progress.simulate(framework, counts, tools)
    extra = []
    province = ctx.session.get(Province, agency.province_id)
    phase = current_phase(ctx.session, province, ctx.today)
    if phase:
        extra.append(f"ระยะที่ {phase.number} ส่งภายใน {thai_date(phase.deadline)}")
    extra.append(f"คะแนน OIT จำลอง {sim.oit:.2f}")
    if sim.total is not None:
        extra.append(f"คะแนนรวมจำลอง {sim.total:.2f} ({sim.label})")
    extra.append(ESTIMATE)
    submitted = len(codes) - counts[MISSING]
    alt = (
        f"{agency.name}: ส่งแล้ว {submitted} ข้อ ยังไม่ส่ง {counts[MISSING]} ข้อ "
        f"(ผ่าน {counts[APPROVED]} รอตรวจ {counts[PENDING]} ต้องแก้ไข {counts[FIX]})"
    )
    messages = [flex(alt, status_card(agency.name, counts, todo, extra))]
    person = roles.person(ctx.session, ctx.event.user_id) if ctx.event.user_id else None
    if person and agency.id in {a.id for a in roles.admin_agencies(ctx.session, person)}:
        news = untold(ctx.session, agency.id, ctx.now)
        if news:
            messages.append(text_message(held.HEADER + "\n" + "\n".join(news)))
    return Reply(messages)


def record_scores(ctx: Context, args: str) -> Reply:
    """บันทึกคะแนน IIT/EIT ของหน่วยงาน (ผู้ประสานงาน หรือแอดมินของหน่วยงาน)
    คะแนน <หน่วยงาน> IIT 92.5 EIT 88"""
    found = SCORE.findall(args)
    name = SCORE.sub(" ", args).strip()
    if not found:
        return Reply.text("วิธีใช้: คะแนน <รหัสหรือชื่อหน่วยงาน> IIT 92.5 EIT 88", quote=True)
    agency = _agency(ctx, name)
    if isinstance(agency, Reply):
        return agency
    person = ctx.state["person"]
    allowed = roles.is_coordinator(ctx.session, person, agency.province_id) or agency.id in {
        a.id for a in roles.admin_agencies(ctx.session, person)
    }
    if not allowed:
        return Reply.text(f"ขออภัย เฉพาะผู้ประสานงานหรือแอดมินของ{agency.name}บันทึกคะแนนได้")
    if any(not 0 <= float(value) <= 100 for _, value in found):
        return Reply.text("คะแนนต้องอยู่ระหว่าง 0 ถึง 100", quote=True)
    framework = framework_for(ctx.session, agency, ctx.now)
    for tool, value in found:
        row = tool_row(ctx.session, ToolScore, agency.id, framework.id, tool.upper())
        row.score, row.recorded_by, row.recorded_at = float(value), person.line_user_id, ctx.now
    roles.audit(ctx.session, person.line_user_id, "scores", agency=agency.code, scores=found)
    ctx.session.flush()
    return status(ctx, agency.code)


def summary(ctx: Context, args: str) -> Reply:
    """สรุปความคืบหน้า OIT ของหน่วยงานในกลุ่มหรือจังหวัด (ผู้ประสานงาน)"""
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    provinces = ctx.state["provinces"]
    kind = setup.kind if setup else None
    today = ctx.today
    return Reply.text("\n\n".join(summary_text(ctx.session, p, kind, today) for p in provinces))


def register(router: Router) -> None:
    router.command("สถานะ")(status)
    router.command("คะแนน", middleware=(known_person,))(record_scores)
    router.command("สรุป", middleware=COORDINATOR_ONLY)(summary)
