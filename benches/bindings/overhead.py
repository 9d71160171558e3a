"""Times the operations of benches/bindings.rs through the Python binding; prints
"<operation> <µs per call>". Run by that bench (`cargo bench --bench bindings`)."""

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

import foliodesk

MADRID = dict(
    timezone="Europe/Madrid",
    hours={d: [("09:00", "14:00"), ("15:00", "18:00")] for d in ["mon", "tue", "wed", "thu", "fri"]},
    holidays=["2026-03-19", "2026-04-02", "2026-04-03", "2026-05-01", "05-15", "08-15",
              "10-12", "11-01", "12-08", "12-25", "01-01", "01-06"],
)
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0


def per_call(f) -> float:  # type: ignore[no-untyped-def]
    for _ in range(100):
        f()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < SECONDS:
        f()
        n += 1
    return (time.perf_counter() - t0) / n * 1e6


def opener(url: str):  # type: ignore[no-untyped-def]
    desk = foliodesk.Desk.open(url)
    desk.put_user(foliodesk.SYSTEM, {"id": "ana", "name": "Ana", "role": "requester"})
    count = iter(range(10**9))
    description = "The VPN client says the certificate is invalid since this morning."

    def open_one() -> None:
        desk.open_ticket("ana", kind="incident", channel="email", requester="ana",
                         title=f"VPN down {next(count)}", description=description)

    return open_one


with tempfile.TemporaryDirectory() as tmp:
    print(f"open_ticket_memory {per_call(opener('memory://')):.1f}")
    print(f"open_ticket_sqlite {per_call(opener(f'sqlite://{tmp}/py.db')):.1f}")
cal = foliodesk.Calendar(**MADRID)  # type: ignore[arg-type]
start = datetime(2026, 3, 16, 9, 0, tzinfo=timezone.utc)
print(f"calendar_4h {per_call(lambda: cal.add_business_time(start, timedelta(hours=4))):.2f}")
