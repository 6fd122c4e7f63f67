"""Help for this person here: what their role lets them do in this chat, on one phone screen;
one command's usage, or every command, on request. Generated from the handlers' docstrings."""

from __future__ import annotations

import re
from itertools import groupby

from handlers.events import Event
from handlers.permissions import SETUP_FIRST, coordinator, in_group
from handlers.replies import Reply
from handlers.router import Command, Context, Router, split_command
from models.registry import roles

HINT = "พิมพ์ ช่วยเหลือ เพื่อดูคำสั่งของบอท"
SCREEN = 700  # characters: about one phone screen
MEMBER, ADMIN, COORDINATOR = "member", "admin", "coordinator"
ROLE_TAG = re.compile(r"\s*\((ผู้ประสานงาน|แอดมิน)[^()]*\)\s*$")  # "(ผู้ประสานงาน)" ends a help line
EVERYTHING = ("ทั้งหมด", "all")
WHO = {MEMBER: "ผู้ใช้ทั่วไป", ADMIN: "แอดมินหน่วยงาน", COORDINATOR: "ผู้ประสานงานจังหวัด"}
TITLE = {MEMBER: "ทุกคน", ADMIN: "แอดมินหน่วยงาน", COORDINATOR: "ผู้ประสานงาน"}
PLACE = {"regional": "กลุ่มหน่วยงานส่วนภูมิภาค", "local": "กลุ่ม อปท.", "coordinators": "กลุ่มผู้ประสานงาน"}
LINK_EXAMPLE = "ส่งลิงก์: พิมพ์รหัสข้อตามด้วยลิงก์ ข้อละบรรทัด เช่น O1 https://…"
IN_GROUP = "ในกลุ่ม บอทตอบเมื่อขึ้นต้นด้วยคำสั่ง หรือ @ถึงบอท"
DIRECT = "ในแชตนี้ พิมพ์คำถามเรื่อง ITA ได้เลย"


def audience(command: Command) -> frozenset[str]:
    """Whose command it is: the coordinator middleware says so; else the role named in brackets
    at the end of its help line; no tag, everyone's. No list to keep by hand."""
    if coordinator in command.middleware:
        return frozenset({COORDINATOR})
    tag = ROLE_TAG.search(command.help)
    if tag is None:
        return frozenset({MEMBER})
    return frozenset(
        role for role, word in ((COORDINATOR, "ผู้ประสานงาน"), (ADMIN, "แอดมิน")) if word in tag[0]
    )


def commands_for(router: Router, role: str, *, in_group: bool) -> list[Command]:
    """The commands of one role, usable in this kind of chat, help itself left out."""
    return [
        c
        for c in router.commands
        if role in audience(c) and (in_group or _one_to_one_too(c)) and c.func is not show_help
    ]


def _one_to_one_too(command: Command) -> bool:
    return in_group not in command.middleware


def roles_here(ctx: Context) -> list[str]:
    """This person's roles in this chat, the strongest first; everyone is a member."""
    held = roles.held_here(ctx.session, ctx.event.user_id, ctx.event.group_id)
    found = [COORDINATOR] if roles.COORDINATOR in held else []
    return found + ([ADMIN] if roles.AGENCY_ADMIN in held else []) + [MEMBER]


def _place(ctx: Context) -> str:
    if not ctx.event.is_group:
        return "แชตส่วนตัว"
    setup = roles.setup_of(ctx.session, ctx.event.group_id)
    province = roles.chat_province(ctx.session, ctx.event.group_id, None)
    return f"{PLACE[setup.kind]} จังหวัด{province.name}" if setup else "กลุ่มนี้"


def _line(command: Command) -> str:
    return f"• {command.keywords[0]} — {ROLE_TAG.sub('', command.help)}"


def _section(role: str, commands: list[Command], titled: bool, compact: bool) -> list[str]:
    """A role's commands, one per line with its help, or compact: keywords only, a long list
    one line per handler module (commands that belong together)."""
    if compact:
        by_module = groupby(commands, key=lambda c: c.func.__module__ if len(commands) > 6 else "")
        lines = ["• " + " · ".join(c.keywords[0] for c in group) for _, group in by_module]
    else:
        lines = [_line(c) for c in commands]
    return ([f"{TITLE[role]}:"] if titled else []) + lines


def personal_help(ctx: Context) -> str:
    """What this person can do here, the longest list shortened until it fits one screen."""
    group = ctx.event.is_group
    mine = roles_here(ctx)
    sections, seen = [], set()
    for role in mine:
        commands = [c for c in commands_for(ctx.router, role, in_group=group) if id(c) not in seen]
        seen |= {id(c) for c in commands}
        if commands:
            sections.append((role, commands))
    head = [f"คำสั่งของบอทสำหรับ{WHO[mine[0]]} · {_place(ctx)}"]
    if group and roles.setup_of(ctx.session, ctx.event.group_id) is None:
        head.append(SETUP_FIRST)
    example = sections[0][1][0].keywords[0] if sections else "ถาม"
    tail = [
        IN_GROUP if group else DIRECT,
        f"วิธีใช้แต่ละคำสั่ง: ช่วยเหลือ <คำสั่ง> เช่น ช่วยเหลือ {example}",
        "ทุกคำสั่ง: ช่วยเหลือ ทั้งหมด",
    ]
    compact: set[str] = set()
    while True:
        body = []
        for role, commands in sections:
            body += _section(role, commands, len(sections) > 1, role in compact)
            if role == ADMIN:
                body.append(LINK_EXAMPLE)
        text = "\n".join(head + body + tail)
        longest = [r for r, c in sorted(sections, key=lambda s: -len(s[1])) if r not in compact]
        if len(text) <= SCREEN or not longest:
            return text
        compact.add(longest[0])


def command_help(command: Command) -> str:
    """One command: its help line and its usage (the docstring), nothing else."""
    names = " หรือ ".join(command.keywords)
    return f"{names} — {command.help}\nวิธีใช้:\n{command.usage or command.keywords[0]}"


def full_help(router: Router) -> str:
    lines = ["คำสั่งของบอท ITA ทั้งหมด (พิมพ์ที่ต้นข้อความ)"]
    lines += [f"• {c.keywords[0]} — {c.help}" for c in router.commands]
    lines.append(IN_GROUP)
    return "\n".join(lines)


def show_help(ctx: Context, args: str) -> Reply:
    """แสดงคำสั่งที่คุณใช้ได้ในแชตนี้
    ช่วยเหลือ — คำสั่งของคุณในแชตนี้
    ช่วยเหลือ <คำสั่ง> เช่น ช่วยเหลือ ส่ง — วิธีใช้คำสั่งนั้น
    ช่วยเหลือ ทั้งหมด — ทุกคำสั่ง"""
    asked = args.strip()
    if not asked:
        return Reply.text(personal_help(ctx))
    if asked.casefold() in EVERYTHING:
        return Reply.text(full_help(ctx.router))
    keyword, _rest = split_command(asked, ctx.router.keywords)
    command = ctx.router.find_command(keyword)
    if command is None:
        return Reply.text(f"ไม่พบคำสั่ง “{asked[:30]}” พิมพ์ ช่วยเหลือ ทั้งหมด เพื่อดูทุกคำสั่ง")
    return Reply.text(command_help(command))


def bot_name(event: Event) -> str:
    """The bot's name as the person typed it in their @mention."""
    for mention in event.mentionees:
        start, length = mention.get("index"), mention.get("length")
        if mention.get("isSelf") is True and isinstance(start, int) and isinstance(length, int):
            name = event.text[start : start + length].strip()
            if name.startswith("@") and 1 < len(name) <= 40:
                return name
    return "@บอท"


def mention_hint(ctx: Context, args: str) -> Reply:
    """An @mention with nothing after it: one line saying what to type."""
    name = bot_name(ctx.event)
    return Reply.text(f"พิมพ์คำถามต่อจาก {name} ได้เลย หรือพิมพ์ ช่วยเหลือ เพื่อดูคำสั่ง", quote=True)


def register(router: Router) -> None:
    router.command("ช่วยเหลือ", "help", "วิธีใช้")(show_help)
    router.mentioned_alone(mention_hint)
