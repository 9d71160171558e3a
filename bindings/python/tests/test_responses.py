"""Canned responses and macros from Python: rendered for the ticket, applied in one go."""

import pytest

import foliodesk
from conftest import MONDAY, SLA, incident, seed

CONFIG = {
    **SLA,
    "responses": [{"id": "ask-logs", "title": "Pedir registros",
                   "body": "Hola {{ requester }}, ¿nos envía el registro de {{ ticket.folio }}?"}],
    "macros": [{"id": "ask-for-logs", "title": "Esperando registros", "response": "ask-logs",
                "tags": ["waiting-logs"], "status": "pending"}],
}


def test_a_macro_answers_tags_and_waits_in_one_append():
    desk = foliodesk.Desk.open("memory://", CONFIG, now=MONDAY)
    seed(desk)
    t = incident(desk)
    t = desk.assign("bob", t.id, assignee="bob")
    [r] = desk.responses("bob", t.id)
    assert r.body == f"Hola Ana, ¿nos envía el registro de {t.folio}?"
    assert [m.id for m in desk.macros("bob")] == ["ask-for-logs"]
    after = desk.apply_macro("bob", t.id, "ask-for-logs")
    assert (after.status, after.tags, after.version) == ("pending", ["waiting-logs"], t.version + 3)
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.apply_macro("bob", t.id, "nope")
    assert e.value.field == "macro_id"
