"""FAQ commands: load the knowledge base, and ask it exactly as the bot would."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask

from bot.cli.options import existing_province, today
from bot.db import get_db
from models.base import utcnow
from models.faq import corrections
from models.faq.answering import decide, province_with_calendar, store, use_vector_file
from models.faq.entries import local_entries, promote
from models.faq.files import FAQ_DIR, FaqError, read, read_dir, read_off_topic
from models.registry import roles

faq_cli = click.Group("faq", help="คลังคำถามที่พบบ่อย")


@faq_cli.command("load")
@click.argument("path", required=False, type=click.Path(exists=True))
def faq_load(path: str | None):
    """Validate and load data/faq/ (or one file or folder); a bad entry changes nothing."""
    target = Path(path) if path else FAQ_DIR
    try:
        entries = read_dir(target) if target.is_dir() else read(target)
        off_topic = read_off_topic() if path is None else None
    except FaqError as error:
        raise click.ClickException(str(error)) from None
    with get_db().session() as session:
        added, changed = store(session, entries, utcnow())
    click.echo(f"คำถามที่พบบ่อย {len(entries)} รายการ: เพิ่ม {added} ปรับปรุง {changed}")
    if off_topic is not None:
        click.echo(f"off_topic.txt ถูกต้อง: ข้อความนอกเรื่อง {len(off_topic)} บรรทัด ที่บอทจะไม่ตอบ")


@faq_cli.command("ask")
@click.argument("questions", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
@click.option("--province", help="ชื่อจังหวัด (วันที่ในคำตอบมาจากปฏิทินของจังหวัดนี้)")
def faq_ask(questions: tuple[str, ...], as_json: bool, province: str | None):
    """Ask as an addressed officer would; `-` reads one question per line from stdin."""
    if questions == ("-",):
        questions = tuple(line.strip() for line in sys.stdin if line.strip())
    with get_db().session() as session:
        if province:
            chosen = existing_province(session, province)
        else:
            chosen = province_with_calendar(session)
        for question in questions:
            decision = decide(session, question, chosen, today())
            if as_json:
                click.echo(json.dumps(decision.__dict__, ensure_ascii=False))
            else:
                click.echo(decision.answer if decision.answered else "(ไม่ตอบ: ไม่มั่นใจว่าตรงคำถามใด)")


@faq_cli.command("local")
@click.option("--province", help="ชื่อจังหวัด (ไม่ระบุ: ทุกจังหวัด)")
def faq_local(province: str | None):
    """Entries coordinators added by chat, each answering in its own province only."""
    with get_db().session() as session:
        chosen = existing_province(session, province) if province else None
        rows = local_entries(session, chosen)
    for key, name, question, answer in rows:
        click.echo(f"{key}\tจังหวัด{name}\t{question[:80]}\t{answer[:80]}")
    click.echo(f"คำถามเฉพาะจังหวัด {len(rows)} รายการ", err=True)


@faq_cli.command("promote")
@click.argument("key")
def faq_promote(key: str):
    """Make a province's entry answer in every province (audited as the operator)."""
    with get_db().session() as session:
        entry = promote(session, key, utcnow())
        if entry is None:
            raise click.ClickException(f"ไม่พบคำถาม {key} (ดูรายการได้จาก flask --app wsgi faq local)")
        roles.audit(session, "cli", "faq.promote", key=key)
    click.echo(f"{key}: ตอบได้ทุกจังหวัดแล้ว", err=True)


@faq_cli.command("corrections")
@click.option("--province", help="ชื่อจังหวัด (ไม่ระบุ: ทุกจังหวัด)")
def faq_corrections(province: str | None):
    """Wordings coordinators said the bot answered wrongly (ผิด) and officers' reports (ไม่ตรง)."""
    with get_db().session() as session:
        chosen = existing_province(session, province) if province else None
        rows = corrections.listing(session, chosen.id if chosen else None)
        for row in rows:
            scope = "ทั่วประเทศ" if row.province_id is None else f"จังหวัด#{row.province_id}"
            right = row.right_key or "(ไม่ตอบ)"
            click.echo(
                f"#{row.id}\t{row.status}\t{scope}\t{row.wrong_key} → {right}\t{row.question[:80]}"
            )
    click.echo(f"การแก้คำตอบ {len(rows)} รายการ", err=True)


@faq_cli.command("correction-national")
@click.argument("number", type=int)
def faq_correction_national(number: int):
    """Make a coordinator's correction apply in every province (audited as the operator)."""
    with get_db().session() as session:
        row = corrections.make_national(session, number)
        if row is None:
            raise click.ClickException(
                f"ไม่พบการแก้คำตอบ #{number} ที่ใช้อยู่ (ดูได้จาก flask --app wsgi faq corrections)"
            )
        roles.audit(session, "cli", "faq.correction_national", correction=number)
    click.echo(f"การแก้คำตอบ #{number}: ใช้ทุกจังหวัดแล้ว", err=True)


def load_faq() -> None:
    entries, _ = read_dir(), read_off_topic()  # both validated before anything is stored
    with get_db().session() as session:
        store(session, entries, utcnow())


def init_app(app: Flask) -> None:
    vector_file = app.config.get("FAQ_VECTOR_CACHE")
    use_vector_file(Path(vector_file) if vector_file else None)
    app.cli.add_command(faq_cli)
    app.extensions.setdefault("data_loaders", []).append(load_faq)
