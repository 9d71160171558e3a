"""Notifications from Python: a callback transport, failures and dead letters, and SMTP
delivery to a real server (aiosmtpd on loopback) parsed back with the standard library."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

import foliodesk

from conftest import MONDAY, SLA, seed


def addressed(desk: foliodesk.Desk) -> None:
    for user in desk.users():
        record = {k: getattr(user, k) for k in ("id", "name", "role", "level", "teams", "organisation")}
        record["email"] = f"{user.id}@example.com"
        if user.id == "leo":
            record["locale"] = "en"
        desk.put_user(foliodesk.SYSTEM, record)


def open_for(desk: foliodesk.Desk, requester: str, title: str) -> foliodesk.Ticket:
    return desk.open_ticket(requester, kind="incident", channel="email", requester=requester, title=title)


def test_a_callback_receives_one_message_per_person_in_their_language(desk):
    addressed(desk)
    ana = open_for(desk, "ana", "La impresora no imprime")
    leo = open_for(desk, "leo", "Printer jammed")
    sent: list[foliodesk.OutgoingMessage] = []
    assert desk.deliver(sent.append).sent == 0, "nothing inside the coalescing window"
    desk.set_now(MONDAY + timedelta(seconds=61))
    report = desk.deliver(sent.append)
    assert report.sent == len(sent) == 2 and report.failed == 0
    by_to = {m.to: m for m in sent}
    assert by_to["ana@example.com"].subject.startswith(f"[{ana.folio}] Hemos registrado")
    assert by_to["ana@example.com"].locale == "es"
    assert by_to["leo@example.com"].subject.startswith(f"[{leo.folio}] We have logged")
    assert ("Auto-Submitted", "auto-generated") in by_to["leo@example.com"].headers
    assert desk.outbox() == []


def test_failures_retry_permanent_ones_dead_letter_and_requeue(desk):
    addressed(desk)
    open_for(desk, "ana", "Sin red")
    open_for(desk, "leo", "No network")
    desk.set_now(MONDAY + timedelta(seconds=61))

    def flaky(message: foliodesk.OutgoingMessage) -> None:
        if message.to == "ana@example.com":
            raise foliodesk.PermanentDeliveryError("550 no such user")
        raise ConnectionError("server away")

    report = desk.deliver(flaky)
    assert (report.failed, report.dead, report.retried) == (2, 1, 1)
    dead = desk.dead_letters()
    assert [d.reason for d in dead] == ["550 no such user"]
    assert [m.attempts for m in desk.outbox()] == [1]
    assert desk.deliver(flaky).failed == 0, "the retry waits for its backoff"
    desk.set_now(MONDAY + timedelta(hours=1))
    sent: list[foliodesk.OutgoingMessage] = []
    assert desk.deliver(sent.append).sent == 1 and sent[0].to == "leo@example.com"
    assert desk.requeue_dead([d.id for d in dead]) == 1
    assert desk.deliver(sent.append).sent == 1 and sent[1].to == "ana@example.com"


@pytest.fixture
def smtp_sink(tmp_path: Path):
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        if "smtp" in os.environ.get("FOLIODESK_SKIP", "").split(","):
            pytest.skip("FOLIODESK_SKIP=smtp: the SMTP test is left out")
        pytest.fail("aiosmtpd is needed: pip install aiosmtpd (scripts/test-all does)")
    box = tmp_path / "mail"
    for sub in ("tmp", "new", "cur"):
        (box / sub).mkdir(parents=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(box)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "aiosmtpd did not start"
            time.sleep(0.05)
    yield port, box / "new"
    proc.terminate()
    proc.wait()


def test_smtp_delivery_to_a_real_server(desk, smtp_sink):
    port, new = smtp_sink
    addressed(desk)
    t = open_for(desk, "ana", "Correo caído")
    desk.set_now(MONDAY + timedelta(seconds=61))
    report = desk.deliver_smtp({"host": "127.0.0.1", "port": port, "security": "none"})
    assert report.sent == 1 and report.failed == 0
    (raw,) = [p.read_bytes() for p in new.iterdir()]
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert mail["To"] == "Ana <ana@example.com>"
    assert mail["Subject"].startswith(f"[{t.folio}] ")
    assert mail["Message-ID"].startswith(f"<{t.folio}.1-1.")
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert t.folio in text


def test_bad_smtp_settings_name_the_field(desk):
    with pytest.raises(foliodesk.ValidationError) as err:
        desk.deliver_smtp({"host": " ", "port": 25})
    assert err.value.field == "smtp.host"


def test_survey_token_rates_once_without_a_login():
    config = {**SLA, "notifications": {"survey_url": "https://portal.example/rate?token={token}"}}
    desk = foliodesk.Desk.open("memory://", config, now=MONDAY)
    seed(desk)
    addressed(desk)
    t = open_for(desk, "ana", "Sin impresora")
    desk.assign("sue", t.id, assignee="bob")
    desk.propose_solution("bob", t.id, "Driver reinstalado")
    desk.confirm_solution("ana", t.id)
    desk.set_now(MONDAY + timedelta(seconds=61))
    sent: list[foliodesk.OutgoingMessage] = []
    while desk.deliver(sent.append).sent:
        pass
    (invite,) = [m for m in sent if m.to == "ana@example.com" and "rate?token=" in m.text]
    token = invite.text.split("rate?token=")[1].split()[0]
    with pytest.raises(foliodesk.ValidationError) as err:
        desk.rate_with_token(token[:-1] + ("0" if token[-1] != "0" else "1"), 5)
    assert err.value.field == "token"
    assert desk.rate_with_token(token, 5, "¡Gracias!").satisfaction.score == 5
    with pytest.raises(foliodesk.ValidationError, match="already used"):
        desk.rate_with_token(token, 4)


def test_webhook_retries_until_the_receiver_accepts_and_signs_each_post(desk):
    import hashlib
    import hmac
    import http.server
    import threading

    answers, seen = [503, 500, 200], []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.headers["X-Foliodesk-Timestamp"], self.headers["X-Foliodesk-Signature"], body))
            self.send_response(answers[min(len(seen), len(answers)) - 1])
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        addressed(desk)
        open_for(desk, "ana", "Webhook")
        hook = {"url": f"http://127.0.0.1:{server.server_port}/hook", "secret": "s3cret"}
        for hours, expected in ((0, 0), (1, 0), (2, 1)):
            desk.set_now(MONDAY + timedelta(hours=hours, seconds=61))
            assert desk.deliver_webhook(hook).sent == expected
    finally:
        server.shutdown()
    timestamp, signature, body = seen[-1]
    mac = hmac.new(b"s3cret", f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert signature == f"sha256={mac}"
    import json

    assert len({json.loads(s[2])["message_id"] for s in seen}) == 1, "one Message-ID for every try"
