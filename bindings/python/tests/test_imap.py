"""The IMAP reader from Python, against a real Dovecot on loopback: new mail becomes
tickets, a reply by folio is added, a mail without Message-ID is quarantined with the
reason, a second poll reads nothing, and the example script does the same from a shell."""

import imaplib
import subprocess
import sys
from pathlib import Path

import pytest

import foliodesk
from dovecot_server import PASSWORD, USER, Dovecot, dovecot  # noqa: F401 (fixture)

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python" / "mail_intake.py"


def mail(message_id: str, subject: str, body: str) -> bytes:
    return (
        f"From: Ana <ana@example.com>\r\nTo: soporte@example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode("utf-8")


def append(server: Dovecot, *raws: bytes) -> None:
    m = imaplib.IMAP4("127.0.0.1", server.port)
    m.login(USER, PASSWORD)
    for raw in raws:
        m.append("INBOX", None, None, raw)
    m.logout()


def settings(server: Dovecot) -> dict[str, object]:
    return {"host": "127.0.0.1", "port": server.port, "security": "none",
            "username": USER, "password": PASSWORD, "timeout_seconds": 10}


def test_poll_takes_mail_in_once_and_quarantines_the_unreadable(desk, dovecot):
    append(dovecot, mail("i1@example.com", "Sin VPN", "No conecta."),
           b"From: ana@example.com\r\nSubject: sin id\r\n\r\nhola\r\n")
    first = desk.poll_imap(settings(dovecot))
    assert (first.fetched, first.opened) == (2, 1)
    assert [q.uid for q in first.quarantined] == [2]
    assert "message_id" in first.quarantined[0].reason
    assert desk.poll_imap(settings(dovecot)).fetched == 0
    [vpn] = [t for t in desk.query("bob").items if t.title == "Sin VPN"]
    folio = vpn.folio
    append(dovecot, mail("i2@example.com", f"RE: [{folio}] Sin VPN", "Ya va."))
    second = desk.poll_imap(settings(dovecot))
    assert (second.fetched, second.added, second.resumed_after) == (1, 1, first.last_uid)


def test_unreachable_server_and_clear_text_to_a_remote_host_are_typed_errors(desk):
    with pytest.raises(foliodesk.RemoteError):
        desk.poll_imap({"host": "127.0.0.1", "port": 1, "security": "none",
                        "username": USER, "password": "x", "timeout_seconds": 2})
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.poll_imap({"host": "imap.example.com", "security": "none",
                        "username": USER, "password": "x"})
    assert e.value.field == "imap.security"


def test_the_example_polls_once(dovecot, tmp_path):
    append(dovecot, mail("e1@example.com", "Impresora", "No imprime."))
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), "--db", f"sqlite://{tmp_path}/desk.db?mode=rwc",
         "--host", "127.0.0.1", "--port", str(dovecot.port), "--security", "none",
         "--user", USER, "--once"],
        env={"FOLIODESK_IMAP_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "INBOX: 1 read, 1 opened" in run.stdout
