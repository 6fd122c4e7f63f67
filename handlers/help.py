"""The command list, generated from the handlers' docstrings."""

from __future__ import annotations

from bot.replies import Reply
from bot.router import Context, Router

HINT = "พิมพ์ ช่วยเหลือ เพื่อดูคำสั่งของบอท"


def help_text(router: Router) -> str:
    lines = ["คำสั่งของบอท ITA (พิมพ์ที่ต้นข้อความ)"]
    for command in router.commands:
        lines.append(f"• {command.keywords[0]} — {command.help}")
    lines.append("ในกลุ่ม บอทตอบเฉพาะเมื่อขึ้นต้นด้วยคำสั่ง หรือ @ถึงบอท")
    return "\n".join(lines)


def show_help(ctx: Context, args: str) -> Reply:
    """แสดงรายการคำสั่งทั้งหมดของบอท"""
    return Reply.text(help_text(ctx.router))


def register(router: Router) -> None:
    router.command("ช่วยเหลือ", "help", "วิธีใช้")(show_help)
