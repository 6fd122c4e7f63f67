"""Routing: in groups the bot speaks only when addressed; one-to-one, always."""

from __future__ import annotations

import pytest

from bot.dev.eventfactory import base_event, text_event
from handlers.replies import Reply
from handlers.router import Router, split_command
from models.base import utcnow
from models.queues import SentMessage


def texts(reply: Reply | None) -> list[str]:
    return [m["text"] for m in reply.messages] if reply else []


def test_split_command_casefolds_and_strips_slash():
    assert split_command("  /HELP  me please ", ["help"]) == ("help", "me please")
    assert split_command("", ["help"]) == ("", "")
    assert split_command("helpme", ["help"]) == ("", "helpme")


def test_group_chatter_is_not_addressed(handle):
    for chatter in ("รับทราบครับ", "ขอบคุณค่ะ 🙏", "ช่วยเหลือหน่อยได้ไหม"):
        assert handle(text_event(chatter, group_id="Cg")) == (False, None)


def test_command_keyword_at_start_is_addressed(handle):
    addressed, reply = handle(text_event("ช่วยเหลือ", group_id="Cg"))
    assert addressed and "คำสั่งของบอท" in texts(reply)[0]


def test_mention_of_the_bot_is_addressed_and_mention_is_cut(handle):
    addressed, reply = handle(text_event("ช่วยเหลือ", group_id="Cg", mention_self=True))
    assert addressed and "คำสั่งของบอท" in texts(reply)[0]
    addressed, reply = handle(text_event("อากาศดีไหม", group_id="Cg", mention_self=True))
    assert addressed and "ยังไม่เข้าใจ" in texts(reply)[0]


def test_a_bare_mention_of_the_bot_gets_a_hint(handle):
    for nothing in ("", "  ", "ครับ", "นะคะ"):
        addressed, reply = handle(text_event(nothing, group_id="Cg", mention_self=True))
        assert addressed and texts(reply) == [
            "พิมพ์คำถามต่อจาก @ITA Bot ได้เลย หรือพิมพ์ ช่วยเหลือ เพื่อดูคำสั่ง"
        ]


def test_mention_of_someone_else_is_not_addressed(handle):
    event = text_event("@สมชาย ดูหน่อย", group_id="Cg")
    event["message"]["mention"] = {
        "mentionees": [{"index": 0, "length": 6, "type": "user", "userId": "Uother"}]
    }
    assert handle(event) == (False, None)


def test_reply_to_a_bot_message_is_addressed(handle, db):
    with db.session() as session:
        session.add(
            SentMessage(line_message_id="555", outbox_id=None, chat_id="Cg", sent_at=utcnow())
        )
    assert handle(text_event("แล้วต้องทำอย่างไร", group_id="Cg", quoted_message_id="555"))[0]
    assert handle(text_event("แล้วต้องทำอย่างไร", group_id="Cg", quoted_message_id="556")) == (
        False,
        None,
    )


def test_one_to_one_is_always_addressed(handle):
    addressed, reply = handle(text_event("อากาศดีไหม"))
    assert addressed and texts(reply)


def test_unhandled_event_types_are_not_addressed(handle):
    assert handle(base_event("beacon", group_id="Cg")) == (False, None)
    assert handle(base_event("memberLeft", group_id="Cg", left={"members": []})) == (True, None)


def test_first_match_wins_and_recognisers_run_after_commands(app):
    router = Router()
    calls = []
    router.command("สถานะ")(lambda ctx, args: calls.append(("first", args)))
    router.command("สถานะ")(lambda ctx, args: calls.append(("second", args)))
    router.recognise(lambda ctx, text: text if "http" in text else None)(
        lambda ctx, found: calls.append(("recognised", found))
    )

    class Ctx:
        event = None

    from handlers.events import Event

    ctx = Ctx()
    ctx.event = Event(text_event("สถานะ http://x", group_id="Cg"))
    router.dispatch(ctx)
    ctx.event = Event(text_event("O1 http://x", group_id="Cg"))
    assert router.dispatch(ctx)[0] is True
    assert calls == [("first", "http://x"), ("recognised", "O1 http://x")]


def test_middleware_can_refuse_before_the_handler_runs():
    router = Router()
    ran = []

    def coordinators_only(ctx, args, next_handler):
        if ctx.event.user_id != "Ucoordinator":
            return Reply.text("คำสั่งนี้สำหรับผู้ประสานงานเท่านั้น")
        return next_handler(ctx, args)

    @router.command("ปิดรอบ", middleware=(coordinators_only,))
    def close_round(ctx, args):
        """ปิดรอบ"""
        ran.append(args)
        return Reply.text("ปิดแล้ว")

    from handlers.events import Event
    from handlers.router import Context

    def ctx(role):
        return Context(
            None,
            Event(text_event("ปิดรอบ 1", group_id="Cg", user_id=f"U{role}")),
            utcnow(),
            {},
            router,
        )

    assert texts(router.dispatch(ctx("officer"))[1]) == ["คำสั่งนี้สำหรับผู้ประสานงานเท่านั้น"]
    assert ran == []
    assert texts(router.dispatch(ctx("coordinator"))[1]) == ["ปิดแล้ว"]
    assert ran == ["1"]


def test_a_route_without_role_middleware_fails_loudly_not_with_a_missing_key():
    from handlers.events import Event
    from handlers.router import Context

    ctx = Context(None, Event(text_event("สถานะ", group_id="Cg")), utcnow(), {}, Router())
    with pytest.raises(LookupError, match="middleware"):
        _ = ctx.person
    with pytest.raises(LookupError, match="coordinator middleware"):
        _ = ctx.provinces
