"""`เว็บ`: a sign-in link to the web pages, given one-to-one only (anyone in a group could
open it), to coordinators and agency admins."""

from __future__ import annotations

from handlers.permissions import known_person
from handlers.replies import Reply
from handlers.router import Context, Router
from models.registry import roles, sign_in

IN_GROUP = (
    "ลิงก์เข้าหน้าเว็บให้เฉพาะในแชตส่วนตัวกับบอท เพราะทุกคนในกลุ่มเปิดลิงก์ได้ "
    "โปรดเพิ่มบอทเป็นเพื่อนแล้วพิมพ์ เว็บ ในแชตส่วนตัว"
)
NO_ROLE = "หน้าเว็บสำหรับผู้ประสานงานจังหวัดและแอดมินหน่วยงานที่ได้รับการยืนยันแล้ว (ดูบทบาทได้ด้วย ฉันคือใคร)"


def sign_in_link(ctx: Context, args: str) -> Reply:
    """ลิงก์เข้าหน้าเว็บ (ภาพรวมของผู้ประสานงาน สถานะของแอดมินหน่วยงาน) ในแชตส่วนตัวเท่านั้น"""
    if ctx.event.is_group:
        return Reply.text(IN_GROUP)
    who = ctx.person
    if not roles.coordinator_provinces(ctx.session, who) and not roles.admin_agencies(
        ctx.session, who
    ):
        return Reply.text(NO_ROLE)
    token = sign_in.issue(ctx.session, who.line_user_id, ctx.now)
    base = ctx.config["PUBLIC_BASE_URL"].rstrip("/")
    minutes = int(sign_in.VALID.total_seconds() // 60)
    return Reply.text(
        f"ลิงก์เข้าหน้าเว็บของคุณ ใช้ได้ครั้งเดียวภายใน {minutes} นาที อย่าส่งต่อให้ผู้อื่น\n"
        f"{base}/web/sign-in?t={token}"
    )


def register(router: Router) -> None:
    router.command("เว็บ", "แดชบอร์ด", middleware=(known_person,))(sign_in_link)
