"""Reports from Python: the KPI report as typed records, the same figures as rows and as a
pandas DataFrame, CSV in Excel's Spanish form, an SVG chart, the supervisor's dashboard,
the security register as PDF; typed errors name the field."""

import email
import email.policy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Tuple
from xml.etree import ElementTree

import pytest

import foliodesk
from conftest import MONDAY, incident
from test_notify import smtp_sink  # noqa: F401 (the fixture)

WEEK = {"from": "2026-03-02", "to": "2026-03-09", "time_zone": "Europe/Madrid", "every": "day"}


def week_of_work(desk: foliodesk.Desk) -> None:
    t = incident(desk)
    desk.assign("bob", t.id, assignee="bob")
    desk.set_now(MONDAY + timedelta(minutes=20))
    desk.comment("bob", t.id, "Mirando")
    desk.propose_solution("bob", t.id, "Reiniciado")
    incident(desk, "Correo lento")
    desk.set_now(MONDAY + timedelta(days=1))


def test_the_report_and_its_rows(desk: foliodesk.Desk) -> None:
    week_of_work(desk)
    r = desk.report("sue", WEEK)
    assert (r.current.volume, r.previous.volume) == (2, 0)
    assert r.current.by_channel == {"email": 2}
    assert r.current.first_response.calendar.median == 20 * 60
    assert [p.opened for p in r.series] == [2, 0, 0, 0, 0, 0, 0]
    assert r.backlog.total == 1 and r.backlog.validating == 1

    frame = desk.report_table("sue", WEEK).to_pandas()
    assert list(frame.columns) == ["section", "kpi", "key", "period", "value"]
    opened = frame[(frame.kpi == "opened") & (frame.period == "current")]
    assert float(opened.value.iloc[0]) == 2.0

    csv = desk.report_csv("sue", WEEK, options={"semicolon": True, "bom": False})
    assert csv.startswith("section;kpi;key;period;value\n")
    assert "volume;opened;*;current;2\n" in csv
    assert desk.report_csv("sue", WEEK).startswith("\ufeff")

    svg = desk.report_chart("sue", WEEK, chart="trend")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg") and "Tickets opened and resolved" in svg


def test_the_dashboard_and_the_register(desk: foliodesk.Desk) -> None:
    week_of_work(desk)
    d = desk.dashboard("sue", time_zone="Europe/Madrid")
    assert (d.in_hand, d.new_unassigned, d.validating) == (1, 1, 1)
    assert d.oldest is not None and d.per_level == {"n1": 1}
    pdf = desk.security_register_pdf("sue", {**WEEK, "every": "week"})
    assert pdf[:5] == b"%PDF-"
    register = desk.security_register("sue", {**WEEK, "every": "week"})
    assert "0 incidents, 0 still open." in register


def test_packing_finished_facts_changes_no_figure(desk: foliodesk.Desk) -> None:
    week_of_work(desk)
    t = incident(desk, "Duplicado")
    desk.cancel("bob", t.id, "duplicate", "ver VPN")
    before = desk.report_csv("sue", WEEK)
    assert desk.pack_report_facts(30) == 1
    assert desk.report_csv("sue", WEEK) == before
    assert desk.tick().packed_facts == 0


def test_bad_report_input_names_the_field(desk: foliodesk.Desk) -> None:
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.report("sue", {**WEEK, "to": "2026-03-02"})
    assert e.value.field == "window.to"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.dashboard("sue", time_zone="Mars/Olympus")
    assert e.value.field == "time_zone"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.report_chart("sue", WEEK, chart="pie")
    assert e.value.field == "chart"
    with pytest.raises(foliodesk.PermissionDenied):
        desk.dashboard("bob")


def test_the_monthly_report_example_mails_the_month(smtp_sink: Tuple[int, Path], tmp_path: Path) -> None:
    port, new = smtp_sink
    example = Path(__file__).resolve().parents[3] / "examples" / "python" / "monthly_report.py"
    done = subprocess.run(
        [sys.executable, str(example), "--smtp", f"127.0.0.1:{port}", "--to", "jefa@example.com",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=True,
    )
    assert "Tickets opened" in done.stdout, done.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "backlog_age.svg", "report.csv", "sla_by_priority.svg", "technicians.svg", "trend.svg"]
    (raw,) = [p.read_bytes() for p in new.iterdir()]
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert mail["Subject"] == "Foliodesk report 2026-03-01 to 2026-04-01"
    assert mail["To"] == "jefa@example.com"
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == ["report.csv", "trend.svg", "sla_by_priority.svg", "backlog_age.svg", "technicians.svg"]
    opened = [line for line in mail.get_body(preferencelist=("plain",)).get_content().splitlines()
              if line.startswith("Tickets opened")]
    assert opened and opened[0].split()[2] == "40", opened
