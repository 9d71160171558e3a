"""Reconfiguration as a reviewed operation, candidate SLA simulation, and the desk anchor
through the Python binding."""

import copy
from datetime import timedelta

import pytest

import foliodesk

from conftest import MONDAY, SLA, incident


def stricter() -> dict:
    config = copy.deepcopy(SLA)
    config["sla"]["policies"][0]["targets"]["p3"]["first_response"] = "30m"
    return config


def test_reconfigure_reviews_then_applies(desk):
    desk.put_user(foliodesk.SYSTEM, {"id": "adm", "name": "Admin", "role": "admin"})
    t = incident(desk)
    desk.set_now(MONDAY + timedelta(hours=1))
    with pytest.raises(foliodesk.PermissionDenied):
        desk.reconfigure("sue", stricter(), dry_run=True)
    bad = stricter()
    bad["sla"]["at_risk_percent"] = 0
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.reconfigure("adm", bad)
    assert "at_risk_percent" in e.value.field

    review = desk.reconfigure("adm", stricter(), dry_run=True)
    assert review.applied is False and review.open_tickets == 1
    (change,) = review.changes
    assert change.ticket == t.id
    assert change.after["sla_due"] < change.before["sla_due"]
    states = {s["target"]: s["after"] for s in change.states}
    assert states["first_response"] == "breached"
    breached = {"sla_due_by": desk.now()}
    assert desk.query("sue", breached).items == []

    applied = desk.reconfigure("adm", stricter())
    assert applied.applied and applied.rescheduled == 1
    assert [x.id for x in desk.query("sue", breached).items] == [t.id]
    assert desk.config()["sla"]["policies"][0]["targets"]["p3"]["first_response"] in ("30m", 1800)


def test_simulate_sla_takes_a_candidate(desk):
    t = incident(desk)
    until = MONDAY + timedelta(days=10)
    live = desk.simulate_sla("sue", t.id, until)
    tighter = copy.deepcopy(SLA["sla"])
    tighter["policies"][0]["targets"]["p3"]["resolution"] = "1h"
    tried = desk.simulate_sla("sue", t.id, until, candidate=tighter)
    assert tried[0].at < live[0].at
    tighter["at_risk_percent"] = 0
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.simulate_sla("sue", t.id, until, candidate=tighter)
    assert e.value.field == "candidate.at_risk_percent"


def test_checkpoint_and_verify_desk(desk):
    t = incident(desk)
    desk.assign("bob", t.id, assignee="bob")
    cp = desk.checkpoint()
    assert (cp.seq, cp.tickets) == (1, 1)
    assert len(cp.hash) == 64
    report = desk.verify_desk()
    assert report.is_intact() and report.anchor == cp.hash and report.tickets == 1
    desk.comment("bob", t.id, "later")
    assert desk.checkpoint().seq == 2


def test_teams_scope_staff_and_admins_own_the_directory(desk):
    S = foliodesk.SYSTEM
    desk.put_organisation(S, {"id": "globex", "name": "Globex"})
    desk.put_team(S, {"id": "acme-desk", "name": "ACME desk", "level": "n1", "serves": ["acme"]})
    desk.put_user(S, {"id": "amy", "name": "Amy", "role": "agent", "teams": ["acme-desk"]})
    desk.put_user(S, {"id": "gus", "name": "Gus", "role": "requester", "organisation": "globex"})
    desk.put_user(S, {"id": "adm", "name": "Admin", "role": "admin"})
    mine = incident(desk)
    theirs = desk.open_ticket("gus", kind="incident", channel="portal", requester="gus", title="VPN")
    assert [t.id for t in desk.query("amy").items] == [mine.id]
    with pytest.raises(foliodesk.NotFound):
        desk.ticket("amy", theirs.id)
    with pytest.raises(foliodesk.NotFound):
        desk.comment("amy", theirs.id, "hello")
    assert {t.id for t in desk.query("adm").items} == {mine.id, theirs.id}
    with pytest.raises(foliodesk.PermissionDenied):
        desk.put_user("amy", {"id": "x", "name": "X", "role": "admin"})
    desk.put_user("adm", {"id": "x", "name": "X", "role": "agent"})


def test_requesters_never_see_staff_only_fields(desk):
    record = {"discovered_where": "SECRET where", "discovered_at": MONDAY, "severity": "high"}
    t = desk.open_ticket(
        "bob", kind="incident", channel="phone", requester="ana", title="Laptop stolen",
        possible_causes=["SECRET cause"], assigned_resources=["SECRET van"], security=record,
    )
    desk.comment("bob", t.id, "SECRET note", visibility="internal")
    seen = [desk.ticket("ana", t.id).to_dict(), [e.to_dict() for e in desk.history("ana", t.id)]]
    assert "SECRET" not in repr(seen)
    assert "SECRET" in repr([e.to_dict() for e in desk.history("sue", t.id)])


def test_a_security_incident_needs_its_record(desk):
    t = desk.open_ticket(
        "bob", kind="incident", channel="phone", requester="ana", title="Laptop stolen",
        security={"severity": "high"},
    )
    desk.assign("bob", t.id, assignee="bob")
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.propose_solution("bob", t.id, "Wiped remotely")
    assert e.value.field == "security.discovered_where"
    assert "security.report_written_at" in str(e.value)


def test_a_desk_closes_and_its_file_opens_again(tmp_path):
    url = f"redb://{tmp_path / 'desk.redb'}"
    with foliodesk.Desk.open(url, SLA, now=MONDAY) as desk:
        desk.put_user(foliodesk.SYSTEM, {"id": "ana", "name": "Ana", "role": "requester"})
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.users()
    assert e.value.field == "desk"
    again = foliodesk.Desk.open(url)
    assert [u.id for u in again.users()] == ["ana"]
    again.close()
    again.close()


def test_a_nested_bad_value_is_named_in_full(desk):
    naive = MONDAY.replace(tzinfo=None)
    with pytest.raises(foliodesk.ValidationError) as e:
        incident(desk, security={"discovered_at": naive})
    assert e.value.field == "security.discovered_at"
    t = incident(desk)
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.update_security("bob", t.id, {"follow_up_at": naive})
    assert e.value.field == "record.follow_up_at"
