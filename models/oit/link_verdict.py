"""What a fetched page means for an OIT item: pure classification, tested on page snippets."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

from models.numbers import THAI_DIGITS

OK, DEAD, LOGIN, WRONG_YEAR, UNCHECKED = "ok", "dead", "login", "wrong_year", "unchecked"
UNREACHABLE = "unreachable"  # the name did not resolve once: dead only if it fails again later
PROBLEMS = {DEAD, LOGIN, WRONG_YEAR}
TOLD = PROBLEMS | {UNREACHABLE}  # what the agency's admin is told
VERDICT_TEXT = {
    OK: "เปิดได้",
    DEAD: "ลิงก์เสีย",
    UNREACHABLE: "ติดต่อเว็บไซต์ไม่ได้",
    LOGIN: "ต้องเข้าสู่ระบบก่อนจึงจะเห็น",
    WRONG_YEAR: "ปีของข้อมูลไม่ตรง",
    UNCHECKED: "ตรวจอัตโนมัติไม่ได้",
}
RECHECK_AFTER = timedelta(hours=1)  # an unreachable link is checked once more, this much later
APART = timedelta(minutes=30)  # two failures at least this far apart make a link dead
MISTYPED = "เปิดลิงก์นี้ไม่ได้ ชื่อเว็บไซต์อาจพิมพ์ผิด"
BE_YEAR = re.compile(r"(?<![0-9])(25[4-9][0-9])(?![0-9])")
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
LOGIN_URL = re.compile(r"(?i)(/login|/signin|/sign-in|/auth/|accounts\.google\.com|/wp-login)")
PASSWORD_FIELD = re.compile(r"(?i)<input[^>]+type=[\"']?password")


@dataclass
class Fetched:
    """What the fetcher saw; `error` is dns, tls, timeout, connect, redirects or private."""

    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: str = ""
    error: str | None = None


def page_title(body: str) -> str | None:
    match = TITLE.search(body)
    return " ".join(html.unescape(match.group(1)).split())[:300] if match else None


def years_mentioned(text: str, fiscal_year: int) -> set[int]:
    """Buddhist-Era years near the round (Thai or Arabic digits), e.g. พ.ศ. ๒๕๖๙."""
    found = {int(y) for y in BE_YEAR.findall(text.translate(THAI_DIGITS))}
    return {y for y in found if fiscal_year - 6 <= y <= fiscal_year + 1}


def verdict(
    page: Fetched, required_year: int | None, failed_before: bool = False
) -> tuple[str, str]:
    """(verdict, Thai note for the agency's admin, no jargon) for one fetched link;
    `failed_before`: the same link could not be reached at least APART earlier."""
    if page.error == "dns" and failed_before:
        return DEAD, f"{MISTYPED} (ลองเปิดสองครั้งแล้ว) โปรดตรวจลิงก์แล้วส่งใหม่"
    if page.error == "dns":
        return UNREACHABLE, f"{MISTYPED} บอทจะลองอีกครั้งในอีก 1 ชั่วโมง"
    if page.error == "private":
        return DEAD, "ลิงก์พาไปยังที่อยู่ภายในเครือข่าย ซึ่งประชาชนเปิดไม่ได้"
    if page.error:
        reasons = {
            "tls": "เบราว์เซอร์อาจเตือนว่าเว็บไซต์นี้ไม่ปลอดภัย (ใบรับรองความปลอดภัยมีปัญหา)",
            "timeout": "เว็บไซต์ตอบช้าเกินไป",
            "redirects": "เว็บไซต์ส่งต่อไปหน้าอื่นหลายทอดเกินไป",
        }
        return UNCHECKED, reasons.get(page.error, "เชื่อมต่อเว็บไซต์ไม่ได้") + " ผู้ประสานงานจะเปิดดูเอง"
    status = page.status or 0
    if status in {404, 410}:
        return DEAD, "เว็บไซต์แจ้งว่าไม่พบหน้านี้ ลิงก์อาจพิมพ์ผิดหรือหน้าถูกย้าย"
    if status == 401 or LOGIN_URL.search(page.final_url or "") or PASSWORD_FIELD.search(page.body):
        return LOGIN, "หน้านี้ต้องเข้าสู่ระบบก่อน ประชาชนทั่วไปเปิดไม่ได้"
    if status == 403 or status >= 500 or status >= 400:
        return UNCHECKED, "เว็บไซต์ไม่ยอมให้บอทเปิดตรวจ ผู้ประสานงานจะเปิดดูเอง"
    if required_year and "html" in (page.content_type or ""):
        years = years_mentioned(page.body, required_year)
        if years and required_year not in years:
            shown = ", ".join(str(y) for y in sorted(years))
            return WRONG_YEAR, f"หน้านี้กล่าวถึงปี {shown} แต่ข้อนี้ต้องเป็นข้อมูลปี {required_year}"
    return OK, "เปิดได้"
