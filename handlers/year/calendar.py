"""The province's ITA calendar in Thai dates, and moving a pre-check phase deadline."""

from __future__ import annotations

import re

from handlers.permissions import COORDINATOR_ONLY, SETUP_FIRST
from handlers.replies import Reply
from handlers.router import Context, Router
from models.notices.policy import policy_text
from models.numbers import WHOLE, parse_int
from models.registry import roles
from models.year import calendar
from models.year.calendar import parse_thai_date, round_year, thai_date

MOVE_PATTERN = re.compile(rf"^ระยะ(?:ที่)?\s*({WHOLE})\s+(.+)$")


def show_calendar(ctx: Context, args: str) -> Reply:
    """ดูกำหนดการ ITA และกำหนดส่งลิงก์ OIT ให้จังหวัดตรวจ"""
    province = roles.chat_province(ctx.session, ctx.event.group_id, ctx.event.user_id)
    if province is None and ctx.event.is_group:
        return Reply.text(SETUP_FIRST)
    if province is None:
        return Reply.text(
            "ยังไม่ทราบว่าคุณอยู่จังหวัดใด พิมพ์ กำหนดการ ในกลุ่ม LINE ของจังหวัด "
            "หรือลงทะเบียนหน่วยงานก่อน (ลงทะเบียน <ชื่อหน่วยงาน>)"
        )
    today = ctx.today
    year = round_year(province, today)
    phases = calendar.phases_of(ctx.session, province.id, year)
    milestones = calendar.milestones_of(ctx.session, province.id, year)
    if not phases and not milestones:
        return Reply.text(f"ยังไม่มีกำหนดการ ITA {year} ของจังหวัด{province.name}")
    lines = [f"กำหนดการ ITA ปีงบประมาณ {year} จังหวัด{province.name}"]
    upcoming = calendar.phases_ahead(phases, today)
    if upcoming:
        lines.append("ส่งลิงก์ OIT ให้จังหวัดตรวจ:")
        for phase in upcoming:
            days = (phase.deadline - today).days
            lines.append(f"• {phase.title}: ภายใน {thai_date(phase.deadline)} (อีก {days} วัน)")
    later = calendar.milestones_ahead(milestones, today)
    if later:
        lines.append("กำหนดการของ ป.ป.ช. (ตรวจสอบกับประกาศของปีนี้):")
        for m in later[:6]:
            span = thai_date(m.start) if m.start else ""
            if m.end and m.end != m.start:
                span = f"{span} – {thai_date(m.end)}" if span else f"ถึง {thai_date(m.end)}"
            lines.append(f"• {m.title}: {span}")
    lines.append(policy_text(province))
    return Reply.text("\n".join(lines))


def move_deadline(ctx: Context, args: str) -> Reply:
    """เลื่อนกำหนดส่งของระยะการตรวจ OIT (ผู้ประสานงานจังหวัด)
    เลื่อนกำหนด ระยะ <เลขระยะ> <วันที่> เช่น เลื่อนกำหนด ระยะ 2 15 มี.ค. 2570"""
    match = MOVE_PATTERN.match(args.strip())
    if not match:
        return Reply.text("วิธีใช้: เลื่อนกำหนด ระยะ <เลขระยะ> <วันที่> เช่น เลื่อนกำหนด ระยะ 2 15 มี.ค. 2570")
    number, when = parse_int(match.group(1), 1, 20), parse_thai_date(match.group(2))
    if number is None:
        return Reply.text("เลขระยะต้องเป็น 1, 2, 3 … เช่น เลื่อนกำหนด ระยะ 2 15 มี.ค. 2570")
    if when is None:
        return Reply.text(
            f"อ่านวันที่ “{match.group(2)[:40]}” ไม่ออก ลองพิมพ์แบบ 15 มี.ค. 2570 หรือ 15/3/2570"
        )
    province = ctx.provinces[0]
    year = round_year(province, ctx.today)
    phase = calendar.phase_numbered(ctx.session, province.id, year, number)
    if phase is None:
        return Reply.text(f"ไม่พบระยะที่ {number} ในกำหนดการปี {year} ของจังหวัด{province.name}")
    if not calendar.may_move_to(phase, when, ctx.today):
        return Reply.text("วันที่ใหม่ต้องไม่ย้อนหลัง และไม่ก่อนวันเริ่มของระยะนั้น")
    old = calendar.move_phase_deadline(ctx.session, province, phase, when, ctx.person.line_user_id)
    return Reply.text(f"เลื่อนกำหนด{phase.title} จาก {thai_date(old)} เป็น {thai_date(when)} แล้ว")


def register(router: Router) -> None:
    router.command("กำหนดการ")(show_calendar)
    router.command("เลื่อนกำหนด", middleware=COORDINATOR_ONLY)(move_deadline)
