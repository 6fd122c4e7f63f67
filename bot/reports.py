"""Monthly reports served by the web process behind a signed link that expires in 7 days."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import Blueprint, Flask, Response, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.db import get_db
from models.notices.candidates import BANGKOK
from models.oit.report import build_workbook, file_name, report_rows
from models.registry import Province

blueprint = Blueprint("reports", __name__)
VALID_SECONDS = 7 * 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _signer(app: Flask) -> URLSafeTimedSerializer:
    secret = (
        app.config.get("SECRET_KEY")
        or hmac.new(
            app.config["LINE_CHANNEL_SECRET"].encode(), b"ita-bot-reports", hashlib.sha256
        ).hexdigest()
    )
    return URLSafeTimedSerializer(secret, salt="monthly-report")


def report_url(app: Flask, province_id: int, month: str) -> str:
    token = _signer(app).dumps({"p": province_id, "m": month})
    return f"{app.config['PUBLIC_BASE_URL'].rstrip('/')}/reports/{token}"


@blueprint.get("/reports/<token>")
def download(token: str):
    try:
        data = _signer(current_app).loads(token, max_age=VALID_SECONDS)
    except SignatureExpired:
        return Response(
            "ลิงก์รายงานนี้หมดอายุแล้ว (ใช้ได้ 7 วัน) ผู้ดูแลระบบสร้างไฟล์ใหม่ได้ด้วยคำสั่ง flask report"
            " หรือรอรายงานของเดือนถัดไป",
            410,
        )
    except BadSignature:
        return Response("ลิงก์รายงานไม่ครบหรือไม่ถูกต้อง คัดลอกลิงก์จากข้อความในกลุ่มให้ครบทั้งบรรทัด", 404)
    with get_db().session() as session:
        province = session.get(Province, data["p"])
        if province is None:
            return Response("ไม่พบจังหวัดของรายงานนี้", 404)
        rows = report_rows(session, province, data["m"], dt.datetime.now(BANGKOK).date())
    body = build_workbook(rows)  # after the transaction: no lock is held while openpyxl works
    disposition = f'attachment; filename="{file_name(data["m"])}"'
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": disposition})


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
