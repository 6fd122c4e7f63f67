"""Flex message JSON for OIT status and review: built here, sent by bot/ like any reply."""

from __future__ import annotations

from typing import Any

from models.line_text import ALT_TEXT_LIMIT, cut
from models.oit.submissions import STATUS_TEXT

STATUS_COLOUR = {
    "missing": "#9E9E9E",
    "pending": "#F9A825",
    "fix": "#C62828",
    "approved": "#2E7D32",
}
ROWS_PER_BUBBLE = 8


def _text(text: str, **style: Any) -> dict:
    return {"type": "text", "text": text or "-", "wrap": True, "size": "sm", **style}


def flex(alt_text: str, contents: dict) -> dict:
    return {"type": "flex", "altText": cut(alt_text, ALT_TEXT_LIMIT), "contents": contents}


def bubble(title: str, lines: list[dict], footer: list[dict] | None = None) -> dict:
    body = {
        "type": "box",
        "layout": "vertical",
        "spacing": "sm",
        "contents": [_text(title, weight="bold", size="md"), {"type": "separator"}, *lines],
    }
    card = {"type": "bubble", "body": body}
    if footer:
        card["footer"] = {"type": "box", "layout": "vertical", "contents": footer}
    return card


def status_card(title: str, counts: dict[str, int], todo: list[str], extra: list[str]) -> dict:
    """Counts per status, what is still missing or to fix, and the phase deadline."""
    lines = [
        {
            "type": "box",
            "layout": "baseline",
            "contents": [
                _text(STATUS_TEXT[key], flex=3),
                _text(f"{counts.get(key, 0)} ข้อ", flex=2, align="end", color=STATUS_COLOUR[key]),
            ],
        }
        for key in ("approved", "pending", "fix", "missing")
    ]
    if todo:
        lines += [{"type": "separator"}, _text(cut("ยังต้องทำ: " + ", ".join(todo), 900))]
    lines += [_text(line, color="#555555") for line in extra]
    return bubble(title, lines)


def review_carousel(agency_label: str, rows: list[tuple[str, str, int, str | None]]) -> dict:
    """One row per submitted item (code, status, submission id, first link) with two buttons."""
    bubbles = []
    for start in range(0, len(rows), ROWS_PER_BUBBLE):
        lines = []
        for code, status, submission_id, url in rows[start : start + ROWS_PER_BUBBLE]:
            label = _text(f"{code} {STATUS_TEXT[status]}", flex=4, color=STATUS_COLOUR[status])
            if url and len(url) <= 1000:
                label["action"] = {"type": "uri", "label": code, "uri": url}
            lines.append(
                {
                    "type": "box",
                    "layout": "horizontal",
                    "spacing": "sm",
                    "contents": [
                        label,
                        _button("ผ่าน", f"review|{submission_id}|approved", "primary"),
                        _button(
                            "แก้ไข",
                            f"review|{submission_id}|fix",
                            "secondary",
                            fill=f"ตรวจ #{submission_id} แก้ไข ",
                        ),
                    ],
                }
            )
        page = f" ({start // ROWS_PER_BUBBLE + 1})" if len(rows) > ROWS_PER_BUBBLE else ""
        bubbles.append(bubble(cut(agency_label, 60) + page, lines))
    return {"type": "carousel", "contents": bubbles[:12]}


def _button(label: str, data: str, style: str, fill: str | None = None) -> dict:
    action = {"type": "postback", "label": label, "data": data, "displayText": label}
    if fill:
        action.update(inputOption="openKeyboard", fillInText=fill)
        del action["displayText"]
    return {"type": "button", "style": style, "height": "sm", "flex": 2, "action": action}
