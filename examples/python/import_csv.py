"""Moving to Foliodesk from a spreadsheet (or any help desk that exports CSV): each row
becomes a ticket with its history — opened, taken by the technician, solved, confirmed —
at the times the sheet gives. Running it again skips what is already imported, so an
interrupted import is resumed by running the same command.

    python examples/python/import_csv.py [CSV] [--desk URL] [--source NAME]
        [--map field=Column ...] [--tz Europe/Madrid] [--team service-desk]

Without a CSV it imports a small demo sheet into a desk in memory. The default mapping
reads a Spanish export (`Nº`, `Fecha apertura`, `Solicitante`, `Asunto`…); `--map` names
other columns. People the desk does not know are added: requesters as requesters,
technicians as agents of `--team`. A progress bar is shown when tqdm is installed.
"""

import argparse
import csv
import io
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional
from zoneinfo import ZoneInfo

import foliodesk

CONFIG = Path(__file__).resolve().parents[1] / "foliodesk.toml"

MAPPING = {
    "reference": "Nº",
    "opened_at": "Fecha apertura",
    "requester": "Solicitante",
    "title": "Asunto",
    "description": "Descripción",
    "category": "Categoría",
    "technician": "Técnico",
    "solution": "Solución",
    "solved_at": "Fecha solución",
    "closed_at": "Fecha cierre",
}

DEMO = """Nº;Fecha apertura;Solicitante;Asunto;Descripción;Categoría;Técnico;Solución;Fecha solución;Fecha cierre
1041;03/11/2025 09:12;ana;No imprime la planta 2;Atasco continuo;Hardware/Impresoras;bob;Rodillo cambiado;03/11/2025 11:40;04/11/2025 08:05
1042;03/11/2025 10:03;leo;VPN no conecta;Certificado caducado;Red/VPN;eva;Certificado renovado;03/11/2025 12:30;
1043;04/11/2025 16:47;ana;Correo lento;Tarda minutos en llegar;Software/Correo;bob;;;
1044;05/11/2025 08:30;leo;Alta de usuario;Nueva incorporación;;;;;
"""


def when(text: str, tz: ZoneInfo) -> Optional[datetime]:
    text = (text or "").strip()
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=tz) if text else None


def rows_to_tickets(rows: Iterator[Dict[str, str]], source: str, tz: ZoneInfo, cols: Dict[str, str]) -> Iterator[Dict[str, Any]]:
    def get(row: Dict[str, str], field: str) -> str:
        return (row.get(cols[field]) or "").strip()

    for row in rows:
        opened = when(get(row, "opened_at"), tz)
        requester, technician = get(row, "requester"), get(row, "technician")
        ticket = {"kind": "incident", "channel": "email", "requester": requester,
                  "title": get(row, "title"), "description": get(row, "description")}
        if get(row, "category"):
            ticket["category"] = get(row, "category")
        history: List[Dict[str, Any]] = []
        if technician and opened:
            history.append({"at": opened + timedelta(minutes=1), "actor": technician,
                            "command": {"command": "assign", "assignee": technician}})
        solved = when(get(row, "solved_at"), tz)
        if technician and solved and get(row, "solution"):
            history.append({"at": solved, "actor": technician,
                            "command": {"command": "propose_solution", "solution": get(row, "solution")}})
            closed = when(get(row, "closed_at"), tz)
            if closed:
                history.append({"at": closed, "actor": requester, "command": {"command": "confirm_solution"}})
        yield {"source": source, "reference": get(row, "reference"), "opened_at": opened,
               "opened_by": requester, "ticket": ticket, "history": history}


def provision(desk: foliodesk.Desk, tickets: List[Dict[str, Any]], team: str) -> None:
    known = {u.id for u in desk.users()}
    for t in tickets:
        people = [(t["opened_by"], "requester")] + [(s["actor"], "agent") for s in t["history"] if s["command"]["command"] != "confirm_solution"]
        for who, role in people:
            if who and who not in known:
                user: Dict[str, Any] = {"id": who, "name": who.title(), "role": role}
                if role == "agent":
                    user.update(level="n1", teams=[team])
                desk.put_user(foliodesk.SYSTEM, user)
                known.add(who)


class Printer:
    """Progress on stderr when tqdm is not installed."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def update(self, n: int) -> None:
        self.done += n
        print(f"  {self.done}/{self.total} tickets committed", file=sys.stderr)

    def close(self) -> None:
        pass


def progress_bar(total: int) -> Any:
    try:
        from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return Printer(total)
    return tqdm(total=total, unit="ticket")


def main(argv: Optional[List[str]] = None) -> foliodesk.ImportReport:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("csv", nargs="?")
    p.add_argument("--desk", default="memory://")
    p.add_argument("--source", default="sheet")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    p.add_argument("--tz", default="Europe/Madrid")
    p.add_argument("--team", default="service-desk")
    p.add_argument("--batch", type=int, default=1000)
    args = p.parse_args(argv)
    cols = dict(MAPPING)
    for m in args.map:
        field, _, column = m.partition("=")
        if field not in cols or not column:
            p.error(f"--map {m!r}: expected FIELD=COLUMN with FIELD one of {', '.join(cols)}")
        cols[field] = column
    text = Path(args.csv).read_text(encoding="utf-8-sig") if args.csv else DEMO
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    tickets = list(rows_to_tickets(csv.DictReader(io.StringIO(text), dialect=dialect), args.source, ZoneInfo(args.tz), cols))

    desk = foliodesk.Desk.open(args.desk, CONFIG)
    provision(desk, tickets, args.team)
    bar = progress_bar(len(tickets))
    try:
        report = desk.import_all(foliodesk.SYSTEM, tickets, batch=args.batch, progress=bar.update)
    finally:
        bar.close()
    print(f"{report.imported} imported, {report.skipped} already there")
    for t in report.tickets[:10]:
        print(f"  {args.source} {t.reference:>8} -> {t.folio or '(imported before)'}")
    return report


if __name__ == "__main__":
    main()
