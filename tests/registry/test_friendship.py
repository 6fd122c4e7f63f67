"""Who is a friend of the bot: LINE's one-to-one profile answer, except after an unfollow event;
and how many of a province's admins are friends (the สรุป line)."""

from __future__ import annotations

import datetime as dt

from models.registry import Person, membership, roles
from models.registry.chats import find_person
from models.registry.tables import Agency, Province

NOW = dt.datetime(2027, 1, 4, 3, 0)


def _person(session, user_id="Uperson1") -> Person:
    return roles.person(session, user_id)


def test_404_is_not_a_friend_even_after_a_follow_event(db):
    with db.session() as session:
        _person(session)
        membership.friendship_changed(session, "Uperson1", True, NOW)
        membership.friendship_checked(session, "Uperson1", False)
        person = find_person(session, "Uperson1")
        assert person.is_friend is False and person.friend_changed_at is None
        # they added the bot again and that follow event was lost: LINE's 200 is believed
        membership.friendship_checked(session, "Uperson1", True)
        assert person.is_friend is True


def test_200_makes_someone_never_seen_to_follow_a_friend(db):
    with db.session() as session:
        person = _person(session)
        membership.friendship_checked(session, "Uperson1", True)
        assert person.is_friend is True and person.friend_changed_at is None


def test_200_after_an_unfollow_event_is_still_not_a_friend(db):
    """LINE answers 200 for a user who blocked the bot, and delivers nothing to them."""
    with db.session() as session:
        person = _person(session)
        membership.friendship_changed(session, "Uperson1", False, NOW)
        membership.friendship_checked(session, "Uperson1", True)
        assert person.is_friend is False and person.friend_changed_at == NOW


def test_a_follow_after_the_unfollow_makes_a_friend_again(db):
    later = NOW + dt.timedelta(days=2)
    with db.session() as session:
        person = _person(session)
        membership.friendship_changed(session, "Uperson1", False, NOW)
        membership.friendship_changed(session, "Uperson1", True, later)
        membership.friendship_checked(session, "Uperson1", True)
        assert person.is_friend is True and person.friend_changed_at == later


def test_a_404_then_a_200_without_events_is_a_friend(db):
    with db.session() as session:
        person = _person(session)
        membership.friendship_checked(session, "Uperson1", False)
        assert person.is_friend is False
        membership.friendship_checked(session, "Uperson1", True)
        assert person.is_friend is True


def test_unknown_people_are_ignored(db):
    with db.session() as session:
        membership.friendship_checked(session, "Unobody", True)
        membership.friendship_checked(session, None, False)
        assert find_person(session, "Unobody") is None


def test_friend_counts_are_active_admins_of_the_province(db):
    with db.session() as session:
        here, there = Province(name="สิงห์บุรี"), Province(name="อ่างทอง")
        session.add_all([here, there])
        session.flush()
        agencies = [
            Agency(province_id=p.id, code=code, name=code, kind="sao")
            for p, code in ((here, "A1"), (here, "A2"), (there, "B1"))
        ]
        session.add_all(agencies)
        session.flush()
        a1, a2, b1 = agencies
        friend, stranger, waiting, elsewhere = (
            _person(session, u) for u in ("Ufriend", "Ustranger", "Uwaiting", "Uelsewhere")
        )
        friend.is_friend = waiting.is_friend = elsewhere.is_friend = True
        roles.grant(session, friend, roles.AGENCY_ADMIN, here, a1)
        roles.grant(session, friend, roles.AGENCY_ADMIN, here, a2)  # two agencies: one admin
        roles.grant(session, stranger, roles.AGENCY_ADMIN, here, a2)
        roles.grant(session, waiting, roles.AGENCY_ADMIN, here, a1, status="pending")
        roles.grant(session, elsewhere, roles.AGENCY_ADMIN, there, b1)
        roles.grant(session, elsewhere, roles.COORDINATOR, here)
        assert membership.friend_counts(session, here.id) == (1, 2)
        assert membership.friend_counts(session, there.id) == (1, 1)
        empty = Province(name="ว่าง")
        session.add(empty)
        session.flush()
        assert membership.friend_counts(session, empty.id) == (0, 0)


def test_an_odd_failure_of_the_friend_check_stops_nothing(db, worker, monkeypatch, caplog):
    def refuses(user_id):
        raise ValueError("the SDK refused an odd id")

    with db.session() as session:
        _person(session)
    monkeypatch.setattr(worker.sender.client, "is_friend", refuses)
    caplog.set_level("INFO", logger="bot.worker")
    worker.check_friendship("Uperson1")  # raised before: the other follow-ups were skipped
    with db.session() as session:
        assert find_person(session, "Uperson1").is_friend is False
    assert "ValueError" in caplog.text and "odd id" not in caplog.text
