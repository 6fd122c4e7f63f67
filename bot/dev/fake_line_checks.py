"""LINE's message rules the stand-in enforces, each problem reported as LINE reports it."""

from __future__ import annotations

from typing import Any

MESSAGE_TYPES = {
    "text",
    "textV2",
    "sticker",
    "image",
    "video",
    "audio",
    "location",
    "imagemap",
    "template",
    "flex",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_action(action: dict, path: str, limit: int, found: list[dict]) -> None:
    label, data = action.get("label"), action.get("data")
    if isinstance(label, str) and utf16_len(label) > limit:
        found.append(
            {"message": f"Length must be between 0 and {limit}", "property": f"{path}.label"}
        )
    if isinstance(data, str) and len(data) > 300:
        found.append({"message": "Length must be between 0 and 300", "property": f"{path}.data"})


def _labels(node: Any, path: str, limit: int, found: list[dict], flex: bool = False) -> None:
    """Check action labels (20 for templates and quick replies, 40 for Flex buttons) and data."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            _labels(value, f"{path}[{index}]", limit, found, flex)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        where = f"{path}.{key}"
        if key in {"action", "defaultAction"} and isinstance(value, dict):
            button = not flex or node.get("type") == "button"
            _check_action(value, where, limit if button else 10**6, found)
        elif key == "actions" and isinstance(value, list):
            for index, action in enumerate(value):
                if isinstance(action, dict):
                    _check_action(action, f"{where}[{index}]", limit, found)
        else:
            _labels(value, where, limit, found, flex)


def validate_messages(messages: Any) -> list[dict]:
    """LINE's rules the bot could break; each problem as LINE reports it."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [{"message": "Size must be between 1 and 5", "property": "messages"}]
    problems: list[dict] = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        kind = message.get("type") if isinstance(message, dict) else None
        if kind not in MESSAGE_TYPES:
            problems.append({"message": "Invalid message type", "property": f"{where}.type"})
            continue
        if kind in {"text", "textV2"}:
            text = message.get("text")
            if not isinstance(text, str) or not 1 <= utf16_len(text) <= 5000:
                problems.append(
                    {"message": "Length must be between 1 and 5000", "property": f"{where}.text"}
                )
        if kind == "textV2" and len(message.get("substitution") or {}) > 20:
            problems.append(
                {"message": "Size must be between 0 and 20", "property": f"{where}.substitution"}
            )
        alt = message.get("altText") or ""
        if kind in {"template", "flex"} and not (
            isinstance(alt, str) and 1 <= utf16_len(alt) <= 1500
        ):
            problems.append(
                {"message": "Length must be between 1 and 1500", "property": f"{where}.altText"}
            )
        if kind == "template":
            _labels(message.get("template"), f"{where}.template", 20, problems)
        if kind == "flex":
            _labels(message.get("contents"), f"{where}.contents", 40, problems, flex=True)
        quick = message.get("quickReply")
        if quick is not None:
            items = quick.get("items") or []
            if i != len(messages) - 1:
                problems.append(
                    {
                        "message": "quickReply is only allowed on the last message",
                        "property": f"{where}.quickReply",
                    }
                )
            if not 1 <= len(items) <= 13:
                problems.append(
                    {
                        "message": "Size must be between 1 and 13",
                        "property": f"{where}.quickReply.items",
                    }
                )
            _labels(items, f"{where}.quickReply.items", 20, problems)
    return problems
