"""A private Dovecot on loopback for one test (clear text; the Rust tests cover TLS):
its own configuration file, a passwd-file user and Maildir in a temporary directory.
Missing Dovecot fails the test unless the run leaves it out with FOLIODESK_SKIP=imap."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

USER, PASSWORD = "soporte", "secreto"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    def __init__(self, root: Path) -> None:
        dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(dovecot):
            pytest.fail("Dovecot is needed: apt-get install dovecot-imapd (or FOLIODESK_SKIP=imap)")
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        if os.geteuid() == 0:
            shutil.chown(root / "mail", "dovenull", "dovenull")
            owner, first_uid = "uid=dovenull gid=dovenull", 100
        else:
            owner, first_uid = f"uid={os.getuid()} gid={os.getgid()}", 0
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.port = _free_port()
        self.conf = root / "dovecot.conf"
        self.conf.write_text(
            f"base_dir = {root}/run\nstate_dir = {root}/state\nlog_path = {root}/dovecot.log\n"
            "protocols = imap\nlisten = 127.0.0.1\nssl = no\ndisable_plaintext_auth = no\n"
            f"first_valid_uid = {first_uid}\n"
            f"passdb {{\n driver = passwd-file\n args = scheme=PLAIN username_format=%u {root}/passwd\n}}\n"
            f"userdb {{\n driver = static\n args = {owner} home={root}/mail/%u\n}}\n"
            f"mail_location = maildir:{root}/mail/%u/Maildir\n"
            f"service imap-login {{\n inet_listener imap {{\n port = {self.port}\n }}\n"
            " inet_listener imaps {\n port = 0\n }\n chroot =\n}\n"
            "service anvil {\n chroot =\n}\n"
        )
        subprocess.run([dovecot, "-c", str(self.conf)], check=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run([shutil.which("doveadm") or "/usr/bin/doveadm", "-c", str(self.conf), "stop"],
                       check=False)


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if "imap" in os.environ.get("FOLIODESK_SKIP", "").split(","):
        pytest.skip("FOLIODESK_SKIP=imap")
    # Not pytest's tmp_path: Dovecot's auth process (user `dovecot`) must reach the passwd
    # file, and pytest's directories are private to their owner.
    root = Path(tempfile.mkdtemp(prefix="foliodesk-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
