from datetime import datetime, timezone

import pytest

import foliodesk

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

SLA = {
    "sla": {
        "calendars": {
            "office": {
                "timezone": "UTC",
                "hours": {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]},
            }
        },
        "policies": [
            {
                "id": "standard",
                "calendar": "office",
                "default": True,
                "targets": {"p3": {"first_response": "2h", "resolution": "8h"}},
            }
        ],
        "escalation": [
            {"target": "resolution", "at_percent": 75, "actions": ["notify_assignee"]},
            {
                "target": "resolution",
                "at_percent": 100,
                "actions": ["functional", "notify_supervisor"],
                "repeat_every": "2h",
            },
        ],
    },
    "teams": [
        {"id": "service-desk", "name": "Service desk", "level": "n1", "supervisor": "sue"},
        {"id": "networks", "name": "Networks", "level": "n2"},
    ],
}


def seed(desk: foliodesk.Desk) -> None:
    desk.put_organisation(foliodesk.SYSTEM, {"id": "acme", "name": "ACME"})
    desk.put_user(foliodesk.SYSTEM, {"id": "ana", "name": "Ana", "role": "requester", "organisation": "acme"})
    desk.put_user(foliodesk.SYSTEM, {"id": "leo", "name": "Leo", "role": "requester", "organisation": "acme"})
    desk.put_user(foliodesk.SYSTEM, {"id": "bob", "name": "Bob", "role": "agent", "level": "n1", "teams": ["service-desk"]})
    desk.put_user(foliodesk.SYSTEM, {"id": "eva", "name": "Eva", "role": "agent", "level": "n2", "teams": ["networks"]})
    desk.put_user(foliodesk.SYSTEM, {"id": "sue", "name": "Sue", "role": "supervisor", "level": "n1", "teams": ["service-desk"]})


@pytest.fixture
def desk() -> foliodesk.Desk:
    d = foliodesk.Desk.open("memory://", SLA, now=MONDAY)
    seed(d)
    return d


def incident(desk: foliodesk.Desk, title: str = "VPN down", **kw) -> foliodesk.Ticket:
    return desk.open_ticket("ana", kind="incident", channel="email", requester="ana", title=title, **kw)
