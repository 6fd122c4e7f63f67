"""Coordinators manage people by chat: add a co-coordinator, unbind or move an agency admin."""

from __future__ import annotations

from handlers.permissions import COORDINATOR_ONLY
from handlers.replies import Outgoing, Reply, text_message
from handlers.router import Context, Router
from models.notices.candidates import leads_of, parse_leads
from models.notices.policy import parse_policy, policy_text
from models.registry import Person, province_settings, roles
from models.registry.agency_lookup import agency_in
from models.registry.group_setup import coordinators_groups
from models.registry.roles import display_name
from models.registry.tables import Agency, Province


def _mentioned(ctx: Context) -> list[Person]:
    """People @mentioned in the message (not the bot), as Person rows."""
    return [roles.person(ctx.session, user_id) for user_id in ctx.event.mentioned_user_ids]


def _agency(ctx: Context, text: str) -> Agency | None:
    return agency_in(ctx.session, text, [p.id for p in ctx.provinces])


def _strip_mentions(ctx: Context, args: str) -> str:
    """The command's text with @names removed (LINE puts them in the text itself)."""
    words = ctx.event.text_without_mentions().split()
    return " ".join(words[1:])


def add_coordinator(ctx: Context, args: str) -> Reply:
    """เพิ่มผู้ประสานงานจังหวัดอีกคน (ผู้ประสานงานจังหวัด)
    เพิ่มผู้ประสานงาน @ชื่อ"""
    people = _mentioned(ctx)
    if not people:
        return Reply.text("วิธีใช้: เพิ่มผู้ประสานงาน @ชื่อ (แท็กผู้ที่ต้องการเพิ่ม)")
    province: Province = ctx.provinces[0]
    by = ctx.person.line_user_id
    for person in people:
        roles.grant(ctx.session, person, roles.COORDINATOR, province, by=by)
    names = ", ".join(display_name(p) for p in people)
    return Reply.text(f"เพิ่ม {names} เป็นผู้ประสานงานจังหวัด{province.name}แล้ว")


def unbind_admin(ctx: Context, args: str) -> Reply:
    """ยกเลิกสิทธิ์แอดมินหน่วยงาน (ผู้ประสานงานจังหวัด)
    ยกเลิกแอดมิน @ชื่อ <รหัสหรือชื่อหน่วยงาน>"""
    people, rest = _mentioned(ctx), _strip_mentions(ctx, args)
    agency = _agency(ctx, rest) if rest else None
    if len(people) != 1 or agency is None:
        return Reply.text("วิธีใช้: ยกเลิกแอดมิน @ชื่อ <รหัสหรือชื่อหน่วยงาน>")
    count = roles.revoke(
        ctx.session,
        people[0],
        roles.AGENCY_ADMIN,
        agency_id=agency.id,
        by=ctx.person.line_user_id,
    )
    if not count:
        return Reply.text(f"{display_name(people[0])} ไม่ได้เป็นแอดมินของ{agency.name}")
    return Reply.text(f"ยกเลิกสิทธิ์แอดมินของ{agency.name}ของ {display_name(people[0])} แล้ว")


def move_admin(ctx: Context, args: str) -> Reply:
    """ย้ายแอดมินไปดูแลอีกหน่วยงาน (ผู้ประสานงานจังหวัด)
    ย้ายแอดมิน @ชื่อ <รหัสหน่วยงานเดิม> <รหัสหน่วยงานใหม่>"""
    people, words = _mentioned(ctx), _strip_mentions(ctx, args).split()
    if len(people) != 1 or len(words) != 2:
        return Reply.text("วิธีใช้: ย้ายแอดมิน @ชื่อ <รหัสหน่วยงานเดิม> <รหัสหน่วยงานใหม่>")
    old, new = _agency(ctx, words[0]), _agency(ctx, words[1])
    if old is None or new is None:
        return Reply.text("ไม่พบรหัสหน่วยงานเดิมหรือใหม่ในจังหวัดที่คุณดูแล")
    if not roles.move_admin(ctx.session, people[0], old, new, by=ctx.person.line_user_id):
        return Reply.text(f"{display_name(people[0])} ไม่ได้เป็นแอดมินของ{old.name}")
    return Reply.text(f"ย้าย {display_name(people[0])} จาก{old.name} ไปเป็นแอดมินของ{new.name}แล้ว")


def flag_departed_admins(ctx: Context, args: str) -> Reply | None:
    """An admin left a group: tell the province's coordinators, staff turnover is the risk."""
    departed = roles.departed_admins(ctx.session, ctx.event.member_ids("left"))
    if not departed:
        return None
    lines = [
        f"• {display_name(person)} — แอดมินของ{agency.name} (รหัส {agency.code})"
        for person, agency in departed
    ]
    provinces = {agency.province_id for _, agency in departed}
    notice = text_message(
        "แจ้งเตือน: แอดมินหน่วยงานออกจากกลุ่ม LINE\n"
        + "\n".join(lines)
        + "\nหากเปลี่ยนผู้รับผิดชอบ ให้แอดมินใหม่พิมพ์ ลงทะเบียน <ชื่อหน่วยงาน>"
    )
    targets = {g for p in provinces for g in coordinators_groups(ctx.session, p)}
    return Reply(elsewhere=[Outgoing(g, [notice]) for g in sorted(targets)]) if targets else None


SWITCH = {"เปิด": True, "ปิด": False}
SEVERAL_PROVINCES = "คุณดูแลหลายจังหวัด โปรดพิมพ์คำสั่งนี้ในกลุ่มของจังหวัดที่ต้องการตั้งค่า"


def confirm_registrations(ctx: Context, args: str) -> Reply:
    """เปิดหรือปิดการยืนยันคำขอลงทะเบียนแอดมิน (ผู้ประสานงาน)
    ยืนยันลงทะเบียน เปิด — ผู้ประสานงานต้องอนุมัติทุกคำขอ (ค่าเริ่มต้น)
    ยืนยันลงทะเบียน ปิด — ลงทะเบียนแล้วเป็นแอดมินทันที"""
    provinces = ctx.provinces
    wanted = SWITCH.get(args.strip())
    if wanted is None:
        current = "เปิด" if provinces[0].confirm_registrations else "ปิด"
        return Reply.text(f"ตอนนี้การยืนยันคำขอ{current}อยู่\nวิธีใช้: ยืนยันลงทะเบียน เปิด|ปิด")
    if len(provinces) > 1:
        return Reply.text(SEVERAL_PROVINCES)
    province: Province = provinces[0]
    province_settings.set_confirm_registrations(ctx.session, province, wanted, ctx.event.user_id)
    if wanted:
        return Reply.text(f"จังหวัด{province.name}: คำขอลงทะเบียนต้องให้ผู้ประสานงานอนุมัติ")
    return Reply.text(f"จังหวัด{province.name}: ลงทะเบียนแล้วเป็นแอดมินทันที ไม่ต้องรออนุมัติ")


def reminder_days(ctx: Context, args: str) -> Reply:
    """กำหนดว่าจะแจ้งเตือนกี่วันก่อนถึงกำหนดส่ง (ผู้ประสานงาน)
    วันแจ้งเตือน 7,3,1,0 — 0 คือวันครบกำหนด (ค่าเริ่มต้น 7,3,1,0)"""
    provinces = ctx.provinces
    days = parse_leads(args)
    if not days:
        current = ",".join(map(str, leads_of(provinces[0])))
        return Reply.text(
            f"ตอนนี้แจ้งเตือนก่อนกำหนด {current} วัน (0 คือวันครบกำหนด)\n"
            "วิธีใช้: วันแจ้งเตือน 7,3,1,0 (ไม่เกิน 30 วัน)"
        )
    if len(provinces) > 1:
        return Reply.text(SEVERAL_PROVINCES)
    text = province_settings.set_reminder_days(ctx.session, provinces[0], days, ctx.event.user_id)
    return Reply.text(
        f"จังหวัด{provinces[0].name}: แจ้งเตือนก่อนกำหนด {text} วัน (บอทเลือกส่งตามโควตาข้อความ)"
    )


def notice_routes(ctx: Context, args: str) -> Reply:
    """เลือกช่องทางแจ้งเตือน (ผู้ประสานงาน)
    ช่องทางแจ้งเตือน ประหยัด — ส่งส่วนตัวถึงแอดมินที่เป็นเพื่อนกับบอท แจ้งในกลุ่มเมื่อจำเป็น (ค่าเริ่มต้น)
    ช่องทางแจ้งเตือน กลุ่ม 1,0 — เรียกชื่อในกลุ่มเสมอในวันก่อนกำหนดและวันครบกำหนด"""
    provinces = ctx.provinces
    days = parse_policy(args.strip())
    if days is None:
        return Reply.text(
            f"ตอนนี้: {policy_text(provinces[0])}\nวิธีใช้: ช่องทางแจ้งเตือน ประหยัด "
            "หรือ ช่องทางแจ้งเตือน กลุ่ม 1,0 (จำนวนวันก่อนกำหนด 0 คือวันครบกำหนด)"
        )
    if len(provinces) > 1:
        return Reply.text(SEVERAL_PROVINCES)
    province_settings.set_roll_call_days(ctx.session, provinces[0], days, ctx.event.user_id)
    return Reply.text(f"จังหวัด{provinces[0].name}: {policy_text(provinces[0])}")


def register(router: Router) -> None:
    router.command("ช่องทางแจ้งเตือน", middleware=COORDINATOR_ONLY)(notice_routes)
    router.command("วันแจ้งเตือน", middleware=COORDINATOR_ONLY)(reminder_days)
    router.command("ยืนยันลงทะเบียน", middleware=COORDINATOR_ONLY)(confirm_registrations)
    router.command("เพิ่มผู้ประสานงาน", middleware=COORDINATOR_ONLY)(add_coordinator)
    router.command("ยกเลิกแอดมิน", middleware=COORDINATOR_ONLY)(unbind_admin)
    router.command("ย้ายแอดมิน", middleware=COORDINATOR_ONLY)(move_admin)
    router.on("memberLeft")(flag_departed_admins)
