"""The year: framework files, loading them, and a province calendar's round trip."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models.year import Framework, FrameworkItem
from models.year.framework_file import FrameworkError, read
from models.year.frameworks import shipped_files


@pytest.fixture
def demo(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    return db


def test_shipped_frameworks_are_valid_and_2570_is_all_unconfirmed():
    years = {int(path.stem): read(path) for path in shipped_files()}
    assert set(years) >= {2568, 2569, 2570}
    assert len(years[2568]["items"]) == 28 and len(years[2569]["items"]) == 26
    assert years[2570]["status"] == "provisional"
    assert "confirmed: true" not in (shipped_files()[-1]).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("pass_mark: {value: 85", "pass_mark: {value: high"), 10, "pass_mark.value"),
        (("weight: 40", "weight: 45"), 14, "tools.*.weight"),
        (("data_year: previous", "data_year: last"), None, "data_year"),
        (("100 * passed / total", "__import__('os')"), None, "oit_score.expression"),
        (("code: O3,", "code: O9,"), None, "items[2].code"),
    ],
)
def test_a_bad_framework_file_names_line_and_field(tmp_path, change, line, field):
    good = (shipped_files()[1]).read_text(encoding="utf-8")
    assert change[0] in good
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(FrameworkError) as error:
        read(bad)
    assert field in error.value.field and error.value.line
    assert "บรรทัด" in str(error.value)


def test_init_db_loads_frameworks_idempotently_and_bad_load_changes_nothing(runner, db, tmp_path):
    for _ in range(2):
        assert runner.invoke(args=["init-db"]).exit_code == 0
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Framework)) == 3
        items = session.scalar(select(func.count()).select_from(FrameworkItem))
    bad = tmp_path / "2571.yaml"
    bad.write_text(
        shipped_files()[-1]
        .read_text(encoding="utf-8")
        .replace("fiscal_year: 2570", "fiscal_year: 2571")
        .replace("indicator: 10", "indicator: 11")
    )
    result = runner.invoke(args=["framework", "load", str(bad)])
    assert result.exit_code != 0 and "indicator" in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(FrameworkItem)) == items
    listing = runner.invoke(args=["framework", "list"]).output
    assert "nacc 2570 provisional" in listing


def test_seed_demo_is_idempotent_and_calendar_round_trips(runner, demo, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    stats = json.loads(runner.invoke(args=["stats", "--json"]).stdout)
    assert stats["agencies"]["total"] == 40
    assert stats["groups"]["by_kind"] == {"regional": 1, "local": 1, "coordinators": 1}
    shown = runner.invoke(args=["calendar", "show", "--province", "สิงห์บุรี", "--json"]).stdout
    calendar = json.loads(shown)
    assert [p["number"] for p in calendar["phases"]] == [1, 2, 3]
    calendar["phases"][1]["deadline"] = calendar["phases"][2]["deadline"]
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(calendar, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(args=["calendar", "load", str(path), "--province", "สิงห์บุรี"]).exit_code == 0
    again = runner.invoke(args=["calendar", "show", "--province", "สิงห์บุรี", "--json"]).stdout
    assert json.loads(again) == calendar
    path.write_text(
        '{"fiscal_year": 2570, "phases": [{"number": 1, "title": "x", "deadline": "soon"}]}'
    )
    result = runner.invoke(args=["calendar", "load", str(path), "--province", "สิงห์บุรี"])
    assert result.exit_code != 0 and "phases[0].deadline" in result.output
    assert (
        json.loads(runner.invoke(args=["calendar", "show", "--province", "สิงห์บุรี", "--json"]).stdout)
        == calendar
    )
