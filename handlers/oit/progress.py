"""Where an agency stands (สถานะ) and where a province stands (สรุป)."""

from __future__ import annotations

from handlers.choices import agency_choices
from handlers.oit.cards import flex, status_card
from handlers.permissions import COORDINATOR_ONLY
from handlers.replies import Reply, text_message
from handlers.router import Context, Router
from models.notices import held
from models.oit.context import agency_phase, framework_for, resolve_agency
from models.oit.news import untold
from models.oit.progress import standing
from models.oit.submissions import APPROVED, FIX, MISSING, PENDING
from models.oit.summary import summary_text
from models.registry import membership, roles
from models.registry.agency_lookup import find_agencies
from models.registry.tables import Agency
from models.year.calendar import thai_date

ESTIMATE = "คะแนนจำลองเป็นการประมาณการจากผลตรวจของจังหวัด ไม่ใช่ผลทางการของ ป.ป.ช."


def agency_meant(
    ctx: Context, args: str, command: str = "สถานะ", usage: str = ""
) -> Agency | Reply:
    """The agency named in args, else the sender's own (asking when they run several, or when
    the name fits several: each choice re-sends `command` with that agency's code, so what was
    typed is not lost)."""
    person = roles.person(ctx.session, ctx.event.user_id) if ctx.event.user_id else None
    mine = roles.admin_agencies(ctx.session, person) if person else []
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    resend = lambda a: f"{command} {a.code}"  # noqa: E731
    if args.strip():
        provinces = [setup.province_id] if setup else [None]
        chosen, other = resolve_agency(ctx.session, args.strip(), mine, provinces)
        if chosen or other:
            return chosen or other
        matches = find_agencies(ctx.session, args.strip(), provinces[0])
        if len(matches) > 1:
            return agency_choices("หมายถึงหน่วยงานใด แตะปุ่มด้านล่าง", matches, resend)
        return Reply.text(f"ไม่พบหน่วยงาน “{args.strip()[:60]}” ลองพิมพ์รหัสหรือชื่อเต็ม", quote=True)
    if len(mine) == 1:
        return mine[0]
    if mine:
        return Reply.text(
            "คุณเป็นแอดมินหลายหน่วยงาน เลือกหน่วยงาน",
            quick_replies=[(a.code[:20], resend(a)) for a in mine],
            quote=True,
        )
    return Reply.text(usage or f"วิธีใช้: {command} <รหัสหรือชื่อหน่วยงาน>", quote=True)


WEB_FORM = "ส่งหลายข้อพร้อมกันได้ในแบบฟอร์มบนเว็บ: พิมพ์ เว็บ ในแชตส่วนตัวกับบอท"


def status(ctx: Context, args: str) -> Reply:
    """ดูความคืบหน้าการส่งลิงก์ OIT ของหน่วยงาน และคะแนนจำลอง
    สถานะ (หน่วยงานของฉัน) หรือ สถานะ <รหัสหรือชื่อหน่วยงาน>"""
    agency = agency_meant(ctx, args)
    if isinstance(agency, Reply):
        return agency
    framework = framework_for(ctx.session, agency, ctx.now)
    stands = standing(ctx.session, agency, framework)
    counts, todo, sim = stands.counts, stands.todo, stands.simulated
    extra = []
    phase = agency_phase(ctx.session, agency, ctx.today)
    if phase:
        extra.append(f"ระยะที่ {phase.number} ส่งภายใน {thai_date(phase.deadline)}")
    extra.append(f"คะแนน OIT จำลอง {sim.oit:.2f}")
    if sim.total is not None:
        extra.append(f"คะแนนรวมจำลอง {sim.total:.2f} ({sim.label})")
    extra.append(ESTIMATE)
    person = roles.person(ctx.session, ctx.event.user_id) if ctx.event.user_id else None
    admin = person is not None and roles.administers(ctx.session, person, agency)
    if admin and todo and ctx.event.is_group:  # a pointer only: links are given one-to-one
        extra.append(WEB_FORM)
    submitted = sum(counts.values()) - counts[MISSING]
    alt = (
        f"{agency.name}: ส่งแล้ว {submitted} ข้อ ยังไม่ส่ง {counts[MISSING]} ข้อ "
        f"(ผ่าน {counts[APPROVED]} รอตรวจ {counts[PENDING]} ต้องแก้ไข {counts[FIX]})"
    )
    messages = [flex(alt, status_card(agency.name, counts, todo, extra))]
    if admin:
        news = untold(ctx.session, agency.id, ctx.now)
        if news:
            messages.append(text_message(held.HEADER + "\n" + "\n".join(news)))
    return Reply(messages)


def summary(ctx: Context, args: str) -> Reply:
    """สรุปความคืบหน้า OIT ของหน่วยงานในกลุ่มหรือจังหวัด (ผู้ประสานงาน)"""
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    provinces = ctx.provinces
    kind = setup.kind if setup else None
    today = ctx.today
    texts = [summary_text(ctx.session, p, kind, today) + friends_line(ctx, p.id) for p in provinces]
    return Reply.text("\n\n".join(texts))


def friends_line(ctx: Context, province_id: int) -> str:
    """How many of the province's admins can be reminded one-to-one, the cheapest way."""
    friends, admins = membership.friend_counts(ctx.session, province_id)
    if not admins:
        return ""
    return (
        f"\nแอดมินที่เพิ่มบอทเป็นเพื่อนแล้ว {friends}/{admins} คน (ได้รับแจ้งเตือนส่วนตัว ประหยัดโควตากว่าแจ้งในกลุ่ม)"
    )


def register(router: Router) -> None:
    router.command("สถานะ")(status)
    router.command("สรุป", middleware=COORDINATOR_ONLY)(summary)
