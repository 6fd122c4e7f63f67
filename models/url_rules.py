"""Rules a submitted link must pass at once, without the network, and warnings that do not block."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_LENGTH = 2000
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")
OFF_SITE = {
    "Google Drive": ("drive.google.com", "docs.google.com", "sites.google.com"),
    "Facebook": ("facebook.com", "fb.com", "fb.watch", "m.facebook.com"),
    "LINE": ("line.me", "lin.ee", "liff.line.me"),
    "ลิงก์ย่อ": ("bit.ly", "tinyurl.com", "shorturl.at", "cutt.ly", "t.ly", "rb.gy", "is.gd"),
}


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_ip_literal(host: str) -> bool:
    """Dotted, bracketed, decimal or hex forms all count: browsers accept every one of them."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    parts = host.split(".")
    return all(p.isdigit() or p.lower().startswith("0x") for p in parts if p)


def is_internal_name(host: str) -> bool:
    return host == "localhost" or host.endswith(INTERNAL_SUFFIXES) or "." not in host


def url_problem(url: str) -> str | None:
    """The rule a link breaks, in Thai, or None when it may be recorded."""
    if len(url) > MAX_LENGTH:
        return f"ลิงก์ยาวเกิน {MAX_LENGTH:,} ตัวอักษร"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises on a bad port
    except ValueError:
        return "อ่านลิงก์นี้ไม่ได้ โปรดคัดลอกจากช่องที่อยู่ของเบราว์เซอร์อีกครั้ง"
    if parts.scheme.lower() not in {"http", "https"}:
        return "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://"
    if parts.username is not None or parts.password is not None:
        return "ลิงก์ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในลิงก์"
    host = host_of(url)
    if not host:
        return "ลิงก์ไม่มีชื่อเว็บไซต์"
    if is_ip_literal(host) or is_internal_name(host):
        return "ต้องเป็นเว็บไซต์สาธารณะของหน่วยงาน ไม่ใช่เลข IP หรือที่อยู่ภายในเครือข่าย"
    return None


def _same_site(host: str, website: str) -> bool:
    site = host_of(website if "://" in website else f"http://{website}")
    host, site = host.removeprefix("www."), site.removeprefix("www.")
    return bool(site) and (host == site or host.endswith("." + site) or site.endswith("." + host))


def url_warnings(url: str, website: str | None) -> list[str]:
    """Reasons a link may fail the real assessment although it can be recorded."""
    host = host_of(url)
    warnings = []
    for name, hosts in OFF_SITE.items():
        if any(host == h or host.endswith("." + h) for h in hosts):
            warnings.append(f"เป็นลิงก์ {name}: OIT ต้องชี้ไปที่หน้าบนเว็บไซต์หลักของหน่วยงาน")
            return warnings
    if website and not _same_site(host, website):
        warnings.append(
            f"ไม่ใช่เว็บไซต์หลักที่ลงทะเบียนไว้ ({host_of('http://' + website.split('://')[-1])})"
        )
    return warnings
