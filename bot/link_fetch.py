"""Fetch a submitted link safely: each hop's address is checked, and that address is used.

The whole check, every hop and name lookup included, ends by one deadline: a server that
sends a byte a second must not hold a checker past the lease on its row.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import NewConnectionError, SSLError
from urllib3.util.ssl_match_hostname import CertificateError

from models.oit.link_verdict import Fetched
from models.oit.url_rules import is_public_address

MAX_REDIRECTS = 5
CONNECT_SECONDS = 3.0
READ_CHUNK = 16384
USER_AGENT = "ITA-LINE-bot/1.0 (+OIT link pre-check for provincial coordinators)"
CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_\-]+)""", re.I)
# getaddrinfo cannot be given a timeout, so it runs here and is waited for only so long.
RESOLVER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="link-resolve")


class DnsFailure(Exception):
    """The name does not resolve."""


class Refused(Exception):
    """The address is not public (private, loopback, link-local, …): never connect to it."""


# What a hop may raise besides Refused; _failure names it for the verdict.
FAILURES = (
    DnsFailure,
    OSError,
    ValueError,
    http.client.HTTPException,
    urllib3.exceptions.HTTPError,
)


class Deadline:
    """One wall-clock limit: each wait gets what is left, and at the limit the socket is shut."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sock = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds still allowed; TimeoutError once there are none."""
        left = self.at - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError("link check deadline")
        return left

    def watch(self, sock) -> None:
        """Shut `sock` at the deadline: a read blocked on a drip of bytes then ends."""
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock) -> None:
    try:  # the plain socket's shutdown: an SSL socket's own would unwrap it under the reader
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def public_address(host: str, port: int, trusted: dict[str, str], seconds: float) -> str:
    """One resolved address of `host`, refusing the name if any of its addresses is not public."""
    if host in trusted:
        return trusted[host]
    lookup = RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=seconds)
    except socket.gaierror as error:
        raise DnsFailure(host) from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not is_public_address(address):
            raise Refused(address)
    return addresses[0]


def _decode(raw: bytes, content_type: str) -> str:
    match = CHARSET.search(content_type.encode()) or CHARSET.search(raw[:4096])
    encoding = match.group(1).decode() if match else "utf-8"
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _connect(parts, address: str, deadline: Deadline) -> HTTPConnection:
    """A connection to the checked address; TCP connect and TLS handshake get half what is left."""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    timeout = min(CONNECT_SECONDS, deadline.left() / 2)
    if https:
        conn = HTTPSConnection(
            address,
            port,
            timeout=timeout,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs=ssl.CERT_REQUIRED,
        )
    else:
        conn = HTTPConnection(address, port, timeout=timeout)
    conn.connect()
    return conn


def _request_line(parts) -> tuple[str, dict[str, str]]:
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return path, {"Host": host, "User-Agent": USER_AGENT, "Accept": "text/html,*/*"}


def _read(response, sock, deadline: Deadline, max_bytes: int) -> bytes:
    """The body up to `max_bytes`, in chunks as they come, each wait only as long as is left."""
    body = bytearray()
    while len(body) < max_bytes:
        left = deadline.left()
        if sock.fileno() >= 0:  # http.client closes it once the declared length is in
            sock.settimeout(left)
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        body += chunk
    return bytes(body[:max_bytes])


def _get(url: str, address: str, deadline: Deadline, max_bytes: int):
    parts = urlsplit(url)
    with closing(_connect(parts, address, deadline)) as conn:
        sock = conn.sock
        deadline.watch(sock)
        conn.timeout = deadline.left()  # getresponse puts it on the socket before the headers
        path, headers = _request_line(parts)
        conn.request("GET", path, headers=headers, preload_content=False)
        with closing(conn.getresponse()) as response:
            redirect = 300 <= response.status < 400
            body = b"" if redirect else _read(response, sock, deadline, max_bytes)
            deadline.left()  # a reply the deadline cut short proves nothing
            return response.status, dict(response.headers), body


def _failure(error: Exception, deadline: Deadline) -> str:
    """The Fetched.error for a hop that went wrong."""
    if isinstance(error, DnsFailure):
        return "dns"
    if deadline.expired:
        return "timeout"
    if isinstance(error, NewConnectionError):  # a subclass of ConnectTimeoutError
        return "connect"
    if isinstance(error, TimeoutError | urllib3.exceptions.TimeoutError):
        return "timeout"
    if isinstance(error, ssl.SSLError | SSLError | CertificateError):
        return "tls"
    return "connect"


def fetch(url: str, timeout: float = 8.0, max_bytes: int = 1 << 20, trusted=None) -> Fetched:
    """GET with redirects followed by hand (at most 5), each hop checked; all within `timeout`."""
    deadline = Deadline(timeout)
    try:
        return _follow(url, deadline, max_bytes, trusted or {})
    finally:
        deadline.cancel()


def _follow(url: str, deadline: Deadline, max_bytes: int, trusted: dict[str, str]) -> Fetched:
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return Fetched(final_url=url, error="connect")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = public_address(parts.hostname, port, trusted, deadline.left())
            status, headers, body = _get(url, address, deadline, max_bytes)
        except Refused:
            return Fetched(final_url=url, error="private")
        except FAILURES as error:
            return Fetched(final_url=url, error=_failure(error, deadline))
        location = headers.get("Location") or headers.get("location")
        if 300 <= status < 400 and location:
            url = urljoin(url, location)
            continue
        content_type = headers.get("Content-Type") or headers.get("content-type") or ""
        return Fetched(status, url, content_type[:200], _decode(body, content_type))
    return Fetched(final_url=url, error="redirects")
