"""Reports from Python: the KPI report as typed records, the same figures as rows and as a
pandas DataFrame, CSV in Excel's Spanish form, an SVG chart, the supervisor's dashboard,
the security register as PDF; typed errors name the field."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest

import foliodesk
from conftest import MONDAY, incident

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


def test_bad_report_input_names_the_field(desk: foliodesk.Desk) -> None:
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.report("sue", {**WEEK, "every": "week", "from": "2026-03-03"})
    assert e.value.field == "window.from"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.dashboard("sue", time_zone="Mars/Olympus")
    assert e.value.field == "time_zone"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.report_chart("sue", WEEK, chart="pie")
    assert e.value.field == "chart"
    with pytest.raises(foliodesk.PermissionDenied):
        desk.dashboard("bob")
