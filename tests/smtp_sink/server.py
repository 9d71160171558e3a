"""The SMTP server of the TLS and login tests: aiosmtpd with STARTTLS or TLS from the first
byte, and a login, writing each message it accepts to a Maildir.

Usage: server.py PORT MAILDIR MODE CERT KEY [USER:PASSWORD]; MODE is starttls or tls.
"""

import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, mode, cert, key = sys.argv[1:6]
login = sys.argv[6].split(":", 1) if len(sys.argv) > 6 else None

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)


def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and login == [
        data.login.decode(),
        data.password.decode(),
    ]
    # handled=False: aiosmtpd answers a failure with 535 itself (otherwise it stays silent).
    return AuthResult(success=ok, handled=False)


options = {"hostname": "127.0.0.1", "port": int(port)}
if mode == "starttls":
    # Nothing but STARTTLS before the upgrade; the login only after it.
    options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
else:
    # aiosmtpd counts only STARTTLS as encrypted: the login is allowed on the TLS socket.
    options.update(ssl_context=context, auth_require_tls=False)
if login:
    options.update(authenticator=authenticate, auth_required=True)
else:
    options.update(auth_required=False)

controller = Controller(Mailbox(maildir), **options)
controller.start()
print("ready", flush=True)
threading.Event().wait()
