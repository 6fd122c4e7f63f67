"""Rules a submitted link must pass at once, without the network, and warnings that do not block."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_LENGTH = 2000
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")
OFF_SITE = {  # what the link is, as the warning says it
    "ไฟล์บน Google Drive": ("drive.google.com", "docs.google.com", "sites.google.com"),
    "หน้า Facebook": ("facebook.com", "fb.com", "fb.watch", "m.facebook.com"),
    "หน้าใน LINE": ("line.me", "lin.ee", "liff.line.me"),
    "ลิงก์ย่อ": ("bit.ly", "tinyurl.com", "shorturl.at", "cutt.ly", "t.ly", "rb.gy", "is.gd"),
}
# IPv6 prefixes whose last 32 bits are an IPv4 address: mapped, translated, compatible, NAT64.
LOW_32_BITS = tuple(
    map(ipaddress.IPv6Network, ["::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96"])
)
# Teredo and local-use NAT64 carry IPv4 addresses too, but no public site is published on them.
NEVER_PUBLIC = (ipaddress.IPv6Network("2001::/32"), ipaddress.IPv6Network("64:ff9b:1::/48"))


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


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: the host may reach it instead."""
    if any(ip in network for network in LOW_32_BITS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip.sixtofour


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.is_multicast or not ip.is_global or any(ip in network for network in NEVER_PUBLIC):
        return False
    inner = _wrapped_ipv4(ip) if ip.version == 6 else None
    return inner is None or _is_public(inner)


def is_public_address(address: str) -> bool:
    """Whether the checker may connect: the address is global, and so is any IPv4 one inside.

    Python 3.11 calls NAT64, 6to4, IPv4-compatible and IPv4-translated addresses global even
    when they carry 127.0.0.1. One carrying a public IPv4 address (64:ff9b::8.8.8.8) is
    allowed: it leads nowhere that address does not. NEVER_PUBLIC ones are refused outright.
    """
    return _is_public(ipaddress.ip_address(address.split("%")[0]))


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
            warnings.append(f"ลิงก์นี้เป็น{name} แต่ OIT ต้องชี้ไปที่หน้าบนเว็บไซต์หลักของหน่วยงาน")
            return warnings
    if website and not _same_site(host, website):
        warnings.append(
            f"ไม่ใช่เว็บไซต์หลักที่ลงทะเบียนไว้ ({host_of('http://' + website.split('://')[-1])})"
        )
    return warnings
