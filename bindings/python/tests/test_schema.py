"""Conversion follows the schema: user-chosen keys come back as they went in, instants are
aware datetimes and durations timedeltas wherever they sit, results are typed classes."""

from datetime import datetime, timedelta, timezone

import pytest

import foliodesk
from foliodesk import SYSTEM, Desk

MONDAY = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
TARGETS = {"first_response": "2h", "resolution": "8h"}
CONFIG = {
    "priority": {"tier_bonus": {"gold_plus": 1}},
    "sla": {
        "holiday_sets": {"es_national": ["01-01", "12-25"], "madrid_city": ["05-15"]},
        "calendars": {
            "madrid_office": {
                "timezone": "Europe/Madrid",
                "holiday_sets": ["es_national", "madrid_city"],
                "hours": {"mon": [["09:00", "14:00"]]},
            }
        },
        "policies": [
            {
                "id": "gold_customers",
                "calendar": "madrid_office",
                "default": True,
                "when": {"tiers": ["gold_plus"], "organisations": ["acme_iberia"]},
                "targets": {"p3": TARGETS, "p4": TARGETS},
            }
        ],
        "escalation": [{"target": "resolution", "at_percent": 100, "actions": ["notify_team"]}],
    },
}


def test_user_chosen_keys_round_trip_through_config():
    with Desk.open("memory://", CONFIG) as d:
        c = d.config()
        assert sorted(c["sla"]["holiday_sets"]) == ["es_national", "madrid_city"]
        assert list(c["sla"]["calendars"]) == ["madrid_office"]
        assert c["priority"]["tier_bonus"] == {"gold_plus": 1}
        assert c["sla"]["policies"][0]["when"]["organisations"] == ["acme_iberia"]
        assert d.reconfigure(SYSTEM, c, dry_run=True).changes == []


def test_results_are_typed_by_the_schema():
    with Desk.open("memory://", CONFIG, now=MONDAY) as d:
        d.put_organisation(SYSTEM, {"id": "acme_iberia", "name": "ACME", "tier": "gold_plus"})
        d.put_user(SYSTEM, {"id": "ana", "name": "Ana", "role": "requester", "organisation": "acme_iberia"})
        t = d.open_ticket("ana", channel="email", requester="ana", title="VPN down", users_affected=3)
        assert isinstance(t, foliodesk.Ticket)
        assert t.users_affected == 3
        assert t.milestones.opened_at == MONDAY
        view = d.sla("ana", t.id)
        assert view is not None
        first = next(x for x in view.targets if x.target == "first_response")
        assert first.budget == timedelta(hours=2)
        assert first.due is not None and first.due.tzinfo is not None
        [opened] = d.history("ana", t.id)
        assert opened.event.type == "opened" and opened.at == MONDAY
        report = d.tick_at(MONDAY + timedelta(days=30))
        for ticket_id, crossing in report.sla_alerts:
            assert ticket_id == t.id and isinstance(crossing.at, datetime)
        assert report.sla_alerts, "the breach fires on the gold policy"


def test_keyword_fields_are_checked():
    with Desk.open("memory://") as d:
        with pytest.raises(foliodesk.ValidationError) as e:
            d.query(SYSTEM, statuss=["open"])
        assert e.value.field == "statuss"
        assert d.query(SYSTEM, status=["open"], limit=5).items == []
