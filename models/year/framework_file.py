"""Read and validate a framework YAML file; every error names its line and its field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from models.year import safe_expression

SCHEMES = {"nacc", "obec", "ovec", "moph"}
STATUSES = {"official", "reconstructed", "provisional"}
CONFIDENCE = {"official", "secondary", "uncertain"}
TOOLS = ("IIT", "EIT", "OIT")
DATA_YEARS = {"assessed", "previous"}


class FrameworkError(ValueError):
    def __init__(self, line: int | None, field: str, problem: str):
        where = f"บรรทัด {line} " if line else ""
        super().__init__(f"{where}ช่อง {field}: {problem}")
        self.line, self.field, self.problem = line, field, problem


class _Mapping(dict):
    """A dict that remembers the line of each key."""

    line: int = 0
    lines: dict[str, int]


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Checker:
    """Walks the document; `need` raises FrameworkError pointing at the offending key."""

    def need(self, parent: Any, key: str, path: str, kind, choices=None, required=True):
        if not isinstance(parent, dict):
            raise FrameworkError(getattr(parent, "line", None), path, "ต้องเป็นชุดข้อมูล (mapping)")
        line = getattr(parent, "lines", {}).get(key, getattr(parent, "line", None))
        if key not in parent:
            if not required:
                return None
            raise FrameworkError(
                getattr(parent, "line", None), f"{path}.{key}".lstrip("."), "ขาดช่องนี้"
            )
        value = parent[key]
        field = f"{path}.{key}".lstrip(".")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise FrameworkError(line, field, f"ต้องเป็น {_kind_name(kind)} (ได้ {value!r})")
        if choices is not None and value not in choices:
            raise FrameworkError(line, field, f"ต้องเป็นหนึ่งใน {', '.join(map(str, sorted(choices)))}")
        return value

    def marks(self, parent: dict, path: str) -> None:
        self.need(parent, "confidence", path, str, CONFIDENCE)
        self.need(parent, "confirmed", path, bool)
        sources = self.need(parent, "sources", path, list, required=False) or []
        if not all(isinstance(s, str) for s in sources):
            raise FrameworkError(
                parent.lines.get("sources"), f"{path}.sources", "ต้องเป็นรายการข้อความ"
            )


def _kind_name(kind) -> str:
    names = {
        str: "ข้อความ",
        int: "จำนวนเต็ม",
        float: "ตัวเลข",
        bool: "true/false",
        list: "รายการ",
        dict: "ชุดข้อมูล",
        dt.date: "วันที่ YYYY-MM-DD",
    }
    return names.get(kind, str(kind))


def validate(document: Any) -> dict:
    """Check every key the bot relies on; return the document with dates as ISO strings."""
    c = Checker()
    if not isinstance(document, dict):
        raise FrameworkError(1, "(ทั้งไฟล์)", "ต้องเป็นชุดข้อมูล YAML")
    year = c.need(document, "fiscal_year", "", int)
    if not 2560 <= year <= 2700:
        raise FrameworkError(document.lines["fiscal_year"], "fiscal_year", "ต้องเป็นปี พ.ศ. เช่น 2570")
    c.need(document, "scheme", "", str, SCHEMES)
    status = c.need(document, "status", "", str, STATUSES)
    c.need(document, "title", "", str)
    assessment = c.need(document, "assessment", "", dict)
    start = c.need(assessment, "start", "assessment", dt.date)
    end = c.need(assessment, "end", "assessment", dt.date)
    if end < start:
        raise FrameworkError(assessment.lines["end"], "assessment.end", "ต้องไม่ก่อนวันเริ่ม")
    pass_mark = c.need(document, "pass_mark", "", dict)
    c.need(pass_mark, "value", "pass_mark", float)
    c.marks(pass_mark, "pass_mark")
    tools = c.need(document, "tools", "", dict)
    total_weight = 0.0
    for tool in TOOLS:
        spec = c.need(tools, tool, "tools", dict)
        c.need(spec, "name", f"tools.{tool}", str)
        total_weight += c.need(spec, "weight", f"tools.{tool}", float)
        c.marks(spec, f"tools.{tool}")
    if abs(total_weight - 100) > 1e-6:
        raise FrameworkError(
            tools.line, "tools.*.weight", f"น้ำหนักรวมต้องเป็น 100 (ได้ {total_weight:g})"
        )
    indicators = c.need(document, "indicators", "", list)
    numbers = []
    for index, indicator in enumerate(indicators):
        path = f"indicators[{index}]"
        numbers.append(c.need(indicator, "number", path, int))
        c.need(indicator, "name", path, str)
        c.need(indicator, "tool", path, str, set(TOOLS))
        c.marks(indicator, path)
    if sorted(numbers) != list(range(1, 11)):
        raise FrameworkError(document.lines["indicators"], "indicators", "ต้องมีตัวชี้วัดที่ 1–10 ครบ ไม่ซ้ำ")
    for key, names in (("oit_score", {"passed", "total"}), ("total_score", set(TOOLS))):
        block = c.need(document, key, "", dict)
        expression = c.need(block, "expression", key, str)
        try:
            safe_expression.check(expression, names)
        except safe_expression.ExpressionError as error:
            raise FrameworkError(
                block.lines["expression"], f"{key}.expression", str(error)
            ) from None
        c.marks(block, key)
    _check_ladder(c, document, "bands", "min")
    _check_ladder(c, document, "result_labels", "total_min")
    target = c.need(document, "national_target", "", dict)
    c.need(target, "share_of_agencies_percent", "national_target", float)
    c.need(target, "min_score", "national_target", float)
    c.marks(target, "national_target")
    _check_items(c, document, status)
    return _plain(document)


def _check_ladder(c: Checker, document: dict, key: str, threshold: str) -> None:
    steps = c.need(document, key, "", list)
    previous = None
    for index, step in enumerate(steps):
        path = f"{key}[{index}]"
        c.need(step, "label", path, str)
        value = c.need(step, threshold, path, float)
        if key == "result_labels":
            c.need(step, "each_tool_min", path, float, required=False)
            c.marks(step, path)
        if previous is not None and value > previous:
            raise FrameworkError(step.lines[threshold], f"{path}.{threshold}", "เรียงจากสูงไปต่ำ")
        previous = value
    if not steps or previous != 0:
        raise FrameworkError(document.lines[key], key, "ขั้นสุดท้ายต้องเริ่มที่ 0")


def _check_items(c: Checker, document: dict, status: str) -> None:
    items = c.need(document, "items", "", list)
    if not items:
        raise FrameworkError(document.lines["items"], "items", "ต้องมีอย่างน้อยหนึ่งข้อ")
    for index, item in enumerate(items):
        path = f"items[{index}]"
        code = c.need(item, "code", path, str)
        if code != f"O{index + 1}":
            raise FrameworkError(
                item.lines["code"], f"{path}.code", f"ต้องเป็น O{index + 1} (เรียงต่อกัน)"
            )
        c.need(item, "title", path, str)
        indicator = c.need(item, "indicator", path, int)
        if indicator not in (9, 10):
            raise FrameworkError(
                item.lines["indicator"], f"{path}.indicator", "ข้อ OIT อยู่ในตัวชี้วัด 9 หรือ 10"
            )
        c.need(item, "description", path, str)
        c.need(item, "data_year", path, str, DATA_YEARS)
        c.marks(item, path)
        c.need(item, "note", path, str, required=False)
        c.need(item, "faq", path, str, required=False)  # a hand-written FAQ entry it absorbs
        if status == "provisional" and item["confirmed"]:
            raise FrameworkError(
                item.lines["confirmed"],
                f"{path}.confirmed",
                "ไฟล์ฉบับชั่วคราว (provisional) ต้องเป็น false ทุกข้อ",
            )


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read(path: str | Path) -> dict:
    """Parse and validate a framework file, or raise FrameworkError."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        document = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise FrameworkError(
            mark.line + 1 if mark else None, "(YAML)", str(error.problem)
        ) from None
    return validate(document)
