"""Shared fixtures: an app on a fresh database, the LINE stand-in, and a network guard."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from bot.app import create_app
from bot.dev.eventfactory import body_of, sign
from models.base import normalise_database_url
from tests import netguard


def pytest_configure(config):
    netguard.install()


POSTGRES_URL = os.environ.get("DATABASE_URL", "")
USING_POSTGRES = POSTGRES_URL.startswith(("postgres://", "postgresql"))


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path) -> str:
    if USING_POSTGRES:
        url = normalise_database_url(POSTGRES_URL)
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def fake_line():
    from bot.dev.fake_line import start_fake_line

    server = start_fake_line(access_token="test-token")
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def faq_vector_file(tmp_path_factory):
    """One vector cache for the session, outside the repository's instance folder."""
    return tmp_path_factory.mktemp("faq") / "faq-vectors.npz"


@pytest.fixture
def app(database_url, fake_line, tmp_path, faq_vector_file):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "LINE_CHANNEL_SECRET": "test-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "test-token",
            "SECRET_KEY": "test-key",
            "LINE_API_BASE_URL": fake_line.base_url,
            "LOCAL_LINE": False,
            "LINE_TIMEOUT_SECONDS": 2.0,
            "FAQ_VECTOR_CACHE": str(faq_vector_file),
        }
    )
    app.extensions["db"].upgrade()
    with app.app_context():
        yield app
    app.extensions["db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def post_events(client, app):
    """POST events as LINE would: one signed body; returns the response."""

    def post(*events, secret: str | None = None):
        body = body_of(*events)
        signature = sign(secret or app.config["LINE_CHANNEL_SECRET"], body)
        return client.post(
            "/callback",
            data=body.encode("utf-8"),
            headers={"X-Line-Signature": signature, "Content-Type": "application/json"},
        )

    return post


@pytest.fixture
def worker(app):
    from bot.worker import Worker

    return Worker(app)


@pytest.fixture
def db(app):
    return app.extensions["db"]


@pytest.fixture
def handle(app, db):
    """Run one event through the router without HTTP: returns (addressed, reply)."""
    from handlers.events import Event
    from handlers.router import Context
    from models.base import utcnow
    from models.queues import SentMessage

    def run(event: dict):
        with db.session() as session:
            ctx = Context(
                session=session,
                event=Event(event),
                now=utcnow(),
                config=app.config,
                router=app.extensions["router"],
                is_bot_message=lambda mid: session.get(SentMessage, mid) is not None,
            )
            return app.extensions["router"].dispatch(ctx)

    return run


@pytest.fixture
def demo_chat(runner, post_events, worker, fake_line):
    """The demo province, with Uadmin01 an admin of L004 (อบต.บางระจัน). send(text, group_id,
    user_id) posts one signed text event (or `event`), runs the worker once, and returns
    (to, message) for each message the bot sent for it (`to` is None for a reply)."""
    from bot.dev.chat import chat_ids
    from bot.dev.demo import GROUPS
    from bot.dev.eventfactory import text_event

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["agencies", "bind-user", "Uadmin01", "L004"]).exit_code == 0
    local = chat_ids(GROUPS["local"], "")[0]

    def send(text=None, group_id=local, user_id="Uadmin01", event=None):
        before = len(fake_line.state.sent)
        post_events(event or text_event(text, group_id=group_id, user_id=user_id))
        worker.run_once()
        return [(r["to"], m) for r in fake_line.state.sent[before:] for m in r["messages"]]

    return send
