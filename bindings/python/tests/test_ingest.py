"""E-mail intake from Python: raw bytes in, a ticket opened, a reply added by the folio in
its subject, an auto-reply dropped with the reason, the same message twice a duplicate."""

from datetime import timedelta

import pytest

import foliodesk


def mail(message_id: str, subject: str, body: str, extra: str = "") -> bytes:
    return (
        f"From: Ana <ana@example.com>\r\nTo: soporte@example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode("utf-8")


def addressed(desk: foliodesk.Desk) -> None:
    ana = desk.user("ana")
    desk.put_user(foliodesk.SYSTEM, {**ana.to_dict(), "email": "ana@example.com"})


def test_raw_mail_opens_threads_and_is_taken_once(desk):
    addressed(desk)
    first = mail("p1@example.com", "Sin VPN", "No conecta.")
    got = desk.ingest_email(first)
    assert got.outcome == "opened" and got.folio
    assert desk.ingest_email(bytearray(first)).outcome == "duplicate"
    reply = mail("p2@example.com", f"RE: [{got.folio}] Sin VPN",
                 "Ya reinicié.\r\n\r\nEl lun, 2 mar 2026, Soporte escribió:\r\n> ¿Reinició?")
    added = desk.ingest_email(reply)
    assert (added.outcome, added.ticket) == ("added", got.ticket)
    assert [c.body for c in desk.ticket("bob", got.ticket).comments] == ["Ya reinicié."]
    oof = mail("p3@example.com", f"RE: [{got.folio}] Sin VPN", "Fuera", "Auto-Submitted: auto-replied\r\n")
    dropped = desk.ingest_email(oof)
    assert dropped.outcome == "ignored"
    assert dropped.ignored.to_dict() == {"reason": "automatic", "detail": "auto_reply"}


def test_an_inbound_message_from_another_channel_and_typed_errors(desk):
    addressed(desk)
    got = desk.ingest({"channel": "chat", "from": "ana@example.com", "subject": "Impresora",
                       "text": "No imprime", "message_id": "chat-77"})
    assert got.outcome == "opened"
    assert desk.ticket("bob", got.ticket).channel == "chat"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.ingest_email(b"Subject: no sender\r\n\r\nhola")
    assert e.value.field == "email.from"


def test_monitoring_events_count_on_one_ticket_per_key(desk):
    def event(n: int, recovery: bool = False) -> dict[str, object]:
        return {"channel": "event", "from": "zabbix", "subject": "web-01 CPU",
                "text": f"load {90 + n}%", "message_id": f"zbx-{n}",
                "thread_key": "web-01/cpu", "recovery": recovery}

    outcomes = [desk.ingest(event(n)).outcome for n in range(5)]
    assert outcomes == ["opened"] + ["added"] * 4
    first = desk.ingest(event(0))
    assert first.outcome == "duplicate"
    t = desk.ticket("bob", first.ticket)
    assert (t.occurrences, t.thread_key) == (5, "web-01/cpu")
    cleared = desk.ingest(event(9, recovery=True))
    assert cleared.outcome == "added" and "recorded" in cleared.why


def test_attachments_round_trip_and_stay_with_who_may_see_them(desk):
    t = desk.open_ticket("ana", kind="incident", channel="portal", requester="ana", title="Pantalla")
    png = bytes(range(256)) * 8
    t = desk.attach("ana", t.id, "captura.png", "image/png", png)
    shot = t.attachments[-1]
    assert (shot.name, shot.size, shot.visibility) == ("captura.png", 2048, "public")
    assert desk.attachment("bob", t.id, shot.sha256) == png
    log = b"ERROR disk full\n"
    t = desk.attach("bob", t.id, "syslog.txt", "text/plain", log, visibility="internal")
    note = t.attachments[-1].sha256
    assert desk.attachment("bob", t.id, note) == log
    with pytest.raises(foliodesk.NotFound):
        desk.attachment("ana", t.id, note)
    assert [a.name for a in desk.ticket("ana", t.id).attachments] == ["captura.png"]
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.attach("ana", t.id, "setup.exe", "application/x-msdownload", b"MZ")
    assert e.value.field == "attachment.content_type"


def test_contact_records_of_calls_answered_and_abandoned(desk):
    t0 = desk.now()
    got = desk.ingest({"channel": "phone", "from": "+34600111222", "text": "No arranca",
                       "message_id": "call-1", "contact": {
                           "started_at": t0, "answered_at": t0 + timedelta(seconds=35),
                           "agent": "bob"}})
    assert got.outcome == "opened"
    desk.ingest({"channel": "phone", "from": "+34600111223", "message_id": "call-2",
                 "contact": {"started_at": t0 + timedelta(minutes=1), "abandoned": True}})
    calls = desk.contacts("sue", t0, t0 + timedelta(hours=1))
    assert [(c.id, c.ticket, c.abandoned) for c in calls] == [
        ("call-1", got.ticket, False), ("call-2", None, True)]
    assert calls[0].answered_at == t0 + timedelta(seconds=35)
    with pytest.raises(foliodesk.PermissionDenied):
        desk.contacts("ana", t0, t0)
