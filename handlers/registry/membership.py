"""Joining and leaving: greet groups and members, remember who is a friend of the bot."""

from __future__ import annotations

from sqlalchemy import select

from bot.replies import Reply
from bot.router import Context, Router
from handlers.help import HINT
from models.registry import Group, Person

WELCOME_GROUP = (
    "สวัสดีค่ะ บอทผู้ช่วยประสานงาน ITA เข้ากลุ่มแล้ว\nผู้ประสานงานจังหวัดตั้งค่ากลุ่มได้ด้วยคำสั่ง ตั้งค่ากลุ่ม\n" + HINT
)
GREET_MEMBER = "ยินดีต้อนรับค่ะ แอดมินหน่วยงานลงทะเบียนได้ด้วยคำสั่ง ลงทะเบียน <ชื่อหน่วยงาน> · " + HINT
WELCOME_FRIEND = "ขอบคุณที่เพิ่มบอท ITA เป็นเพื่อน บอทจะแจ้งเตือนถึงคุณได้โดยตรง\n" + HINT


def _group(ctx: Context) -> Group | None:
    group_id = ctx.event.group_id
    if not group_id:
        return None
    return ctx.session.scalar(select(Group).where(Group.line_group_id == group_id))


def _person(ctx: Context) -> Person | None:
    user_id = ctx.event.user_id
    if not user_id:
        return None
    return ctx.session.scalar(select(Person).where(Person.line_user_id == user_id))


def on_join(ctx: Context, args: str) -> Reply:
    """The bot was added to a group: say hello and how to set the group up."""
    group = _group(ctx)
    if group:
        group.active, group.left_at = True, None
    return Reply.text(WELCOME_GROUP)


def on_leave(ctx: Context, args: str) -> None:
    """The bot was removed: keep the group's data, mark it inactive."""
    group = _group(ctx)
    if group:
        group.active, group.left_at = False, ctx.now


def on_member_joined(ctx: Context, args: str) -> Reply:
    """New members: one line on how to register."""
    return Reply.text(GREET_MEMBER)


def on_follow(ctx: Context, args: str) -> Reply:
    """A person added the bot as a friend, so one-to-one pushes can reach them."""
    person = _person(ctx)
    if person:
        person.is_friend, person.friend_changed_at = True, ctx.now
    return Reply.text(WELCOME_FRIEND)


def on_unfollow(ctx: Context, args: str) -> None:
    """A person blocked the bot: stop one-to-one pushes to them."""
    person = _person(ctx)
    if person:
        person.is_friend, person.friend_changed_at = False, ctx.now


def register(router: Router) -> None:
    router.on("join")(on_join)
    router.on("leave")(on_leave)
    router.on("memberJoined")(on_member_joined)
    router.on("follow")(on_follow)
    router.on("unfollow")(on_unfollow)
