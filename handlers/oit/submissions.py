"""Agency admins send OIT links by chat; every line is checked at once and kept in history."""

from __future__ import annotations

from handlers.permissions import COORDINATOR_ONLY, known_person
from handlers.replies import Reply
from handlers.router import Context, Router
from models.notices import held
from models.oit import records as oit_records
from models.oit import submitting
from models.oit.context import framework_for, looks_like_code, resolve_agency
from models.oit.news import untold
from models.oit.parser import ITEM, ParsedLinks, find_items, has_item_link, parse_links
from models.registry import roles
from models.registry.agency_names import short_name
from models.registry.tables import Agency

NOT_ADMIN = "คุณยังไม่ได้เป็นแอดมินของหน่วยงานใด พิมพ์ ลงทะเบียน <ชื่อหน่วยงาน> ก่อนส่งลิงก์"
WAITING = "คำขอเป็นแอดมินของคุณยังรอผู้ประสานงานจังหวัดยืนยัน จึงยังไม่ได้บันทึกลิงก์ ส่งใหม่ได้หลังได้รับการยืนยัน"
USAGE = "วิธีส่ง: O1 https://… หนึ่งข้อต่อหนึ่งบรรทัด ส่งหลายบรรทัดในข้อความเดียวได้"


def _choose(
    ctx: Context, hint: str, agencies: list[Agency], command: str, text: str = ""
) -> Agency | Reply:
    """The agency a message is for, or a Thai reply saying why it cannot be decided."""
    chosen, other = resolve_agency(ctx.session, hint, agencies, [])
    if other is not None:
        return Reply.text(
            f"ขออภัย คุณไม่ได้เป็นแอดมินของ{other.name} จึงทำรายการแทนหน่วยงานนี้ไม่ได้ "
            f"หากคุณดูแลหน่วยงานนี้ พิมพ์ ลงทะเบียน {other.code}",
            quote=True,
        )
    code = hint.split()[0] if hint else ""
    if chosen is None and looks_like_code(code):
        return Reply.text(
            f"ไม่พบหน่วยงานรหัส {code[:20]} ที่คุณเป็นแอดมิน จึงยังไม่ได้ทำรายการ "
            f"ตรวจรหัสอีกครั้ง หรือส่งโดยไม่ใส่รหัส (หน่วยงานของคุณ: "
            f"{', '.join(a.code for a in agencies[:5])})",
            quote=True,
        )
    if chosen is not None or len(agencies) == 1:
        return chosen or agencies[0]
    lines = [f"• {a.name} (รหัส {a.code})" for a in agencies]
    resend = [(short_name(a.name), f"{command} {a.code} {text.strip()}") for a in agencies]
    return Reply.text(
        f"คุณเป็นแอดมินหลายหน่วยงาน โปรดระบุรหัส เช่น {command} {agencies[0].code} O1 https://…\n"
        + "\n".join(lines),
        quick_replies=resend if text and all(len(t) <= 300 for _, t in resend) else None,
        quote=True,
    )


def record_lines(
    ctx: Context, agency: Agency, parsed: ParsedLinks, *, on_behalf: bool = False
) -> Reply:
    """Check and record every parsed line; bad lines are explained and change nothing."""
    framework = framework_for(ctx.session, agency, ctx.now)
    if framework is None:
        return Reply.text("ยังไม่มีกรอบการประเมินในระบบ โปรดแจ้งผู้ดูแลระบบ")
    done = submitting.record_links(
        ctx.session, agency, framework, parsed,
        by=ctx.event.user_id or "unknown", now=ctx.now, on_behalf=on_behalf,
        source="edit" if ctx.event.type == "messageEdited" else "chat",
        message_id=ctx.event.message_id, event_at=ctx.event.sent_at or ctx.now,
    )  # fmt: skip
    saved, problems, remaining = done.saved, done.problems, done.remaining
    head = (
        f"บันทึก {', '.join(oit_records.natural(saved))} ของ{short_name(agency.name, 40)}แล้ว "
        f"เหลืออีก {remaining} ข้อ"
        if saved
        else "ยังไม่ได้บันทึกข้อใด"
    )
    if on_behalf and saved:
        head += " (ผู้ประสานงานบันทึกแทน)"
    news = untold(ctx.session, agency.id, ctx.now) if not on_behalf else []
    body = [head, *problems, *done.warnings[:10]]
    if problems and not saved:
        body.append(USAGE)
    if news:
        body += [held.HEADER, *news]
    return Reply.lines(body, quote=True)


def submit(ctx: Context, args: str) -> Reply:
    """ส่งลิงก์ OIT ของหน่วยงาน (แอดมินหน่วยงาน)
    O1 https://… หรือ ส่ง O1 https://… หนึ่งข้อต่อหนึ่งบรรทัด
    ส่ง <รหัสหน่วยงาน> O1 https://… เมื่อเป็นแอดมินหลายหน่วยงาน"""
    agencies = roles.admin_agencies(ctx.session, ctx.person)
    if not agencies:
        waiting = roles.grants(ctx.session, ctx.person, roles.AGENCY_ADMIN, "pending")
        return Reply.text(WAITING if waiting else f"ยังไม่ได้บันทึกลิงก์ {NOT_ADMIN}", quote=True)
    parsed = parse_links(args)
    if not parsed.items:
        return Reply.text(USAGE, quote=True)
    chosen = _choose(ctx, parsed.agency_hint, agencies, "ส่ง", args)
    return chosen if isinstance(chosen, Reply) else record_lines(ctx, chosen, parsed)


def cancel(ctx: Context, args: str) -> Reply:
    """ถอนลิงก์ที่ส่งไว้ (แอดมินหน่วยงาน)
    ยกเลิก O5 หรือ ยกเลิก <รหัสหน่วยงาน> O5"""
    agencies = roles.admin_agencies(ctx.session, ctx.person)
    codes = find_items(args)
    if not agencies:
        return Reply.text(NOT_ADMIN, quote=True)
    if not codes:
        return Reply.text("วิธีใช้: ยกเลิก O5 (ถอนลิงก์ของข้อ O5 ที่ส่งไว้)", quote=True)
    chosen = _choose(ctx, args[: ITEM.search(args).start()].strip(), agencies, "ยกเลิก")
    if isinstance(chosen, Reply):
        return chosen
    return withdraw_items(ctx, chosen, codes)


def withdraw_items(ctx: Context, agency: Agency, codes: list[str]) -> Reply:
    by = ctx.event.user_id or "unknown"
    codes, done = submitting.withdraw_items(ctx.session, agency, codes, by, ctx.now)
    if not done:
        return Reply.text(f"{', '.join(codes)} ของ{agency.name} ยังไม่มีลิงก์ที่ส่งไว้", quote=True)
    return Reply.text(f"ถอนลิงก์ {', '.join(done)} ของ{agency.name}แล้ว (ยังเก็บไว้ในประวัติ)")


def submit_on_behalf(ctx: Context, args: str) -> Reply:
    """บันทึกหรือถอนลิงก์แทนหน่วยงาน (ผู้ประสานงาน)
    ส่งแทน <รหัสหรือชื่อหน่วยงาน> O5 https://…
    ส่งแทน <รหัสหรือชื่อหน่วยงาน> ยกเลิก O5"""
    parsed = parse_links(args)
    codes = find_items(args)
    hint = parsed.agency_hint if parsed.items else args.split("ยกเลิก")[0].strip()
    province_ids = [p.id for p in ctx.provinces]
    _mine, agency = resolve_agency(ctx.session, hint, [], province_ids)
    if agency is None:
        return Reply.text("วิธีใช้: ส่งแทน <รหัสหรือชื่อหน่วยงาน> O5 https://… (ระบุหน่วยงานให้ชัด)")
    if "ยกเลิก" in args and codes and not parsed.items:
        return withdraw_items(ctx, agency, codes)
    reply = record_lines(ctx, agency, parsed, on_behalf=True)
    roles.audit(ctx.session, ctx.event.user_id, "oit.on_behalf", agency=agency.code, items=codes)
    return reply


def item_links(ctx: Context, text: str) -> str | None:
    """An item paired with a link: a registered (or waiting) admin's submission; from anyone
    else but a coordinator, a bare one (nothing but polite words or a code before the item) in
    a group set up for a province or one-to-one, answered with how to register."""
    if not ctx.event.user_id or not has_item_link(text):
        return None
    person = roles.person(ctx.session, ctx.event.user_id)
    ctx.sender = person
    if roles.grants(ctx.session, person, roles.AGENCY_ADMIN, ("active", "pending")):
        return text
    hint = parse_links(text).agency_hint.split()
    bare = not hint or looks_like_code(hint[0])
    here = not ctx.event.group_id or roles.setup_of(ctx.session, ctx.event.group_id)
    coordinator = roles.grants(ctx.session, person, roles.COORDINATOR)
    return text if bare and here and not coordinator else None


def register(router: Router) -> None:
    router.command("ส่ง", middleware=(known_person,))(submit)
    router.command("ยกเลิก", middleware=(known_person,))(cancel)
    router.command("ส่งแทน", middleware=COORDINATOR_ONLY)(submit_on_behalf)
    router.recognise(item_links)(submit)
