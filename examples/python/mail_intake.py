"""What a host writes to turn a support mailbox into tickets: poll an IMAP folder, take
each new mail in (new tickets, replies threaded by folio or References, auto-replies and
bounces dropped with the reason), and keep going after a restart where it stopped.

    FOLIODESK_IMAP_PASSWORD=… python examples/python/mail_intake.py \\
        --host imap.example.com --user soporte@example.com [--db sqlite://desk.db] [--once]

For Microsoft 365 or Google, obtain an OAuth 2 access token and pass it in
FOLIODESK_IMAP_TOKEN instead of a password (XOAUTH2). `--security none` is only accepted
for a server on loopback (a test server, a local relay).
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import foliodesk

CONFIG = Path(__file__).resolve().parents[1] / "foliodesk.toml"


def settings(args: argparse.Namespace) -> Dict[str, Any]:
    s: Dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "security": args.security,
        "username": args.user,
        "folder": args.folder,
    }
    token = os.environ.get("FOLIODESK_IMAP_TOKEN")
    if token:
        s["oauth_token"] = token
    else:
        s["password"] = os.environ.get("FOLIODESK_IMAP_PASSWORD", "")
    if args.processed:
        s["processed_folder"] = args.processed
    return s


def summary(report: foliodesk.ImapPoll) -> List[str]:
    lines = [
        f"{report.folder}: {report.fetched} read, {report.opened} opened, {report.added} added, "
        f"{report.ignored} ignored, {report.duplicates} duplicates, "
        f"{len(report.quarantined)} quarantined (last UID {report.last_uid})"
    ]
    lines += [f"  quarantined UID {q.uid}: {q.reason}" for q in report.quarantined]
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--db", default="sqlite://desk.db?mode=rwc", help="the desk's store")
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=993)
    p.add_argument("--security", choices=["tls", "none"], default="tls")
    p.add_argument("--user", required=True)
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--processed", help="move handled mail here instead of flagging it")
    p.add_argument("--every", type=float, default=60.0, help="seconds between polls")
    p.add_argument("--once", action="store_true", help="poll once and stop")
    args = p.parse_args(argv)

    desk = foliodesk.Desk.open(args.db, CONFIG)
    while True:
        try:
            for line in summary(desk.poll_imap(settings(args))):
                print(line, flush=True)
        except foliodesk.RemoteError as e:
            # The server is down or refused: nothing was lost; try again next round.
            print(f"mail server: {e}", file=sys.stderr, flush=True)
            if args.once:
                return 1
        if args.once:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
