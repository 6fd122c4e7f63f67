"""The claim loop and lease mixin the worker, the outbox sender and the link checker share."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import Database
from models.base import utcnow
from models.oit import LinkCheck
from models.queues import Heartbeat, InboxEvent, OutboxMessage
from models.queues.claims import ClaimLoop, owner_id
from models.queues.leases import DONE, PENDING, Leased
from models.queues.runtime import Pulse, run_until

LEASE = 30


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    database.upgrade()
    yield database
    database.engine.dispose()


def add_events(database, count: int) -> list[int]:
    with database.session() as session:
        rows = [
            InboxEvent(webhook_event_id=f"e{n}", event_type="message", kind="x", payload="{}")
            for n in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_a_row_that_raises_costs_that_row_and_never_the_rest_of_the_batch(database):
    ids = add_events(database, 3)
    done, failed = [], []

    def process(row_id):
        if row_id == ids[1]:
            raise ValueError("bad row")
        done.append(row_id)

    loop = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    claimed = loop.run_batch(utcnow(), 10, process, lambda row_id, e: failed.append((row_id, e)))
    assert claimed == 3 and done == [ids[0], ids[2]]
    assert [(row_id, type(error)) for row_id, error in failed] == [(ids[1], ValueError)]


def test_without_an_error_handler_an_error_ends_the_batch(database):
    ids = add_events(database, 2)
    seen = []

    def process(row_id):
        seen.append(row_id)
        raise ValueError("bad row")

    with pytest.raises(ValueError):
        ClaimLoop(database, InboxEvent, owner_id(), LEASE).run_batch(utcnow(), 10, process)
    assert seen == [ids[0]]


def test_a_leased_batch_is_not_claimed_again_until_its_lease_ends(database):
    add_events(database, 2)
    now = utcnow()
    first = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    second = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    assert first.run_batch(now, 10, lambda row_id: None) == 2  # claimed, left pending
    assert second.run_batch(now, 10, lambda row_id: None) == 0
    assert second.run_batch(now + timedelta(seconds=LEASE + 1), 10, lambda row_id: None) == 2


def test_hold_renews_the_lease_and_returns_none_once_it_passed_to_another_owner(database):
    [row_id] = add_events(database, 1)
    now, later = utcnow(), utcnow() + timedelta(seconds=LEASE + 1)
    slow = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    fast = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    slow.run_batch(now, 10, lambda row_id: None)
    fast.run_batch(later, 10, lambda row_id: None)
    with database.session() as session:
        assert slow.hold(session, row_id, later) is None
        row = fast.hold(session, row_id, later + timedelta(seconds=5))
        assert row.lease_until == later + timedelta(seconds=5 + LEASE)


def test_finish_ends_a_row_and_retry_at_gives_it_back_when_due(database):
    finished, retried = add_events(database, 2)
    now = utcnow()
    retry = now + timedelta(seconds=60)
    loop = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    loop.run_batch(now, 10, lambda row_id: None)
    with database.session() as session:
        loop.hold(session, finished, now).finish(DONE)
        loop.hold(session, retried, now).retry_at(retry)
    with database.session() as session:
        rows = {row.id: row for row in session.scalars(select(InboxEvent))}
    assert [rows[finished].status, rows[retried].status] == [DONE, PENDING]
    assert all(row.lease_owner is None and row.lease_until is None for row in rows.values())
    other = ClaimLoop(database, InboxEvent, owner_id(), LEASE)
    assert other.run_batch(now, 10, lambda row_id: None) == 0  # given back, but not yet due
    claimed = []
    other.run_batch(retry, 10, claimed.append)
    assert claimed == [retried]


def test_owner_ids_differ_between_loops_and_keep_their_prefix():
    owners = {owner_id("links:") for _ in range(20)}
    assert len(owners) == 20 and all(owner.startswith("links:") for owner in owners)


def test_pulse_writes_the_heartbeat_at_most_once_every_interval(database):
    pulse = Pulse(database, "worker", "first", every=60)
    pulse()
    pulse.owner = "second"
    pulse()  # within the interval: nothing written
    with database.session() as session:
        assert session.get(Heartbeat, "worker").owner == "first"
    pulse.last -= 61
    pulse()
    with database.session() as session:
        assert session.get(Heartbeat, "worker").owner == "second"


class Stop(threading.Event):
    """A stop signal that records how long the loop rested instead of resting."""

    def __init__(self):
        super().__init__()
        self.rests = []

    def wait(self, timeout=None):
        self.rests.append(timeout)
        return self.is_set()


def test_run_until_logs_an_error_rests_when_idle_and_stops_when_told(caplog):
    stop = Stop()
    steps, beats = iter([ValueError("database blinked"), 0, 1]), []

    def step():
        result = next(steps, None)
        if result is None:
            stop.set()
            return 1
        if isinstance(result, Exception):
            raise result
        return result

    with caplog.at_level(logging.ERROR):
        run_until(stop, step, "worker", 0.2, 2.0, pulse=lambda: beats.append(1))
    assert stop.rests == [2.0, 0.2]  # after the error, then when a step found nothing
    assert len(beats) == 4  # a beat before every step, the failing one included
    assert [r.getMessage() for r in caplog.records] == ["worker loop error"]


def test_a_loop_error_is_logged_under_the_process_that_ran_the_loop(caplog):
    stop = Stop()

    def step():
        stop.set()
        raise ValueError("database blinked")

    with caplog.at_level(logging.ERROR):
        run_until(stop, step, "worker", 0.2, 2.0, logger=logging.getLogger("bot.worker"))
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("bot.worker", "worker loop error")
    ]


@pytest.mark.parametrize(
    ("model", "width"), [(InboxEvent, 16), (OutboxMessage, 16), (LinkCheck, 10)]
)
def test_each_queue_table_has_the_lease_columns_and_its_claim_index(model, width):
    table = model.__table__
    assert issubclass(model, Leased)
    assert table.c.status.type.length == width and table.c.status.default.arg == PENDING
    assert table.c.lease_owner.nullable and table.c.lease_until.nullable
    assert not table.c.next_attempt_at.nullable
    [index] = [ix for ix in table.indexes if ix.name == f"ix_{table.name}_claim"]
    assert [column.name for column in index.columns] == ["status", "next_attempt_at"]
