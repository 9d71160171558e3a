"""Automatic assignment from Python: team strategies choose the technician, absences are
honoured, functional escalation follows the category's rule; typed errors name the field."""

from datetime import timedelta

import pytest

import foliodesk
from conftest import MONDAY, seed

CONFIG = {
    "categories": [
        {"path": "Hardware", "team": "service-desk", "escalate": {"n2": "networks"}},
    ],
    "teams": [
        {"id": "service-desk", "name": "Service desk", "level": "n1", "assignment": "round_robin"},
        {"id": "apps", "name": "Applications", "level": "n2"},
        {"id": "networks", "name": "Networks", "level": "n2", "assignment": "least_loaded"},
    ],
}


@pytest.fixture
def desk() -> foliodesk.Desk:
    d = foliodesk.Desk.open("memory://", CONFIG, now=MONDAY)
    seed(d)
    d.put_user(foliodesk.SYSTEM, {
        "id": "ray", "name": "Ray", "role": "agent", "level": "n1", "teams": ["service-desk"],
        "skills": ["Hardware"],
        "away": [{"from": MONDAY - timedelta(hours=1), "until": MONDAY + timedelta(days=1)}],
    })
    return d


def hardware(desk: foliodesk.Desk, title: str) -> foliodesk.Ticket:
    return desk.open_ticket("ana", kind="incident", channel="email", requester="ana",
                            title=title, category="Hardware")


def test_strategies_choose_the_technician(desk: foliodesk.Desk) -> None:
    ray = desk.user("ray")
    assert ray.skills == ["Hardware"] and ray.away[0].until == MONDAY + timedelta(days=1)
    assert desk.team("service-desk").assignment == "round_robin"
    # ray is away: the turn goes bob, sue, bob.
    chosen = [hardware(desk, f"Pantalla {n}") for n in range(3)]
    assert [t.assignee for t in chosen] == ["bob", "sue", "bob"]
    last = desk.history("sue", chosen[0].id)[-1].event
    assert last.type == "assigned" and last.data["strategy"] == "round_robin"

    up = desk.escalate("bob", chosen[0].id, "functional", reason="cableado")
    assert (up.team, up.assignee) == ("networks", "eva")


def test_bad_assignment_input_names_the_field(desk: foliodesk.Desk) -> None:
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.put_user(foliodesk.SYSTEM, {"id": "zoe", "name": "Zoe", "role": "agent",
                                         "calendar": "nowhere"})
    assert e.value.field == "user.calendar"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.put_user(foliodesk.SYSTEM, {"id": "zoe", "name": "Zoe", "role": "agent",
                                         "away": [{"from": MONDAY, "until": MONDAY}]})
    assert e.value.field == "user.away[0].until"
    with pytest.raises(foliodesk.ValidationError) as e:
        foliodesk.Desk.open("memory://", {"categories": [{"path": "Red", "escalate": {"n1": "x"}}]})
    assert e.value.field == "categories[0].escalate.n1"


def test_the_classifier_learns_from_solved_tickets() -> None:
    config = {"classifier": {"apply_above": 80, "min_examples": 4},
              "categories": [{"path": "Hardware", "team": "service-desk"}, {"path": "Red"}],
              "teams": [{"id": "service-desk", "name": "Service desk", "level": "n1"}]}
    desk = foliodesk.Desk.open("memory://", config, now=MONDAY)
    seed(desk)
    for n, (title, category) in enumerate([("La impresora no imprime", "Hardware"),
                                           ("Impresora atascada", "Hardware"),
                                           ("La VPN no conecta", "Red"),
                                           ("VPN muy lenta", "Red")] * 2):
        t = desk.open_ticket("ana", kind="incident", channel="email", requester="ana",
                             title=f"{title} {n}", category=category)
        desk.assign("bob", t.id, assignee="bob")
        desk.propose_solution("bob", t.id, "Hecho")
    s = desk.suggest_classification("bob", "Impresora sin papel")
    assert s.examples == 8 and s.category[0].label == "Hardware"
    assert 0.5 < s.category[0].confidence <= 1.0
    t = desk.open_ticket("ana", kind="incident", channel="email", requester="ana",
                         title="La impresora no imprime nada")
    assert t.category == "Hardware" and t.team == "service-desk"
    assert desk.train_classifier("sue") == 8
    with pytest.raises(foliodesk.PermissionDenied):
        desk.suggest_classification("ana", "x")
