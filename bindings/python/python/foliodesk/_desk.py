"""`Desk`: every facade operation as a snake_case method, synchronous, thread-safe; the
GIL is released while Rust works."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any, Iterable, Mapping, Optional, Union, overload

from . import _types as t
from ._convert import encode, instant, parse_instant, typed
from ._foliodesk import NativeDesk

Json = Mapping[str, Any]

SYSTEM = "system"
"""The actor id of the desk itself: the host provisioning the directory or configuring."""


def _record(value: Any) -> dict:
    if isinstance(value, t.Record):
        return value.to_dict()
    return encode(dict(value))


class Desk:
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
        config: Union[Json, str, "os.PathLike[str]", None] = None,
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

    def _call(self, op: str, **args: Any) -> Any:
        clean = {k: v for k, v in args.items() if v is not None}
        return json.loads(self._native.call(op, json.dumps(clean)))

    # ---- clock and configuration -------------------------------------------------------

    def now(self) -> datetime:
        """The desk's current instant."""
        return parse_instant(self._call("now"))

    def set_now(self, now: datetime) -> None:
        """Moves the clock of a desk opened with `now=`."""
        self._native.set_now(instant("now", now))

    def config(self) -> dict:
        """The configuration in force, as a dict."""
        return self._call("config")

    # ---- directory ---------------------------------------------------------------------

    def put_user(self, actor: str, user: Union[Json, t.User]) -> None:
        """Creates or replaces a user, as `actor`: an admin, or `foliodesk.SYSTEM` (the host
        acting as the desk itself, e.g. provisioning from its identity provider)."""
        self._call("put_user", actor=actor, user=_record(user))

    def user(self, id: str) -> t.User:
        return t.User(self._call("user", id=id))

    def users(self) -> list:
        return typed(t.User, self._call("users"))

    def put_organisation(self, actor: str, organisation: Union[Json, t.Organisation]) -> None:
        """Creates or replaces an organisation, as an admin or `foliodesk.SYSTEM`."""
        self._call("put_organisation", actor=actor, organisation=_record(organisation))

    def organisation(self, id: str) -> t.Organisation:
        return t.Organisation(self._call("organisation", id=id))

    def organisations(self) -> list:
        return typed(t.Organisation, self._call("organisations"))

    def put_team(self, actor: str, team: Union[Json, t.Team]) -> None:
        """Creates or replaces a team (`serves`: the organisations whose tickets its members
        see; all by default), as an admin or `foliodesk.SYSTEM`."""
        self._call("put_team", actor=actor, team=_record(team))

    def team(self, id: str) -> t.Team:
        return t.Team(self._call("team", id=id))

    def teams(self) -> list:
        return typed(t.Team, self._call("teams"))

    # ---- tickets -----------------------------------------------------------------------

    def open_ticket(self, actor: str, ticket: Optional[Json] = None, **fields: Any) -> t.Ticket:
        """Registers a ticket (fields of `NewTicket`: kind, channel, requester, title,
        description, category, impact, urgency, users_affected, services, …)."""
        new = dict(ticket or {}, **fields)
        return t.Ticket(self._call("open_ticket", actor=actor, ticket=encode(new)))

    def execute(self, actor: str, id: str, command: Json) -> t.Ticket:
        """Runs any command in its JSON form (`{"comment": {"body": …}}`)."""
        return t.Ticket(self._call("execute", actor=actor, id=id, command=encode(dict(command))))

    def ticket(self, actor: str, id: str) -> t.Ticket:
        return t.Ticket(self._call("ticket", actor=actor, id=id))

    def ticket_by_folio(self, actor: str, folio: str) -> t.Ticket:
        return t.Ticket(self._call("ticket_by_folio", actor=actor, folio=folio))

    def query(
        self,
        actor: str,
        filter: Optional[Json] = None,
        *,
        after: Optional[str] = None,
        limit: int = 50,
        newest_first: bool = False,
        **conditions: Any,
    ) -> t.Page:
        """A page of the tickets `actor` may see that match `filter` (or keyword
        conditions: status=[…], team=…, assignee=…, requester=…, organisation=…,
        min_priority=…, category=…, opened_from=datetime, …)."""
        f = encode(dict(filter or {}, **conditions))
        page = {"after": after, "limit": limit, "newest_first": newest_first}
        return t.Page(self._call("query", actor=actor, filter=f, page=page))

    def history(self, actor: str, id: str) -> list:
        return typed(t.EventEnvelope, self._call("history", actor=actor, id=id))

    def verify(self, id: str) -> t.Verification:
        return t.Verification(self._call("verify", id=id))

    # ---- time-driven work and SLA ---------------------------------------------------------

    def tick(self) -> t.TickReport:
        return t.TickReport(self._call("tick"))

    def tick_at(self, at: datetime) -> t.TickReport:
        return t.TickReport(self._call("tick_at", at=instant("at", at)))

    def sla(self, actor: str, id: str) -> Optional[t.SlaView]:
        return typed(t.SlaView, self._call("sla", actor=actor, id=id))

    def sla_at(self, actor: str, id: str, at: datetime) -> Optional[t.SlaView]:
        return typed(t.SlaView, self._call("sla_at", actor=actor, id=id, at=instant("at", at)))

    def simulate_sla(
        self, actor: str, id: str, until: datetime, candidate: Optional[Json] = None
    ) -> list:
        """The escalations that would fire until `until`; with `candidate` (an `sla`
        section as a dict), under that section instead of the one in force. Stores nothing."""
        crossings = self._call(
            "simulate_sla",
            actor=actor,
            id=id,
            until=instant("until", until),
            candidate=_record(candidate) if candidate is not None else None,
        )
        return typed(t.Crossing, crossings)

    # ---- configuration and audit -------------------------------------------------------

    def reconfigure(self, actor: str, config: Json, dry_run: bool = False) -> t.Reconfiguration:
        """Reviews (`dry_run=True`) or applies a new configuration (a dict of the TOML
        structure). Admins only. The review lists what changes for every open ticket."""
        result = self._call("reconfigure", actor=actor, config=_record(config), dry_run=dry_run)
        return t.Reconfiguration(result)

    def checkpoint(self) -> t.Checkpoint:
        """Anchors every ticket's head; the checkpoint's `hash` is the desk's anchor."""
        return t.Checkpoint(self._call("checkpoint"))

    def verify_desk(self) -> t.DeskVerification:
        """Checks the whole desk against its checkpoints; names every problem found."""
        return t.DeskVerification(self._call("verify_desk"))

    def outbox(self, limit: int = 100) -> list:
        return typed(t.OutboxMessage, self._call("outbox", limit=limit))

    def ack_outbox(self, ids: Iterable[int]) -> None:
        self._call("ack_outbox", ids=list(ids))

    # ---- the process ---------------------------------------------------------------------

    def comment(self, actor: str, id: str, body: str, visibility: str = "public") -> t.Ticket:
        return self._ticket("comment", actor, id, body=body, visibility=visibility)

    def assign(
        self, actor: str, id: str, team: Optional[str] = None, assignee: Optional[str] = None
    ) -> t.Ticket:
        return self._ticket("assign", actor, id, team=team, assignee=assignee)

    def reclassify(
        self, actor: str, id: str, kind: Optional[str] = None, category: Optional[str] = None
    ) -> t.Ticket:
        return self._ticket("reclassify", actor, id, kind=kind, category=category)

    def change_priority(
        self,
        actor: str,
        id: str,
        *,
        impact: Optional[int] = None,
        urgency: Optional[int] = None,
        users_affected: Optional[int] = None,
        manual: Optional[int] = None,
        clear_manual: bool = False,
        reason: Optional[str] = None,
    ) -> t.Ticket:
        change = {
            "impact": impact,
            "urgency": urgency,
            "users_affected": users_affected,
            "manual": manual,
            "clear_manual": clear_manual,
            "reason": reason,
        }
        return self._ticket("change_priority", actor, id, change=encode(change))

    def set_pending(self, actor: str, id: str, reason: str) -> t.Ticket:
        return self._ticket("set_pending", actor, id, reason=reason)

    def set_waiting(self, actor: str, id: str, waiting_on: str, reason: str) -> t.Ticket:
        """Waits on `requester`, `third_party` or `change_window`."""
        return self._ticket("set_waiting", actor, id, waiting_on=waiting_on, reason=reason)

    def resume(self, actor: str, id: str) -> t.Ticket:
        return self._ticket("resume", actor, id)

    def escalate(
        self, actor: str, id: str, kind: str, reason: str, team: Optional[str] = None
    ) -> t.Ticket:
        """`kind` is `functional` (next level's team) or `hierarchical` (supervisor)."""
        return self._ticket("escalate", actor, id, kind=kind, team=team, reason=reason)

    def propose_solution(self, actor: str, id: str, solution: str) -> t.Ticket:
        return self._ticket("propose_solution", actor, id, solution=solution)

    def confirm_solution(self, actor: str, id: str) -> t.Ticket:
        return self._ticket("confirm_solution", actor, id)

    def reject_solution(self, actor: str, id: str, reason: str) -> t.Ticket:
        return self._ticket("reject_solution", actor, id, reason=reason)

    def rate(self, actor: str, id: str, score: int, comment: Optional[str] = None) -> t.Ticket:
        return self._ticket("rate", actor, id, score=score, comment=comment)

    @overload
    def close(self) -> None: ...

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
        return self._ticket("close", actor, id, note=note)

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc: object) -> None:
        self._native.close()

    def cancel(self, actor: str, id: str, reason: str, note: str) -> t.Ticket:
        """`reason`: not_entitled, duplicate, spam or withdrawn."""
        return self._ticket("cancel", actor, id, reason=reason, note=note)

    def reopen(self, actor: str, id: str, reason: str) -> t.Ticket:
        return self._ticket("reopen", actor, id, reason=reason)

    def add_watcher(self, actor: str, id: str, user: str) -> t.Ticket:
        return self._ticket("add_watcher", actor, id, user=user)

    def update_security(self, actor: str, id: str, record: Json) -> t.Ticket:
        """Adds to the ISO 27001 record (severity, discovered_at, discovered_by, …)."""
        return self._ticket("update_security", actor, id, record=encode(dict(record), "record"))

    def _ticket(self, op: str, actor: str, id: str, **args: Any) -> t.Ticket:
        return t.Ticket(self._call(op, actor=actor, id=id, **args))
