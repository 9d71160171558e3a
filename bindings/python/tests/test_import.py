"""Importing another help desk's tickets from Python: batches with a progress callback
that fits tqdm, resumption without duplicates, and refusals named from the start."""

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import foliodesk
from conftest import MONDAY, SLA, seed


def old(reference: str, day: int, confirm_by: str = "ana") -> dict:
    opened = datetime(2025, 11, day, 9, 0, tzinfo=timezone.utc)
    return {
        "source": "osticket",
        "reference": reference,
        "opened_at": opened,
        "opened_by": "ana",
        "ticket": {"kind": "incident", "channel": "email", "requester": "ana", "title": f"Sin correo {reference}"},
        "history": [
            {"at": opened + timedelta(minutes=10), "actor": "bob",
             "command": {"command": "assign", "team": "service-desk", "assignee": "bob"}},
            {"at": opened + timedelta(hours=1), "actor": "bob",
             "command": {"command": "propose_solution", "solution": "Buzón ampliado"}},
            {"at": opened + timedelta(hours=2), "actor": confirm_by, "command": {"command": "confirm_solution"}},
        ],
    }


def test_import_keeps_history_and_notifies_nobody(tmp_path):
    desk = foliodesk.Desk.open(f"sqlite://{tmp_path / 'desk.db'}", SLA, now=MONDAY)
    seed(desk)
    report = desk.import_tickets(foliodesk.SYSTEM, [old("77", 3), old("78", 4)])
    assert (report.imported, report.skipped) == (2, 0)
    assert [t.folio for t in report.tickets] == ["INC-2025-000001", "INC-2025-000002"]
    ticket = desk.ticket("bob", report.tickets[0].id)
    assert ticket.imported.source == "osticket" and ticket.imported.reference == "77"
    assert ticket.milestones.opened_at == datetime(2025, 11, 3, 9, 0, tzinfo=timezone.utc)
    history = desk.history("bob", ticket.id)
    assert [e.event.type for e in history[-2:]] == ["solution_confirmed", "imported"]
    assert (history[-2].actor, history[-1].actor) == ("ana", foliodesk.SYSTEM)
    assert history[-1].at == MONDAY, "imported now, by whoever imported it"
    assert desk.verify(ticket.id).first_broken is None
    assert desk.outbox(50) == []


def test_import_all_reports_progress_and_resumes(desk):
    rows = [old(str(n), 1 + n) for n in range(5)]
    rows[3] = old("3", 4, confirm_by="nobody")
    ticks = []
    with pytest.raises(foliodesk.ValidationError) as refused:
        desk.import_all(foliodesk.SYSTEM, iter(rows), batch=2, progress=ticks.append)
    assert refused.value.field == "tickets[3].history[2].actor"
    assert ticks == [2], "the first batch is committed"

    rows[3] = old("3", 4)
    ticks = []
    report = desk.import_all(foliodesk.SYSTEM, (r for r in rows), batch=2, progress=ticks.append)
    assert ticks == [2, 2, 1]  # what tqdm's `update` takes
    assert (report.imported, report.skipped) == (3, 2)
    assert [t.reference for t in report.tickets] == ["0", "1", "2", "3", "4"]
    assert report.tickets[0].folio is None and report.tickets[2].folio == "INC-2025-000003"


def test_import_refusals_are_typed(desk):
    with pytest.raises(foliodesk.PermissionDenied):
        desk.import_tickets("ana", [old("1", 3)])
    late = old("2", 3)
    late["history"][1]["at"] = datetime(2025, 11, 3, 8, 0, tzinfo=timezone.utc)
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.import_tickets(foliodesk.SYSTEM, [late])
    assert e.value.field == "tickets[0].history[1].at"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.import_all(foliodesk.SYSTEM, [old("3", 3)], batch=0)
    assert e.value.field == "batch"
    assert desk.query(foliodesk.SYSTEM).items == []


EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "import_csv.py"


def test_the_csv_example_imports_a_sheet_and_resumes(tmp_path):
    sheet = tmp_path / "export.csv"
    sheet.write_text(
        "Ticket,Opened,Who,Subject,Body,Area,Tech,Fix,Fixed,Closed\n"
        "A-1,03/11/2025 09:12,ana,Printer,Jammed,Hardware/Impresoras,bob,Roller,03/11/2025 11:40,04/11/2025 08:05\n"
        "A-2,03/11/2025 10:03,leo,VPN,Expired,Red/VPN,bob,Renewed,03/11/2025 12:30,\n",
        encoding="utf-8-sig",
    )
    mapping = ["reference=Ticket", "opened_at=Opened", "requester=Who", "title=Subject",
               "description=Body", "category=Area", "technician=Tech", "solution=Fix",
               "solved_at=Fixed", "closed_at=Closed"]
    args = [sys.executable, str(EXAMPLE), str(sheet), "--desk", f"sqlite://{tmp_path}/desk.db",
            "--source", "legacy"] + [a for m in mapping for a in ("--map", m)]
    first = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "2 imported, 0 already there" in first.stdout
    assert "A-1 -> INC-2025-000001" in first.stdout
    again = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert "0 imported, 2 already there" in again.stdout, again.stderr

    desk = foliodesk.Desk.open(f"sqlite://{tmp_path}/desk.db")
    closed = desk.ticket_by_folio("bob", "INC-2025-000001")
    assert closed.status == "closed" or closed.milestones.confirmed_at is not None
    assert closed.imported.reference == "A-1"
    assert closed.milestones.opened_at == datetime(2025, 11, 3, 8, 12, tzinfo=timezone.utc)  # Madrid
    demo = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=60)
    assert "4 imported" in demo.stdout, demo.stderr
