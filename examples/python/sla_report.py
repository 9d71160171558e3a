"""What a reporting person writes: open the desk, list the breached tickets, print a KPI
table per team.

    python examples/python/sla_report.py [URL]

Without a URL it builds a small demo desk in memory (a week of tickets on the example
configuration) so the script runs anywhere.
"""

import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import DefaultDict, List, Tuple

import foliodesk

CONFIG = Path(__file__).resolve().parents[1] / "foliodesk.toml"


def demo_desk() -> foliodesk.Desk:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # Monday 09:00 in Madrid
    desk = foliodesk.Desk.open("memory://", CONFIG, now=start)
    desk.put_organisation(foliodesk.SYSTEM, {"id": "acme", "name": "ACME Logística"})
    desk.put_user(foliodesk.SYSTEM, {"id": "ana", "name": "Ana", "role": "requester", "organisation": "acme"})
    desk.put_user(foliodesk.SYSTEM, {"id": "bob", "name": "Bob", "role": "agent", "level": "n1", "teams": ["service-desk"]})
    desk.put_user(foliodesk.SYSTEM, {"id": "eva", "name": "Eva", "role": "agent", "level": "n2", "teams": ["networks"]})
    for i in range(12):
        desk.set_now(start + timedelta(hours=5 * i))
        t = desk.open_ticket(
            "ana", kind="incident", channel="email", requester="ana",
            title=f"Issue {i + 1}", category="Red/VPN" if i % 3 else "Software/Correo",
            impact=2 + i % 3, urgency=3,
        )
        who = "eva" if i % 3 else "bob"
        desk.assign(who, t.id, assignee=who)
        if i % 4 == 0:
            desk.comment(who, t.id, "Looking into it")
        if i % 2 == 0:
            desk.propose_solution(who, t.id, "Fixed")
    desk.set_now(start + timedelta(days=5))
    desk.tick()
    return desk


def main() -> None:
    desk = foliodesk.Desk.open(sys.argv[1]) if len(sys.argv) > 1 else demo_desk()
    me = "sue"
    desk.put_user(foliodesk.SYSTEM, {"id": me, "name": "Reporting", "role": "supervisor"})
    page = desk.query(me, limit=1000)
    tickets: List[foliodesk.Ticket] = []
    tickets += page.items
    while page.next:
        page = desk.query(me, after=page.next, limit=1000)
        tickets += page.items

    breached: List[Tuple[foliodesk.Ticket, foliodesk.TargetView]] = []
    kpi: DefaultDict[str, Counter[str]] = defaultdict(Counter)
    for t in tickets:
        view = desk.sla(me, t.id)
        team = t.team or "(none)"
        kpi[team]["tickets"] += 1
        if view is None:
            continue
        for target in view.targets:
            kpi[team][f"{target.target}:{target.state}"] += 1
            if target.state == "breached":
                breached.append((t, target))

    print(f"{len(breached)} breached targets")
    for t, target in breached:
        late = -target.remaining
        print(f"  {t.folio}  {t.title:<12} {target.target:<15} late by {late}")
    print()
    print(f"{'team':<14} {'tickets':>7} {'resolution met':>15} {'breached':>9} {'1st resp. met':>14}")
    for team, c in sorted(kpi.items()):
        res_done = c["resolution:met"] + c["resolution:breached"]
        met = f"{100 * c['resolution:met'] / res_done:.0f} %" if res_done else "–"
        print(f"{team:<14} {c['tickets']:>7} {met:>15} {c['resolution:breached']:>9} {c['first_response:met']:>14}")


if __name__ == "__main__":
    main()
