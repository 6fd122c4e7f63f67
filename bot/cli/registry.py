"""Operator commands for who is who: a province's agencies, its coordinators, its groups."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from bot.cli.options import existing_province
from bot.db import get_db
from models.base import utcnow
from models.registry import Agency, ChatSetup, Group, Province, RoleGrant, group_setup, roles
from models.registry.agency_import import import_agencies, province_named, read_rows

agencies_cli = click.Group("agencies", help="A province's agencies.")


@agencies_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--province", required=True, help="ชื่อจังหวัด")
def agencies_import(path: str, province: str):
    """Import CSV/XLSX with columns code,name,type,district,website (extra columns kept)."""
    try:
        rows = read_rows(path)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with get_db().session() as session:
        report = import_agencies(session, rows, province_named(session, province, create=True))
    for problem in report.errors:
        click.echo(problem, err=True)
    click.echo(
        f"เพิ่ม {report.created} · ปรับปรุง {report.updated} · เหมือนเดิม {report.unchanged}"
        f" · ข้าม {len(report.errors)} แถว",
        err=True,
    )


def _agency(session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise click.ClickException(f"ไม่พบหน่วยงานรหัส {code}")
    return agency


@agencies_cli.command("bind-user")
@click.argument("user_id")
@click.argument("code")
def agencies_bind(user_id: str, code: str):
    """Make a LINE user an admin of an agency (no confirmation needed)."""
    with get_db().session() as session:
        agency = _agency(session, code)
        roles.grant(
            session,
            roles.person(session, user_id),
            roles.AGENCY_ADMIN,
            session.get(Province, agency.province_id),
            agency,
        )
    click.echo(f"{user_id} เป็นแอดมินของ {code}", err=True)


@agencies_cli.command("unbind-user")
@click.argument("user_id")
@click.argument("code")
def agencies_unbind(user_id: str, code: str):
    """Remove a LINE user's admin role for an agency."""
    with get_db().session() as session:
        count = roles.revoke(
            session,
            roles.person(session, user_id),
            roles.AGENCY_ADMIN,
            agency_id=_agency(session, code).id,
        )
    click.echo(f"ยกเลิก {count} สิทธิ์", err=True)


roles_cli = click.Group("roles", help="Coordinators of a province.")


@roles_cli.command("grant")
@click.argument("user_id")
@click.argument("role", type=click.Choice([roles.COORDINATOR]))
@click.option("--province", required=True)
def roles_grant(user_id: str, role: str, province: str):
    """Make a LINE user a coordinator of a province."""
    with get_db().session() as session:
        coordinator = roles.person(session, user_id)
        roles.grant(session, coordinator, role, existing_province(session, province))
    click.echo(f"{user_id} เป็นผู้ประสานงานจังหวัด{province}", err=True)


@roles_cli.command("revoke")
@click.argument("user_id")
@click.argument("role", type=click.Choice([roles.COORDINATOR]))
@click.option("--province", required=True)
def roles_revoke(user_id: str, role: str, province: str):
    """End a LINE user's coordinator role in a province."""
    with get_db().session() as session:
        count = roles.revoke(
            session,
            roles.person(session, user_id),
            role,
            province_id=existing_province(session, province).id,
        )
    click.echo(f"ยกเลิก {count} สิทธิ์", err=True)


groups_cli = click.Group("groups", help="What each LINE group is for, when chat cannot settle it.")


@groups_cli.command("list")
@click.option("--province", default=None, help="Only the groups of this province.")
def groups_list(province: str | None):
    """Every group the bot knows: id, kind, province, members."""
    with get_db().session() as session:
        chosen = existing_province(session, province) if province else None
        rows = group_setup.listed(session, chosen)
    for line_group_id, name, kind, province_name, members, active in rows:
        where = f"{kind} จังหวัด{province_name}" if kind else "ยังไม่ได้ตั้งค่า"
        state = "" if active else " (บอทออกจากกลุ่มแล้ว)"
        size = members if members is not None else "?"
        click.echo(f"{line_group_id}\t{where}\t{size} คน\t{name or ''}{state}")


@groups_cli.command("set")
@click.argument("group_id")
@click.option("--province", required=True)
@click.option("--kind", required=True, type=click.Choice(group_setup.KINDS))
def groups_set(group_id: str, province: str, kind: str):
    """Set what a group is for, whoever set it before (audited as the operator)."""
    with get_db().session() as session:
        chosen = existing_province(session, province)
        if session.scalar(select(Group.id).where(Group.line_group_id == group_id)) is None:
            raise click.ClickException(
                f"ไม่พบกลุ่ม {group_id} ที่บอทอยู่ ดูรหัสกลุ่มได้จาก flask --app wsgi groups list"
            )
        group_setup.set_up(session, group_id, kind, chosen, "cli", utcnow())
    click.echo(f"{group_id}: {kind} จังหวัด{chosen.name}", err=True)


def registry_stats(session) -> dict:
    """Top-level stats keys: agencies, people, groups."""
    by_kind = dict(session.execute(select(Agency.kind, func.count()).group_by(Agency.kind)).all())
    by_role = dict(
        session.execute(
            select(RoleGrant.role, func.count(RoleGrant.person_id.distinct()))
            .where(RoleGrant.status == "active")
            .group_by(RoleGrant.role)
        ).all()
    )
    pending = session.scalar(select(func.count()).where(RoleGrant.status == "pending"))
    groups = dict(
        session.execute(select(ChatSetup.kind, func.count()).group_by(ChatSetup.kind)).all()
    )
    unset = session.scalar(
        select(func.count())
        .select_from(Group)
        .where(Group.active.is_(True), Group.id.not_in(select(ChatSetup.group_id)))
    )
    return {
        "agencies": {"total": sum(by_kind.values()), "by_kind": by_kind},
        "people": {"by_role": by_role, "pending_registrations": pending},
        "groups": {"by_kind": groups, "not_set_up": unset},
    }


def init_app(app: Flask) -> None:
    for command in (agencies_cli, roles_cli, groups_cli):
        app.cli.add_command(command)
    app.extensions.setdefault("stats_collectors", []).append(registry_stats)
