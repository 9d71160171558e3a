"""Rules that act without a person, from Python: an abandoned pending ticket is cancelled by
`tick`, a good rating closes, each action attributed to its rule; bad rules name the key."""

from datetime import timedelta

import pytest

import foliodesk
from conftest import MONDAY, seed

CONFIG = {
    "sla": {"calendars": {"office": {
        "timezone": "UTC",
        "hours": {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]},
    }}},
    "teams": [{"id": "service-desk", "name": "Service desk", "level": "n1"}],
    "rules": [
        {"id": "close-abandoned", "after": {"since": "pending", "duration": "16h", "calendar": "office"},
         "when": {"status": ["pending"]},
         "then": [{"action": "cancel", "reason": "withdrawn", "note": "No answer"}]},
        {"id": "close-rated-well", "on": ["rated"], "when": {"min_score": 4, "status": ["confirmed"]},
         "then": [{"action": "close", "note": "Closed after a good rating"}]},
    ],
}


@pytest.fixture
def desk() -> foliodesk.Desk:
    d = foliodesk.Desk.open("memory://", CONFIG, now=MONDAY)
    seed(d)
    return d


def opened(desk: foliodesk.Desk, title: str) -> foliodesk.Ticket:
    t = desk.open_ticket("ana", kind="incident", channel="email", requester="ana", title=title)
    return desk.assign("bob", t.id, assignee="bob")


def test_time_and_event_rules_act_for_the_desk(desk: foliodesk.Desk) -> None:
    t = desk.set_pending("bob", opened(desk, "Printer offline").id, "Which model?")
    assert desk.tick_at(MONDAY + timedelta(days=1)).rules_fired == []
    # Two 8-hour days from Monday 09:00 end Tuesday 17:00.
    report = desk.tick_at(MONDAY + timedelta(days=1, hours=8, minutes=1))
    assert report.rules_fired == [(t.id, "close-abandoned")]
    assert desk.ticket("sue", t.id).status == "cancelled"
    last = desk.history("sue", t.id)[-1]
    assert last.actor == "rule:close-abandoned" and last.event.type == "cancelled"

    t = opened(desk, "Mailbox full")
    desk.propose_solution("bob", t.id, "Archived old mail")
    desk.confirm_solution("ana", t.id)
    assert desk.rate("ana", t.id, 5).status == "closed"


def test_bad_rules_name_the_key() -> None:
    with pytest.raises(foliodesk.ValidationError) as e:
        foliodesk.Desk.open("memory://", {"rules": [{"id": "r", "on": ["rattled"],
                                                     "then": [{"action": "remind_requester"}]}]})
    assert e.value.field == "rules[0].on[0]"
