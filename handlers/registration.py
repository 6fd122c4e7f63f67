"""Agency admins register by chat, coordinators confirm, and anyone can ask who they are."""

from __future__ import annotations

from sqlalchemy import select

from bot.replies import Reply, text_message
from bot.router import Context, Router
from handlers.coordinator_notices import NOWHERE, WAITS, WITHHELD, to_coordinators
from handlers.permissions import COORDINATOR_ONLY, known_person
from models import Group, Person, roles
from models.agency_lookup import clear_winner, find_agencies
from models.agency_names import KIND_LABELS, short_name
from models.domain import Agency, ChatSetup, Province, RoleGrant
from models.numbers import parse_int

ROLE_TEXT = {roles.COORDINATOR: "ผู้ประสานงานจังหวัด", roles.AGENCY_ADMIN: "แอดมินหน่วยงาน"}


def _name(person: Person) -> str:
    return person.display_name or f"ผู้ใช้ LINE …{person.line_user_id[-4:]}"


def coordinator_groups(ctx: Context, province_id: int) -> list[str]:
    """LINE ids of the province's coordinators' groups, where requests and flags go."""
    return list(
        ctx.session.scalars(
            select(Group.line_group_id)
            .join(ChatSetup, ChatSetup.group_id == Group.id)
            .where(
                ChatSetup.province_id == province_id,
                ChatSetup.kind == "coordinators",
                Group.active.is_(True),
            )
        )
    )


def register_admin(ctx: Context, args: str) -> Reply:
    """ลงทะเบียนเป็นแอดมินของหน่วยงาน (ส่งลิงก์ OIT แทนหน่วยงาน)
    ลงทะเบียน <รหัสหรือชื่อหน่วยงาน> เช่น ลงทะเบียน อบต.บางระจัน"""
    query = args.strip()
    if not query:
        return Reply.text("วิธีใช้: ลงทะเบียน <รหัสหรือชื่อหน่วยงาน> เช่น ลงทะเบียน อบต.บางระจัน")
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    matches = find_agencies(ctx.session, query, setup.province_id if setup else None)
    if not matches:
        return Reply.text(f"ไม่พบหน่วยงาน “{query[:60]}” ลองพิมพ์ชื่อเต็มหรือรหัสหน่วยงาน", quote=True)
    agency = clear_winner(matches)
    if agency is None:
        lines = [f"• {m.agency.name} (รหัส {m.agency.code})" for m in matches]
        return Reply.text(
            "หมายถึงหน่วยงานใด แตะปุ่มด้านล่าง หรือพิมพ์ ลงทะเบียน <รหัส>\n" + "\n".join(lines),
            quick_replies=[
                (short_name(m.agency.name), f"ลงทะเบียน {m.agency.code}") for m in matches
            ],
            quote=True,
        )
    return _request(ctx, agency)


def _request(ctx: Context, agency: Agency) -> Reply:
    person: Person = ctx.state["person"]
    province = ctx.session.get(Province, agency.province_id)
    for status in ("active", "pending"):
        if any(
            g.agency_id == agency.id
            for g in roles.grants(ctx.session, person, roles.AGENCY_ADMIN, status)
        ):
            state = "เป็นแอดมิน" if status == "active" else "ส่งคำขอเป็นแอดมิน"
            return Reply.text(f"คุณ{state}ของ{agency.name}ไว้แล้ว", quote=True)
    status = "pending" if province.confirm_registrations else "active"
    grant = roles.grant(
        ctx.session, person, roles.AGENCY_ADMIN, province, agency, status, by=person.line_user_id
    )
    if status == "active":
        return Reply.text(f"ลงทะเบียนแล้ว: {_name(person)} เป็นแอดมินของ{agency.name}", quote=True)
    notice = text_message(
        f"คำขอลงทะเบียน #{grant.id}: {_name(person)} ขอเป็นแอดมินของ{agency.name} "
        f"(รหัส {agency.code}, {KIND_LABELS[agency.kind]})\n"
        f"ยืนยันพิมพ์ อนุมัติ {grant.id} · ไม่อนุมัติพิมพ์ ปฏิเสธ {grant.id}",
        quick_replies=[
            (f"อนุมัติ #{grant.id}", f"อนุมัติ {grant.id}"),
            (f"ปฏิเสธ #{grant.id}", f"ปฏิเสธ {grant.id}"),
        ],
    )
    pushes, state = to_coordinators(ctx, province.id, [notice])
    waiting = "รอผู้ประสานงานจังหวัดยืนยัน" + (" (แจ้งผู้ประสานงานด้วยค่ะ)" if state == NOWHERE else "")
    if state == WITHHELD:
        waiting += f"\n{WAITS}"
    reply = Reply.text(f"รับคำขอแล้ว: {agency.name}\n{waiting} · ดูสถานะได้ด้วยคำสั่ง ฉันคือใคร", quote=True)
    reply.elsewhere = pushes
    return reply


def _decide(ctx: Context, args: str, approve: bool) -> Reply:
    number = args.strip().lstrip("#")
    if not number:
        return _pending_list(ctx)
    number_value = parse_int(number, 1)
    grant = ctx.session.get(RoleGrant, number_value) if number_value else None
    allowed = {p.id for p in ctx.state["provinces"]}
    if grant is None or grant.province_id not in allowed or grant.role != roles.AGENCY_ADMIN:
        return Reply.text(f"ไม่พบคำขอ #{number[:20]} ในจังหวัดที่คุณดูแล")
    if grant.status != "pending":
        return Reply.text(f"คำขอ #{grant.id} ได้รับการพิจารณาไปแล้ว")
    grant.status, grant.decided_at = ("active" if approve else "revoked"), ctx.now
    person, agency = (
        ctx.session.get(Person, grant.person_id),
        ctx.session.get(Agency, grant.agency_id),
    )
    decider = ctx.state["person"]
    roles.audit(
        ctx.session,
        decider.line_user_id,
        "role.approve" if approve else "role.reject",
        grant=grant.id,
        person=person.line_user_id,
        agency=agency.code,
    )
    verdict = "อนุมัติแล้ว" if approve else "ไม่อนุมัติ"
    return Reply.text(f"{verdict}: {_name(person)} — แอดมินของ{agency.name}")


def _pending_list(ctx: Context) -> Reply:
    ids = [p.id for p in ctx.state["provinces"]]
    pending = ctx.session.scalars(
        select(RoleGrant)
        .where(RoleGrant.status == "pending", RoleGrant.province_id.in_(ids))
        .order_by(RoleGrant.id)
        .limit(10)
    ).all()
    if not pending:
        return Reply.text("ไม่มีคำขอลงทะเบียนที่รอพิจารณา")
    lines = []
    for grant in pending:
        person, agency = (
            ctx.session.get(Person, grant.person_id),
            ctx.session.get(Agency, grant.agency_id),
        )
        lines.append(f"#{grant.id} {_name(person)} → {agency.name}")
    return Reply.text("คำขอที่รอพิจารณา (พิมพ์ อนุมัติ <เลขคำขอ>)\n" + "\n".join(lines))


def approve(ctx: Context, args: str) -> Reply:
    """อนุมัติคำขอลงทะเบียนแอดมิน (ผู้ประสานงานจังหวัด)
    อนุมัติ <เลขคำขอ> — ไม่ใส่เลข จะแสดงคำขอที่รออยู่"""
    return _decide(ctx, args, approve=True)


def reject(ctx: Context, args: str) -> Reply:
    """ไม่อนุมัติคำขอลงทะเบียนแอดมิน (ผู้ประสานงานจังหวัด)
    ปฏิเสธ <เลขคำขอ>"""
    return _decide(ctx, args, approve=False)


def who_am_i(ctx: Context, args: str) -> Reply:
    """ดูว่าคุณเป็นแอดมินของหน่วยงานใด และมีบทบาทอะไร"""
    person: Person = ctx.state["person"]
    lines = [f"คุณคือ {_name(person)}"]
    for grant in (
        *roles.grants(ctx.session, person),
        *roles.grants(ctx.session, person, None, "pending"),
    ):
        province = ctx.session.get(Province, grant.province_id)
        where = (
            ctx.session.get(Agency, grant.agency_id).name
            if grant.agency_id
            else f"จังหวัด{province.name}"
        )
        waiting = " (รอผู้ประสานงานยืนยัน)" if grant.status == "pending" else ""
        lines.append(f"• {ROLE_TEXT[grant.role]} — {where}{waiting}")
    if len(lines) == 1:
        lines.append("ยังไม่มีบทบาท: ถามคำถามได้ตามปกติ แอดมินหน่วยงานพิมพ์ ลงทะเบียน <ชื่อหน่วยงาน>")
    return Reply.text("\n".join(lines), quote=True)


def register(router: Router) -> None:
    router.command("ลงทะเบียน", middleware=(known_person,))(register_admin)
    router.command("ฉันคือใคร", middleware=(known_person,))(who_am_i)
    router.command("อนุมัติ", middleware=COORDINATOR_ONLY)(approve)
    router.command("ปฏิเสธ", middleware=COORDINATOR_ONLY)(reject)
