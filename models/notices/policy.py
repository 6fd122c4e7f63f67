"""A province's choice of routes for reminders: the cheapest (default), or a group roll-call on
chosen leads whatever it costs (`ช่องทางแจ้งเตือน`)."""

from __future__ import annotations

from models.notices.candidates import leads_of, parse_leads
from models.registry.tables import Province

CHEAPEST_WORDS = ("ประหยัด", "ค่าเริ่มต้น", "ปกติ")
GROUP_WORD = "กลุ่ม"


def parse_policy(text: str) -> tuple[int, ...] | None:
    """() for the cheapest routes, the roll-call leads for "กลุ่ม 1,0", None when not understood."""
    words = text.split()
    if len(words) == 1 and words[0] in CHEAPEST_WORDS:
        return ()
    if len(words) >= 2 and words[0] == GROUP_WORD:
        return parse_leads(" ".join(words[1:])) or None
    return None


def policy_text(province: Province) -> str:
    """How the province's reminders go out, in one line for กำหนดการ and the command's reply."""
    leads = ",".join(map(str, leads_of(province)))
    text = (
        f"แจ้งเตือนก่อนกำหนด {leads} วัน ส่งแบบประหยัด: ส่งส่วนตัวถึงแอดมินที่เพิ่มบอทเป็นเพื่อน"
        " และแจ้งในกลุ่มเมื่อมีหน่วยงานที่ส่งส่วนตัวไม่ถึงและโควตาพอ"
    )
    called = parse_leads(province.roll_call_days or "")
    if called:
        days = ",".join("วันครบกำหนด" if d == 0 else f"{d} วันก่อน" for d in called)
        text += f" · เรียกชื่อในกลุ่มเสมอ: {days}"
    unused = [d for d in called if d not in leads_of(province)]
    if unused:  # a roll-call only picks the route of a reminder the calendar already sends
        text += (f" ({','.join(map(str, unused))} ไม่อยู่ในวันแจ้งเตือน จึงไม่มีผล"
                 " เพิ่มได้ด้วยคำสั่ง วันแจ้งเตือน)")  # fmt: skip
    return text
