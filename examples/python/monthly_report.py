"""The month's KPI report, built and mailed: a scheduled report (run it from cron on the 1st).

    python examples/python/monthly_report.py [URL] [--month 2026-03] [--tz Europe/Madrid]
        [--smtp HOST:PORT --to ADDRESS ...] [--out DIR]

It builds the month's report for the whole desk, cut by week, with the previous month
beside it; writes the rows as CSV and the four charts as SVG into --out; prints the
headline figures (and, when pandas is installed, the technicians' table); and with --smtp
mails it all through the SMTP transport the notifications use.

Without a URL it builds a demo desk in memory (March 2026 on the example configuration),
so the script runs anywhere.
"""

import argparse
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Literal

import foliodesk

CONFIG = Path(__file__).resolve().parents[1] / "foliodesk.toml"
Chart = Literal["trend", "sla_by_priority", "backlog_age", "technicians"]
CHARTS: List[Chart] = ["trend", "sla_by_priority", "backlog_age", "technicians"]


def demo_desk() -> foliodesk.Desk:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # Monday 09:00 in Madrid
    desk = foliodesk.Desk.open("memory://", CONFIG, now=start)
    desk.put_organisation(foliodesk.SYSTEM, {"id": "acme", "name": "ACME Logística"})
    desk.put_user(foliodesk.SYSTEM, {"id": "ana", "name": "Ana", "role": "requester", "organisation": "acme"})
    desk.put_user(foliodesk.SYSTEM, {"id": "bob", "name": "Bob", "role": "agent", "level": "n1", "teams": ["service-desk"]})
    desk.put_user(foliodesk.SYSTEM, {"id": "eva", "name": "Eva", "role": "agent", "level": "n2", "teams": ["networks"]})
    for i in range(40):
        desk.set_now(start + timedelta(hours=13 * i))
        t = desk.open_ticket(
            "ana", kind="incident", channel="email" if i % 3 else "phone", requester="ana",
            title=f"Incidencia {i + 1}", category="Red/VPN" if i % 3 else "Software/Correo",
            impact=2 + i % 3, urgency=3,
        )
        who = "eva" if i % 3 else "bob"
        desk.assign(who, t.id, assignee=who)
        desk.comment(who, t.id, "Revisando")
        if i % 4:
            desk.propose_solution(who, t.id, "Resuelto")
            desk.confirm_solution("ana", t.id)
            desk.rate("ana", t.id, 3 + i % 3)
    desk.set_now(datetime(2026, 4, 1, 7, 0, tzinfo=timezone.utc))
    return desk


def previous_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


def window(month: str, tz: str) -> Dict[str, Any]:
    year, mon = (int(p) for p in month.split("-"))
    start = date(year, mon, 1)
    end = date(year + mon // 12, mon % 12 + 1, 1)
    return {"from": start.isoformat(), "to": end.isoformat(), "time_zone": tz, "every": "week"}


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?")
    parser.add_argument("--month", help="YYYY-MM (default: last month; March 2026 on the demo)")
    parser.add_argument("--tz", default="Europe/Madrid")
    parser.add_argument("--smtp", help="HOST:PORT of the SMTP relay (plain, no login)")
    parser.add_argument("--to", action="append", default=[])
    parser.add_argument("--out", help="where to write the CSV and the charts")
    args = parser.parse_args()

    desk = foliodesk.Desk.open(args.url) if args.url else demo_desk()
    month = args.month or ("2026-03" if not args.url else previous_month(date.today()))
    w = window(month, args.tz)
    actor = foliodesk.SYSTEM

    report = desk.report(actor, w)
    now, before = report.current, report.previous
    print(f"Report {w['from']} to {w['to']} ({w['time_zone']})")
    rows: List[tuple[str, str, str]] = [
        ("Tickets opened", str(now.volume), str(before.volume)),
        ("Resolved", str(now.resolved), str(before.resolved)),
        ("Resolution p90 (business)", hours(now.resolution.business.p90), hours(before.resolution.business.p90)),
        ("First contact resolution", f"{now.first_contact_resolution.percent:.1f} %", f"{before.first_contact_resolution.percent:.1f} %"),
        ("Satisfaction (1-5)", f"{now.satisfaction.mean:.2f}", f"{before.satisfaction.mean:.2f}"),
    ]
    for label, a, b in rows:
        print(f"  {label:<28} {a:>10} {b:>10}")
    for point in report.series:
        print(f"  week of {point.start}: {point.opened} opened, {point.resolved} resolved")

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="foliodesk-report-"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.csv").write_text(desk.report_csv(actor, w, options={"semicolon": True}), encoding="utf-8")
    for chart in CHARTS:
        (out / f"{chart}.svg").write_text(desk.report_chart(actor, w, chart=chart), encoding="utf-8")
    print(f"Wrote report.csv and {len(CHARTS)} charts to {out}")

    try:
        frame = desk.report_table(actor, w).to_pandas()
    except ImportError:
        frame = None
    if frame is not None:
        techs = frame[(frame.section == "technician") & (frame.period == "current")]
        print(techs.pivot(index="key", columns="kpi", values="value").to_string())

    if args.smtp:
        host, port = args.smtp.rsplit(":", 1)
        sent = desk.send_report(actor, w, to=args.to, smtp={"host": host, "port": int(port), "security": "none"})
        print(f"Mailed '{sent.subject}' to {', '.join(sent.to)} with {', '.join(sent.attachments)}")


if __name__ == "__main__":
    main()
