"""The seed process end to end, permissions, errors, backends and threads through the
Python binding."""

import threading
from datetime import datetime, timedelta, timezone

import pytest

import foliodesk
from foliodesk import _foliodesk

from conftest import MONDAY, SLA, incident, seed


def test_the_seed_process_end_to_end(desk):
    t = incident(desk, description="Client says authentication failed", users_affected=3)
    assert t.folio == "INC-2026-000001"
    assert (t.status, t.kind, t.channel) == ("new", "incident", "email")
    assert t.milestones.opened_at == MONDAY
    t = desk.assign("bob", t.id, team="service-desk", assignee="bob")
    assert (t.status, t.assignee, t.level) == ("open", "bob", "n1")
    desk.comment("bob", t.id, "RADIUS certificate?", visibility="internal")
    t = desk.set_pending("bob", t.id, "Which client version?")
    assert t.status == "pending"
    t = desk.comment("ana", t.id, "Version 5.2")
    assert t.status == "open", "the requester's reply resumes it"
    t = desk.escalate("bob", t.id, "functional", "needs networks")
    assert (t.level, t.team) == ("n2", "networks")
    desk.assign("eva", t.id, assignee="eva")
    desk.propose_solution("eva", t.id, "Renewed the certificate")
    t = desk.reject_solution("ana", t.id, "Still failing")
    assert (t.status, t.reopen_count) == ("open", 1)
    desk.propose_solution("eva", t.id, "Deployed the new CA")
    t = desk.confirm_solution("ana", t.id)
    assert t.status == "confirmed"
    desk.rate("ana", t.id, 5, "Quick")
    t = desk.close("sue", t.id, "Root cause documented")
    assert t.status == "closed" and t.satisfaction.score == 5
    history = desk.history("sue", t.id)
    assert [e.sequence for e in history] == list(range(1, len(history) + 1))
    assert history[0].event.type == "opened" and history[-1].event.type == "closed"
    assert desk.verify(t.id).is_intact()
    assert desk.ticket_by_folio("sue", "INC-2026-000001").id == t.id
    page = desk.query("sue", status=["closed"])
    assert [x.id for x in page.items] == [t.id] and page.next is None


def test_a_requester_never_sees_internal_notes(desk):
    t = incident(desk)
    desk.assign("bob", t.id, assignee="bob")
    desk.comment("bob", t.id, "customer is difficult", visibility="internal")
    desk.comment("bob", t.id, "We are on it")
    mine = desk.ticket("ana", t.id)
    assert [c.body for c in mine.comments] == ["We are on it"]
    assert all(c.visibility == "public" for c in mine.comments)
    theirs = desk.ticket("bob", t.id)
    assert len(theirs.comments) == 2
    assert all("difficult" not in str(e.to_dict()) for e in desk.history("ana", t.id))
    # Another requester of the same organisation sees nothing.
    with pytest.raises(foliodesk.NotFound):
        desk.ticket("leo", t.id)
    assert desk.query("leo").items == []


def test_every_exception_type(desk):
    t = incident(desk)
    with pytest.raises(foliodesk.NotFound) as e:
        desk.ticket("bob", "no-such-ticket")
    assert e.value.code == "NOT_FOUND"
    with pytest.raises(foliodesk.PermissionDenied) as e:
        desk.confirm_solution("bob", t.id)
    assert e.value.code == "PERMISSION_DENIED"
    with pytest.raises(foliodesk.InvalidTransition) as e:
        desk.confirm_solution("ana", t.id)
    assert e.value.code == "INVALID_TRANSITION"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.comment("bob", t.id, "   ")
    assert (e.value.code, e.value.field) == ("VALIDATION", "body")
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.escalate("bob", t.id, "sideways", "because")
    assert e.value.field == "kind"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.open_ticket("ana", kind="incident", channel="pigeon", requester="ana", title="x")
    assert e.value.field == "ticket.channel"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.sla_at("bob", t.id, datetime(2026, 3, 2, 12, 0))
    assert e.value.field == "at" and "naive" in str(e.value)
    with pytest.raises(foliodesk.StorageError) as e:
        foliodesk.Desk.open("postgres://nobody@127.0.0.1:1/none")
    assert e.value.code == "STORAGE"
    for cls in [foliodesk.NotFound, foliodesk.PermissionDenied, foliodesk.InvalidTransition,
                foliodesk.ValidationError, foliodesk.Conflict, foliodesk.StorageError]:
        assert issubclass(cls, foliodesk.FoliodeskError)
    assert issubclass(foliodesk.FoliodeskError, Exception)


def test_results_are_typed_records(desk):
    t = incident(desk, category=None)
    assert isinstance(t, foliodesk.Ticket)
    d = t.to_dict()
    assert d["folio"] == t.folio and isinstance(d["milestones"]["opened_at"], str)
    d["title"] = "changed"
    assert t.title == "VPN down", "to_dict is a copy"
    with pytest.raises(AttributeError):
        t.title = "x"
    with pytest.raises(AttributeError):
        t.no_such_field
    assert desk.ticket("bob", t.id) == t
    users = desk.users()
    assert {u.id for u in users} >= {"ana", "bob"} and all(isinstance(u, foliodesk.User) for u in users)


def test_sla_views_and_tick(desk):
    t = incident(desk)
    desk.assign("bob", t.id, team="service-desk", assignee="bob")
    view = desk.sla_at("bob", t.id, MONDAY + timedelta(hours=4))
    assert (view.policy, view.calendar) == ("standard", "office")
    res = view.target("resolution")
    assert res.elapsed == timedelta(hours=4) and res.remaining == timedelta(hours=4)
    assert res.state == "running" and res.due == MONDAY + timedelta(hours=8)
    assert desk.tick_at(MONDAY + timedelta(hours=5, minutes=59)).sla_alerts == []
    report = desk.tick_at(MONDAY + timedelta(hours=6))
    [(ticket, crossing)] = report.sla_alerts
    assert ticket == t.id and (crossing.percent, crossing.repeat) == (75, 0)
    assert desk.tick_at(MONDAY + timedelta(hours=6)).sla_alerts == [], "idempotent"
    # The breached queue: first response was due at 11:00.
    assert desk.ticket("bob", t.id).sla_due == MONDAY + timedelta(hours=2)
    assert [x.id for x in desk.query("sue", sla_due_by=MONDAY + timedelta(hours=6)).items] == [t.id]
    assert desk.query("sue", sla_due_by=MONDAY + timedelta(hours=1)).items == []
    plan = desk.simulate_sla("sue", t.id, MONDAY + timedelta(days=1, hours=4))
    assert [(c.percent, c.repeat) for c in plan] == [(100, 0), (100, 1), (100, 2)]
    assert plan[0].at == MONDAY + timedelta(hours=8)
    with pytest.raises(foliodesk.PermissionDenied):
        desk.simulate_sla("ana", t.id, MONDAY)
    desk.set_waiting("bob", t.id, "third_party", "vendor case 42")
    assert desk.ticket("bob", t.id).status == "pending"
    notes = [m for m in desk.outbox() if m.notification.event == "sla_alert"]
    assert [m.notification.users for m in notes] == [["bob"]]
    desk.ack_outbox([m.id for m in notes])
    assert all(m.notification.event != "sla_alert" for m in desk.outbox())


def test_fixed_clock_moves_and_system_clock_refuses(desk):
    desk.set_now(MONDAY + timedelta(days=1))
    assert desk.now() == MONDAY + timedelta(days=1)
    live = foliodesk.Desk.open("memory://")
    with pytest.raises(foliodesk.ValidationError):
        live.set_now(MONDAY)


@pytest.mark.parametrize("scheme", ["sqlite", "redb"])
def test_file_backends(tmp_path, scheme):
    url = f"{scheme}://{tmp_path / ('desk.' + ('db' if scheme == 'sqlite' else 'redb'))}"
    d = foliodesk.Desk.open(url, SLA, now=MONDAY)
    seed(d)
    t = incident(d)
    del d
    again = foliodesk.Desk.open(url)
    assert again.ticket("bob", t.id).folio == t.folio


def test_threads_share_one_desk(desk):
    errors = []

    def work():
        try:
            for _ in range(10):
                t = incident(desk)
                desk.comment("bob", t.id, "seen")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    folios = sorted(t.folio for t in desk.query("sue", limit=1000).items)
    assert folios == [f"INC-2026-{n:06d}" for n in range(1, 41)]


def test_every_facade_operation_is_a_method():
    missing = [op for op in _foliodesk.operations() if not callable(getattr(foliodesk.Desk, op, None))]
    assert missing == [], f"the Python Desk lacks {missing}"


def test_the_workload_view_is_for_supervisors(desk):
    t = incident(desk)
    desk.assign("bob", t.id, team="service-desk", assignee="bob")
    [team] = desk.workload("sue", team="service-desk")
    loads = {a.agent: (a.open, a.weighted) for a in team.agents}
    assert loads == {"bob": (1, t.priority), "sue": (0, 0)}
    assert (team.total, team.unassigned) == (1, 0)
    with pytest.raises(foliodesk.PermissionDenied):
        desk.workload("bob")
