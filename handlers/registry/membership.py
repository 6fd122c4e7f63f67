"""Joining and leaving: greet groups and members, remember who is a friend of the bot."""

from __future__ import annotations

from handlers.help import HINT
from handlers.replies import Reply
from handlers.router import Context, Router
from models.registry import membership

WELCOME_GROUP = (
    "สวัสดีค่ะ บอทผู้ช่วยประสานงาน ITA เข้ากลุ่มแล้ว\nผู้ประสานงานจังหวัดตั้งค่ากลุ่มได้ด้วยคำสั่ง ตั้งค่ากลุ่ม\n" + HINT
)
GREET_MEMBER = "ยินดีต้อนรับค่ะ แอดมินหน่วยงานลงทะเบียนได้ด้วยคำสั่ง ลงทะเบียน <ชื่อหน่วยงาน> · " + HINT
WELCOME_FRIEND = "ขอบคุณที่เพิ่มบอท ITA เป็นเพื่อน บอทจะแจ้งเตือนถึงคุณได้โดยตรง\n" + HINT


def on_join(ctx: Context, args: str) -> Reply:
    """The bot was added to a group: say hello and how to set the group up."""
    membership.bot_joined(ctx.session, ctx.event.group_id)
    return Reply.text(WELCOME_GROUP)


def on_leave(ctx: Context, args: str) -> None:
    """The bot was removed: keep the group's data, mark it inactive."""
    membership.bot_left(ctx.session, ctx.event.group_id, ctx.now)


def on_member_joined(ctx: Context, args: str) -> Reply:
    """New members: one line on how to register."""
    return Reply.text(GREET_MEMBER)


def on_follow(ctx: Context, args: str) -> Reply:
    """A person added the bot as a friend, so one-to-one pushes can reach them."""
    membership.friendship_changed(ctx.session, ctx.event.user_id, True, ctx.now)
    return Reply.text(WELCOME_FRIEND)


def on_unfollow(ctx: Context, args: str) -> None:
    """A person blocked the bot: stop one-to-one pushes to them."""
    membership.friendship_changed(ctx.session, ctx.event.user_id, False, ctx.now)


def register(router: Router) -> None:
    router.on("join")(on_join)
    router.on("leave")(on_leave)
    router.on("memberJoined")(on_member_joined)
    router.on("follow")(on_follow)
    router.on("unfollow")(on_unfollow)
