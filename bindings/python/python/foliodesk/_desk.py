"""`Desk`: every facade operation as a snake_case method (generated in `_operations.py`),
synchronous, thread-safe; the GIL is released while Rust works."""

from __future__ import annotations

import json
import os
from datetime import datetime
import re
from itertools import islice
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union, overload

from . import _types as t
from ._convert import decode, encode, instant, invalid
from ._foliodesk import NativeDesk, ValidationError
from ._operations import Operations

SYSTEM = "system"
"""The actor id of the desk itself: the host provisioning the directory or configuring."""


class PermanentDeliveryError(Exception):
    """Raised by a `Desk.deliver` callback when retrying cannot help (the address was
    rejected): the message's notifications become dead letters at once."""


class Desk(Operations):
    """A help desk over one storage backend.

    >>> desk = Desk.open("memory://")
    >>> desk.put_user(SYSTEM, {"id": "ana", "name": "Ana", "role": "requester"})
    >>> ticket = desk.open_ticket("ana", kind="incident", channel="email", requester="ana", title="VPN down")
    >>> ticket.status
    'new'
    """

    __slots__ = ("_native",)

    def __init__(self, native: NativeDesk):
        self._native = native

    @classmethod
    def open(
        cls,
        url: str,
        config: Union[Mapping[str, Any], str, "os.PathLike[str]", None] = None,
        *,
        now: Optional[datetime] = None,
    ) -> "Desk":
        """Opens the desk at `url`: `sqlite://desk.db`, `postgres://…`, `mysql://…`,
        `mariadb://…`, `redb://desk.redb` or `memory://`.

        `config` replaces the stored configuration: a dict (the TOML structure) or the path
        of a TOML file. `now` stops the desk's clock at that instant (tests, replays); move it
        with `set_now`.
        """
        config_json = config_path = None
        if isinstance(config, Mapping):
            config_json = json.dumps(encode(dict(config)))
        elif config is not None:
            config_path = os.fspath(config)
        fixed = instant("now", now) if now is not None else None
        return cls(NativeDesk.open(url, config_json, config_path, fixed))

    def _call(self, op: str, args: Dict[str, Any], result: Any) -> Any:
        clean = {k: encode(v, k) for k, v in args.items() if v is not None}
        return decode(result, json.loads(self._native.call(op, json.dumps(clean))))

    def _spread(
        self, args: Dict[str, Any], fields: Dict[str, Any], owners: Dict[str, List[str]]
    ) -> Dict[str, Any]:
        """Moves each keyword argument into the record argument that has such a field."""
        out = dict(args)
        for key, value in fields.items():
            owner = next((arg for arg, names in owners.items() if key in names), None)
            if owner is None:
                accepted = sorted(n for names in owners.values() for n in names)
                raise invalid(key, f"not a field of {', '.join(owners)}: {', '.join(accepted)}")
            record = out.get(owner)
            merged = encode(record) if record is not None else {}
            # Encoded here so a bad value is named as the caller wrote it.
            merged[key] = encode(value, key)
            out[owner] = merged
        return out

    def deliver(
        self, send: Callable[[t.OutgoingMessage], object], tickets: int = 50
    ) -> t.DeliveryReport:
        """One delivery pass with `send` as the transport: claims the ready notifications
        of up to `tickets` tickets, calls `send(message)` for each message, then settles.
        Returning means sent; raising `PermanentDeliveryError` dead-letters the message's
        notifications; any other exception retries them after a backoff. Call it again, or
        on a timer, until the report is all zeros.

        >>> sent = []
        >>> desk.deliver(sent.append).sent == len(sent)  # doctest: +SKIP
        True
        """
        batch = self.claim_messages(tickets)
        outcomes: List[Dict[str, Any]] = []
        for message in batch.messages:
            outcome: Dict[str, Any] = {"rows": message.rows, "attempts": message.attempts}
            try:
                send(message)
            except PermanentDeliveryError as e:
                outcome.update(error=str(e) or "PermanentDeliveryError", permanent=True)
            except Exception as e:  # noqa: BLE001 - any failure of the host's transport
                outcome.update(error=f"{type(e).__name__}: {e}", permanent=False)
            outcomes.append(outcome)
        settled = self.settle_messages(outcomes)
        claimed = batch.report
        total = {
            k: getattr(claimed, k) + getattr(settled, k)
            for k in ("sent", "failed", "acknowledged", "retried", "dead", "unaddressed")
        }
        report: t.DeliveryReport = decode("DeliveryReport", total)
        return report

    def import_all(
        self,
        actor: str,
        tickets: Iterable[Union[t.ImportTicket, Mapping[str, Any]]],
        *,
        batch: int = 1000,
        progress: Optional[Callable[[int], object]] = None,
    ) -> t.ImportReport:
        """Imports `tickets` from another help desk, read lazily from any iterable, `batch`
        per transaction (see `import_tickets`). After each commit, `progress(n)` gets the
        number of tickets just committed, so a tqdm bar's `update` fits:

        >>> with tqdm(total=len(rows)) as bar:  # doctest: +SKIP
        ...     desk.import_all(SYSTEM, rows, progress=bar.update)

        A refused ticket raises `ValidationError` naming it from the start of `tickets`
        (`tickets[1203].history[0].at`); the batches before it stay committed, and running
        the same import again skips them and goes on.
        """
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise invalid("batch", "must be a whole number of at least 1")
        rows = iter(tickets)
        offset, imported, skipped = 0, 0, 0
        outcomes: List[Any] = []
        while True:
            chunk = list(islice(rows, batch))
            if not chunk:
                break
            try:
                done = self.import_tickets(actor, chunk)
            except ValidationError as e:
                raise _shifted(e, offset) from None
            offset += len(chunk)
            imported += done.imported
            skipped += done.skipped
            outcomes.extend(done.to_dict()["tickets"])
            if progress is not None:
                progress(len(chunk))
        report: t.ImportReport = decode(
            "ImportReport", {"imported": imported, "skipped": skipped, "tickets": outcomes}
        )
        return report

    def set_now(self, now: datetime) -> None:
        """Moves the clock of a desk opened with `now=`."""
        self._native.set_now(instant("now", now))

    @overload
    def close(self, actor: None = None, id: None = None, note: None = None) -> None: ...

    @overload
    def close(self, actor: str, id: str, note: Optional[str] = None) -> t.Ticket: ...

    def close(
        self, actor: Optional[str] = None, id: Optional[str] = None, note: Optional[str] = None
    ) -> Optional[t.Ticket]:
        """`close()` closes the desk: its files and connections are released (the same file
        opens again at once) and later calls raise `ValidationError` (field `desk`).
        `close(actor, id, note)` is the owner's review closing ticket `id`."""
        if actor is None and id is None:
            self._native.close()
            return None
        if actor is None or id is None:
            raise TypeError("close() closes the desk; close(actor, id) closes a ticket")
        return super().close(actor, id, note)

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc: object) -> None:
        self._native.close()


def _shifted(e: ValidationError, offset: int) -> ValidationError:
    """`e` with the batch-relative `tickets[i]` in its field counted from the import's
    start."""
    field = getattr(e, "field", None) or ""
    m = re.match(r"tickets\[(\d+)\]", field)
    if not m or offset == 0:
        return e
    shifted = f"tickets[{int(m.group(1)) + offset}]" + field[m.end():]
    reason = str(e).split(": ", 1)[-1]
    return invalid(shifted, reason)
