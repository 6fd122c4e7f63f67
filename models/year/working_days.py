"""Working days in Thailand: weekends and the public holidays in data/holidays/."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import yaml

from models.base import DATA_DIR

HOLIDAYS = DATA_DIR / "holidays" / "thailand.yaml"


@lru_cache(maxsize=1)
def holidays() -> dict[dt.date, str]:
    document = yaml.safe_load(HOLIDAYS.read_text(encoding="utf-8"))
    return {entry["date"]: entry["name"] for year in document.values() for entry in year}


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def previous_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
