"""Fetch a submitted link safely: each hop's address is checked, and that address is used."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from models.link_verdict import Fetched

MAX_REDIRECTS = 5
USER_AGENT = "ITA-LINE-bot/1.0 (+OIT link pre-check for provincial coordinators)"
CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_\-]+)""", re.I)


class DnsFailure(Exception):
    """The name does not resolve."""


class Refused(Exception):
    """The address is not public (private, loopback, link-local, …): never connect to it."""


def public_address(host: str, port: int, trusted: dict[str, str]) -> str:
    """One resolved address of `host`, refusing the name if any of its addresses is not public."""
    if host in trusted:
        return trusted[host]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise DnsFailure(host) from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise Refused(address)
    return addresses[0]


def _decode(raw: bytes, content_type: str) -> str:
    match = CHARSET.search(content_type.encode()) or CHARSET.search(raw[:4096])
    encoding = match.group(1).decode() if match else "utf-8"
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _get(url: str, address: str, timeout: float, max_bytes: int):
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    kwargs = {"timeout": urllib3.Timeout(connect=min(3.0, timeout), read=timeout), "retries": False}
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs=ssl.CERT_REQUIRED,
            **kwargs,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **kwargs)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    headers = {"Host": host_header, "User-Agent": USER_AGENT, "Accept": "text/html,*/*"}
    response = pool.urlopen("GET", path, headers=headers, redirect=False, preload_content=False)
    try:
        body, deadline = b"", time.monotonic() + timeout
        if response.status < 300 or response.status >= 400:
            for chunk in response.stream(16384):
                body += chunk
                if len(body) >= max_bytes or time.monotonic() > deadline:
                    break
        return response.status, dict(response.headers), body[:max_bytes]
    finally:
        response.release_conn()
        pool.close()


def fetch(url: str, timeout: float = 8.0, max_bytes: int = 1 << 20, trusted=None) -> Fetched:
    """GET with redirects followed by hand (at most 5), each hop resolved and checked first."""
    trusted = trusted or {}
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return Fetched(final_url=url, error="connect")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = public_address(parts.hostname, port, trusted)
            status, headers, body = _get(url, address, timeout, max_bytes)
        except Refused:
            return Fetched(final_url=url, error="private")
        except (DnsFailure, NameResolutionError):
            return Fetched(final_url=url, error="dns")
        except SSLError:
            return Fetched(final_url=url, error="tls")
        except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
            return Fetched(final_url=url, error="timeout")
        except (NewConnectionError, urllib3.exceptions.HTTPError, OSError):
            return Fetched(final_url=url, error="connect")
        location = headers.get("Location") or headers.get("location")
        if 300 <= status < 400 and location:
            url = urljoin(url, location)
            continue
        content_type = headers.get("Content-Type") or headers.get("content-type") or ""
        return Fetched(status, url, content_type[:200], _decode(body, content_type))
    return Fetched(final_url=url, error="redirects")
