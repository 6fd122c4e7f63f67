"""Charts drawn on the server as SVG (no script, no CDN, and they print): the weekly trend of
links sent and approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH, HEIGHT, BOTTOM = 600, 150, 20  # BOTTOM: room for the week labels


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # sent | approved
    value: int


def trend_bars(weeks: list[tuple[dt.date, int, int]]) -> tuple[list[Bar], list[tuple]]:
    """Two bars a week (sent, approved), scaled to the busiest week; and (x, label) per week."""
    top = max([max(s, a) for _, s, a in weeks] + [1])
    slot = WIDTH / max(1, len(weeks))
    bar = slot * 0.38
    bars, labels = [], []
    for n, (monday, sent, approved) in enumerate(weeks):
        left = n * slot + slot * 0.1
        for offset, value, kind in ((0, sent, "sent"), (bar, approved, "approved")):
            height = (HEIGHT - BOTTOM) * value / top
            bars.append(Bar(left + offset, HEIGHT - BOTTOM - height, bar, height, kind, value))
        labels.append((left + bar, f"{monday.day}/{monday.month}"))
    return bars, labels
