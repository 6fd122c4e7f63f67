"""Facts an answer takes from the round's framework at answer time, so prose never dates:
the year, item counts and lists, indicators, pass mark, weights and the national target."""

from __future__ import annotations

FRAMEWORK_PLACEHOLDERS = {
    "round_year", "previous_year", "item_count", "item_range", "item_list", "indicator_list",
    "indicator_count", "pass_mark", "iit_weight", "eit_weight", "oit_weight", "target_share",
}  # fmt: skip
DATA_YEAR = {"assessed": "ของปีงบประมาณที่ประเมิน ({year})", "previous": "ของปีงบประมาณก่อนหน้า ({year})"}


def number(value: float) -> str:
    return f"{value:g}"


def framework_values(document: dict) -> dict[str, str]:
    """Every framework placeholder, filled from one framework document."""
    year, items = document["fiscal_year"], document["items"]
    tools = document["tools"]
    return {
        "round_year": str(year),
        "previous_year": str(year - 1),
        "item_count": str(len(items)),
        "item_range": f"{items[0]['code']}–{items[-1]['code']}",
        "item_list": "\n".join(f"{item['code']} {item['title']}" for item in items),
        "indicator_list": "\n".join(
            f"{i['number']} {i['name']} ({i['tool']})"
            for i in sorted(document["indicators"], key=lambda i: i["number"])
        ),
        "indicator_count": str(len(document["indicators"])),
        "pass_mark": number(document["pass_mark"]["value"]),
        "iit_weight": number(tools["IIT"]["weight"]),
        "eit_weight": number(tools["EIT"]["weight"]),
        "oit_weight": number(tools["OIT"]["weight"]),
        "target_share": number(document["national_target"]["share_of_agencies_percent"]),
    }


def provisional(document: dict | None) -> bool:
    """A framework the NACC has not published yet (a copy of last year's)."""
    return document is None or document.get("status") == "provisional"


def item_entries(document: dict, linked: dict[str, dict]) -> list[dict]:
    """One entry per OIT item of the round: what to publish and from which year. An item whose
    framework line names a hand-written entry (`faq: oit-no-gift`) absorbs that entry's wordings
    and advice, so one question has one right answer."""
    year, entries = document["fiscal_year"], []
    for item in document["items"]:
        code, number_ = item["code"], item["code"][1:]
        data_year = year - (1 if item["data_year"] == "previous" else 0)
        answer = (
            f"{code} {item['title']} (ตัวชี้วัดที่ {item['indicator']}, "
            f"รอบปีงบประมาณ {year}):\n{item['description']}\n"
            f"ใช้ข้อมูล{DATA_YEAR[item['data_year']].format(year=data_year)} "
            f"เผยแพร่บนเว็บไซต์หลักของหน่วยงาน แล้วส่งลิงก์ของหน้านั้น"
        )
        questions = [
            f"{code} คืออะไร",
            f"ข้อ {number_} ต้องเผยแพร่อะไร",
            item["title"],
            f"{code} {item['title']} ต้องใช้ข้อมูลปีไหน",
        ]
        confirmed, source = item["confirmed"], f"กรอบการประเมินปี {year} ({document['status']})"
        extra = linked.get(item.get("faq") or "")
        if extra is not None:
            answer += f"\n{extra['answer']}"
            questions += extra["questions"]
            confirmed = confirmed and extra["confirmed"]
            source += f"; {extra['source']}"
        entries.append(
            {
                "id": f"item-{code.lower()}",
                "category": "oit-item",
                "questions": questions,
                "answer": answer,
                "source": source,
                "reference_ids": extra["reference_ids"] if extra else [],
                "confirmed": confirmed,
                "dates": bool(extra and extra.get("dates")),
                "defines": [code.lower()],
            }
        )
    return entries


def with_items(entries: list[dict], document: dict | None) -> list[dict]:
    """The entries the index holds: the stored ones, less those an item absorbs, plus one
    generated entry per item of the round's framework."""
    if document is None:
        return entries
    links = {item.get("faq") for item in document["items"]} - {None}
    linked = {e["id"]: e for e in entries if e["id"] in links}
    kept = [e for e in entries if e["id"] not in linked]
    return kept + item_entries(document, linked)


def merged_into(document: dict) -> dict[str, str]:
    """Which hand-written entry each item absorbs ({"oit-no-gift": "item-o20"})."""
    return {i["faq"]: f"item-{i['code'].lower()}" for i in document["items"] if i.get("faq")}
