"""The result objects. Each is a `Record`: attribute access to the fields of the
documented JSON form, instants as aware datetimes, durations as timedeltas, enums as their
documented strings, and `to_dict()`."""

from __future__ import annotations

from typing import Any

from ._convert import Record, decode


class _Typed(Record):
    # Fields holding other record types: name -> class (lists are mapped element-wise).
    _nested: dict = {}

    def __getattr__(self, name: str) -> Any:
        cls = type(self)._nested.get(name)
        if cls is None:
            return super().__getattr__(name)
        raw = self._data.get(name)
        if raw is None:
            return None
        if isinstance(raw, list):
            return [cls(v) for v in raw]
        return cls(raw)


class User(_Typed):
    """A person: `id`, `name`, `role` (requester, agent, supervisor, admin), `email`,
    `organisation`, `teams`, `level`, `tier`, `active`."""


class Team(_Typed):
    """A team: `id`, `name`, `level` (n1, n2, n3), `supervisor`."""


class Organisation(_Typed):
    """A customer organisation: `id`, `name`, `tier`, `services` (None = all)."""


class Comment(_Typed):
    """`number`, `author`, `at`, `body`, `visibility` (public, internal)."""


class Ticket(_Typed):
    """A ticket as the actor may see it: `id`, `folio`, `kind`, `channel`, `title`,
    `description`, `requester`, `organisation`, `category`, `priority`, `status`, `level`,
    `team`, `assignee`, `watchers`, `comments`, `solution`, `milestones`, `version`…"""

    _nested = {"comments": Comment}


class EventEnvelope(_Typed):
    """One event of a history: `sequence`, `at`, `actor`, `event` (`{"type", "data"}`),
    `prev_hash`, `hash`."""

    @property
    def type(self) -> str:
        """The event's type name (`opened`, `commented`, `sla_alert`…)."""
        return self._data["event"]["type"]


class Page(_Typed):
    """A page of tickets: `items`, and `next` (the cursor of the next page, or None)."""

    _nested = {"items": Ticket}


class LevelUsage(_Typed):
    """`level`, `used` (timedelta), `budget` (timedelta or None)."""


class TargetView(_Typed):
    """One SLA target: `target` (first_response, resolution, update), `budget`, `due`,
    `elapsed`, `remaining`, `state` (running, at_risk, paused, met, breached),
    `stopped_at`, `levels`."""

    _nested = {"levels": LevelUsage}


class SlaView(_Typed):
    """A ticket's SLA at an instant: `policy`, `calendar`, `at`, `targets`."""

    _nested = {"targets": TargetView}

    def target(self, name: str) -> TargetView | None:
        """The view of one target (`"resolution"`…), if the policy sets it."""
        return next((t for t in self.targets if t.target == name), None)


class Crossing(_Typed):
    """An escalation threshold: `at`, `target`, `percent`, `repeat`, `actions`."""


class TickReport(_Typed):
    """What a tick did: `auto_confirmed` (ticket ids), `sla_alerts` (pairs of ticket id and
    `Crossing`), `rescheduled` (stale due entries repaired)."""

    @property
    def sla_alerts(self) -> list:
        return [(ticket, Crossing(c)) for ticket, c in self._data["sla_alerts"]]


class Verification(_Typed):
    """A history check: `checked` (events), `first_broken` (None when intact)."""

    def is_intact(self) -> bool:
        return self._data.get("first_broken") is None


class TicketChange(_Typed):
    """What a new configuration changes for one open ticket: `ticket`, `folio`, `before` and
    `after` (`due_at`, `sla_due`), `policy` (before, after), `states` (`target`, `before`,
    `after`), `alerts_now` (`Crossing`s that would fire at once)."""

    _nested = {"alerts_now": Crossing}


class Reconfiguration(_Typed):
    """What `reconfigure` found: `applied`, `open_tickets`, `changes` (`TicketChange`s),
    `rescheduled`."""

    _nested = {"changes": TicketChange}


class Checkpoint(_Typed):
    """A link of the desk anchor: `seq`, `at`, `prev`, `heads` (`ticket_id`, `version`,
    `hash`), `tickets`, `root`, and `hash`: the anchor to publish or sign elsewhere."""


class DeskVerification(_Typed):
    """A whole-desk check: `anchor`, `checkpoints`, `tickets`, and `findings`: each a dict
    with `finding` (`broken_checkpoint`, `deleted_ticket`, `truncated_tail`,
    `replaced_history`, `broken_chain`, `projection_mismatch`) and what it names."""

    def is_intact(self) -> bool:
        return not self._data.get("findings")


class OutboxMessage(_Typed):
    """A notification owed: `id`, and `notification` (`recipient`, `ticket_id`, `folio`,
    `sequence`, `event`, `public`)."""


__all__ = [
    "Checkpoint",
    "Comment",
    "DeskVerification",
    "Reconfiguration",
    "TicketChange",
    "Crossing",
    "EventEnvelope",
    "LevelUsage",
    "Organisation",
    "OutboxMessage",
    "Page",
    "SlaView",
    "TargetView",
    "Team",
    "Ticket",
    "TickReport",
    "User",
    "Verification",
    "decode",
]
