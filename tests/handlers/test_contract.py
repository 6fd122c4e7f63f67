"""A contract every registered command keeps: Thai help, and no crash on empty or odd input."""

from __future__ import annotations

import re

import pytest

from bot.dev.eventfactory import text_event
from handlers import build_router
from handlers.faq.corrections import BY_NUMBER
from handlers.router import split_command

THAI = re.compile(r"[\u0E00-\u0E7F]")
COMMANDS = build_router().commands
ODD_INPUTS = ["", "   ", "???", "x" * 3000, "O99 not-a-url", "๑๒๓ 🤖 \u200b", "'; DROP TABLE x;--"]


def test_there_are_commands_to_check():
    assert COMMANDS


# Commands about a message of the bot: in a group they act only on a quote of it (or `#n`).
QUOTE_ONLY = {"ผิด", "ไม่ตรง"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.keywords[0])
def test_every_command_has_a_thai_help_line(command):
    assert THAI.search(command.help), f"{command.keywords[0]} needs a Thai first docstring line"
    assert len(command.help) <= 120


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.keywords[0])
def test_every_keyword_takes_polite_particles_glued_or_spaced(command):
    keywords = [k for c in COMMANDS for k in c.keywords]
    for keyword in command.keywords:
        for particle in ("ค่ะ", "คะ", "ครับ", "นะคะ", "นะครับ", "จ้า", "จ้ะ", "ฮะ"):
            assert split_command(keyword + particle, keywords) == (keyword, "")
            assert split_command(f"{keyword} {particle}", keywords) == (keyword, "")


def test_keywords_are_unique():
    keywords = [k for c in COMMANDS for k in c.keywords]
    assert len(keywords) == len(set(keywords))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.keywords[0])
@pytest.mark.parametrize("odd", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
@pytest.mark.parametrize("where", ["group", "direct"])
def test_every_command_answers_odd_input_in_thai_without_crashing(handle, command, odd, where):
    text = f"{command.keywords[0]} {odd}".strip()
    addressed, reply = handle(text_event(text, group_id="Cg" if where == "group" else None))
    assert addressed
    if where == "group" and command.keywords[0] in QUOTE_ONLY and not BY_NUMBER.match(odd.strip()):
        assert reply is None, "in a group, ผิด/ไม่ตรง without a quote is people talking"
        return
    assert reply is not None and reply.messages, "an addressed command always answers"
    for message in reply.messages:
        if message["type"] == "text":
            assert THAI.search(message["text"])
            assert len(message["text"].encode("utf-16-le")) // 2 <= 5000
    assert len(reply.messages) <= 5
