"""Monthly reports served by the web process behind a signed link that expires in 7 days."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, Response, current_app
from itsdangerous import BadSignature, SignatureExpired

from bot.db import get_db
from models.base import BANGKOK
from models.oit.report import (
    build_workbook,
    config_secret,
    file_name,
    read_report_token,
    report_rows,
    report_signer,
)
from models.registry import Province

blueprint = Blueprint("reports", __name__)
VALID_SECONDS = 7 * 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def secret_of(app: Flask) -> str:
    return config_secret(app.config)


def report_url(app: Flask, province_id: int, month: str) -> str:
    return report_signer(app.config)(province_id, month)


@blueprint.get("/reports/<token>")
def download(token: str):
    try:
        province_id, month = read_report_token(secret_of(current_app), token, VALID_SECONDS)
    except SignatureExpired:
        return Response(
            "ลิงก์รายงานนี้หมดอายุแล้ว (ใช้ได้ 7 วัน) ผู้ดูแลระบบสร้างไฟล์ใหม่ได้ด้วยคำสั่ง flask report"
            " หรือรอรายงานของเดือนถัดไป",
            410,
        )
    except BadSignature:
        return Response("ลิงก์รายงานไม่ครบหรือไม่ถูกต้อง คัดลอกลิงก์จากข้อความในกลุ่มให้ครบทั้งบรรทัด", 404)
    with get_db().session() as session:
        province = session.get(Province, province_id)
        if province is None:
            return Response("ไม่พบจังหวัดของรายงานนี้", 404)
        rows = report_rows(session, province, month, dt.datetime.now(BANGKOK).date())
    body = build_workbook(rows)  # after the transaction: no lock is held while openpyxl works
    disposition = f'attachment; filename="{file_name(month)}"'
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": disposition})


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
