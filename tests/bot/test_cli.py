"""Operator commands and /healthz."""

from __future__ import annotations

import json

from bot.app import create_app
from bot.dev.eventfactory import text_event


def test_init_db_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output


def test_stats_json_is_one_object_with_the_required_keys(runner, post_events, worker):
    post_events(text_event("ช่วยเหลือ", group_id="Cg"), text_event("คุยกัน", group_id="Cg"))
    worker.run_once()
    result = runner.invoke(args=["stats", "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["inbox"] == {"pending": 0, "done": 2, "ignored": 0, "failed": 0}
    assert figures["outbox"]["sent"] == 1
    assert figures["pushes_month"] == 0 and figures["messages_month"] == 0


def test_healthz_is_200_with_backlog_when_database_answers(client, post_events):
    post_events(text_event("ช่วยเหลือ", group_id="Cg"))
    body = client.get("/healthz").get_json()
    assert body["ok"] and body["backlog"]["inbox_pending"] == 1


def test_healthz_is_503_when_database_does_not_answer(tmp_path):
    a_directory = tmp_path / "is-a-directory"
    a_directory.mkdir()
    secret_file = str(tmp_path / "local-line-secret")  # not the repository's instance folder
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{a_directory}",
            "LOCAL_LINE_SECRET_FILE": secret_file,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"ok": False, "database": "unreachable"}


def test_chat_refuses_without_the_local_stand_in(runner):
    result = runner.invoke(args=["chat", "--user", "สมชาย"])
    assert result.exit_code != 0 and "local stand-in" in result.output
