"""Agency admins register by chat, coordinators confirm, and anyone can ask who they are."""

from __future__ import annotations

from handlers.choices import agency_choices
from handlers.permissions import COORDINATOR_ONLY, known_person
from handlers.replies import Outgoing, Reply, text_message
from handlers.router import Context, Router
from models.notices import outcomes
from models.notices.coordinators import NOWHERE, WITHHELD, groups_to_notify
from models.notices.limits import day_start
from models.numbers import parse_int
from models.registry import Person, registrations, roles
from models.registry.agency_lookup import clear_winner, find_agencies
from models.registry.agency_names import KIND_LABELS
from models.registry.roles import display_name
from models.registry.tables import Agency, ChatSetup, RoleGrant

ROLE_TEXT = {roles.COORDINATOR: "ผู้ประสานงานจังหวัด", roles.AGENCY_ADMIN: "แอดมินหน่วยงาน"}
WAITS = "วันนี้มีคำขอถึงผู้ประสานงานหลายรายการ จึงเก็บไว้ในรายการรอ ผู้ประสานงานจะได้รับสรุปภายใน 1 วัน"


def check_friendship(ctx: Context, line_user_ids: list[str]) -> None:
    """Ask the worker to check, after commit, whether new admins are friends of the bot: one
    who added it before it was deployed sent no follow event."""
    ctx.followups.update(f"friendship:{user_id}" for user_id in line_user_ids)


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
        question = "หมายถึงหน่วยงานใด แตะปุ่มด้านล่าง หรือพิมพ์ ลงทะเบียน <รหัส>"
        return agency_choices(question, matches, lambda a: f"ลงทะเบียน {a.code}")
    return _request(ctx, agency, setup)


def _request(ctx: Context, agency: Agency, setup: ChatSetup | None) -> Reply:
    person: Person = ctx.person
    grant, new = registrations.request_admin(ctx.session, person, agency)
    if not new:
        state = "เป็นแอดมิน" if grant.status == "active" else "ส่งคำขอเป็นแอดมิน"
        return Reply.text(f"คุณ{state}ของ{agency.name}ไว้แล้ว", quote=True)
    note = roles.reminders_note(ctx.session, agency, setup.kind if setup else None)
    check_friendship(ctx, [person.line_user_id])
    if grant.status == "active":  # the check runs after this reply: a friend the bot has not
        # recorded yet (added before deployment, name still fresh) is shown the link too
        note += outcomes.add_friend_note(person, ctx.add_friend_url)
        return Reply.text(
            f"ลงทะเบียนแล้ว: {display_name(person)} เป็นแอดมินของ{agency.name}{note}", quote=True
        )
    notice = text_message(
        f"คำขอลงทะเบียน #{grant.id}: {display_name(person)} ขอเป็นแอดมินของ{agency.name} "
        f"(รหัส {agency.code}, {KIND_LABELS[agency.kind]})\n"
        f"ยืนยันพิมพ์ อนุมัติ {grant.id} · ไม่อนุมัติพิมพ์ ปฏิเสธ {grant.id} <เหตุผล>",
        quick_replies=[
            (f"อนุมัติ #{grant.id}", f"อนุมัติ {grant.id}"),
            (f"ปฏิเสธ #{grant.id}", f"ปฏิเสธ {grant.id}"),
        ],
    )
    limits = (ctx.config["PERSON_NOTICES_PER_DAY"], ctx.config["PROVINCE_NOTICES_PER_DAY"])
    groups, state = groups_to_notify(
        ctx.session, agency.province_id, ctx.event.user_id, ctx.now, limits
    )
    waiting = "รอผู้ประสานงานจังหวัดยืนยัน" + (" (แจ้งผู้ประสานงานด้วยค่ะ)" if state == NOWHERE else "")
    if state == WITHHELD:
        waiting += f"\n{WAITS}"
    reply = Reply.text(
        f"รับคำขอแล้ว: {agency.name}\n{waiting} · ดูสถานะได้ด้วยคำสั่ง ฉันคือใคร{note}", quote=True
    )
    reply.elsewhere = [Outgoing(group, [notice]) for group in groups]
    return reply


def _decide(ctx: Context, args: str, approve: bool) -> Reply:
    words = args.strip().split(maxsplit=1)
    if not words:
        if approve:
            return _approve_all(ctx, "")
        return Reply.text("วิธีใช้: ปฏิเสธ <เลขคำขอ> <เหตุผล> (ดูเลขคำขอได้จาก อนุมัติ)")
    number, reason = words[0].lstrip("#"), (words[1].strip() if len(words) > 1 else "")
    if approve and number == "ทั้งหมด":
        return _approve_all(ctx, reason)
    grant = registrations.request_in(
        ctx.session, parse_int(number, 1), [p.id for p in ctx.provinces]
    )
    if grant is None:
        return Reply.text(f"ไม่พบคำขอ #{number[:20]} ในจังหวัดที่คุณดูแล")
    if grant.status != "pending":
        return Reply.text(f"คำขอ #{grant.id} ได้รับการพิจารณาไปแล้ว")
    reason = "" if approve else reason
    lines, pushes = _settle(ctx, [grant], approve, reason)
    verdict = "อนุมัติแล้ว" if approve else "ไม่อนุมัติ"
    why = f"\nเหตุผล: {reason}" if reason else ""
    reply = Reply.text(f"{verdict}: {lines[0]}{why}")
    reply.elsewhere = pushes
    return reply


def _settle(
    ctx: Context, requests: list[RoleGrant], approve: bool, reason: str = ""
) -> tuple[list[str], list[Outgoing]]:
    """Decide each request and tell its requester: (a line per request, pushes to queue)."""
    settled = outcomes.settle_requests(
        ctx.session,
        requests,
        approve,
        reason,
        by=ctx.person.line_user_id,
        now=ctx.now,
        per_day=ctx.config["PERSON_NOTICES_PER_DAY"],
        here=ctx.event.group_id,
        add_friend_url=ctx.add_friend_url,
    )
    if approve:
        check_friendship(ctx, registrations.requester_ids(ctx.session, requests))
    pushes = [Outgoing(to, [text_message(text)]) for _, told in settled for to, text in told.pushes]
    return [line for line, _ in settled], pushes


def _approve_all(ctx: Context, rest: str) -> Reply:
    """List first; `อนุมัติ ทั้งหมด ยืนยัน` then approves what was listed and is still pending."""
    by = ctx.person.line_user_id
    pending = registrations.pending_requests(ctx.session, [p.id for p in ctx.provinces])
    chosen = (
        registrations.listed_still_pending(ctx.session, by, pending, day_start(ctx.now))
        if rest.startswith("ยืนยัน")
        else None
    )
    if chosen is not None:
        if not chosen:
            return Reply.text("คำขอที่แสดงไว้ได้รับการพิจารณาไปแล้วทั้งหมด พิมพ์ อนุมัติ ทั้งหมด เพื่อดูใหม่")
        lines, pushes = _settle(ctx, chosen, approve=True)
        lines = [f"อนุมัติแล้ว {len(chosen)} รายการ:", *(f"• {line}" for line in lines)]
        if len(pending) > len(chosen):
            lines.append(f"มีคำขออื่นอีก {len(pending) - len(chosen)} รายการ พิมพ์ อนุมัติ ทั้งหมด เพื่อดู")
        reply = Reply.lines(lines)
        reply.elsewhere = pushes
        return reply
    if not pending:
        return Reply.text("ไม่มีคำขอลงทะเบียนที่รอพิจารณา")
    shown = registrations.list_for_approval(ctx.session, by, pending, ctx.now)
    lines = [f"คำขอที่รอพิจารณา {len(pending)} รายการ (ทีละรายการ พิมพ์ อนุมัติ <เลขคำขอ>):"]
    lines += [f"#{g.id} {roles.request_label(ctx.session, g)}" for g in shown]
    if len(pending) > len(shown):
        lines.append(f"…แสดง {len(shown)} รายการแรก ยืนยันแล้วพิมพ์ อนุมัติ ทั้งหมด อีกครั้ง")
    lines.append(f"อนุมัติ {len(shown)} รายการนี้ พิมพ์ อนุมัติ ทั้งหมด ยืนยัน")
    confirm = [(f"ยืนยันอนุมัติ {len(shown)}", "อนุมัติ ทั้งหมด ยืนยัน")]
    return Reply.text("\n".join(lines), quick_replies=confirm)


def approve(ctx: Context, args: str) -> Reply:
    """อนุมัติคำขอลงทะเบียนแอดมิน (ผู้ประสานงานจังหวัด)
    อนุมัติ <เลขคำขอ> — ไม่ใส่เลข จะแสดงคำขอที่รออยู่
    อนุมัติ ทั้งหมด — แสดงคำขอที่รอ แล้วยืนยันด้วย อนุมัติ ทั้งหมด ยืนยัน"""
    return _decide(ctx, args, approve=True)


def reject(ctx: Context, args: str) -> Reply:
    """ไม่อนุมัติคำขอลงทะเบียนแอดมิน (ผู้ประสานงานจังหวัด)
    ปฏิเสธ <เลขคำขอ> <เหตุผล> — ผู้ขอจะได้รับแจ้งพร้อมเหตุผล"""
    return _decide(ctx, args, approve=False)


def who_am_i(ctx: Context, args: str) -> Reply:
    """ดูว่าคุณเป็นแอดมินของหน่วยงานใด และมีบทบาทอะไร"""
    person: Person = ctx.person
    lines = [f"คุณคือ {display_name(person)}"]
    for grant, province, agency in roles.roles_of(ctx.session, person):
        where = agency.name if agency else f"จังหวัด{province.name}"
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
