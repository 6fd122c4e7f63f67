"""A coordinator tells the bot what a group is for: regional agencies, อปท., or coordinators."""

from __future__ import annotations

from handlers.permissions import COORDINATORS_ONLY, in_group, known_person
from handlers.replies import Reply
from handlers.router import Command, Context, Router
from models.registry import group_setup, roles
from models.registry.agency_import import province_named
from models.registry.tables import ChatSetup, Province

KINDS = {
    "ภูมิภาค": "regional",
    "ส่วนภูมิภาค": "regional",
    "ท้องถิ่น": "local",
    "อปท.": "local",
    "อปท": "local",
    "ผู้ประสานงาน": "coordinators",
}
KIND_TEXT = {
    "regional": "หน่วยงานส่วนภูมิภาค",
    "local": "องค์กรปกครองส่วนท้องถิ่น (อปท.)",
    "coordinators": "ผู้ประสานงานจังหวัด",
}
CONFIRM = "ยืนยัน"


def parse_setup(args: str) -> tuple[str | None, str, bool]:
    """(kind, province name, confirmed) from 'ท้องถิ่น สิงห์บุรี [ยืนยัน]'."""
    words = args.split()
    confirmed = bool(words) and words[-1] == CONFIRM
    if confirmed:
        words = words[:-1]
    if not words:
        return None, "", confirmed
    return KINDS.get(words[0]), " ".join(words[1:]), confirmed


def setup_group(ctx: Context, args: str) -> Reply:
    """ตั้งค่าว่ากลุ่มนี้ดูแลหน่วยงานใด (ผู้ประสานงานจังหวัด)
    ตั้งค่ากลุ่ม ภูมิภาค <จังหวัด> — กลุ่มของหน่วยงานส่วนภูมิภาค
    ตั้งค่ากลุ่ม ท้องถิ่น <จังหวัด> — กลุ่มของ อปท.
    ตั้งค่ากลุ่ม ผู้ประสานงาน <จังหวัด> — กลุ่มของทีมประสานงาน (รับสรุปและคำถามที่ส่งต่อ)"""
    kind, province_name, confirmed = parse_setup(args)
    if kind is None or not province_name:
        return Reply.text("วิธีใช้:\n" + _usage())
    province = province_named(ctx.session, province_name)
    if province is None:
        return Reply.text(f"ไม่พบจังหวัด {province_name} ในระบบ ผู้ดูแลระบบต้องนำเข้าหน่วยงานก่อน")
    person = ctx.person
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    missing = group_setup.refusal(ctx.session, person, setup, province)
    if missing:
        return Reply.text(_refusal_text(setup, province, missing))
    if group_setup.already(setup, kind, province):
        return Reply.text(f"กลุ่มนี้เป็นกลุ่ม{KIND_TEXT[kind]} จังหวัด{province.name} อยู่แล้ว")
    if setup and not confirmed:
        command = f"ตั้งค่ากลุ่ม {args.strip()} {CONFIRM}"
        return Reply.text(
            f"กลุ่มนี้ตั้งไว้เป็นกลุ่ม{KIND_TEXT[setup.kind]} ต้องการเปลี่ยนเป็นกลุ่ม"
            f"{KIND_TEXT[kind]} จังหวัด{province.name} ใช่ไหม\nพิมพ์: {command}",
            quick_replies=[("ยืนยันเปลี่ยน", command)],
        )
    group_setup.set_up(
        ctx.session, ctx.event.group_id, kind, province, person.line_user_id, ctx.now
    )
    ctx.followups.add("group_size")  # the budget needs the real member count, not a guess
    return Reply.text(f"ตั้งค่าเรียบร้อย: กลุ่มนี้เป็นกลุ่ม{KIND_TEXT[kind]} จังหวัด{province.name}")


def _refusal_text(setup: ChatSetup | None, province: Province, missing: list[Province]) -> str:
    if setup is None or setup.province_id == province.id and len(missing) == 1:
        return COORDINATORS_ONLY + f" ({province.name})"
    names = " และ ".join(f"จังหวัด{p.name}" for p in missing)
    return (
        f"ขออภัย กลุ่มนี้ตั้งค่าไว้เป็นกลุ่ม{KIND_TEXT[setup.kind]}แล้ว การเปลี่ยนต้องเป็น"
        f"ผู้ประสานงานของ{names} หากจำเป็น ติดต่อผู้ดูแลระบบให้เปลี่ยนให้"
    )


def _usage() -> str:
    return Command(("ตั้งค่ากลุ่ม",), setup_group).usage


def register(router: Router) -> None:
    router.command("ตั้งค่ากลุ่ม", middleware=(in_group, known_person))(setup_group)
