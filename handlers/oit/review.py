"""Coordinators review submitted items: ผ่าน, or แก้ไข with a reason, by command or by card."""

from __future__ import annotations

import re

from handlers.choices import agency_choices
from handlers.oit.cards import flex, review_carousel
from handlers.permissions import COORDINATOR_ONLY
from handlers.replies import Outgoing, Reply, text_message
from handlers.router import Context, Router
from models.line_text import cut
from models.notices import outcomes
from models.numbers import WHOLE, parse_int
from models.oit import records as oit_records
from models.oit import review as oit_review
from models.oit.context import resolve_agency
from models.oit.link_verdict import PROBLEMS, UNCHECKED, VERDICT_TEXT
from models.oit.parser import ITEM, find_items
from models.oit.submissions import APPROVED, FIX, PENDING, Submission
from models.registry.agency_lookup import find_agencies
from models.registry.tables import Agency

VERDICT = re.compile(r"(ผ่าน|แก้ไข|แก้)")
BY_ID = re.compile(rf"^#({WHOLE})")
USAGE = (
    "วิธีใช้: ตรวจ <รหัสหรือชื่อหน่วยงาน> O5 ผ่าน\n"
    "ตรวจ <หน่วยงาน> O5 แก้ไข <เหตุผล>\nตรวจ <หน่วยงาน> — แสดงการ์ดพร้อมปุ่มตรวจ"
)


def parse_verdict(text: str, start: int = 0) -> tuple[str | None, str, int]:
    """(approved|fix|None, the reason after it, where the verdict word starts)."""
    verdict = VERDICT.search(text, start)
    if verdict is None:
        return None, "", len(text)
    outcome = APPROVED if verdict.group(1) == "ผ่าน" else FIX
    return outcome, text[verdict.end() :].strip(), verdict.start()


def parse_review(args: str) -> tuple[str, list[str], str | None, str]:
    """(agency text, item codes, approved|fix|None, reason) from 'L004 O1-O3 แก้ไข เหตุผล'."""
    item = ITEM.search(args)
    if item is None:
        return args.strip(), [], None, ""
    outcome, reason, end = parse_verdict(args, item.start())
    return args[: item.start()].strip(), find_items(args[item.start() : end]), outcome, reason


def _verdict_line(row: Submission, outcome: str, reason: str) -> str:
    return f"{row.item_code} {'ผ่าน' if outcome == APPROVED else 'ต้องแก้ไข: ' + reason}"


def review(ctx: Context, args: str) -> Reply:
    """ตรวจลิงก์ OIT ของหน่วยงาน (ผู้ประสานงาน)
    ตรวจ <หน่วยงาน> O5 ผ่าน · ตรวจ <หน่วยงาน> O5 แก้ไข <เหตุผล> · ตรวจ <หน่วยงาน> (การ์ด)"""
    by_id = BY_ID.match(args.strip())
    if by_id:
        number = parse_int(by_id.group(1), 1)
        if number is None:
            return Reply.text(f"ไม่พบรายการ #{by_id.group(1)[:12]} ในจังหวัดของคุณ\n{USAGE}")
        return _review_by_id(ctx, number, args.strip()[by_id.end() :])
    agency_text, codes, outcome, reason = parse_review(args)
    if not agency_text:
        return Reply.text(USAGE)
    province_ids = [p.id for p in ctx.provinces]
    _mine, agency = resolve_agency(ctx.session, agency_text, [], province_ids)
    if agency is None:
        return _which(ctx, agency_text, args.strip()[len(agency_text) :].strip(), province_ids)
    live = oit_review.live_items(ctx.session, agency, ctx.now)
    if not codes:
        return review_card(agency, live)
    if outcome is None or (outcome == FIX and not reason):
        return Reply.text("โปรดระบุ ผ่าน หรือ แก้ไข <เหตุผล>\n" + USAGE)
    by, now = ctx.event.user_id, ctx.now
    rows, missing = oit_review.review_items(ctx.session, live, codes, outcome, reason, by, now)
    lines = [f"{agency.name}:", *(_verdict_line(row, outcome, reason) for row in rows)]
    if missing:
        lines.append(f"ยังไม่มีลิงก์ให้ตรวจ: {', '.join(missing)}")
    return _told(ctx, agency, rows, Reply.text("\n".join(lines)))


def _which(ctx: Context, agency_text: str, rest: str, province_ids: list[int]) -> Reply:
    """Several agencies match: ask which, each choice re-sending the whole command."""
    matches = [m for p in province_ids for m in find_agencies(ctx.session, agency_text, p)]
    if not matches:
        return Reply.text(f"ไม่พบหน่วยงาน “{agency_text[:60]}” ในจังหวัดของคุณ\n{USAGE}")
    question = "หมายถึงหน่วยงานใด แตะปุ่มด้านล่าง หรือพิมพ์ ตรวจ <รหัส> …"
    return agency_choices(question, matches[:13], lambda a: f"ตรวจ {a.code} {rest}".strip())


def _told(ctx: Context, agency: Agency, rows: list[Submission], reply: Reply) -> Reply:
    """Tell the agency's admins the outcome now (one-to-one, or held for their group)."""
    limit, by, here = ctx.config["PERSON_NOTICES_PER_DAY"], ctx.event.user_id, ctx.event.group_id
    told = outcomes.tell_review(ctx.session, agency, rows, ctx.now, limit, by or "", here)
    reply.elsewhere += [Outgoing(to, [text_message(text)]) for to, text in told.pushes]
    return reply


def _review_by_id(ctx: Context, submission_id: int, rest: str) -> Reply:
    found = oit_review.submission_in(ctx.session, submission_id, {p.id for p in ctx.provinces})
    if found is None:
        return Reply.text(f"ไม่พบรายการ #{submission_id} ในจังหวัดของคุณ")
    row, agency = found
    if not oit_review.still_current(row):
        return Reply.text(f"{row.item_code} ของ{agency.name} มีลิงก์ใหม่แล้ว โปรดตรวจรายการล่าสุด")
    outcome, reason, _ = parse_verdict(rest)
    if outcome is None:
        return Reply.text(f"โปรดระบุผล เช่น ตรวจ #{row.id} ผ่าน หรือ ตรวจ #{row.id} แก้ไข <เหตุผล>")
    if outcome == FIX and not reason:
        return Reply.text(f"โปรดพิมพ์เหตุผลที่ต้องแก้ไข: ตรวจ #{row.id} แก้ไข <เหตุผล>")
    oit_review.decide(ctx.session, row, outcome, reason, ctx.event.user_id, ctx.now)
    done = Reply.text(f"{agency.name}: {_verdict_line(row, outcome, reason)}")
    return _told(ctx, agency, [row], done)


def review_card(agency: Agency, live: dict[str, Submission]) -> Reply:
    rows = oit_review.card_rows(live)
    if not rows:
        return Reply.text(f"{agency.name} ยังไม่ได้ส่งลิงก์")
    waiting = sum(1 for r in rows if r[1] == PENDING)
    alt = f"{agency.name}: ส่งแล้ว {len(rows)} ข้อ รอตรวจ {waiting} ข้อ"
    return Reply([flex(alt, review_carousel(f"{agency.code} {agency.name}", rows))])


def review_button(ctx: Context, data: str) -> Reply | None:
    """A ผ่าน button on the card; แก้ไข opens the keyboard with the command to complete."""
    _, submission_id, outcome = (data.split("|") + ["", ""])[:3]
    number = parse_int(submission_id, 1)
    if outcome == FIX and number is not None:
        return None  # LINE opened the keyboard with "ตรวจ #id แก้ไข ": the reason comes typed
    if outcome != APPROVED or number is None:
        return Reply.text("ปุ่มนี้ใช้ไม่ได้แล้ว พิมพ์ ตรวจ <หน่วยงาน> เพื่อเปิดการ์ดใหม่")
    return _review_by_id(ctx, number, "ผ่าน")


def waiting(ctx: Context, args: str) -> Reply:
    """รายการที่รอผู้ประสานงานตรวจ (ผู้ประสานงาน)"""
    by_agency = oit_records.waiting_reviews(ctx.session, [p.id for p in ctx.provinces])
    if not by_agency:
        return Reply.text("ไม่มีรายการรอตรวจ")
    total = sum(len(items) for items in by_agency.values())
    lines = [f"รอตรวจ {total} ข้อ จาก {len(by_agency)} หน่วยงาน (เก่าสุดก่อน)"]
    for (code, name), items in list(by_agency.items())[:30]:
        lines.append(f"• {code} {name}: {', '.join(items)}")
    if len(by_agency) > 30:
        lines.append(f"…และอีก {len(by_agency) - 30} หน่วยงาน")
    lines.append("ตรวจทีละหน่วยงาน: ตรวจ <รหัส>")
    return Reply.lines(lines)


def link_problems(ctx: Context, args: str) -> Reply:
    """ลิงก์ที่ตรวจอัตโนมัติแล้วพบปัญหา (ผู้ประสานงาน)"""
    rows = oit_records.link_problems(ctx.session, [p.id for p in ctx.provinces])
    if not rows:
        return Reply.text("ยังไม่พบลิงก์ที่มีปัญหาจากการตรวจอัตโนมัติ")
    problems = [r for r in rows if r.verdict in PROBLEMS]
    unchecked = [r for r in rows if r.verdict == UNCHECKED]
    lines = [f"ลิงก์มีปัญหา {len(problems)} รายการ · ตรวจอัตโนมัติไม่ได้ {len(unchecked)} รายการ"]
    lines += [
        f"• {r.agency_code} {r.item_code} {VERDICT_TEXT[r.verdict]}: {r.note} ({cut(r.url, 80)})"
        for r in problems[:25]
    ]
    if unchecked:
        shown = ", ".join(
            f"{r.agency_code} {r.item_code} ({cut(r.url, 80)})" for r in unchecked[:25]
        )
        lines.append(f"ต้องเปิดดูเอง (เว็บไซต์ไม่ให้ตรวจอัตโนมัติ): {shown}")
    return Reply.lines(lines)


def register(router: Router) -> None:
    router.command("ลิงก์มีปัญหา", "ลิงค์มีปัญหา", middleware=COORDINATOR_ONLY)(link_problems)
    router.command("ตรวจ", middleware=COORDINATOR_ONLY)(review)
    router.command("รอตรวจ", middleware=COORDINATOR_ONLY)(waiting)
    router.postback("review", middleware=COORDINATOR_ONLY)(review_button)
